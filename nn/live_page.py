"""fit(live=True)'s pictures and offline page: the loss curve, the weight tables, a page of the epochs."""

from __future__ import annotations

import html
import json
import os
import re
from pathlib import Path
from typing import TYPE_CHECKING

from autograd.drawings.look import GRAD_COLOUR, VALUE_COLOUR, weight_colour
from autograd.views.numbers import format_value
from autograd.views.words import check_lang

from .live_words import terms

if TYPE_CHECKING:
    from .train import History

__all__ = ["loss_curve", "save_html", "weights_table"]

#: A layer's weights are written as numbers up to this many; past it they are colours only
#: (hover for the numbers), and past WEIGHT_CELLS the layer is not shown.
WEIGHT_NUMBERS = 120
WEIGHT_CELLS = 2500
TABLE = "border-collapse:collapse;display:inline-table;margin:0 1em 1em 0;font-size:12px"
CELL = "padding:2px 4px;text-align:center;min-width:2.4em"
_PARAMETER = re.compile(r"^(?:(layer\d+)\.)?(neuron\d+)\.(w\d+|b)$")


def loss_curve(history: History, epoch: int, epochs: int, lang: str = "en") -> str:
    """The training loss (and the validation loss) up to this epoch, on an axis of all the epochs.

    A dot marks each curve's latest epoch, so the first epoch, a single point, shows too.
    """
    w, h, left, top, bottom = 300, 200, 44, 12, 180
    say = terms(lang)
    series = [(history.loss[: epoch + 1], VALUE_COLOUR, "loss")]
    if history.val_loss:
        series.append((history.val_loss[: epoch + 1], GRAD_COLOUR, "val_loss"))
    most = max(max(v) for v, _, _ in series) or 1.0

    def at(i: int, v: float) -> str:
        return (
            f"{left + i / max(epochs - 1, 1) * (w - 4 - left):.1f},{bottom - v / most * (bottom - top):.1f}"
        )

    def text(x: float, y: float, words: str, colour: str = "#000") -> str:
        return f'<text x="{x}" y="{y}" text-anchor="end" font-size="11" fill="{colour}">{words}</text>'

    lines = [
        f'<polyline points="{left},{top} {left},{bottom} {w - 4},{bottom}" fill="none" stroke="#888"/>',
        text(left - 4, top + 4, format_value(most, 3)),
        text(left - 4, bottom, "0"),
        text(w - 4, h - 4, html.escape(say["axis"].format(n=epochs))),
    ]
    latest = []
    for values, colour, name in series:
        points = [at(i, v) for i, v in enumerate(values)]
        lines.append(f'<polyline class="{name}" points="{" ".join(points)}" fill="none" stroke="{colour}"/>')
        x, y = points[-1].split(",")
        lines.append(f'<circle class="{name}-now" cx="{x}" cy="{y}" r="3.5" fill="{colour}"/>')
        latest.append(f'<span style="color:{colour}">{say[name]} {format_value(values[-1], 4)}</span>')
    return (
        f'<figure style="margin:0"><svg class="loss-curve" viewBox="0 0 {w} {h}" width="{w}" height="{h}">'
        f"{''.join(lines)}</svg><figcaption>{say['by epoch']}{say['separator'].join(latest)}</figcaption>"
        "</figure>"
    )


def weights_table(weights: dict[str, float], grads: dict[str, float], lang: str = "en") -> str:
    """Each layer's weights as a table, a row per neuron: colour and number, and ∂L/∂w under it."""
    say = terms(lang)
    layers: dict[str, dict[str, dict[str, str]]] = {}
    for name in weights:
        match = _PARAMETER.match(name)
        if match:
            layers.setdefault(match[1] or "layer", {}).setdefault(match[2], {})[match[3]] = name
    blocks = []
    for layer, neurons in layers.items():
        count = sum(len(p) for p in neurons.values())
        if count > WEIGHT_CELLS:
            blocks.append(f"<p>{html.escape(say['too many weights'].format(layer=layer, count=count))}</p>")
            continue
        numbers = count <= WEIGHT_NUMBERS
        scale = max(abs(weights[n]) for p in neurons.values() for n in p.values())
        names = next(iter(neurons.values()))
        rows = [f"<tr><th></th>{''.join(f'<th>{short}</th>' for short in names)}</tr>"] if numbers else []
        for neuron, params in neurons.items():
            cells = []
            for short, name in params.items():
                w, g = weights[name], grads[name]
                tip = html.escape(f"{name} = {format_value(w)}, ∂L/∂{short} = {format_value(g)}")
                grad = f'<span style="color:{GRAD_COLOUR};font-size:80%">{format_value(g, 2)}</span>'
                text = f"{format_value(w, 3)}<br>{grad}" if numbers else ""
                look = CELL if numbers else "width:9px;height:9px;padding:0"
                shade = weight_colour(w, min(abs(w) / scale, 1.0) * 0.55 if scale else 0.0)
                cells.append(f'<td title="{tip}" style="background:{shade};{look}">{text}</td>')
            rows.append(f"<tr><th>{neuron}</th>{''.join(cells)}</tr>")
        body = "".join(rows)
        blocks.append(f'<table class="weights" style="{TABLE}"><caption>{layer}</caption>{body}</table>')
    legend = (
        f"{html.escape(say['weights legend'])}"
        f'<span style="color:{GRAD_COLOUR}">{html.escape(say["grad legend"])}</span>'
    )
    return f'<div class="live-weights"><p>{legend}</p>{"".join(blocks)}</div>'


#: The page: a header, then the shown epoch filling the rest of the window. The network takes the
#: left column at its full height; the loss curve, the boundary and (scrolling in its own panel)
#: the weights share the right one. Nothing scrolls the page itself.
PAGE_STYLE = """html,body{height:100%;margin:0}
body{font-family:sans-serif,"Noto Sans CJK SC";display:flex;flex-direction:column;
box-sizing:border-box;padding:0 12px}
header{flex:none;display:flex;flex-wrap:wrap;align-items:center;gap:4px 10px;padding:6px 0}
section{flex:1 1 0;min-height:0;display:flex}section[hidden]{display:none}
.live-frame{flex:1;min-height:0;display:flex;flex-direction:column}
.live-head{flex:none;font-size:1.2em;margin:0 0 6px}
.live-body{flex:1;min-height:0;display:grid!important;align-items:stretch!important;
gap:8px 12px;padding-bottom:8px;
grid-template-columns:minmax(0,1fr) clamp(220px,22vw,300px);grid-template-rows:auto minmax(0,1fr)}
.network{grid-column:1;grid-row:1/3;min-height:0;min-width:0;position:relative;cursor:zoom-in}
.network svg{position:absolute;inset:0;width:100%!important;height:100%!important;max-height:none!important}
.live-side{grid-column:2;grid-row:1;display:flex!important;flex-direction:column;gap:6px}
.live-side svg{display:block;width:100%;height:auto;max-height:26vh}
.live-weights{grid-column:2;grid-row:2;min-height:0;overflow:auto;border-top:1px solid #ccc}
.live-weights p{margin:.3em 0;font-size:.85em}
.live-body:not(:has(.network svg)) .network{grid-row:1}
.live-body:not(:has(.network svg)) .live-weights{grid-column:1/3}
#zoom{position:fixed;inset:0;background:#fff;overflow:auto;z-index:9;cursor:zoom-out}
#zoom[hidden]{display:none}#zoom p{margin:6px 12px;font-size:1.1em}#zoom svg{display:block}"""

PAGE_SCRIPT = """const frames = [...document.querySelectorAll('section')];
const where = document.getElementById('where');
const zoom = document.getElementById('zoom');
const says = JSON.parse(document.getElementById('says').textContent);
let at = frames.length - 1;
function enlarge() {
  const svg = frames[at].querySelector('.network svg');
  if (!svg) return;
  const big = svg.cloneNode(true);
  zoom.hidden = false;
  // full size, 4/3 px a point as dot means it (the 10-point numbers 13 px high), or the window's width
  big.style.width = Math.max(zoom.clientWidth - 24, svg.viewBox.baseVal.width * 4 / 3) + 'px';
  big.style.height = 'auto';
  big.style.maxHeight = 'none';
  const line = document.createElement('p');
  line.textContent = says.close;
  zoom.replaceChildren(line, big);
}
function show(i) {
  at = Math.max(0, Math.min(frames.length - 1, i));
  frames.forEach((f, k) => { f.hidden = k !== at; });
  where.textContent = says.where.replace('{k}', at + 1).replace('{n}', frames.length);
  if (!zoom.hidden) enlarge();
}
document.getElementById('prev').onclick = () => show(at - 1);
document.getElementById('next').onclick = () => show(at + 1);
frames.forEach(f => f.querySelectorAll('.network svg').forEach(svg => { svg.onclick = enlarge; }));
zoom.onclick = () => { zoom.hidden = true; };
document.addEventListener('keydown', e => {
  const step = {ArrowRight: 1, PageDown: 1, ' ': 1, ArrowLeft: -1, PageUp: -1}[e.key];
  if (step) { show(at + step); e.preventDefault(); }
  else if (e.key === 'Home') show(0);
  else if (e.key === 'End') show(frames.length - 1);
  else if (e.key === 'z' || e.key === 'Z') { if (zoom.hidden) enlarge(); else zoom.hidden = true; }
  else if (e.key === 'Escape') zoom.hidden = true;
});
show(at);"""


def save_html(
    history: History, path: str | os.PathLike[str], title: str | None = None, lang: str | None = None
) -> Path:
    """Write the epochs fit(live=True) recorded as one offline page: ← and → step through them.

    The page fits the window (1024 × 768 and up): the network on the left, the loss curve, the
    decision boundary and the weights (scrolling in their own panel) on the right. Clicking the
    network, or Z, shows it full size (its numbers at least 12 px high); Esc goes back.

    Args:
        history: What fit(..., live=True) returned.
        path: Where to write, e.g. "training.html"; missing directories are made.
        title: The page's heading; None: "Training" (训练 in Chinese).
        lang: "en" or "zh", the page's language; None: the one fit(..., lang=) trained with.

    Returns:
        The path written.

    Raises:
        ValueError: When the history was not recorded with live=True, or for another lang.
    """
    live = getattr(history, "live", None)
    if live is None or not live.frames:
        raise ValueError(
            "this History has no recorded epochs: train with nn.fit(..., live=True) to record them"
        )
    if not isinstance(path, str | os.PathLike):
        raise TypeError(f"path must be a str or path, got {type(path).__name__}")
    lang = live.lang if lang is None else check_lang(lang)
    say = terms(lang)
    if title is not None and not isinstance(title, str):
        raise TypeError(f"title must be a str or None, got {type(title).__name__}")
    sections = "".join(f"<section hidden>{live.html(i, lang)}</section>" for i in range(len(live.frames)))
    name = html.escape(say["title"] if title is None else title)
    says = json.dumps({"where": say["where"], "close": say["zoom close"]}, ensure_ascii=False)
    says = says.replace("</", "<\\/")  # never a closing tag inside the script
    page = (
        f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8"><title>{name}</title>'
        f"<style>{PAGE_STYLE}</style></head><body><header><b>{name}</b> "
        f'<button id="prev">{html.escape(say["previous"])}</button> <span id="where"></span> '
        f'<button id="next">{html.escape(say["next"])}</button> <small>{html.escape(say["keys"])}</small> '
        f'<small id="zoom-hint">{html.escape(say["zoom hint"])}</small></header>'
        f'{sections}<div id="zoom" hidden></div>'
        f'<script type="application/json" id="says">{says}</script>'
        f"<script>{PAGE_SCRIPT}</script></body></html>"
    )
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(page, encoding="utf-8")
    return target
