"""Drawing the graph with Graphviz: the value and the gradient that flow along every edge."""

from __future__ import annotations

import html
import os
import re
from collections.abc import Iterable
from pathlib import Path

import graphviz

from ..derivatives.forward import check_input, tangent_sweep
from ..engine.value import Value
from ..views.graph_view import GraphView
from ..views.numbers import format_value
from ..views.words import check_lang
from .dot import (
    INSTALL_HINT,
    LAYOUT_TIMEOUT,
    GraphvizNotFoundError,
    LayoutTimeoutError,
    check_timeout,
    picture,
)
from .grouping import draw_grouped
from .look import (
    GRAD_COLOUR,
    HIGHLIGHT,
    HIGHLIGHT_FILL,
    LOCAL_COLOUR,
    TANGENT_COLOUR,
    UNKNOWN_COLOUR,
    VALUE_COLOUR,
    Style,
    font,
    legend_line,
    node_attrs,
    stack,
)
from .options import check_bool, check_dpi, check_fontname, check_highlight, check_int, check_scale

__all__ = [
    "GraphvizNotFoundError",
    "INSTALL_HINT",
    "LayoutTimeoutError",
    "draw",
    "render",
    "FORMATS",
    "MAX_NODES",
]

#: draw() refuses graphs with more nodes than this unless max_nodes is raised: past a few
#: hundred nodes a picture is no longer readable.
MAX_NODES = 300

#: File formats render() writes, by extension: pictures made by `dot`, or the DOT source itself.
FORMATS = ("svg", "png", "pdf", "dot", "gv")

RANKDIRS = ("LR", "TB", "RL", "BT")

#: What draw(group=…) can collapse an MLP's graph into.
GROUPS = ("neuron", "layer")

_TITLE_NAME = re.compile(r"^\s*([^\W\d]\w*)\s*=")


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
    group: str | None = None,
    show_weights: bool = False,
    scale: float = 1.0,
    dpi: int | None = None,
    tangent_wrt: Value | None = None,
    lang: str = "en",
    fontname: str | None = None,
) -> graphviz.Digraph:
    """Draw root's graph as a lecture-style circuit: values and gradients written on the edges.

    Each edge from an input p to a node n carries two numbers: on top, in blue, the value of
    p flowing forward into n; below, in red, the gradient flowing back along the edge — the
    contribution ∂f/∂n · ∂n/∂p (edges out of constants too). An input's ∂f/∂p is the sum over
    its outgoing edges (`a + a` draws two edges). A last edge leaves the output with its value
    and ∂f/∂f = 1. Operation nodes show their primitive's symbol and their name (h1, h2, … as
    in `table()`); leaves show their label, their value and their total gradient; constants
    are drawn small. The output is called by its label, else by the name a title "y = …"
    gives it, else "f".

    The gradients are computed here, exactly as one fresh backward() would compute them;
    `.grad` is neither read nor changed.

    In Jupyter the returned Digraph shows itself inline as SVG (without Graphviz's `dot`
    program, the commands that install it); `.source` is the DOT text, available even without `dot`.

    Args:
        root: The output node f.
        rankdir: "LR" (left to right, the default), "TB" (top to bottom), "RL" or "BT".
        precision: Significant digits of the numbers (1–17).
        show_grads: Write the gradients (red) as well as the values.
        show_local: Also write each edge's local derivative ∂n/∂p (green).
        highlight: Nodes, and (input, node) pairs for edges, to draw in orange.
        title: A line written above the graph (several lines, split at "\n").
        step: Show the state after backward step `step` (0 to the number of operation nodes;
            see `backward_steps`): the node of that step and its edges are highlighted, and
            only the gradients known by then are written. 0 shows just ∂f/∂f = 1.
        forward_step: Show the state after forward step `forward_step` (0 to the number of
            operation nodes; see `forward_steps`): the node just computed and its edges are
            highlighted, values not yet computed are "?", and no gradients are written. Not
            together with `step`.
        legend: Say under the title which number is which.
        max_nodes: The largest graph drawn; larger ones raise ValueError.
        tangent_wrt: Forward mode: a leaf x. Each edge then carries, under p's value, p's
            tangent ∂p/∂x (purple) flowing forward with it, the pair a dual number carries;
            the output edge carries ∂f/∂x. Gradients are not written. Not with step or forward_step.
        group: "neuron" or "layer" to draw an nn.MLP's (or nn.Layer's) graph with one box per
            neuron or per layer, showing the values and gradients that cross its boundary, a
            row per sample (see docs/drawing.md); None (the default) draws every node.
        show_weights: With group="neuron": each edge into a neuron carries its weight w and
            ∂f/∂w instead of the value that crosses, coloured by sign (green > 0, purple < 0,
            grey = 0) and thicker for a larger |w|; each box writes its bias b and ∂f/∂b.
        scale: Multiplies every font size and line width (0.25–4), e.g. 1.5 for a projector.
        dpi: Dots per inch of PNG pictures (and the size of SVG ones), 36–600; None: Graphviz's 96.
        lang: The legend's language, "en" or "zh" (the lecture notes' terms).
        fontname: The font of every text, e.g. "Noto Sans CJK SC" for Chinese labels; None:
            Helvetica, with Noto Sans CJK SC for Chinese characters when lang="zh".

    Returns:
        A graphviz.Digraph (a Drawing: its pictures raise GraphvizNotFoundError without `dot`).

    Raises:
        ValueError: For an argument out of range, a group that does not apply to the graph,
            or a graph with more than max_nodes nodes.
        TypeError: For an argument of the wrong type.
    """
    if not isinstance(root, Value):
        raise TypeError(f"root must be a Value, got {type(root).__name__} {root!r:.60}")
    if rankdir not in RANKDIRS:
        raise ValueError(f"rankdir must be one of {', '.join(RANKDIRS)}, got {rankdir!r}")
    digits = check_int("precision", precision, 1, 17)
    show_grads = check_bool("show_grads", show_grads)
    show_local = check_bool("show_local", show_local)
    legend = check_bool("legend", legend)
    show_weights = check_bool("show_weights", show_weights)
    if title is not None and not isinstance(title, str):
        raise TypeError(f"title must be a str or None, got {type(title).__name__} {title!r:.60}")
    if type(max_nodes) is not int or max_nodes < 1:
        raise ValueError(f"max_nodes must be an int ≥ 1, got {max_nodes!r}")
    style = Style(check_scale(scale), check_dpi(dpi), check_fontname(fontname, lang), check_lang(lang))
    if group is not None and group not in GROUPS:
        raise ValueError(f"group must be one of {', '.join(map(repr, GROUPS))} or None, got {group!r}")
    if show_weights and group != "neuron":
        raise ValueError(
            f"show_weights=True writes each weight on the edge into its neuron, so it needs "
            f"group='neuron', got group={group!r}"
        )
    view = GraphView(root, digits, output=output_name(root, title))
    hi_nodes, hi_edges = check_highlight(highlight, view.index)
    if group is not None and (
        step is not None or forward_step is not None or show_local or hi_nodes or hi_edges
    ):
        raise ValueError(
            "group draws the whole graph once: step, forward_step, show_local and highlight "
            "apply only to the ungrouped drawing (group=None)"
        )
    if len(view) > max_nodes and group is None:
        raise ValueError(
            f"the graph has {len(view)} nodes, more than max_nodes={max_nodes}: a picture that size is "
            f"unreadable; draw a sub-graph instead (pass an intermediate node as root), "
            f"group it (group='neuron' or 'layer' for an MLP), or raise max_nodes"
        )
    if group is not None:
        return draw_grouped(view, group, rankdir, digits, show_grads, title, legend, style, show_weights)
    n_ops = len(view.ops)
    if step is not None and forward_step is not None:
        raise ValueError("give step (backward) or forward_step, not both")
    tangents = _tangents_for_drawing(root, tangent_wrt, step, forward_step)
    if step is not None:
        step = check_int("step", step, 0, n_ops)
    if forward_step is not None:
        forward_step = check_int("forward_step", forward_step, 0, n_ops)
    return draw_view(
        view,
        rankdir=rankdir,
        digits=digits,
        show_grads=show_grads,
        show_local=show_local,
        hi_nodes=hi_nodes,
        hi_edges=hi_edges,
        title=title,
        step=step,
        forward_step=forward_step,
        legend=legend,
        style=style,
        tangents=tangents,
    )


def _tangents_for_drawing(
    root: Value, wrt: Value | None, step: int | None, forward_step: int | None
) -> tuple[str, dict[Value, float]] | None:
    """draw()'s tangent_wrt option: wrt's name and ∂n/∂wrt for every node (None when not asked for)."""
    if wrt is None:
        return None
    if step is not None or forward_step is not None:
        raise ValueError("tangent_wrt draws a whole forward-mode sweep: give it without step or forward_step")
    wrt = check_input(wrt, "tangent_wrt")
    return wrt.label or "x", tangent_sweep(root, {wrt: 1.0})


def output_name(root: Value, title: str | None) -> str | None:
    """What to call an unlabelled output: the name a title such as "y = …" gives it, else None."""
    if root.label or not title:
        return None
    match = _TITLE_NAME.match(title)
    return match.group(1) if match else None


def draw_view(
    view: GraphView,
    *,
    rankdir: str = "LR",
    digits: int = 4,
    show_grads: bool = True,
    show_local: bool = False,
    hi_nodes: set[Value] | None = None,
    hi_edges: set[tuple[Value, Value]] | None = None,
    title: str | None = None,
    step: int | None = None,
    forward_step: int | None = None,
    legend: bool = True,
    style: Style | None = None,
    tangents: tuple[str, dict[Value, float]] | None = None,
) -> graphviz.Digraph:
    """draw() for a graph whose facts are already computed (arguments already checked).

    Every node gets the SVG id "n<i>" (its position in view.order), every edge "e<i>_<slot>"
    (the node it enters, and the operand slot), the output edge "eout": the player finds them
    by these ids.
    """
    style = style or Style()
    hi_nodes = set(hi_nodes or ())
    hi_edges = set(hi_edges or ())
    index, names, out = view.index, view.names, view.output
    n_ops = len(view.ops)
    # Which values are not known yet (forward stepping) and which gradients are (backward stepping)
    not_computed = set(view.ops[forward_step:]) if forward_step is not None else set()
    grads_shown = show_grads and forward_step is None and tangents is None
    tangent_of, dots = tangents if tangents is not None else (None, {})
    steps = view.backward if step is None else view.backward[:step]
    # contribution[(child, slot)] for every edge whose backward step has been taken
    contribution = {(s.node, u.slot): u.contribution for s in steps for u in s.updates}
    running = {u.parent: u.total for s in steps for u in s.updates}  # each input's latest total
    current: Value | None = None
    if step is not None and step > 0:
        current = steps[step - 1].node
    if forward_step is not None and forward_step > 0:
        current = view.ops[forward_step - 1]
    if current is not None:
        hi_nodes.add(current)
        hi_edges.update((p, current) for p in current.parents)

    dot = style.digraph(rankdir)
    small = style.size(10)
    heading: list[str] = []
    if title:
        heading.append(style.title(title))
    if legend:
        heading.append(legend_line(style, out, grads_shown, show_local, tangent_of))
    if step is not None:
        heading.append(f'<font point-size="{small}">after backward step {step} of {n_ops}</font>')
    if forward_step is not None:
        heading.append(f'<font point-size="{small}">after forward step {forward_step} of {n_ops}</font>')
    style.heading(dot, heading)

    for node in view.order:
        attrs = node_attrs(node, names[node], out, running, grads_shown, digits, style)
        if node in hi_nodes:
            attrs.update(color=HIGHLIGHT, penwidth=style.size(2.5), style="filled", fillcolor=HIGHLIGHT_FILL)
        dot.node(f"n{index[node]}", id=f"n{index[node]}", **attrs)

    for node in view.ops:
        for slot, (parent, local) in enumerate(zip(node.parents, view.local_grads[node])):
            lines = [
                font("?", UNKNOWN_COLOUR)
                if parent in not_computed
                else font(format_value(parent.data, digits), VALUE_COLOUR)
            ]
            if parent in dots and not parent.is_constant:
                lines.append(font(format_value(dots[parent], digits), TANGENT_COLOUR))
            if grads_shown and (node, slot) in contribution:
                lines.append(font(format_value(contribution[node, slot], digits), GRAD_COLOUR))
            if show_local and node not in not_computed:
                lines.append(
                    font(f"∂{names[node]}/∂{names[parent]} = {format_value(local, digits)}", LOCAL_COLOUR)
                )
            attrs = {"label": stack(lines), "id": f"e{index[node]}_{slot}"}
            if (parent, node) in hi_edges:
                attrs.update(color=HIGHLIGHT, penwidth=style.size(2.5))
            dot.edge(f"n{index[parent]}", f"n{index[node]}", **attrs)

    # the output edge: f's value, and ∂f/∂f = 1
    root = view.root
    dot.node("output", label=stack([html.escape(out)]), shape="plaintext", id="output")
    lines = [
        font("?", UNKNOWN_COLOUR)
        if root in not_computed
        else font(format_value(root.data, digits), VALUE_COLOUR)
    ]
    if grads_shown:
        lines.append(font("1", GRAD_COLOUR))
    if root in dots:
        lines.append(font(format_value(dots[root], digits), TANGENT_COLOUR))
    dot.edge(f"n{index[root]}", "output", label=stack(lines), id="eout")
    return dot


def render(
    root: Value, path: str | os.PathLike[str], *, layout_timeout: float = LAYOUT_TIMEOUT, **options: object
) -> Path:
    """Draw root's graph and write it to a file whose extension picks the format.

    .svg, .png and .pdf are made by Graphviz's `dot` program; .dot and .gv hold the DOT
    source and need no Graphviz. Missing parent directories are created.

    Args:
        root: The output node.
        path: Where to write, e.g. "graph.svg".
        layout_timeout: Seconds `dot` may take to lay out the picture; past them it is stopped.
        **options: Passed on to draw() (rankdir, precision, show_grads, …).

    Returns:
        The path written.

    Raises:
        ValueError: For an extension other than .svg, .png, .pdf, .dot, .gv.
        LayoutTimeoutError: When `dot` took longer than layout_timeout (nothing is written).
        GraphvizNotFoundError: When `dot` is needed but not installed; the message says how
            to install it.
    """
    if not isinstance(path, str | os.PathLike):
        raise TypeError(f"path must be a str or path, got {type(path).__name__}")
    target = Path(path)
    fmt = check_format(target)
    timeout = check_timeout(layout_timeout)
    dot = draw(root, **options)  # type: ignore[arg-type]
    data = dot.source.encode("utf-8") if fmt in ("dot", "gv") else pipe(dot, fmt, timeout)
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


def pipe(dot: graphviz.Digraph, fmt: str, timeout: float | None = None) -> bytes:
    """Run `dot` on the drawing and return the picture's bytes (svg, png, pdf).

    `dot` is stopped after timeout seconds (default: the drawing's layout_timeout, else
    LAYOUT_TIMEOUT) with a LayoutTimeoutError that says what to do; no `dot` process is left.
    """
    if timeout is None:
        timeout = getattr(dot, "layout_timeout", LAYOUT_TIMEOUT)
    return picture(dot.source, fmt, timeout, dot.engine)
