"""Evaluation traces in the survey notation: v₋ₙ₊₁ … v₀ the inputs, v₁, v₂, … the operations.

Baydin, Pearlmutter, Radul and Siskind, "Automatic differentiation in machine learning: a
survey" (JMLR 2018), show forward mode (their Table 2) and reverse mode (Table 3) as tables of
one row per intermediate variable: its primal value, its tangent v̇ = ∂v/∂xᵢ and its adjoint
v̄ = ∂y/∂v. These functions write any recorded graph that way.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from ..engine.backward import backprop, topological_order
from ..engine.value import Value
from ..views.numbers import format_value, subscript
from ..views.steps import fill_in, steps_backward
from .forward import check_input, check_output, tangent_sweep

__all__ = ["AdjointRow", "TraceRow", "adjoint_trace", "evaluation_trace", "trace_names"]

_DOT = "\u0307"  # combining dot above: v̇
_BAR = "\u0304"  # combining macron: v̄


def evaluation_order(root: Value) -> list[Value]:
    """The graph's nodes as the survey lists them: by level, each node after all of its inputs.

    A node's level is 1 + its inputs' highest (a leaf's is 0); nodes on one level keep their
    order in `topological_order`. A graph does not remember the statements that built it, and
    the depth-first sort puts v₁ + v₂ before sin v₀ when the sum is the first operand of what
    follows; level by level, the rows come out as the survey numbers them.
    """
    order = topological_order(root)
    level: dict[Value, int] = {}
    for node in order:
        level[node] = 1 + max((level[p] for p in node.parents), default=-1)
    return sorted(order, key=level.__getitem__)  # a stable sort: ties keep the topological order


def trace_names(root: Value, inputs: Sequence[Value]) -> dict[Value, str]:
    """Name the nodes as the survey does: inputs v₋ₙ₊₁ … v₀ in the order given, operations v₁, v₂, ….

    Constants are named by their number; a leaf that is not among inputs keeps its label (or
    is called "c").
    """
    n = len(inputs)
    names: dict[Value, str] = {x: "v" + subscript(i - n + 1) for i, x in enumerate(inputs)}
    k = 0
    for node in evaluation_order(root):
        if node in names:
            continue
        if node.is_constant:
            names[node] = format_value(node.data, None)
        elif node.is_leaf:
            names[node] = node.label or "c"
        else:
            k += 1
            names[node] = "v" + subscript(k)
    return names


def _dot(name: str) -> str:
    """v₁ → v̇₁ (composed where Unicode has the letter, as in ẋ)."""
    return unicodedata.normalize("NFC", name[0] + _DOT + name[1:])


def _bar(name: str) -> str:
    """v₁ → v̄₁."""
    return unicodedata.normalize("NFC", name[0] + _BAR + name[1:])


@dataclass(frozen=True)
class TraceRow:
    """One row of the evaluation trace.

    Attributes:
        name: "v₋₁", "v₀", "v₁", ….
        node: The node.
        primal: How its value is computed ("v₋₁ × v₀"; "x₁" for input 1).
        value: Its value.
        tangent: How its tangent is computed ("v₀·v̇₋₁ + v₋₁·v̇₀").
        tangent_value: v̇ = ∂v/∂x for the input x of the forward sweep.
        adjoint: v̄ = ∂y/∂v, from one backward sweep.
    """

    name: str
    node: Value
    primal: str
    value: float
    tangent: str
    tangent_value: float
    adjoint: float


def evaluation_trace(root: Value, inputs: Sequence[Value], wrt: Value) -> list[TraceRow]:
    """The primal, tangent (∂·/∂wrt) and adjoint (∂root/∂·) of every node, in the survey's notation.

    Args:
        root: The output y.
        inputs: The leaves x₁ … xₙ, named v₋ₙ₊₁ … v₀ in this order.
        wrt: The input whose tangent is seeded with 1 (ẋ = 1, every other input 0).

    Returns:
        One row per input, then one per operation node in `evaluation_order` (root last).
    """
    check_output(root, "root")
    xs = [check_input(x, f"inputs[{i}]") for i, x in enumerate(inputs)]
    if wrt not in xs:
        raise ValueError("wrt must be one of inputs: the forward sweep is seeded with 1 on it")
    names = trace_names(root, xs)
    dot = tangent_sweep(root, {wrt: 1.0})
    bar = backprop(root)
    rows = []
    for i, x in enumerate(xs):
        x_name = "x" + subscript(i + 1)
        rows.append(TraceRow(names[x], x, x_name, x.data, _dot(x_name), dot.get(x, 0.0), bar.get(x, 0.0)))
    for node in evaluation_order(root):
        prim = node.primitive
        if prim is None:
            continue
        operands = [names[p] for p in node.parents]
        terms = []
        for p, text in zip(node.parents, prim.derivative_text):
            if p.is_constant:
                continue
            local = fill_in(text, operands)
            tangent = _dot(names[p])
            terms.append(
                tangent if local == "1" else f"−{tangent}" if local == "−1" else f"{local}·{tangent}"
            )
        rows.append(
            TraceRow(
                names[node],
                node,
                fill_in(prim.formula, operands),
                node.data,
                " + ".join(terms) or "0",
                dot[node],
                bar.get(node, 0.0),
            )
        )
    return rows


@dataclass(frozen=True)
class AdjointRow:
    """One update of the reverse trace: v̄ₚ (+)= v̄ₙ · ∂vₙ/∂vₚ.

    Attributes:
        name: The variable updated ("v₀").
        text: The update written out ("v̄₀ = v̄₀ + v̄₂·v₋₁").
        value: v̄ after the update.
    """

    name: str
    text: str
    value: float


def adjoint_trace(root: Value, inputs: Sequence[Value]) -> list[AdjointRow]:
    """The reverse-mode trace: v̄ = ∂y/∂v filled in from the output back, one update per edge.

    The first row is v̄ = 1 for the output; then each operation node, in `evaluation_order` from
    the last back, passes v̄ₙ · ∂vₙ/∂vₚ to each of its inputs p, in operand order.

    Args:
        root: The output y.
        inputs: The leaves x₁ … xₙ (named v₋ₙ₊₁ … v₀).

    Returns:
        The updates in the order they happen.
    """
    check_output(root, "root")
    xs = [check_input(x, f"inputs[{i}]") for i, x in enumerate(inputs)]
    names = trace_names(root, xs)
    rows = [AdjointRow(names[root], f"{_bar(names[root])} = ȳ = 1", 1.0)]
    seen = {root}
    order = evaluation_order(root)
    for step in steps_backward(order, names, backprop(root), names[root], None):
        me = _bar(names[step.node])
        operands = [names[p] for p in step.node.parents]
        for u in step.updates:
            if u.parent.is_constant:
                continue
            local = fill_in(step.node.primitive.derivative_text[u.slot], operands)  # type: ignore[union-attr]
            product = me if local == "1" else f"−{me}" if local == "−1" else f"{me}·{local}"
            target = _bar(names[u.parent])
            text = f"{target} = {target} + {product}" if u.parent in seen else f"{target} = {product}"
            seen.add(u.parent)
            rows.append(AdjointRow(names[u.parent], text, u.total))
    return rows
