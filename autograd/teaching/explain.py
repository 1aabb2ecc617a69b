"""`explain(f, node)`: why ∂f/∂node has its value — the sum over the node's consumers, with the numbers in."""

from __future__ import annotations

import html
from dataclasses import dataclass

from ..common.text import describe
from ..engine.backward import backprop, topological_order
from ..engine.value import Value
from ..views.latex import latex_name, latex_number, partial
from ..views.numbers import DEFAULT_PRECISION, check_precision, format_value, operand_text
from ..views.steps import derivative_texts, function_text, node_names, output_symbol

__all__ = ["Explanation", "Term", "explain", "consumer_edges"]

_ORDINALS = ("1st", "2nd")


@dataclass(frozen=True)
class Term:
    """One use of the node by a consumer: ∂f/∂consumer · ∂consumer/∂node.

    Attributes:
        consumer: The node that takes the node as an operand.
        name: The consumer's name.
        function: The consumer's function with its inputs' names ("a × a").
        slot: Which operand of the consumer the node is (0 the first, 1 the second).
        shared: True when the consumer uses the node in more than one operand (a × a).
        is_output: True when the consumer is the output f itself (then ∂f/∂consumer = 1).
        upstream: ∂f/∂consumer.
        formula: ∂consumer/∂node written with names ("a").
        local: ∂consumer/∂node.
        product: upstream · local, this use's share of ∂f/∂node.
    """

    consumer: Value
    name: str
    function: str
    slot: int
    shared: bool
    is_output: bool
    upstream: float
    formula: str
    local: float
    product: float


def consumer_edges(root: Value) -> dict[Value, list[tuple[Value, int]]]:
    """For each node of root's graph, the (consumer, operand slot) edges that use it, in topological order."""
    edges: dict[Value, list[tuple[Value, int]]] = {}
    for node in topological_order(root):
        for slot, parent in enumerate(node.parents):
            edges.setdefault(parent, []).append((node, slot))
    return edges


class Explanation:
    """∂f/∂node as the sum over the node's uses: print it, or call `.to_markdown()` / `.to_latex()`.

    Attributes:
        node: The node explained.
        name: Its name (as in `table()`).
        output: What the output is called ("f").
        terms: One Term per use of the node, consumers in topological order.
        grad: ∂f/∂node exactly as backward() computes it.
        precision: Significant digits shown.
    """

    def __init__(
        self, node: Value, name: str, output: str, terms: list[Term], grad: float, precision: int | None
    ) -> None:
        self.node = node
        self.name = name
        self.output = output
        self.terms = terms
        self.grad = grad
        self.precision = precision

    def _number(self, x: float) -> str:
        return operand_text(x, self.precision)

    def term_numbers(self, term: Term) -> str:
        """One term with its numbers: "1·3", or the local derivative alone ("1") when the consumer is f."""
        if term.is_output:
            return self._number(term.local)
        return f"{self._number(term.upstream)}·{self._number(term.local)}"

    def equation(self) -> str:
        """The whole sum in one line: "∂f/∂a = 1·3 + 1·3 + 1 = 7"."""
        d = f"∂{self.output}/∂{self.name}"
        total = format_value(self.grad, self.precision)
        if not self.terms:
            return f"{d} = 1"
        if len(self.terms) == 1 and self.terms[0].is_output:  # f = g(node): ∂f/∂node is g's local derivative
            return f"{d} = ∂{self.terms[0].name}/∂{self.name} = {total}"
        return f"{d} = {' + '.join(self.term_numbers(t) for t in self.terms)} = {total}"

    def term_lines(self) -> list[str]:
        """One line per use: which consumer, which operand, the symbols and the numbers."""
        f, me, p = self.output, self.name, self.precision
        lines = []
        for t in self.terms:
            where = f"{t.name} = {t.function}"
            if t.shared:
                where += f", {_ORDINALS[t.slot]} operand"
            if t.is_output:
                where += " (the output)"
            local = f"∂{t.name}/∂{me} = " + (
                f"{t.formula} = " if t.formula != format_value(t.local, p) else ""
            )
            local += format_value(t.local, p)
            if t.is_output:
                lines.append(f"{where}: {local}")
            else:
                lines.append(
                    f"{where}: ∂{f}/∂{t.name} · ∂{t.name}/∂{me} = {self.term_numbers(t)} = "
                    f"{format_value(t.product, p)}   ({local})"
                )
        return lines

    def intro(self) -> str:
        """The sentence above the terms."""
        d, n = f"∂{self.output}/∂{self.name}", len(self.terms)
        if not self.terms:
            return f"{self.name} is the output itself, so {d} = 1."
        if n == 1:
            return f"{self.name} is used once, by {self.terms[0].name}, so {d} is that one term:"
        return f"{self.name} is used {n} times, so {d} is the sum of one term per use:"

    def __str__(self) -> str:
        return "\n".join([self.intro(), *(f"  {line}" for line in self.term_lines()), self.equation()])

    def __repr__(self) -> str:
        return f"<Explanation of ∂{self.output}/∂{self.name}: {len(self.terms)} term(s)>\n{self}"

    def to_markdown(self) -> str:
        """The explanation in Markdown: the sentence, one bullet per use, the sum in bold."""
        lines = [self.intro(), ""]
        lines += ["- " + line.replace("*", "\\*") for line in self.term_lines()]
        lines += ["", f"**{self.equation()}**"]
        return "\n".join(lines)

    def _repr_markdown_(self) -> str:
        return self.to_markdown()

    def _repr_html_(self) -> str:
        items = "".join(f"<li>{html.escape(line)}</li>" for line in self.term_lines())
        return (
            f"<p>{html.escape(self.intro())}</p><ul>{items}</ul><p><b>{html.escape(self.equation())}</b></p>"
        )

    def to_latex(self) -> str:
        """The explanation as one LaTeX display equation: the symbols, then the numbers, then the value."""
        p = self.precision
        f = latex_name(self.output)
        d = partial(f, latex_name(self.name))
        total = latex_number(self.grad, p)
        if not self.terms:
            return rf"\[ {d} = 1 \]"
        symbols, numbers = [], []
        for t in self.terms:
            local = partial(latex_name(t.name), latex_name(self.name))
            if t.is_output:
                symbols.append(local)
                numbers.append(latex_number(t.local, p, operand=True))
            else:
                symbols.append(rf"{partial(f, latex_name(t.name))} \cdot {local}")
                numbers.append(
                    latex_number(t.upstream, p, operand=True)
                    + r" \cdot "
                    + latex_number(t.local, p, operand=True)
                )
        return rf"\[ {d} = {' + '.join(symbols)} = {' + '.join(numbers)} = {total} \]"


def explain(root: Value, node: Value, precision: int | None = DEFAULT_PRECISION) -> Explanation:
    """Explain ∂f/∂node: the sum over node's consumers c of ∂f/∂c · ∂c/∂node, with the numbers in.

    For `a * a + a` at a = 3 (h1 = a × a, f = h1 + a) the uses are h1's two operands and f's
    second, so ∂f/∂a = 1·3 + 1·3 + 1 = 7. A use by the output itself is written as its local
    derivative alone (∂f/∂f = 1). Gradients are computed as one fresh backward() would; `.grad`
    is neither read nor changed.

    Args:
        root: The output f.
        node: A node of root's graph (a leaf, a weight, or an intermediate hN).
        precision: Significant digits shown (1–17), or None for every digit.

    Returns:
        An Explanation: `str()` is plain text, `.to_markdown()`, `.to_latex()`, `.equation()`.

    Raises:
        TypeError: If root or node is not a Value.
        ValueError: If node is not part of root's graph.
    """
    precision = check_precision(precision)
    for what, v in (("root", root), ("node", node)):
        if not isinstance(v, Value):
            raise TypeError(f"{what} must be a Value, got {type(v).__name__}")
    edges = consumer_edges(root)
    if node != root and node not in edges:
        raise ValueError(f"{describe(node)} is not part of the graph that ends in {describe(root)}")
    names = node_names(root, precision)
    grads = backprop(root)
    terms = []
    for consumer, slot in edges.get(node, []):
        upstream = grads.get(consumer, 0.0)
        local = consumer.local_grads[slot]
        terms.append(
            Term(
                consumer,
                names[consumer],
                function_text(consumer, names),
                slot,
                sum(p == node for p in consumer.parents) > 1,
                consumer == root,
                upstream,
                derivative_texts(consumer, names)[slot],
                local,
                upstream * local,
            )
        )
    return Explanation(node, names[node], output_symbol(root), terms, grads.get(node, 0.0), precision)
