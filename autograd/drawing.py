"""Drawing the graph with Graphviz: the value and the gradient that flow along every edge."""

from __future__ import annotations

import html
import os
from collections.abc import Iterable
from itertools import islice
from pathlib import Path

import graphviz

from .graph import topological_order
from .steps import (
    format_value,
    node_names,
    output_symbol,
    replay_backward,
)
from .value import Value, describe

__all__ = ["GraphvizNotFoundError", "draw", "render", "FORMATS", "MAX_NODES"]

#: draw() refuses graphs with more nodes than this unless max_nodes is raised: past a few
#: hundred nodes a picture is no longer readable.
MAX_NODES = 300

#: File formats render() writes, by extension: pictures made by `dot`, or the DOT source itself.
FORMATS = ("svg", "png", "pdf", "dot", "gv")

RANKDIRS = ("LR", "TB", "RL", "BT")

VALUE_COLOUR = "#1f5fbf"  # blue: values, forward
GRAD_COLOUR = "#c0392b"  # red: gradients, backward
LOCAL_COLOUR = "#2e7d32"  # green: local derivatives
HIGHLIGHT = "#e67e22"  # orange
UNKNOWN_COLOUR = "#9e9e9e"  # grey "?" for a value not computed yet

INSTALL_HINT = (
    "Graphviz's `dot` program is not installed (or not on PATH); install it with "
    "`apt-get install -y graphviz` (Debian/Ubuntu) or `brew install graphviz` (macOS), "
    "or write the DOT source instead: draw(root).source, or a .dot file name"
)


class GraphvizNotFoundError(RuntimeError):
    """Raised when a picture is asked for but Graphviz's `dot` program cannot be found."""


def _font(text: str, colour: str, size: int | None = None) -> str:
    """An HTML-label fragment: text in a colour (and size)."""
    size_attr = f' point-size="{size}"' if size else ""
    return f'<font color="{colour}"{size_attr}>{html.escape(text)}</font>'


def _stack(lines: list[str]) -> str:
    """Stack HTML fragments in a borderless one-column table (an HTML-like Graphviz label)."""
    rows = "".join(f"<tr><td>{line}</td></tr>" for line in lines)
    return f'<<table border="0" cellborder="0" cellspacing="0" cellpadding="1">{rows}</table>>'


def _check_bool(name: str, x: object) -> bool:
    if type(x) is not bool:
        raise TypeError(f"{name} must be True or False, got {type(x).__name__} {x!r}")
    return x


def _check_int(name: str, x: object, low: int, high: int) -> int:
    if type(x) is not int or not low <= x <= high:
        raise ValueError(f"{name} must be an int from {low} to {high}, got {x!r}")
    return x


def draw(
    root: Value,
    *,
    rankdir: str = "LR",
    precision: int = 4,
    show_grads: bool = True,
    show_local: bool = False,
    highlight: Iterable[Value | tuple[Value, Value]] = (),
    title: str | None = None,
    step: int | None = None,
    forward_step: int | None = None,
    legend: bool = True,
    max_nodes: int = MAX_NODES,
) -> graphviz.Digraph:
    """Draw root's graph as a lecture-style circuit: values and gradients written on the edges.

    Each edge from an input p to a node n carries two numbers: above, in blue, the value of p
    flowing forward into n; below, in red, the gradient flowing back along the edge — the
    contribution ∂f/∂n · ∂n/∂p. An input's ∂f/∂p is the sum over its outgoing edges (`a + a`
    draws two edges). A last edge leaves the output with its value and ∂f/∂f = 1. Operation
    nodes show their primitive's symbol and their name (h1, h2, … as in `table()`); leaves show
    their label and their total gradient; constants are drawn small (the gradient a constant
    receives is not written).

    The gradients are computed here, exactly as one fresh backward() would compute them;
    `.grad` is neither read nor changed.

    In Jupyter the returned Digraph shows itself inline as SVG; `.source` is the DOT text,
    available even without Graphviz's `dot` program.

    Args:
        root: The output node f.
        rankdir: "LR" (left to right, the default), "TB" (top to bottom), "RL" or "BT".
        precision: Significant digits of the numbers (1–17).
        show_grads: Write the gradients (red) as well as the values.
        show_local: Also write each edge's local derivative ∂n/∂p (green).
        highlight: Nodes, and (input, node) pairs for edges, to draw in orange.
        title: A line written above the graph.
        step: Show the state after backward step `step` (0 to the number of operation nodes;
            see `backward_steps`): the node of that step and its edges are highlighted, and
            only the gradients known by then are written. 0 shows just ∂f/∂f = 1.
        forward_step: Show the state after forward step `forward_step` (0 to the number of
            operation nodes; see `forward_steps`): values not yet computed are "?", and no
            gradients are written. Not together with `step`.
        legend: Say under the title which colour is which.
        max_nodes: The largest graph drawn; larger ones raise ValueError.

    Returns:
        A graphviz.Digraph.

    Raises:
        ValueError: For an argument out of range, or a graph with more than max_nodes nodes.
        TypeError: For an argument of the wrong type.
    """
    if not isinstance(root, Value):
        raise TypeError(f"root must be a Value, got {type(root).__name__} {root!r:.60}")
    if rankdir not in RANKDIRS:
        raise ValueError(f"rankdir must be one of {', '.join(RANKDIRS)}, got {rankdir!r}")
    digits = _check_int("precision", precision, 1, 17)
    show_grads = _check_bool("show_grads", show_grads)
    show_local = _check_bool("show_local", show_local)
    legend = _check_bool("legend", legend)
    if title is not None and not isinstance(title, str):
        raise TypeError(f"title must be a str or None, got {type(title).__name__} {title!r:.60}")
    if type(max_nodes) is not int or max_nodes < 1:
        raise ValueError(f"max_nodes must be an int ≥ 1, got {max_nodes!r}")

    order = topological_order(root)
    if len(order) > max_nodes:
        raise ValueError(
            f"the graph has {len(order)} nodes, more than max_nodes={max_nodes}: a picture that size is "
            f"unreadable; draw a sub-graph instead (pass an intermediate node as root), or raise max_nodes"
        )
    ops = [node for node in order if not node.is_leaf]  # operation nodes, h1, h2, … in order
    n_ops = len(ops)
    if step is not None and forward_step is not None:
        raise ValueError("give step (backward) or forward_step, not both")
    if step is not None:
        step = _check_int("step", step, 0, n_ops)
    if forward_step is not None:
        forward_step = _check_int("forward_step", forward_step, 0, n_ops)

    index = {node: i for i, node in enumerate(order)}
    hi_nodes, hi_edges = _highlights(highlight, index)

    # Which values are not known yet (forward stepping) and which gradients are (backward stepping)
    not_computed = set(ops[forward_step:]) if forward_step is not None else set()
    grads_shown = show_grads and forward_step is None
    replay = replay_backward(root, digits)
    steps = list(replay if step is None else islice(replay, step))
    # contribution[(child, slot)] for every edge whose backward step has been taken
    contribution = {(s.node, u.slot): u.contribution for s in steps for u in s.updates}
    running = {u.parent: u.total for s in steps for u in s.updates}  # each input's latest total
    if step is not None and step > 0:
        current = steps[step - 1].node
        hi_nodes.add(current)
        hi_edges.update((p, current) for p in current.parents)

    names = node_names(root, digits)
    out = output_symbol(root)
    dot = graphviz.Digraph(
        "backproplab",
        graph_attr={"rankdir": rankdir, "fontname": "Helvetica", "nodesep": "0.3", "ranksep": "0.5"},
        node_attr={"fontname": "Helvetica", "fontsize": "12"},
        edge_attr={"fontname": "Helvetica", "fontsize": "10", "arrowsize": "0.6"},
    )
    heading: list[str] = []
    if title:
        heading.append(f"<b>{html.escape(title)}</b>")
    if legend:
        key = _font("value (forward)", VALUE_COLOUR)
        if grads_shown:
            key += " · " + _font(f"gradient ∂{out}/∂· (backward)", GRAD_COLOUR)
        if show_local:
            key += " · " + _font("local derivative", LOCAL_COLOUR)
        heading.append(f'<font point-size="10">{key}</font>')
    if step is not None:
        heading.append(f'<font point-size="10">after backward step {step} of {n_ops}</font>')
    if forward_step is not None:
        heading.append(f'<font point-size="10">after forward step {forward_step} of {n_ops}</font>')
    if heading:
        dot.attr(label=_stack(heading), labelloc="t")

    for node in order:
        attrs = _node_attrs(node, names[node], out, running, grads_shown, digits)
        if node in hi_nodes:
            attrs.update(color=HIGHLIGHT, penwidth="2.5", style="filled", fillcolor="#fdebd0")
        dot.node(f"n{index[node]}", **attrs)

    for node in order:
        for slot, (parent, local) in enumerate(zip(node.parents, node.local_grads)):
            lines = [
                _font("?", UNKNOWN_COLOUR)
                if parent in not_computed
                else _font(format_value(parent.data, digits), VALUE_COLOUR)
            ]
            if grads_shown and (node, slot) in contribution and not parent.is_constant:
                lines.append(_font(format_value(contribution[node, slot], digits), GRAD_COLOUR))
            if show_local and node not in not_computed:
                lines.append(
                    _font(f"∂{names[node]}/∂{names[parent]} = {format_value(local, digits)}", LOCAL_COLOUR)
                )
            attrs = {"label": _stack(lines)}
            if (parent, node) in hi_edges:
                attrs.update(color=HIGHLIGHT, penwidth="2.5")
            dot.edge(f"n{index[parent]}", f"n{index[node]}", **attrs)

    # the output edge: f's value, and ∂f/∂f = 1
    dot.node("output", label=_stack([html.escape(out)]), shape="plaintext", fontsize="12")
    lines = [
        _font("?", UNKNOWN_COLOUR)
        if root in not_computed
        else _font(format_value(root.data, digits), VALUE_COLOUR)
    ]
    if grads_shown:
        lines.append(_font("1", GRAD_COLOUR))
    dot.edge(f"n{index[root]}", "output", label=_stack(lines))
    return dot


def _highlights(
    highlight: Iterable[Value | tuple[Value, Value]], index: dict[Value, int]
) -> tuple[set[Value], set[tuple[Value, Value]]]:
    """Split `highlight` into nodes and (input, node) edges, checking that each is in the graph."""
    if isinstance(highlight, Value | str) or not isinstance(highlight, Iterable):
        raise TypeError(
            "highlight must be a collection of nodes and (input, node) pairs, e.g. [h1, (w, h1)], "
            f"got {type(highlight).__name__}"
        )
    nodes: set[Value] = set()
    edges: set[tuple[Value, Value]] = set()
    for item in highlight:
        if isinstance(item, Value):
            if item not in index:
                raise ValueError(f"cannot highlight {describe(item)}: it is not part of this graph")
            nodes.add(item)
        elif isinstance(item, tuple) and len(item) == 2 and all(isinstance(v, Value) for v in item):
            parent, child = item
            if child not in index or parent not in child.parents:
                raise ValueError(
                    f"cannot highlight the edge ({describe(parent)}, {describe(child)}): "
                    f"the first must be an input of the second, in this graph"
                )
            edges.add((parent, child))
        else:
            raise TypeError(
                f"highlight entries must be nodes or (input, node) pairs of nodes, got {item!r:.60}"
            )
    return nodes, edges


def _node_attrs(
    node: Value, name: str, out: str, running: dict[Value, float], grads_shown: bool, digits: int
) -> dict[str, str]:
    """How one node looks: symbol and name for an operation, label and ∂f/∂leaf for a leaf."""
    if node.is_constant:
        return {"label": format_value(node.data, digits), "shape": "plaintext", "fontsize": "9"}
    if node.primitive is not None:
        lines = [
            f"<b>{html.escape(node.primitive.symbol)}</b>",
            f'<font point-size="9">{html.escape(name)}</font>',
        ]
        return {"label": _stack(lines), "shape": "circle", "margin": "0.02"}
    lines = [f"<b>{html.escape(name)}</b>"]
    if grads_shown and node in running:
        lines.append(_font(f"∂{out}/∂{name} = {format_value(running[node], digits)}", GRAD_COLOUR, 9))
    return {"label": _stack(lines), "shape": "box", "style": "rounded", "margin": "0.08,0.03"}


def render(root: Value, path: str | os.PathLike[str], **options: object) -> Path:
    """Draw root's graph and write it to a file whose extension picks the format.

    .svg, .png and .pdf are made by Graphviz's `dot` program; .dot and .gv hold the DOT
    source and need no Graphviz. Missing parent directories are created.

    Args:
        root: The output node.
        path: Where to write, e.g. "graph.svg".
        **options: Passed on to draw() (rankdir, precision, show_grads, …).

    Returns:
        The path written.

    Raises:
        ValueError: For an extension other than .svg, .png, .pdf, .dot, .gv.
        GraphvizNotFoundError: When `dot` is needed but not installed; the message says how
            to install it.
    """
    if not isinstance(path, str | os.PathLike):
        raise TypeError(f"path must be a str or path, got {type(path).__name__}")
    target = Path(path)
    fmt = check_format(target)
    dot = draw(root, **options)  # type: ignore[arg-type]
    data = dot.source.encode("utf-8") if fmt in ("dot", "gv") else pipe(dot, fmt)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    return target


def check_format(path: Path) -> str:
    """The output format named by path's extension; ValueError when render() cannot write it."""
    fmt = path.suffix.lower().lstrip(".")
    if fmt not in FORMATS:
        shown = repr(path.suffix) if path.suffix else "no extension"
        raise ValueError(
            f"cannot tell the format of {str(path)!r} ({shown}): "
            f"the file name must end in {', '.join('.' + f for f in FORMATS)}"
        )
    return fmt


def pipe(dot: graphviz.Digraph, fmt: str) -> bytes:
    """Run `dot` on the drawing and return the picture's bytes (svg, png, pdf)."""
    try:
        data: bytes = dot.pipe(format=fmt)
    except graphviz.ExecutableNotFound:
        raise GraphvizNotFoundError(f"cannot make a {fmt} picture: {INSTALL_HINT}") from None
    return data
