"""The lecture player's parts besides the picture: its heading, hover texts and derivative table."""

from __future__ import annotations

import html
from typing import Any

from ..views.formula import formula_text
from ..views.graph_view import GraphView
from ..views.numbers import format_value
from ..views.steps import equation, function_text
from ..views.tables import table_of
from .phrases import phrase

__all__ = ["REVEALS", "default_title", "hovers", "table_parts"]

#: What the player shows before its time: "steps" (each number when its step comes) or "all" (handouts).
REVEALS = ("steps", "all")

#: What stands in a cell or on an edge for a number not known yet: the blank a student fills in.
PLACEHOLDER = "?"


def default_title(view: GraphView) -> str:
    """The heading without title=: the output as a formula in its inputs, "f = 1/(exp(−(w × x + b)) + 1)".

    A formula too long for a heading (a network's loss) gives way to the output's own step, "f = h62 + h92".
    """
    root = view.root
    formula = formula_text(view.order, view.names)
    if formula is None:
        formula = view.forward[-1].function if view.forward else view.names[root]
    return f"{view.output} = {formula}"


def hovers(view: GraphView, lang: str = "en") -> dict[str, str]:
    """What the mouse shows over each node and edge: names, "h1 = w × x" and "w → h1", never ids like n2."""
    index, names = view.index, view.names
    shown = {}
    for node in view.order:
        name = names[node]
        if node.is_constant:
            shown[f"n{index[node]}"] = phrase(lang, "constant", name=name)
        elif node.is_leaf:
            shown[f"n{index[node]}"] = phrase(lang, "input", name=name)
        else:
            shown[f"n{index[node]}"] = f"{name} = {function_text(node, names)}"
            for slot, parent in enumerate(node.parents):
                shown[f"e{index[node]}_{slot}"] = f"{names[parent]} → {name}"
    shown["eout"] = f"{names[view.root]} → " + phrase(lang, "output", f=view.output)
    shown["output"] = phrase(lang, "output", f=view.output)
    return shown


def table_parts(view: GraphView, reveal: str, lang: str = "en") -> tuple[str, list[list[str]]]:
    """The derivative table as HTML, as it stands at the start, and what the script fills in later.

    Returns:
        The <table> element and, per row, [local derivatives, the same with "?" for their numbers,
        value, ∂f/∂node]. With reveal="steps" the table starts with every number a "?" except
        local derivatives that are constants by their formula (∂h2/∂h1 = 1).
    """
    tab = table_of(view)
    digits = view.precision
    columns = [phrase(lang, key, f=view.output) for key in ("node", "function", "local", "value", "gradient")]
    head = "".join(f"<th>{html.escape(c)}</th>" for c in columns)
    later: list[list[str]] = []
    body = []
    for i, (row, cells) in enumerate(zip(tab.rows, tab.cells())):
        blanks = []
        for d in row.derivatives:
            number = format_value(d.value, digits)
            blanks.append(
                d.text(digits)
                if d.formula == number
                else equation([f"∂{d.node}/∂{d.wrt}", d.formula, PLACEHOLDER])
            )
        later.append([cells[2], ", ".join(blanks), cells[3], cells[4]])
        if reveal == "steps":
            cells = [*cells[:2], ", ".join(blanks), PLACEHOLDER, PLACEHOLDER]
        unknown = ' class="unknown"' if reveal == "steps" else ""
        tds = [f"<td>{html.escape(c)}</td>" for c in cells[:3]] + [
            f"<td{unknown}>{html.escape(c)}</td>" for c in cells[3:]
        ]
        body.append(f'<tr data-row="{i}">' + "".join(tds) + "</tr>")
    return f'<table id="table"><thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table>', later


def check_reveal(reveal: Any) -> str:
    """reveal if it is one of REVEALS, else a ValueError saying what is allowed."""
    if not isinstance(reveal, str) or reveal not in REVEALS:
        raise ValueError(
            f"reveal must be 'steps' (each number when its step comes) or 'all' (everything, for "
            f"handouts), got {reveal!r}"
        )
    return reveal
