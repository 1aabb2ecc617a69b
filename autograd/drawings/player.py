"""The lecture player: one offline HTML file that steps through the forward and the backward pass."""

from __future__ import annotations

import html
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..engine.value import Value
from ..views.graph_view import GraphView
from ..views.numbers import format_value
from ..views.words import check_lang
from . import player_page
from .dot import LAYOUT_TIMEOUT, check_timeout
from .graphviz import MAX_NODES, RANKDIRS, draw_view, output_name, pipe
from .look import Style
from .options import check_fontname
from .phrases import backward_caption, phrase
from .player_groups import grouped_hovers, grouped_parts
from .player_parts import PLACEHOLDER, check_reveal, default_title, hovers, table_parts
from .player_svg import svg_at

__all__ = ["Frame", "frames", "page", "save_html", "svg_at"]


@dataclass(frozen=True)
class Frame:
    """One position of the player (and of the notebook stepper): what is shown and highlighted.

    Attributes:
        position: 0 for the inputs, 1…F for the forward steps, F+1…F+B for the backward steps.
        phase: "start", "forward" or "backward".
        step: The forward step (1…F) or backward step (1…B); 0 at the start.
        caption: The step written out, as under the picture.
        current: The SVG id of the node of this step ("n5"), or None at the start.
        edges: The SVG ids of the edges into that node.
        row: The derivative-table row of that node (0-based), or None.
    """

    position: int
    phase: str
    step: int
    caption: str
    current: str | None
    edges: tuple[str, ...]
    row: int | None


def frames(view: GraphView, lang: str = "en") -> list[Frame]:
    """Every position of a step-through of view's graph: the inputs, the forward steps, the backward steps.

    The captions are in lang: "en", or "zh" in the lecture notes' terms (前向传播, 反向传播).
    """
    index = view.index
    row_of = {node: i for i, node in enumerate(view.ops)}
    n_forward = len(view.forward)
    out: list[Frame] = [Frame(0, "start", 0, phrase(lang, "start"), None, (), None)]
    for f in view.forward:
        out.append(
            Frame(
                len(out),
                "forward",
                f.index,
                phrase(lang, "forward step", i=f.index, n=n_forward, text=f),
                f"n{index[f.node]}",
                _edges_into(f.node, index),
                row_of[f.node],
            )
        )
    for b in view.backward:
        out.append(
            Frame(
                len(out),
                "backward",
                b.index,
                backward_caption(b, lang),
                f"n{index[b.node]}",
                _edges_into(b.node, index),
                row_of[b.node],
            )
        )
    return out


def _edges_into(node: Value, index: dict[Value, int]) -> tuple[str, ...]:
    return tuple(f"e{index[node]}_{slot}" for slot in range(len(node.parents)))


def facts(view: GraphView, digits: int) -> dict[str, Any]:
    """What the page's script needs to show each position on the one full drawing.

    known[node id] is the forward step that computes the node (leaves are absent: always
    known); edges[edge id] = [input's id, backward step that sends the gradient along it];
    totals[leaf id] = [[backward step, "∂f/∂w = …"], …], the leaf's running total after each
    step that adds to it.
    """
    index, out = view.index, view.output
    known = {f"n{index[node]}": i + 1 for i, node in enumerate(view.ops)}
    back = {node: len(view.ops) - i for i, node in enumerate(view.ops)}  # the output is backward step 1
    edges: dict[str, list[Any]] = {}
    for node in view.ops:
        for slot, parent in enumerate(node.parents):
            edges[f"e{index[node]}_{slot}"] = [f"n{index[parent]}", back[node]]
    edges["eout"] = [f"n{index[view.root]}", 0]
    totals: dict[str, list[list[Any]]] = {}
    for b in view.backward:
        for u in b.updates:
            if u.parent.is_leaf and not u.parent.is_constant:
                text = f"∂{out}/∂{u.name} = {format_value(u.total, digits)}"
                totals.setdefault(f"n{index[u.parent]}", []).append([b.index, text])
    return {"known": known, "edges": edges, "totals": totals}


def page(
    root: Value,
    *,
    title: str | None = None,
    precision: int = 4,
    rankdir: str = "LR",
    presenter: bool = False,
    max_nodes: int = MAX_NODES,
    reveal: str = "steps",
    layout_timeout: float = LAYOUT_TIMEOUT,
    lang: str = "en",
    fontname: str | None = None,
    group: str | None = None,
) -> str:
    """The lecture player for root's graph as one self-contained HTML page (see save_html)."""
    if not isinstance(root, Value):
        raise TypeError(f"root must be a Value, got {type(root).__name__} {root!r:.60}")
    if rankdir not in RANKDIRS:
        raise ValueError(f"rankdir must be one of {', '.join(RANKDIRS)}, got {rankdir!r}")
    if title is not None and not isinstance(title, str):
        raise TypeError(f"title must be a str or None, got {type(title).__name__} {title!r:.60}")
    if type(presenter) is not bool:
        raise TypeError(f"presenter must be True or False, got {type(presenter).__name__} {presenter!r}")
    if type(max_nodes) is not int or max_nodes < 1:
        raise ValueError(f"max_nodes must be an int ≥ 1, got {max_nodes!r}")
    reveal = check_reveal(reveal)
    timeout = check_timeout(layout_timeout)
    lang = check_lang(lang)
    style = Style(1.5, fontname=check_fontname(fontname, lang), lang=lang)
    view = GraphView(root, precision, output=output_name(root, title))
    if view.precision is None:
        raise ValueError("precision must be an int from 1 to 17 (significant digits), got None")
    if group is not None and group not in ("neuron", "layer"):
        raise ValueError(f"group must be 'neuron', 'layer' or None, got {group!r}")
    if len(view) > max_nodes and group is None:
        raise ValueError(
            f"the graph has {len(view)} nodes, more than max_nodes={max_nodes}: too many to step "
            f"through; use a sub-graph (pass an intermediate node as root), or raise max_nodes"
        )
    digits = view.precision
    if group is not None:  # one step per neuron or layer, on the grouped drawing
        dot, finish = grouped_parts(view, group, rankdir, digits, style, reveal, lang)
        svg = svg_of(projected(dot), grouped_hovers(view, group, lang), timeout)
        frame_data, table_html, found = finish(svg)
    else:
        svg = svg_of(
            projected(draw_view(view, rankdir=rankdir, digits=digits, style=style)),
            hovers(view, lang),
            timeout,
        )
        table_html, rows = table_parts(view, reveal, lang)
        frame_data = [
            {
                "phase": f.phase,
                "step": f.step,
                "caption": f.caption,
                "current": f.current,
                "edges": f.edges,
                "row": f.row,
            }
            for f in frames(view, lang)
        ]
        found = {
            "forwardSteps": len(view.forward),
            "rows": rows,
            "unknownTotals": {
                f"n{view.index[leaf]}": f"∂{view.output}/∂{view.names[leaf]} = {PLACEHOLDER}"
                for leaf in view.order
                if leaf.is_leaf and not leaf.is_constant
            },
            "boxes": {},
            **facts(view, digits),
        }
    steps = frame_data
    data = {
        "frames": frame_data,
        "reveal": reveal,
        "position": phrase(lang, "position", p="{p}", n="{n}"),
        **found,
    }
    heading = title or default_title(view)
    return player_page.TEMPLATE.format(
        title=html.escape(heading),
        body_class=" ".join(["presenter"] * presenter + [f"lang-{lang}"]),
        presenter_pressed="true" if presenter else "false",
        last=len(steps) - 1,
        svg=svg,
        table=table_html,
        css=player_page.CSS,
        script=player_page.SCRIPT,
        data=_json_for_script(data),
        lang=lang,
        **{"w_" + key.replace(" ", "_"): html.escape(phrase(lang, key)) for key in player_page.WORDS},
    )


def projected(dot: Any) -> Any:
    """The drawing made for a projector: numbers on the edges larger (20 pt), ranks closer together.

    The picture is as wide as the window, so what counts is the numbers' size next to the
    drawing's width: 20-pt numbers on the sigmoid's edges stand about 24 px high at 1024 px.
    The title is the page's heading, not repeated in the picture.
    """
    dot.edge_attr["fontsize"] = "20"
    dot.graph_attr["ranksep"] = "0.25"
    return dot


_TITLE = re.compile(r'(<g id="([^"]*)" class="(?:node|edge|graph)"[^>]*>\s*<title>)([^<]*)(</title>)')


def svg_of(dot: Any, titles: dict[str, str] | None = None, timeout: float | None = None) -> str:
    """Run `dot` and return the SVG element alone, sized by CSS (no fixed width and height).

    Args:
        dot: The drawing.
        titles: What to show on hover over the node or edge of each SVG id; the others show
            nothing (Graphviz would show its internal ids, "n2" or "n0->n2").
        timeout: Seconds `dot` may take (default: LAYOUT_TIMEOUT); then LayoutTimeoutError.
    """
    svg = pipe(dot, "svg", timeout).decode("utf-8")
    svg = svg[svg.find("<svg") :]  # without the XML prolog and doctype, to sit inside HTML
    if titles is not None:
        svg = _TITLE.sub(lambda m: m.group(1) + html.escape(_hover(m, titles)) + m.group(4), svg)
    return re.sub(r'^<svg width="[^"]*" height="[^"]*"', "<svg", svg, count=1)


def _hover(match: re.Match[str], titles: dict[str, str]) -> str:
    """What an SVG element shows on hover: its entry in titles, or for an edge "a → b" named by its ends."""
    if match.group(2) in titles:
        return titles[match.group(2)]
    ends = html.unescape(match.group(3)).split("->")  # Graphviz titles an edge "n0->g_layer0.neuron1"
    if len(ends) == 2 and all(end in titles for end in ends):  # a box by its name, without "(relu, …)"
        return " → ".join(
            titles[end].rsplit(" (", 1)[0] if end.startswith("g_") else titles[end] for end in ends
        )
    return ""


def _json_for_script(data: object) -> str:
    """JSON safe inside a <script> element, whatever the labels say.

    "<", ">" and "&" are written as JSON escapes (\\u003c, …), so no label can end the element
    early ("</script>") or put the HTML parser into its script-comment state ("<!--<script"),
    which would swallow the page's script; the parsed data is unchanged.
    """
    text = json.dumps(data, ensure_ascii=False)
    for raw in "<>&\u2028\u2029":
        text = text.replace(raw, f"\\u{ord(raw):04x}")
    return text


def save_html(
    root: Value,
    path: str | os.PathLike[str],
    *,
    title: str | None = None,
    precision: int = 4,
    rankdir: str = "LR",
    presenter: bool = False,
    max_nodes: int = MAX_NODES,
    reveal: str = "steps",
    layout_timeout: float = LAYOUT_TIMEOUT,
    lang: str = "en",
    fontname: str | None = None,
    group: str | None = None,
) -> Path:
    """Write a lecture player for root's graph: one HTML file that works offline, in any browser.

    The page shows the graph (drawn by Graphviz's `dot`, embedded as SVG), a scrubber and
    ◀/▶ buttons; the →/← keys (PageDown/PageUp, Space) step through the forward pass (values
    appear node by node, "?" until computed) and then the backward pass (the gradients arrive
    edge by edge), with
    the current node and the edges into it highlighted and the step written out under the
    picture. The derivative table stands beside it, the current row marked. P (or the button)
    switches presenter mode: large type, high contrast and a colour-blind-safe palette.
    Everything — script, style, picture — is inside the file: it needs no network.

    Args:
        root: The output node f.
        path: Where to write, e.g. "lesson.html" (missing parent directories are created).
        title: A heading; "y = …" also names the output y.
        precision: Significant digits of the numbers (1–17).
        rankdir: "LR" (left to right, the default), "TB", "RL" or "BT".
        presenter: Open in presenter mode.
        max_nodes: The largest graph allowed.
        reveal: "steps" (the default): each number appears when its step comes — a value when
            the forward pass computes it, a local derivative's number when its node is computed,
            a gradient when the backward pass sends it — and "?" stands in its place before, a
            blank to ask the class about. "all": every number at every step, for handouts.
        layout_timeout: Seconds Graphviz's `dot` may take to lay out the picture (60 by
            default); past them it is stopped and LayoutTimeoutError says what to do.
        lang: The page's language: "en", or "zh" — buttons, legend, table headers and step
            texts in the lecture notes' terms (计算图, 前向传播, 反向传播, 梯度).
        fontname: The drawing's font; None: Helvetica, with Noto Sans CJK SC for Chinese
            characters when lang="zh".
        group: "neuron" or "layer" for a network built by nn: the grouped drawing, one step per
            box (layer by layer, neuron by neuron) and then per node of the loss; None: every node.

    Returns:
        The path written.

    Raises:
        ValueError: For a bad argument, a path that is not an .html file, or a graph larger
            than max_nodes.
        OSError: When the file cannot be written; the message names the path and the reason.
        GraphvizNotFoundError: When `dot` is not installed (the message says how to install it).
        LayoutTimeoutError: When `dot` took longer than layout_timeout (nothing is written).
    """
    if not isinstance(path, str | os.PathLike):
        raise TypeError(f"path must be a str or path, got {type(path).__name__}")
    target = Path(path)
    if target.suffix.lower() not in (".html", ".htm"):
        raise ValueError(
            f"the player is an HTML page: the file name must end in .html or .htm, got {str(target)!r}"
        )
    text = page(
        root,
        title=title,
        precision=precision,
        rankdir=rankdir,
        presenter=presenter,
        max_nodes=max_nodes,
        reveal=reveal,
        layout_timeout=layout_timeout,
        lang=lang,
        fontname=fontname,
        group=group,
    )
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    except OSError as exc:
        reason = exc.strerror or str(exc)
        blocking = next((p for p in target.parents if p.exists()), None)
        if blocking is not None and not blocking.is_dir():
            reason = f"{str(blocking)!r} is a file, not a folder"
        raise OSError(f"cannot write the lecture player to {str(target)!r}: {reason}") from exc
    return target
