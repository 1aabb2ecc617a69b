"""The grouped drawing's HTML labels: a neuron's or layer's box, the loss's box, the legend's lines."""

from __future__ import annotations

import html
from collections.abc import Callable

from ..engine.value import Value
from ..views.graph_view import GraphView
from ..views.words import words
from .look import GRAD_COLOUR, VALUE_COLOUR, Style, font, legend_line, stack
from .neurons import Group
from .phrases import activation_names, phrase

__all__ = ["LOSS", "bias_row", "box_label", "legend_lines", "tail_label"]

#: The key of the loss's one box among the layers whose edges in are too many to label.
LOSS = "the loss"

_Formatter = Callable[[float], str]


def tail_label(view: GraphView, tail: list[Value], out: str, number: _Formatter, style: Style) -> str:
    """The loss's box: its name, how many operations of which kinds, its constants and its value."""
    small, lang = style.size(9), style.lang
    kinds = sorted({node.primitive.symbol for node in tail if node.primitive is not None})
    constants = [number(p.data) for node in tail for p in node.parents if p.is_constant]
    what = phrase(lang, "operations", n=len(tail), kinds=" ".join(kinds))
    rows = [f"<b>{html.escape(out)}</b>", f'<font point-size="{small}">{html.escape(what)}</font>']
    for start in range(0, len(constants), 8):
        head = phrase(lang, "constants") if start == 0 else ""
        numbers = ", ".join(constants[start : start + 8])
        rows.append(f'<font point-size="{small}">{html.escape(head + numbers)}</font>')
    rows.append(font(f"{out} = {number(view.root.data)}", VALUE_COLOUR, small))
    return stack(rows)


def legend_lines(
    style: Style,
    level: str,
    out: str,
    *,
    show_grads: bool,
    quiet: list[str],
    bundled: bool,
    n_samples: int,
    in_one_box: int,
    weights_of: str | None,
    weight_grads: bool,
    shares: bool,
    elsewhere: bool,
    zoom: str | None,
) -> list[str]:
    """The legend's lines: which number is which, and where the numbers are (only what is drawn).

    Args:
        style: The drawing's sizes and language.
        level: "neuron" or "layer".
        out: The output's name.
        show_grads: Whether the drawn graph's gradients are written.
        quiet: The layers whose edges in are too many to label.
        bundled: Whether some edge says "n values".
        n_samples: How many samples the network ran on.
        in_one_box: How many operations the loss's one box holds (0: none).
        weights_of: With show_weights, the name of the loss L whose ∂L/∂w the edges carry; else None.
        weight_grads: Whether ∂L/∂w and ∂L/∂b are written.
        shares: Whether an input's edges carry one sample's share of ∂L/∂w each.
        elsewhere: Whether some weight is used outside its products too (their shares fall short).
        zoom: "svg", "page" or None: which way to enlarge the picture the last line gives, if any.
    """
    small, lang = style.size(10), style.lang
    w = words(lang)
    kinds = [*[w["neuron"]] * (level == "layer"), *[w["sample"]] * (n_samples > 1)]
    each = phrase(lang, "and").join(phrase(lang, "row kind", k=k) for k in kinds)
    rows = phrase(lang, "rows", rows=each) if kinds else ""
    gradient = phrase(lang, "boxes gradient", f=out) if show_grads else ""
    lines = [
        legend_line(style, out, show_grads, False),
        phrase(lang, "boxes", per=phrase(lang, f"per {level}"), rows=rows, gradient=gradient),
    ]

    def where(layers: list[str]) -> str:
        names = [phrase(lang, "the loss") if k == LOSS else k or phrase(lang, "the layer") for k in layers]
        return phrase(lang, "list").join(names)

    weight_layers = [k for k in quiet if k != LOSS] if weights_of is not None else []
    grey = [k for k in quiet if k not in weight_layers]
    if weights_of is not None:
        grad = phrase(lang, "weights grad", f=weights_of) if weight_grads else ""
        lines.append(phrase(lang, "weights", grad=grad))
        bias_grad = phrase(lang, "bias grad", f=weights_of) if weight_grads else ""
        lines.append(phrase(lang, "weights bias", grad=bias_grad))
        if weight_grads and shares:
            lines.append(phrase(lang, "weight shares", f=weights_of))
        if weight_grads and elsewhere:
            lines.append(phrase(lang, "used elsewhere", f=weights_of))
    if weight_layers:
        lines.append(phrase(lang, "weights quiet", where=where(weight_layers)))
    if grey:
        lines.append(phrase(lang, "quiet", where=where(grey)))
    if bundled:
        lines.append(phrase(lang, "bundled"))
    if in_one_box:
        lines.append(phrase(lang, "one box", f=out, n=in_one_box))
    if n_samples > 1:
        lines.append(phrase(lang, "samples", n=n_samples))
    if zoom is not None:
        lines.append(phrase(lang, "zoom" if zoom == "svg" else "zoom page"))
    return [lines[0]] + [f'<font point-size="{small}">{html.escape(line)}</font>' for line in lines[1:]]


def bias_row(
    group: Group, out: str, grad: Callable[[Value], float], number: _Formatter, with_grad: bool
) -> tuple[str, str] | None:
    """A neuron's bias as its box writes it with show_weights: ("b = 0.0108", "∂f/∂b = −0.042")."""
    b = next((p for p in group.parameters if p.label.endswith(".b")), None)
    if b is None:
        return None
    return f"b = {number(b.data)}", f"∂{out}/∂b = {number(grad(b))}" if with_grad else ""


def box_label(
    group: Group,
    level: str,
    out: str,
    grads: dict[Value, float] | None,
    number: _Formatter,
    style: Style,
    sample_of: dict[Value, int],
    bias: tuple[str, str] | None = None,
) -> str:
    """A box's HTML label: name, what is inside, and a row per value that leaves it (sample by sample).

    `bias` (show_weights): the bias and its gradient, written in the last row instead of the
    count of parameters.
    """
    small, lang = style.size(9), style.lang
    w = words(lang)
    kinds = activation_names(group.activations.values(), lang)
    params = phrase(lang, "parameters", p=len(group.parameters))
    if bias:
        what = kinds
    elif level == "neuron":
        what = phrase(lang, "neuron box", kind=kinds, params=params)
    else:
        n = len(group.activations)
        neuron = w["neuron"] + "s" * (lang == "en" and n != 1)
        spaced = (
            f" {kinds} " if lang == "zh" and kinds.isascii() else kinds
        )  # 4 个 relu 神经元, 1 个线性神经元
        what = phrase(lang, "layer box", n=n, kinds=spaced, neuron=neuron, params=params)
    several = max((sample_of[node] for _, node in group.outputs), default=1) > 1
    names = [(w["sample"], "black")] * several + [(w["neuron"], "black")] * (level == "layer")
    names.append(("out", VALUE_COLOUR))
    if grads is not None:
        names.append((f"∂{out}/∂out", GRAD_COLOUR))
    rows = [
        f'<tr><td colspan="{len(names)}"><b>{html.escape(group.name)}</b></td></tr>',
        f'<tr><td colspan="{len(names)}"><font point-size="{small}">{html.escape(what)}</font></td></tr>',
        "<tr>" + "".join(f'<td align="left">{font(n, colour, small)}</td>' for n, colour in names) + "</tr>",
    ]
    big = style.size(10)  # the numbers, a size larger than the words
    for neuron, node in sorted(group.outputs, key=lambda item: sample_of[item[1]]):
        cells = []
        if several:
            which = phrase(lang, "sample k", k=sample_of[node])
            cells.append(f'<td align="left"><font point-size="{small}">{html.escape(which)}</font></td>')
        if level == "layer":
            cells.append(f'<td align="left"><font point-size="{small}">{html.escape(neuron)}</font></td>')
        cells.append(f'<td align="left">{font(number(node.data), VALUE_COLOUR, big)}</td>')
        if grads is not None:
            cells.append(f'<td align="left">{font(number(grads.get(node, 0.0)), GRAD_COLOUR, big)}</td>')
        rows.append("<tr>" + "".join(cells) + "</tr>")
    if bias and grads is not None:  # under the out column the bias, under the gradients' its gradient
        cells = [font(bias[0], VALUE_COLOUR, small), font(bias[1], GRAD_COLOUR, small)]
        before = "<td></td>" * (len(names) - 2)
        rows.append(f"<tr>{before}" + "".join(f'<td align="left">{c}</td>' for c in cells) + "</tr>")
    elif bias:  # no gradient column: the bias and (when given) its gradient in one cell
        text = font(bias[0], VALUE_COLOUR, small) + (
            f" {font(bias[1], GRAD_COLOUR, small)}" if bias[1] else ""
        )
        rows.append(f'<tr><td colspan="{len(names)}" align="left">{text}</td></tr>')
    table = '<table border="0" cellborder="0" cellspacing="2" cellpadding="0">'
    return f"<{table}{''.join(rows)}</table>>"
