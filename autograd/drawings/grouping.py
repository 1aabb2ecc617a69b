"""Grouped drawings: an MLP's graph with one box per neuron or per layer, for a slide or a projector.

nn's modules label their parameters "layer0.neuron3.w1", "layer0.neuron3.b" (a lone nn.Layer:
"neuron3.w1"). A neuron's nodes are found from them: the products wᵢ·xᵢ and the sum that starts
at b are the neuron's, and so is its activation — relu or tanh, or the nodes sigmoid is
composed of (−, exp, + 1, 1/· for z ≥ 0; exp, + 1, 1/·, × for z < 0). Everything else (inputs,
a loss) is drawn as in `draw`.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass, field

import graphviz

from ..engine.value import Value
from ..views.graph_view import GraphView
from ..views.numbers import format_value
from .look import GRAD_COLOUR, VALUE_COLOUR, Style, font, legend_line, node_attrs, stack

__all__ = ["Group", "find_groups", "draw_grouped", "EDGE_LABELS_UP_TO"]

#: Edges between boxes carry their numbers only while there are at most this many; past that the
#: numbers are read in the boxes (every box shows what leaves it and the gradient that comes back).
EDGE_LABELS_UP_TO = 40

#: The grid of a dense grouped drawing (inches between columns and between rows).
COLUMN_INCHES = 5.0
ROW_INCHES = 0.85

_PARAMETER = re.compile(r"^(?:(layer\d+)\.)?(neuron\d+)\.(?:w\d+|b)$")
_Formatter = Callable[[float], str]
_PARTIAL = {"neg", "exp", "exp+1", "expz", "expz+1", "1/expz+1"}  # inside a sigmoid, not finished yet


@dataclass
class Group:
    """One neuron or layer of the grouped drawing.

    Attributes:
        key: "layer1.neuron3" (neuron) or "layer1" (layer).
        nodes: Its operation nodes, in topological order.
        parameters: Its weights and biases.
        activations: The activation of each neuron in it ("relu", "tanh", "sigmoid", "linear").
        outputs: Its nodes whose values leave it (or the graph's output), each with the neuron it belongs to.
    """

    key: str
    nodes: list[Value] = field(default_factory=list)
    parameters: list[Value] = field(default_factory=list)
    activations: dict[str, str] = field(default_factory=dict)
    outputs: list[tuple[str, Value]] = field(default_factory=list)


def find_groups(view: GraphView, level: str) -> tuple[dict[Value, str], dict[str, Group]]:
    """Which neuron or layer each operation node and parameter belongs to.

    Args:
        view: The graph's facts.
        level: "neuron" or "layer".

    Returns:
        (the key of every grouped node, the groups by key, layer by layer and neuron by neuron).

    Raises:
        ValueError: When no parameter is labelled the way nn labels them, or (for "layer")
            the parameters carry no layer.
    """
    neuron_of: dict[Value, str] = {}
    for node in view.order:
        match = _PARAMETER.match(node.label) if node.is_leaf and node.label else None
        if match:
            neuron_of[node] = f"{match[1]}.{match[2]}" if match[1] else match[2]
    leaves = [view.names[n] for n in view.order if n.is_leaf and not n.is_constant][:4]
    if not neuron_of:
        raise ValueError(
            f"group={level!r} applies to graphs built by nn.Layer or nn.MLP, whose parameters are labelled "
            f"like 'layer0.neuron3.w1'; no leaf of this graph is (its leaves include "
            f"{', '.join(map(repr, leaves)) or 'none'}): draw it with group=None"
        )
    if level == "layer" and not any(key.startswith("layer") for key in neuron_of.values()):
        example = next(iter(neuron_of)).label
        raise ValueError(
            f"group='layer' needs an nn.MLP's parameters, labelled like 'layer0.neuron3.w1'; this graph's "
            f"are labelled like {example!r} (one nn.Layer): use group='neuron'"
        )
    role: dict[Value, str] = {}
    for node in view.ops:
        key, kind = _classify(node, neuron_of, role)
        if key is not None:
            neuron_of[node], role[node] = key, kind
    # a sigmoid's first nodes with no finished activation after them (a softmax's exp, say) are
    # not the neuron's
    finished: set[Value] = set()
    for node in reversed(view.ops):
        if role.get(node) == "act" or (node in finished and node in role):
            finished.update(p for p in node.parents if role.get(p) in _PARTIAL)
    for node in [n for n, r in role.items() if r in _PARTIAL and n not in finished]:
        del neuron_of[node], role[node]

    group_of: dict[Value, str] = {}
    groups: dict[str, Group] = {}
    for node in view.order:
        if node not in neuron_of:
            continue
        neuron = neuron_of[node]
        key = neuron if level == "neuron" else neuron.split(".")[0]
        group_of[node] = key
        group = groups.setdefault(key, Group(key))
        if node.is_leaf:
            group.parameters.append(node)
            continue
        group.nodes.append(node)
        short = neuron.split(".")[-1]
        if role[node] == "act":
            group.activations[short] = _activation_name(node)
        else:
            group.activations.setdefault(short, "linear")
    consumers: dict[Value, list[Value]] = {}
    for node in view.ops:
        for parent in node.parents:
            consumers.setdefault(parent, []).append(node)
    for node in view.ops:
        key = group_of.get(node)
        if key is None:
            continue
        if node is view.root or any(group_of.get(c) != key for c in consumers.get(node, [])):
            groups[key].outputs.append((neuron_of[node].split(".")[-1], node))
    return group_of, dict(sorted(groups.items(), key=lambda item: _numbers(item[0])))


def _numbers(key: str) -> tuple[int, ...]:
    """A group's place: layer0.neuron3 → (0, 3), so layers and neurons come in the network's order."""
    return tuple(int(d) for d in re.findall(r"\d+", key))


def _classify(node: Value, neuron_of: dict[Value, str], role: dict[Value, str]) -> tuple[str | None, str]:
    """The neuron an operation node belongs to and its part in it ("mul", "sum", "act", …), or (None, "")."""
    parameter_keys = {neuron_of[p] for p in node.parents if p.is_leaf and p in neuron_of}
    if parameter_keys:  # w·x, or b + w·x: the neuron of the parameter
        if len(parameter_keys) > 1:
            return None, ""
        return parameter_keys.pop(), "mul" if node.op == "mul" else "sum"
    inner = [p for p in node.parents if not p.is_constant]
    keys = {neuron_of.get(p) for p in inner}
    if len(keys) != 1 or None in keys:
        return None, ""
    key = keys.pop()
    roles = [role[p] for p in inner]
    constants = len(node.parents) - len(inner)
    op = node.op
    if op == "add" and not constants and all(r in ("mul", "sum") for r in roles):
        return key, "sum"
    if len(roles) == 1:
        step = {
            ("relu", "sum"): "act",
            ("tanh", "sum"): "act",
            ("neg", "sum"): "neg",  # σ(z) = 1/(exp(−z) + 1) for z ≥ 0
            ("exp", "neg"): "exp",
            ("reciprocal", "exp+1"): "act",
            ("exp", "sum"): "expz",  # σ(z) = exp(z) · 1/(exp(z) + 1) for z < 0
            ("reciprocal", "expz+1"): "1/expz+1",
        }.get((op or "", roles[0]))
        if step is not None and (constants == 0) == (step != "exp+1"):
            return key, step
        if op == "add" and constants == 1 and roles[0] in ("exp", "expz"):
            return key, roles[0] + "+1"
    if op == "mul" and sorted(roles) == ["1/expz+1", "expz"]:
        return key, "act"
    return None, ""


def _activation_name(node: Value) -> str:
    return node.op if node.op in ("relu", "tanh") else "sigmoid"


def draw_grouped(
    view: GraphView,
    level: str,
    rankdir: str,
    digits: int,
    show_grads: bool,
    title: str | None,
    legend: bool,
    style: Style,
) -> graphviz.Digraph:
    """draw(root, group=level): one box per neuron or layer, the rest of the graph as usual."""
    group_of, groups = find_groups(view, level)
    grads, names, out, index = view.grads, view.names, view.output, view.index
    dot = style.digraph(rankdir)
    dot.attr(ranksep="0.8", nodesep="0.15")

    def number(x: float) -> str:
        return format_value(x, digits)

    def box(node: Value) -> str:
        return f"g_{group_of[node]}" if node in group_of else f"n{index[node]}"

    for key, group in groups.items():
        label = _group_label(group, level, out, grads if show_grads else None, number, style)
        dot.node(
            f"g_{key}",
            label=label,
            shape="box",
            style="rounded,filled",
            fillcolor="white",
            margin="0.1,0.05",
            id=f"g_{key}",
        )
    drawn: set[Value] = set()
    # (from box, to box) → each input whose value crosses → its share of the gradient coming back
    crossing: dict[tuple[str, str], dict[Value, float]] = {}
    for node in view.ops:
        for parent, local in zip(node.parents, view.local_grads[node]):
            src, dst = box(parent), box(node)
            if src == dst or (parent.is_constant and node in group_of):
                continue
            shares = crossing.setdefault((src, dst), {})
            shares[parent] = shares.get(parent, 0.0) + local * grads.get(node, 0.0)
            for n in (parent, node):
                if n not in group_of:
                    drawn.add(n)
    for node in view.order:
        if node in drawn:
            look = node_attrs(node, names[node], out, grads, show_grads, digits, style)
            dot.node(f"n{index[node]}", id=f"n{index[node]}", **look)
    labelled = len(crossing) <= EDGE_LABELS_UP_TO
    if not labelled:  # a dense mesh: every box pinned in a grid, one column per layer, straight lines
        _pin_grid(dot, view, group_of, groups, crossing, box)
    for (src, dst), shares in crossing.items():
        attrs: dict[str, str] = {}
        if labelled and len(shares) == 1:
            ((parent, share),) = shares.items()
            lines = [font(number(parent.data), VALUE_COLOUR)]
            if show_grads:
                lines.append(font(number(share), GRAD_COLOUR))
            attrs["label"] = stack(lines)
        elif labelled:
            attrs["label"] = stack([font(f"{len(shares)} values", VALUE_COLOUR)])
        dot.edge(src, dst, **attrs)
    root = view.root
    dot.node("output", label=stack([html.escape(out)]), shape="plaintext", id="output")
    lines = [font(number(root.data), VALUE_COLOUR)] + ([font("1", GRAD_COLOUR)] if show_grads else [])
    dot.edge(box(root), "output", label=stack(lines), id="eout")

    heading: list[str] = []
    if title:
        heading.append(f"<b>{html.escape(title)}</b>")
    if legend:
        heading.append(legend_line(style, out, show_grads, False))
        where = "on the edges and in the boxes" if labelled else "in the boxes"
        per = "neuron" if level == "neuron" else "layer"
        heading.append(
            f'<font point-size="{style.size(10)}">one box per {per}: the values that leave it and the '
            f"gradients that come back, {where}</font>"
        )
    style.heading(dot, heading)
    return dot


def _pin_grid(
    dot: graphviz.Digraph,
    view: GraphView,
    group_of: dict[Value, str],
    groups: dict[str, Group],
    crossing: dict[tuple[str, str], dict[Value, float]],
    box: Callable[[Value], str],
) -> None:
    """Lay the drawing out as the classic picture of a network: inputs left, a column per layer.

    dot spreads a fully connected 16 × 16 mesh over several screens; here every box gets a
    fixed place (Graphviz's neato keeps it) and the edges are straight lines.
    """
    column: dict[str, int] = {}
    for node in view.order:  # inputs at 0, a layer one column right of what feeds it
        name = box(node)
        if node.is_constant and node in group_of:
            continue
        sources = [column[a] for (a, b) in crossing if b == name and a in column]
        column[name] = max(column.get(name, 0), 1 + max(sources)) if sources else column.get(name, 0)
    column["output"] = column[box(view.root)] + 1
    rows: dict[int, list[str]] = {}
    for name, c in column.items():
        rows.setdefault(c, []).append(name)
    dot.engine = "neato"
    dot.attr(splines="line", outputorder="edgesfirst", arrowsize="0.4")
    for c, names in rows.items():
        for r, name in enumerate(names):
            y = ((len(names) - 1) / 2 - r) * ROW_INCHES
            dot.node(name, pos=f"{c * COLUMN_INCHES:g},{y:g}!")


def _group_label(
    group: Group, level: str, out: str, grads: dict[Value, float] | None, number: _Formatter, style: Style
) -> str:
    """A box's HTML label: name, what is inside, and a row per value that leaves it."""
    small = style.size(9)
    kinds = sorted(set(group.activations.values()))
    n_params = len(group.parameters)
    if level == "neuron":
        what = f"{kinds[0] if kinds else 'linear'} · {n_params} parameters"
    else:
        n = len(group.activations)
        what = f"{n} {'/'.join(kinds)} neuron{'s' * (n != 1)} · {n_params} parameters"
    rows = [
        f'<tr><td colspan="3"><b>{html.escape(group.key.replace(".", " · "))}</b></td></tr>',
        f'<tr><td colspan="3"><font point-size="{small}">{html.escape(what)}</font></td></tr>',
    ]
    for neuron, node in group.outputs:
        cells = [f'<td align="left"><font point-size="{small}">{html.escape(neuron)}</font></td>'] * (
            level == "layer"
        )
        cells.append(f'<td align="left">{font(f"out = {number(node.data)}", VALUE_COLOUR, small)}</td>')
        if grads is not None:
            grad = f"∂{out}/∂out = {number(grads.get(node, 0.0))}"
            cells.append(f'<td align="left">{font(grad, GRAD_COLOUR, small)}</td>')
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return f'<<table border="0" cellborder="0" cellspacing="0" cellpadding="1">{"".join(rows)}</table>>'
