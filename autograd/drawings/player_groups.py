"""The lecture player for a network: one step per neuron (or layer), on the grouped drawing."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from typing import Any

from ..engine.value import Value
from ..views.graph_view import GraphView
from ..views.numbers import format_value, subscript
from ..views.steps import ForwardStep, forward_steps_in_order
from .grouping import TAIL, Group, draw_grouped, find_groups, find_samples
from .look import Style
from .phrases import activation_names, phrase
from .player_parts import PLACEHOLDER

__all__ = ["grouped_hovers", "grouped_parts"]

_EDGE = re.compile(r'<g id="(e_(.+?)__(.+?)__\d+)" class="edge"')

Finish = Callable[[str], tuple[list[dict[str, Any]], str, dict[str, Any]]]


def grouped_parts(
    view: GraphView, level: str, rankdir: str, digits: int, style: Style, reveal: str, lang: str
) -> tuple[Any, Finish]:
    """The grouped drawing, and a function that turns its SVG into the player's frames, table and facts.

    Forward, one step per box in the network's order (layer by layer, neuron by neuron), then
    one per node after the network (or one for the loss, when the drawing makes it one box);
    backward, the same in reverse. A box's numbers appear at its steps: the values that leave
    it at its forward step, the gradients that come back at its backward step; an edge's value
    when its source is computed, its gradient when the box it enters has had its backward step.
    """
    group_of, groups = find_groups(view, level)
    dot = draw_grouped(view, level, rankdir, digits, True, None, True, style, zoom="page")
    index, names, out = view.index, view.names, view.output
    # the loss's steps name a value leaving a box as the picture shows it ("layer1 · neuron0 out₂":
    # the box, its out column, sample 2's row), not by the h28 hidden inside the box
    sample_of = find_samples(view, group_of, groups)
    several = max(sample_of.values(), default=1) > 1
    drawn_names = dict(names)
    for group in groups.values():
        for _, node in group.outputs:
            k = subscript(sample_of.get(node, 1)) if several else ""
            drawn_names[node] = f"{group.name} out{k}".replace(" ", "\u00a0")  # never broken
    steps = {step.node: step for step in forward_steps_in_order(view.order, drawn_names, view.precision)}

    def number(x: float) -> str:
        return format_value(x, digits)

    def finish(svg: str) -> tuple[list[dict[str, Any]], str, dict[str, Any]]:
        tail = [node for node in view.ops if node not in group_of]
        units: list[tuple[str, Group | Value | None]] = [(f"g_{key}", g) for key, g in groups.items()]
        if f'id="{TAIL}"' in svg:  # the loss drawn as one box
            units.append((TAIL, None))
        else:
            units += [(f"n{index[node]}", node) for node in tail]
        n = len(units)
        forward_of = {uid: i + 1 for i, (uid, _) in enumerate(units)}
        backward_of = {uid: n - i for i, (uid, _) in enumerate(units)}
        crossing = _EDGE.findall(svg)

        def shown(unit: Group | Value | None, grads: bool) -> str:
            nodes = [node for _, node in unit.outputs] if isinstance(unit, Group) else [view.root]
            if isinstance(unit, Value):
                nodes = [unit]
            return ", ".join(number(view.grads.get(v, 0.0) if grads else v.data) for v in nodes)

        def title(unit: Group | Value | None) -> str:
            if isinstance(unit, Group):
                kinds = activation_names(unit.activations.values(), lang)
                return f"{unit.name} ({kinds})"
            return names[unit] if isinstance(unit, Value) else out

        edges_in: dict[str, list[str]] = {}
        edges: dict[str, list[Any]] = {}
        for eid, src, dst in crossing:
            edges_in.setdefault(dst, []).append(eid)
            edges[eid] = [src, backward_of.get(dst, 0)]
        root_box = next((uid for uid, unit in units if unit is view.root), units[-1][0])
        edges["eout"] = [root_box, 0]
        frames = [_frame("start", 0, phrase(lang, "start"), None, [], None)]
        for i, (uid, unit) in enumerate(units):
            if isinstance(unit, Value):
                text = steps[unit].text()
            else:
                text = f"{title(unit)}: out = {shown(unit, False)}"
            caption = phrase(lang, "forward step", i=i + 1, n=n, text=text)
            frames.append(_frame("forward", i + 1, caption, uid, edges_in.get(uid, []), i))
        for b, (uid, unit) in enumerate(reversed(units), start=1):
            grads = f"∂{out}/∂out = {shown(unit, True)}"
            if isinstance(unit, Group):
                text = phrase(lang, "box back", box=title(unit), grads=grads, p=len(unit.parameters))
            else:
                text = f"{title(unit)}, ∂{out}/∂{title(unit)} = {shown(unit, True)}"
            caption = phrase(lang, "backward step", text=phrase(lang, "step of", i=b, n=n) + text)
            frames.append(_frame("backward", b, caption, uid, edges_in.get(uid, []), n - b))
        # a leaf drawn on its own (an input): its total once every box it feeds has had its step
        totals: dict[str, list[list[Any]]] = {}
        unknown: dict[str, str] = {}
        for node in view.order:
            nid = f"n{index[node]}"
            readers = [backward_of[dst] for _, src, dst in crossing if src == nid and dst in backward_of]
            if node.is_leaf and not node.is_constant and node not in group_of and readers:
                label = f"∂{out}/∂{names[node]}"
                totals[nid] = [[max(readers), f"{label} = {number(view.grads.get(node, 0.0))}"]]
                unknown[nid] = f"{label} = {PLACEHOLDER}"
        table, rows = _table(units, view, reveal, lang, title, shown, steps)
        facts = {
            "known": forward_of,
            "edges": edges,
            "totals": totals,
            "unknownTotals": unknown,
            "boxes": {uid: [forward_of[uid], backward_of[uid]] for uid, _ in units if uid.startswith("g_")},
            "rows": rows,
            "forwardSteps": n,
        }
        return frames, table, facts

    return dot, finish


def _table(
    units: list[tuple[str, Group | Value | None]],
    view: GraphView,
    reveal: str,
    lang: str,
    title: Callable[[Group | Value | None], str],
    shown: Callable[[Group | Value | None, bool], str],
    steps: dict[Value, ForwardStep],
) -> tuple[str, list[list[str]]]:
    """One short row per box (and per node of the loss): its name, what it is, out and ∂f/∂out."""
    rows, body = [], []
    for i, (_, unit) in enumerate(units):
        if isinstance(unit, Group):
            name = unit.name
            kind = activation_names(unit.activations.values(), lang)
            inside = phrase(lang, "parameters", p=len(unit.parameters))
        elif isinstance(unit, Value):
            name, kind, inside = title(unit), steps[unit].function, ""
        else:
            name, kind, inside = title(unit), "", ""
        value, grad = shown(unit, False), shown(unit, True)
        rows.append([inside, inside, value, grad])
        cells = [value, grad] if reveal == "all" else [PLACEHOLDER, PLACEHOLDER]
        grey = "" if reveal == "all" else ' class="unknown"'
        tds = [f"<td>{html.escape(c)}</td>" for c in (name, kind, inside)]
        tds += [f"<td{grey}>{html.escape(c)}</td>" for c in cells]
        body.append(f'<tr data-row="{i}">' + "".join(tds) + "</tr>")
    heads = [phrase(lang, "node"), phrase(lang, "function"), "", "out", f"∂{view.output}/∂out"]
    head = "".join(f"<th>{html.escape(c)}</th>" for c in heads)
    return (
        f'<table id="table" class="grouped"><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table>",
        rows,
    )


def grouped_hovers(view: GraphView, level: str, lang: str) -> dict[str, str]:
    """What the mouse shows over the grouped drawing's boxes, nodes and edges: names, never ids."""
    group_of, groups = find_groups(view, level)
    index, names = view.index, view.names
    shown = {f"n{index[node]}": names[node] for node in view.order if node not in group_of}
    for key, group in groups.items():
        kinds = activation_names(group.activations.values(), lang)
        params = phrase(lang, "parameters", p=len(group.parameters))
        shown[f"g_{key}"] = f"{group.name} ({kinds}, {params})"
    shown[TAIL] = view.output
    shown["output"] = phrase(lang, "output", f=view.output)
    return shown


def _frame(
    phase: str, step: int, caption: str, current: str | None, edges: list[str], row: int | None
) -> dict[str, Any]:
    return {"phase": phase, "step": step, "caption": caption, "current": current, "edges": edges, "row": row}
