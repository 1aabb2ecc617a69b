"""draw(root, group=…): an MLP's graph with one box per neuron or layer, laid out by `dot` itself.

`dot` places every box by its real size (boxes never overlap) and puts each constant — a loss's
target, say — next to the node that uses it. A layer's boxes keep the network's order from top to
bottom. The numbers that cross a box's boundary are written on the edges while there are few of
those edges; past that the edges into the boxes are thin grey lines and the legend says the
numbers are in the boxes, where every box shows what leaves it and the gradient that comes back,
a row per sample. With show_weights each edge into a neuron carries its weight instead: colour
and width for its sign and size, the number and ∂f/∂w while the edges are few enough to label.
"""

from __future__ import annotations

import html
import itertools

import graphviz

from ..engine.value import Value
from ..views.graph_view import GraphView
from ..views.numbers import format_value
from .box_labels import LOSS, bias_row, box_label, legend_lines, tail_label
from .look import GRAD_COLOUR, VALUE_COLOUR, Style, font, node_attrs, stack, weight_colour
from .neurons import Group, find_groups, find_samples
from .phrases import phrase

__all__ = [
    "EDGE_LABELS_UP_TO",
    "MESH_COLOUR",
    "MESH_OVER",
    "TAIL_UP_TO",
    "Group",
    "draw_grouped",
    "find_groups",
    "find_samples",
]

#: The edges into one layer carry their numbers while there are at most this many of them; past
#: that they are drawn thin, grey and unlabelled, and the numbers are read in the boxes.
EDGE_LABELS_UP_TO = 16

#: A layer with more edges into it than this (a 16 × 16 mesh has 256) makes a mesh: then every edge
#: into a box is grey, the loss is one box, and the few numbers left are placed after the layout.
MESH_OVER = 64


#: A loss of more operations than this (after the network) is drawn as one box, "loss · 24 operations";
#: always in a drawing with too many edges to label (where every edge into a box is grey).
TAIL_UP_TO = 12

#: The id of the loss's box.
TAIL = "g_tail"

#: The legend's last line: how to read a large drawing on a projector.
ZOOM = phrase("en", "zoom")

#: How a box looks.
BOX = {"shape": "box", "style": "rounded,filled", "fillcolor": "white"}

#: The colour of an unlabelled edge into a box.
MESH_COLOUR = "#9e9e9e"


def draw_grouped(
    view: GraphView,
    level: str,
    rankdir: str,
    digits: int,
    show_grads: bool,
    title: str | None,
    legend: bool,
    style: Style,
    show_weights: bool = False,
    weight_grads: tuple[str, dict[Value, float]] | None = None,
    zoom: str | None = "svg",
) -> graphviz.Digraph:
    """draw(root, group=level): one box per neuron or layer, the rest of the graph as usual.

    Args:
        view: The graph's facts.
        level: "neuron" or "layer".
        rankdir: "LR", "TB", "RL" or "BT".
        digits: Significant digits of the numbers.
        show_grads: Write the gradients as well as the values.
        title: The heading (its lines split at "\n"), or None.
        legend: Say under the title which number is which.
        style: Sizes, font and language.
        show_weights: (level "neuron" only) the edges into a neuron carry its weights instead: w,
            and the share of ∂f/∂w of the product w·x it enters. An input's edges are one per
            sample (their shares add up to ∂f/∂w), the edge between two boxes one (the sum).
        weight_grads: (L, {parameter: ∂L/∂p}): another loss's gradients to write on the weights
            and biases instead (a training step's, say); then they are the only gradients drawn,
            and the loss after the network is one box.
        zoom: How the legend's last line says to enlarge the picture: "svg" (open the .svg by
            itself), "page" (zoom the page that holds it) or None (the page says it itself).

    Raises:
        ValueError: With show_weights, when no weight has an edge (a lone layer fed plain numbers).
    """
    group_of, groups = find_groups(view, level)
    sample_of = find_samples(view, group_of, groups)
    n_samples = max(sample_of.values(), default=1)
    grads, names, out, index = view.grads, view.names, view.output, view.index
    dot = style.digraph(rankdir)
    dot.attr(ranksep="0.2", nodesep="0.12")

    def number(x: float) -> str:
        return format_value(x, digits)

    # the weight each product w·x of a neuron multiplies by: its parameter, times a value (not w·w)
    weight_of = {
        node: p
        for node in view.ops
        if node in group_of
        and node.op == "mul"
        and not all(q.is_leaf and q in group_of for q in node.parents)
        for p in node.parents
        if p.is_leaf and group_of.get(p) == group_of[node]
    }
    weights = set(weight_of.values())
    largest = max((abs(w.data) for w in weights), default=0.0)

    grad_name, given = weight_grads if weight_grads is not None else (out, None)
    if given is not None:
        show_grads = False  # the drawn graph's gradients are not the given loss's: none of them
    weight_grads_shown = show_grads or given is not None

    def weight_grad(w: Value) -> float:
        return given.get(w, 0.0) if given is not None else grads.get(w, 0.0)

    tail = _loss_tail(view, group_of)
    tail_set: set[Value] = set()  # the loss's operations when they are drawn as one box

    def box(node: Value) -> str:
        if node in group_of:
            return f"g_{group_of[node]}"
        return TAIL if node in tail_set else f"n{index[node]}"

    def edges() -> dict[tuple[str, str], dict[Value, float]]:
        """(from box, to box) → each value that crosses → its share of the gradient coming back."""
        crossing: dict[tuple[str, str], dict[Value, float]] = {}
        for node in view.ops:
            for parent, local in zip(node.parents, view.local_grads[node]):
                src, dst = box(parent), box(node)
                if src == dst or (parent.is_constant and dst.startswith("g_")):
                    continue  # constants inside a box (a lone layer's plain inputs, a loss's targets)
                shares = crossing.setdefault((src, dst), {})
                weight = weight_of.get(node) if show_weights else None
                if weight is not None and given is not None:  # another loss's ∂L/∂w, whole
                    shares[weight] = weight_grad(weight)
                elif weight is not None:  # this sample's share: ∂f/∂(w·x) · ∂(w·x)/∂w
                    at = next(i for i, p in enumerate(node.parents) if p is weight)
                    share = view.local_grads[node][at] * grads.get(node, 0.0)
                    shares[weight] = shares.get(weight, 0.0) + share
                else:
                    shares[parent] = shares.get(parent, 0.0) + local * grads.get(node, 0.0)
        return crossing

    # a neuron's drawing has an edge per value that crosses, a layer's one per pair of boxes; the
    # edges into a layer stay unlabelled (grey) when there are too many of them to read
    def into(crossing: dict[tuple[str, str], dict[Value, float]]) -> dict[str, int]:
        counts: dict[str, int] = {}
        for (_, dst), shares in crossing.items():
            if dst.startswith("g_"):
                counts[_layer(dst)] = counts.get(_layer(dst), 0) + (len(shares) if level == "neuron" else 1)
        return counts

    crossing = edges()
    busy = any(n > MESH_OVER for n in into(crossing).values())
    # one box for the loss when its numbers would crowd, or when its gradients are not drawn
    if tail and (busy or len(tail) > TAIL_UP_TO or given is not None):
        tail_set.update(tail)
        crossing = edges()
    quiet = [layer for layer, n in into(crossing).items() if busy or n > EDGE_LABELS_UP_TO]
    if busy:  # labels placed after the layout (xlabel): dot adds no rank per label to route 256 edges through
        dot.attr(ranksep="0.7")
    label = "xlabel" if busy else "label"
    ends = {name for pair in crossing for name in pair}
    drawn = {n for n in view.order if box(n).startswith("n") and box(n) in ends}
    bundled = False  # some edge says "n values" instead of its numbers

    if tail_set:
        text = tail_label(view, tail, out, number, style)
        dot.node(TAIL, label=text, id=TAIL, **BOX)
    for key, group in groups.items():
        bias = bias_row(group, grad_name, weight_grad, number, weight_grads_shown) if show_weights else None
        text = box_label(group, level, out, grads if show_grads else None, number, style, sample_of, bias)
        dot.node(f"g_{key}", label=text, id=f"g_{key}", **BOX)
    inputs = [box(n) for n in view.order if n in drawn and n.is_leaf and not n.is_constant]
    feeds_only_boxes = {src for (src, dst) in crossing if dst.startswith("g_")} - {
        src for (src, dst) in crossing if not dst.startswith("g_")
    }
    _keep_network_order(dot, level, groups, [name for name in inputs if name in feeds_only_boxes])
    larger = Style(style.scale * 10 / 9, style.dpi)  # inputs' and constants' numbers as large as the boxes'
    for node in view.order:
        if node in drawn:
            look = node_attrs(node, names[node], out, grads, show_grads, digits, larger)
            dot.node(f"n{index[node]}", id=f"n{index[node]}", **look)

    def numbers(parent: Value, share: float) -> str:
        lines = [font(number(parent.data), VALUE_COLOUR)]
        if show_grads:
            lines.append(font(number(share), GRAD_COLOUR))
        return stack(lines)

    def weighted(w: Value) -> dict[str, str]:
        """An edge's look by its weight: green > 0, purple < 0, deeper and thicker the larger |w|."""
        size = abs(w.data) / largest if largest else 0.0
        return {
            "color": weight_colour(w.data, 0.3 + 0.6 * size),  # never so pale it disappears
            "penwidth": style.size(0.6 + 2.4 * size),
            "arrowsize": style.size(0.4),
        }

    for (src, dst), shares in crossing.items():
        eid = f"e_{src}__{dst}__"  # the player finds the edges by these ids (one per value crossing)
        if show_weights and all(w in weights for w in shares):
            for k, (w, g) in enumerate(shares.items()):
                lines = [font(f"w = {number(w.data)}", weight_colour(w.data, 0.9))]  # full colour
                lines += [font(number(g), GRAD_COLOUR)] if weight_grads_shown else []
                words_on = {} if _layer(dst) in quiet else {label: stack(lines)}
                dot.edge(src, dst, id=f"{eid}{k}", **weighted(w), **words_on)
        elif dst.startswith("g_") and _layer(dst) in quiet:
            dot.edge(
                src, dst, id=eid + "0", color=MESH_COLOUR, penwidth=style.size(0.6), arrowsize=style.size(0.3)
            )
        elif len(shares) == 1 or level == "neuron":
            for k, (parent, share) in enumerate(shares.items()):
                dot.edge(src, dst, id=f"{eid}{k}", **{label: numbers(parent, share)})
        else:
            bundled = True
            many = phrase(style.lang, "n values", n=len(shares))
            dot.edge(src, dst, id=eid + "0", **{label: stack([font(many, VALUE_COLOUR)])})
    if show_weights and not any(w in weights for shares in crossing.values() for w in shares):
        raise ValueError(
            "show_weights=True writes the weights on the edges into the neurons, and this graph has none: "
            "its inputs are plain numbers (constants, not drawn); pass them as Values, e.g. Value(0.5, 'x1')"
        )
    root = view.root
    dot.node("output", label=stack([html.escape(out)]), shape="plaintext", id="output")
    lines = [font(number(root.data), VALUE_COLOUR)] + ([font("1", GRAD_COLOUR)] if show_grads else [])
    dot.edge(box(root), "output", id="eout", **{label: stack(lines)})

    heading: list[str] = []
    if title:
        heading.append(style.title(title))
    if legend:
        heading += legend_lines(
            style,
            level,
            out,
            show_grads=show_grads,
            quiet=quiet,
            bundled=bundled,
            n_samples=n_samples,
            in_one_box=len(tail_set),
            weights_of=grad_name if show_weights else None,
            weight_grads=weight_grads_shown,
            shares=given is None and n_samples > 1,
            elsewhere=given is None and _used_elsewhere(view, weights, crossing),
            zoom=zoom,
        )
    style.heading(dot, heading)
    return dot


def _used_elsewhere(
    view: GraphView, weights: set[Value], crossing: dict[tuple[str, str], dict[Value, float]]
) -> bool:
    """Whether some weight's edges into neurons add up to less than its ∂f/∂w: it is used elsewhere too."""
    total: dict[Value, float] = {}
    for (_, dst), shares in crossing.items():
        if not dst.startswith("g_") or dst == TAIL:
            continue  # a penalty's edge, from a box to the loss: not a product w·x
        for w, share in shares.items():
            if w in weights:
                total[w] = total.get(w, 0.0) + share
    return any(
        abs(total.get(w, 0.0) - view.grads.get(w, 0.0)) > 1e-9 * (1 + abs(view.grads.get(w, 0.0)))
        for w in weights
    )


def _layer(box: str) -> str:
    """The layer a box's id names: "g_layer1.neuron3" → "layer1" ("" for a lone nn.Layer's "g_neuron3")."""
    key = box.removeprefix("g_")
    if box == TAIL:
        return LOSS
    return key.split(".")[0] if key.startswith("layer") else ""


def _loss_tail(view: GraphView, group_of: dict[Value, str]) -> list[Value]:
    """The operations after the network (a loss): those that no grouped node uses, directly or not."""
    upstream: set[Value] = set()
    for node in reversed(view.order):
        if node in group_of or node in upstream:
            upstream.update(node.parents)
    return [node for node in view.ops if node not in group_of and node not in upstream]


def _keep_network_order(
    dot: graphviz.Digraph, level: str, groups: dict[str, Group], inputs: list[str]
) -> None:
    """Stack each layer's neuron boxes in order, neuron0 on top, and the inputs in the graph's order.

    Invisible edges within a column (a subgraph of rank=same) fix the order; a layer's drawing has
    one box per column and needs none.
    """
    columns: dict[str, list[str]] = {"inputs": inputs}
    if level == "neuron":
        for key in groups:
            columns.setdefault("layer " + key.rpartition(".")[0], []).append(f"g_{key}")
    for boxes in columns.values():
        if len(boxes) > 1:
            with dot.subgraph() as column:
                column.attr(rank="same")
                for above, below in itertools.pairwise(boxes):
                    column.edge(above, below, style="invis")
