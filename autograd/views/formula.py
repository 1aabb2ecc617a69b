"""A graph written back as one formula in its inputs, "1/(exp(−(w × x + b)) + 1)", for headings."""

from __future__ import annotations

from ..engine.value import Value
from .steps import fill_in

__all__ = ["formula_text"]

# How tightly each kind of term binds: a term goes in parentheses where a tighter one is needed.
_ADD, _MUL, _NEG, _POW, _ATOM = 1, 2, 3, 4, 5


def formula_text(order: list[Value], names: dict[Value, str], limit: int = 80) -> str | None:
    """The output (order's last node) as one formula in the leaves' names, or None past `limit` characters.

    Subtraction and division come back as they were written (x + (−y) is "x − y", x × (1/y)
    is "x/y"); a node used twice is written out twice.

    Args:
        order: The graph's nodes, inputs before the nodes that use them (GraphView.order).
        names: Each node's name (GraphView.names): leaves and constants are written by it.
        limit: The longest formula worth a heading.

    Returns:
        The formula, or None when it is longer than limit (a network's loss, say).
    """
    terms: dict[Value, tuple[str, int] | None] = {}

    def term(node: Value, tightness: int) -> str | None:
        known = terms[node]
        if known is None:
            return None
        text, level = known
        return text if level >= tightness else f"({text})"

    for node in order:
        prim = node.primitive
        if prim is None:
            terms[node] = (names[node], _ATOM)
            continue
        name, parents = prim.name, node.parents
        made: tuple[str | None, int]
        if name == "add":
            right = parents[1]
            if _is_neg(right):
                made = _join(term(parents[0], _ADD), " − ", term(right.parents[0], _MUL)), _ADD
            elif right.is_constant and names[right].startswith("(−"):  # x + (−1) was x − 1
                made = _join(term(parents[0], _ADD), " − ", names[right][2:-1]), _ADD
            else:
                made = _join(term(parents[0], _ADD), " + ", term(right, _ADD)), _ADD
        elif name == "mul":
            right = parents[1]
            if right.primitive is not None and right.primitive.name == "reciprocal":
                made = _join(term(parents[0], _MUL), "/", term(right.parents[0], _POW)), _MUL
            else:
                tight = _POW if _is_neg(right) else _MUL  # x × (−y), not x × −y
                made = _join(term(parents[0], _MUL), " × ", term(right, tight)), _MUL
        elif name == "neg":
            inner = term(parents[0], _POW)
            made = (None if inner is None else f"−{inner}"), _NEG
        elif name == "reciprocal":
            inner = term(parents[0], _POW)
            made = (None if inner is None else f"1/{inner}"), _MUL
        elif name == "pow":
            base = term(parents[0], _ATOM)
            made = (None if base is None else fill_in(prim.formula, [base])), _POW
        else:  # a function call: exp(…), tanh(…), …; its argument needs no parentheses of its own
            inner = term(parents[0], _ADD)
            made = (None if inner is None else fill_in(prim.formula, [inner])), _ATOM
        text, level = made
        terms[node] = None if text is None or len(text) > limit else (text, level)
    last = terms[order[-1]]
    return None if last is None else last[0]


def _is_neg(node: Value) -> bool:
    return node.primitive is not None and node.primitive.name == "neg"


def _join(left: str | None, between: str, right: str | None) -> str | None:
    return None if left is None or right is None else left + between + right
