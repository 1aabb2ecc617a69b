"""Step-through: the forward pass and the backward pass written out one node at a time."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from ..engine.backward import backprop, topological_order, zero_grad
from ..engine.value import Value
from .numbers import DEFAULT_PRECISION, check_precision, format_value, operand_text

__all__ = [
    "BackwardStep",
    "ForwardStep",
    "ParentUpdate",
    "backward_steps",
    "forward_steps",
    "node_names",
]


def node_names(root: Value, precision: int | None = DEFAULT_PRECISION) -> dict[Value, str]:
    """Name every node of root's graph the way the lecture notes do.

    A node with a label keeps it; an unlabelled operation node is hN when it is the N-th
    operation node in topological order (leaves and constants are not counted, labelled
    operation nodes are, so hN is row N of `table()`); constants are their number; unlabelled
    leaves are v1, v2, …. A generated name that a label already uses gets a prime (h1′).

    Args:
        root: The output node.
        precision: Significant digits for the names of constants.

    Returns:
        A dict from node to name.
    """
    return names_in_order(topological_order(root), precision)


def names_in_order(order: Sequence[Value], precision: int | None = DEFAULT_PRECISION) -> dict[Value, str]:
    """node_names() for a graph whose topological order is already known."""
    taken = {node.label for node in order if node.label}
    names: dict[Value, str] = {}
    ops = leaves = 0

    def fresh(name: str) -> str:
        while name in taken:
            name += "′"
        return name

    for node in order:
        if not node.is_leaf:
            ops += 1  # labelled or not, so that hN is always the N-th row of the table
        if node.label:
            names[node] = node.label
        elif node.is_constant:
            names[node] = operand_text(node.data, precision)
        elif node.is_leaf:
            leaves += 1
            names[node] = fresh(f"v{leaves}")
        else:
            names[node] = fresh(f"h{ops}")
    return names


def output_symbol(root: Value) -> str:
    """What ∂·/∂node calls the output: its label, or "f"."""
    return root.label or "f"


_XY = re.compile(r"(?<![A-Za-z_0-9])[xy](?![A-Za-z_0-9])")


def fill_in(template: str, operands: Sequence[str]) -> str:
    """Put operand texts in place of x and y in a primitive's formula: ("x × y", ["w", "x"]) → "w × x".

    An operand written in parentheses, such as "(−1)", loses them where the formula has its
    own: "exp(x)" → "exp(−1)", not "exp((−1))".
    """

    def operand(m: re.Match[str]) -> str:
        text = operands["xy".index(m.group())]
        inside_call = template[m.start() - 1 : m.start()] == "(" and template[m.end() : m.end() + 1] == ")"
        if inside_call and text.startswith("(") and text.endswith(")"):
            return text[1:-1]
        return text

    return _XY.sub(operand, template)


def function_text(node: Value, names: dict[Value, str]) -> str:
    """The node's function written with its inputs' names: "w × x", "exp(h3)", "1/h5"."""
    prim = node.primitive
    if prim is None:
        return names[node]
    return fill_in(prim.formula, [names[p] for p in node.parents])


def derivative_texts(node: Value, names: dict[Value, str]) -> tuple[str, ...]:
    """The node's local derivatives written with its inputs' names: ("x", "w") for h1 = w × x."""
    prim = node.primitive
    if prim is None:
        return ()
    operands = [names[p] for p in node.parents]
    return tuple(fill_in(text, operands) for text in prim.derivative_text)


def equation(parts: Sequence[str]) -> str:
    """Join "a = b = c", dropping a part that repeats the one before it ("∂h2/∂h1 = 1 = 1" → "… = 1")."""
    kept: list[str] = []
    for part in parts:
        if not kept or part != kept[-1]:
            kept.append(part)
    return " = ".join(kept)


def derivative_equation(node: str, wrt: str, formula: str, value: float, precision: int | None) -> str:
    """A local derivative written out, "∂h1/∂w = x = 1"; a formula that is the number itself is left out."""
    return equation([f"∂{node}/∂{wrt}", formula, format_value(value, precision)])


@dataclass(frozen=True)
class ForwardStep:
    """One node of the forward pass: how its value was computed.

    Attributes:
        index: 1 for the first operation node, 2 for the next, … (topological order).
        node: The node.
        name: Its name in tables and drawings (h1, h2, … or its label).
        function: The function with its inputs' names ("−h2").
        numbers: The same with their values ("−0").
        value: The node's value.
        precision: Significant digits used to write numbers (None: all).
    """

    index: int
    node: Value
    name: str
    function: str
    numbers: str
    value: float
    precision: int | None = DEFAULT_PRECISION

    def text(self) -> str:
        """The step as one line, "h3 = −h2 = −0 = 0"."""
        return equation([self.name, self.function, self.numbers, format_value(self.value, self.precision)])

    def __str__(self) -> str:
        return self.text()


def forward_steps(root: Value, precision: int | None = DEFAULT_PRECISION) -> list[ForwardStep]:
    """The forward pass written out: every operation node in topological order with its computation.

    Leaves and constants are inputs, not steps; each step names its inputs (h1, h2, … or their
    labels) and then shows their values, e.g. "h3 = −h2 = −0 = 0" or "h1 = w × x = 0 × 1 = 0".
    Nothing in the graph is changed: the values were computed when the graph was built.

    Args:
        root: The output node.
        precision: Significant digits of the numbers written into each step (None: all).

    Returns:
        One ForwardStep per operation node, root last.
    """
    precision = check_precision(precision)
    order = topological_order(root)
    return forward_steps_in_order(order, names_in_order(order, precision), precision)


def forward_steps_in_order(
    order: Sequence[Value], names: dict[Value, str], precision: int | None
) -> list[ForwardStep]:
    """forward_steps() for a graph whose order and names are already known."""
    steps: list[ForwardStep] = []
    for node in order:
        prim = node.primitive
        if prim is None:
            continue
        numbers = fill_in(prim.formula, [operand_text(p.data, precision) for p in node.parents])
        steps.append(
            ForwardStep(
                len(steps) + 1, node, names[node], function_text(node, names), numbers, node.data, precision
            )
        )
    return steps


@dataclass(frozen=True)
class ParentUpdate:
    """What one input of a node receives in a backward step.

    Attributes:
        parent: The input node.
        name: Its name.
        slot: 0 for the first operand, 1 for the second (`a + a` updates a twice).
        formula: The local derivative ∂node/∂parent written out ("−1/h5²").
        local: Its value.
        contribution: upstream × local, what flows back along this edge.
        total: The parent's gradient after adding the contribution (its running total).
    """

    parent: Value
    name: str
    slot: int
    formula: str
    local: float
    contribution: float
    total: float


@dataclass(frozen=True)
class BackwardStep:
    """One node of the backward pass pushing its gradient to its inputs.

    Attributes:
        index: 1 for the output node, then 2, 3, … in reverse topological order.
        node: The node whose gradient is pushed.
        name: Its name.
        output: What ∂·/∂node calls the output ("f" unless the output has a label).
        upstream: ∂f/∂node, complete by the time the node's step comes.
        updates: One ParentUpdate per operand, in operand order.
        precision: Significant digits used to write numbers (None: all).
    """

    index: int
    node: Value
    name: str
    output: str
    upstream: float
    updates: tuple[ParentUpdate, ...]
    precision: int | None = DEFAULT_PRECISION

    def text(self) -> str:
        """The step as a few lines: the node, its upstream gradient, then one line per input.

        Inputs that are constants (the 1 in h4 + 1) get their contribution too, as in
        backward(), but are not written out.
        """
        f, me, precision = self.output, self.name, self.precision
        lines = [f"step {self.index}: {me}, ∂{f}/∂{me} = {format_value(self.upstream, precision)}"]
        for u in self.updates:
            if u.parent.is_constant:
                continue
            local = derivative_equation(me, u.name, u.formula, u.local, precision)
            lines.append(
                f"  {local}; contribution {operand_text(self.upstream, precision)} × "
                f"{operand_text(u.local, precision)} = {format_value(u.contribution, precision)}; "
                f"∂{f}/∂{u.name} so far = {format_value(u.total, precision)}"
            )
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.text()


def replay_backward(root: Value, precision: int | None = DEFAULT_PRECISION) -> Iterator[BackwardStep]:
    """The backward pass written out one node at a time, leaving every `.grad` untouched.

    The gradients are those of the chain rule, `autograd.backprop(root)`.

    Args:
        root: The output node.
        precision: Significant digits for the steps' text (None: all).

    Yields:
        One BackwardStep per operation node, output first.
    """
    order = topological_order(root)
    yield from steps_backward(
        order, names_in_order(order, precision), backprop(root), output_symbol(root), precision
    )


def steps_backward(
    order: list[Value], names: dict[Value, str], grads: dict[Value, float], output: str, precision: int | None
) -> Iterator[BackwardStep]:
    """The backward steps of a graph whose order, names and gradients (`backprop`) are known.

    Each step shows one operation node, in reverse topological order, passing
    ∂f/∂node · ∂node/∂parent to each input, with the input's running total so far: its
    ∂f/∂input once its last consumer has had its step.
    """
    so_far: dict[Value, float] = {order[-1]: 1.0}
    ops = [node for node in reversed(order) if not node.is_leaf]
    for index, node in enumerate(ops, start=1):
        g = grads[node]
        formulas = derivative_texts(node, names)
        updates = []
        for slot, (parent, local) in enumerate(zip(node.parents, node.local_grads)):
            c = local * g  # backprop's product (STOP · g = 0)
            so_far[parent] = total = so_far.get(parent, 0.0) + c
            updates.append(ParentUpdate(parent, names[parent], slot, formulas[slot], local, c, total))
        yield BackwardStep(index, node, names[node], output, g, tuple(updates), precision)


def backward_steps(root: Value, precision: int | None = DEFAULT_PRECISION) -> Iterator[BackwardStep]:
    """Replay backward() one node at a time, writing the gradients into `.grad` as it goes.

    When the generator starts (at the first `next`), every `.grad` in root's graph is set to 0
    (leaves too) and root.grad to 1; each step then takes one operation node, in the same
    reverse topological order as backward(), and adds its contribution to each input's `.grad`.
    Run to the end, it leaves exactly the gradients of `zero_grad(root); root.backward()` —
    a replay of one fresh backward, so leaves do not accumulate across calls. Stop early and
    the `.grad` fields show the state after the last step taken.

    Args:
        root: The output node.
        precision: Significant digits for the steps' text (None: all); the numbers kept in
            each step are the exact floats.

    Yields:
        One BackwardStep per operation node: the node, its upstream gradient ∂f/∂node and,
        per input, the local derivative (formula and number), the contribution and the
        input's running total.
    """
    if not isinstance(root, Value):
        raise TypeError(f"root must be a Value, got {type(root).__name__}")
    return _write_back(root, check_precision(precision))


def _write_back(root: Value, precision: int | None) -> Iterator[BackwardStep]:
    """The generator behind backward_steps (split off so that bad arguments fail at the call)."""
    zero_grad(root)
    root.grad = 1.0
    for step in replay_backward(root, precision):
        for update in step.updates:
            update.parent.grad = update.total
        yield step
