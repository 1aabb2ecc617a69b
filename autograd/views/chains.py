"""The chain rule written out along every path from a node to the output: a sum over paths of products."""

from __future__ import annotations

import math
from dataclasses import dataclass

from ..common.text import describe
from ..engine.backward import topological_order
from ..engine.value import Value
from .graph_view import GraphView
from .latex import latex_name, latex_number, partial
from .numbers import DEFAULT_PRECISION, check_precision, format_value, operand_text

__all__ = ["Chain", "ChainPath", "chain", "count_paths"]

#: chain() refuses to write out more paths than this unless asked (the count can grow as 2ⁿ).
MAX_PATHS = 1000


@dataclass(frozen=True)
class ChainPath:
    """One path from a node up to the output, with the chain rule's factors along it.

    Attributes:
        nodes: The nodes from the start node to the output.
        names: Their names.
        factors: ∂f/∂f = 1, then the local derivatives from the output down to the start node.
        product: The factors multiplied in that order.
        slots: For each edge, from the start node up, which operand of the next node it is
            (0 the first, 1 the second): the two edges of `a * a` differ only here.
    """

    nodes: tuple[Value, ...]
    names: tuple[str, ...]
    factors: tuple[float, ...]
    product: float
    slots: tuple[int, ...] = ()

    def edges(self) -> list[tuple[str, str, str]]:
        """The edges from the output back to the start node, in the order of the factors.

        Each is (consumer, which, input): which is "" unless the consumer uses that input in
        more than one operand (a × a), then "1st operand" or "2nd operand".
        """
        edges = []
        for i in range(len(self.nodes) - 2, -1, -1):
            child, parent = self.nodes[i + 1], self.nodes[i]
            which = ""
            if self.slots and sum(p == parent for p in child.parents) > 1:
                which = f"{_ORDINALS[self.slots[i]]} operand"
            edges.append((self.names[i + 1], which, self.names[i]))
        return edges

    def route(self) -> str:
        """The path from the output back to the start node, in the order of the factors: "h6 ← h5 ← … ← w".

        An edge that is one of several from the same node to the same input (the two a's of
        a × a) says which operand it is: "h1 ←(2nd operand) a".
        """
        parts = [self.names[-1]]
        for _, which, parent in self.edges():
            parts.append(f" ←({which}) {parent}" if which else f" ← {parent}")
        return "".join(parts)

    def factor_names(self, output: str) -> tuple[str, ...]:
        """The factors as symbols, in their order: ("∂f/∂h6", "∂h6/∂h5", …, "∂h1/∂w")."""
        names = self.names
        downward = (f"∂{names[i + 1]}/∂{names[i]}" for i in range(len(names) - 2, -1, -1))
        return (f"∂{output}/∂{names[-1]}", *downward)


_ORDINALS = ("1st", "2nd")


class Chain:
    """The chain rule for ∂f/∂node written out: one product per path, and their sum.

    Attributes:
        node: The node differentiated against.
        name: Its name.
        output: What the output is called ("f").
        paths: Every path from node to the output.
        total: The sum of the paths' products (equal to ∂f/∂node up to rounding).
        precision: Significant digits shown.
    """

    def __init__(
        self, node: Value, name: str, output: str, paths: list[ChainPath], precision: int | None
    ) -> None:
        self.node = node
        self.name = name
        self.output = output
        self.paths = paths
        self.precision = precision
        total = 0.0
        for path in paths:
            total += path.product
        self.total = total

    def product_text(self, path: ChainPath) -> str:
        """ "1 × (−0.25) × 1 = −0.25" for one path."""
        factors = " × ".join(operand_text(f, self.precision) for f in path.factors)
        if len(path.factors) == 1:  # the output itself: ∂f/∂f = 1
            return factors
        return f"{factors} = {format_value(path.product, self.precision)}"

    def __str__(self) -> str:
        d = f"∂{self.output}/∂{self.name}"
        p = self.precision
        if not self.paths:
            return f"{d} = 0 (no path leads from {self.name} to {self.output})"
        if len(self.paths) == 1:
            (path,) = self.paths
            return f"{d} = {self.product_text(path)}\n  along {path.route()}"
        lines = [f"{d}, summed over {len(self.paths)} paths:"]
        lines += [f"  {path.route()}: {self.product_text(path)}" for path in self.paths]
        terms = " + ".join(operand_text(path.product, p) for path in self.paths)
        lines.append(f"  {d} = {terms} = {format_value(self.total, p)}")
        return "\n".join(lines)

    def to_latex(self) -> str:
        """The chain in LaTeX: one display equation per path (symbols, then numbers), then their sum."""
        p = self.precision
        d = partial(latex_name(self.output), latex_name(self.name))
        if not self.paths:
            return rf"\[ {d} = 0 \]"
        lines = []
        for path in self.paths:
            symbols = r" \cdot ".join(_latex_factor(name) for name in path.factor_names(self.output))
            numbers = r" \cdot ".join(latex_number(f, p, operand=True) for f in path.factors)
            equation = f"{symbols} = {numbers} = {latex_number(path.product, p)}"
            route = _latex_route(path)
            if len(self.paths) == 1:
                return rf"\[ {d} = {equation} \quad \text{{along }} {route} \]"
            lines.append(rf"\[ {route}: \quad {equation} \]")
        terms = " + ".join(latex_number(path.product, p, operand=True) for path in self.paths)
        lines.append(rf"\[ {d} = {terms} = {latex_number(self.total, p)} \]")
        return "\n".join(lines)

    def __repr__(self) -> str:
        return f"<Chain for ∂{self.output}/∂{self.name}: {len(self.paths)} path(s)>\n{self}"


def count_paths(root: Value, order: list[Value] | None = None) -> dict[Value, int]:
    """How many paths lead from each node up to root (`a + a` counts as two)."""
    if order is None:
        order = topological_order(root)
    paths: dict[Value, int] = {root: 1}
    for node in reversed(order):
        n = paths.get(node, 0)
        for parent in node.parents:
            paths[parent] = paths.get(parent, 0) + n
    return paths


def chain(
    root: Value, node: Value, precision: int | None = DEFAULT_PRECISION, max_paths: int = MAX_PATHS
) -> Chain:
    """Write out the chain rule for ∂f/∂node along every path from node up to the output f.

    Along one path the factors are ∂f/∂f = 1, then each local derivative from the output down
    to node; for the lecture's sigmoid and w: "1 × (−0.25) × 1 × 1 × (−1) × 1 × 1 = 0.25".
    When node reaches f along several paths (a shared sub-expression, or `a + a`), each path
    is written out and the products are summed. Nothing in the graph is changed.

    Args:
        root: The output f.
        node: A node of root's graph, usually a leaf such as an input or a weight.
        precision: Significant digits shown (1–17), or None for every digit.
        max_paths: The most paths to write out; the number of paths can double with every
            layer of a graph, so a larger count raises ValueError.

    Returns:
        A Chain: print it, or read `.paths` and `.total`.
    """
    precision = check_precision(precision)
    if type(max_paths) is not int or max_paths < 1:
        raise ValueError(f"max_paths must be an int ≥ 1, got {max_paths!r}")
    if not isinstance(node, Value):
        raise TypeError(f"node must be a Value of root's graph, got {type(node).__name__}")
    view = GraphView(root, precision)
    order, names = view.order, view.names
    if node not in view.index:
        raise ValueError(f"{describe(node)} is not part of the graph that ends in {describe(root)}")
    n_paths = count_paths(root, order)[node]
    if n_paths > max_paths:
        raise ValueError(
            f"{names[node]} reaches the output along {n_paths} paths, more than max_paths={max_paths}; "
            f"use table(root) for the gradients, chain() on a smaller graph, or raise max_paths"
        )
    # children[p] lists (child, slot): each edge along which p feeds into another node
    children: dict[Value, list[tuple[Value, int]]] = {}
    for n in order:
        for slot, parent in enumerate(n.parents):
            children.setdefault(parent, []).append((n, slot))
    paths: list[ChainPath] = []
    # depth-first over edges, without recursion: each entry is a partial path (nodes, edge slots)
    stack: list[tuple[tuple[Value, ...], tuple[int, ...]]] = [((node,), ())]
    while stack:
        nodes, slots = stack.pop()
        last = nodes[-1]
        if last == root:
            paths.append(_make_path(nodes, slots, names))
            continue
        for child, slot in reversed(children.get(last, [])):
            stack.append(((*nodes, child), (*slots, slot)))
    return Chain(node, names[node], view.output, paths, precision)


def _make_path(nodes: tuple[Value, ...], slots: tuple[int, ...], names: dict[Value, str]) -> ChainPath:
    """The factors along one path: 1, then ∂child/∂parent from the output down."""
    factors = [1.0]
    for i in range(len(nodes) - 1, 0, -1):
        factors.append(nodes[i].local_grads[slots[i - 1]])
    return ChainPath(nodes, tuple(names[n] for n in nodes), tuple(factors), math.prod(factors), slots)


def _latex_factor(symbol: str) -> str:
    """ "∂h6/∂h5" → the LaTeX fraction."""
    of, wrt = symbol[1:].split("/∂", 1)
    return partial(latex_name(of), latex_name(wrt))


def _latex_route(path: ChainPath) -> str:
    """ "q ←(1st operand) h1 ← a" in LaTeX."""
    parts = [latex_name(path.names[-1])]
    for _, which, parent in path.edges():
        arrow = rf"\overset{{\text{{{which}}}}}{{\leftarrow}}" if which else r"\leftarrow"
        parts.append(f"{arrow} {latex_name(parent)}")
    return " ".join(parts)
