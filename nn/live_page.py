"""fit(live=True)'s pictures and offline page: the loss curve, the weight tables, a page of the epochs."""

from __future__ import annotations

import html
import os
import re
from pathlib import Path
from typing import TYPE_CHECKING

from autograd.drawings.look import GRAD_COLOUR, VALUE_COLOUR
from autograd.views.numbers import format_value

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


def loss_curve(history: History, epoch: int, epochs: int) -> str:
    """The training loss (and the validation loss) up to this epoch, on an axis of all the epochs."""
    w, h, left, top, bottom = 300, 200, 44, 12, 180
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
        text(w - 4, h - 4, f"epoch {epochs}"),
    ]
    latest = []
    for values, colour, name in series:
        points = " ".join(at(i, v) for i, v in enumerate(values))
        lines.append(f'<polyline class="{name}" points="{points}" fill="none" stroke="{colour}"/>')
        latest.append(f'<span style="color:{colour}">{name} {format_value(values[-1], 4)}</span>')
    return (
        f'<figure style="margin:0"><svg class="loss-curve" viewBox="0 0 {w} {h}" width="{w}" height="{h}">'
        f"{''.join(lines)}</svg><figcaption>by epoch: {', '.join(latest)}</figcaption></figure>"
    )


def _shade(w: float, scale: float) -> str:
    """A weight's colour: green for w > 0, purple for w < 0, deeper the larger |w| is."""
    t = min(abs(w) / scale, 1.0) * 0.55 if scale else 0.0
    base = (27, 120, 55) if w > 0 else (118, 42, 131)
    r, g, b = (round(255 + (c - 255) * t) for c in base)
    return f"#{r:02x}{g:02x}{b:02x}"


def weights_table(weights: dict[str, float], grads: dict[str, float]) -> str:
    """Each layer's weights as a table, a row per neuron: colour and number, and ∂L/∂w under it."""
    layers: dict[str, dict[str, dict[str, str]]] = {}
    for name in weights:
        match = _PARAMETER.match(name)
        if match:
            layers.setdefault(match[1] or "layer", {}).setdefault(match[2], {})[match[3]] = name
    blocks = []
    for layer, neurons in layers.items():
        count = sum(len(p) for p in neurons.values())
        if count > WEIGHT_CELLS:
            blocks.append(f"<p>{layer}: {count} weights, too many to show live</p>")
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
                cells.append(f'<td title="{tip}" style="background:{_shade(w, scale)};{look}">{text}</td>')
            rows.append(f"<tr><th>{neuron}</th>{''.join(cells)}</tr>")
        body = "".join(rows)
        blocks.append(f'<table class="weights" style="{TABLE}"><caption>{layer}</caption>{body}</table>')
    legend = (
        "Weights, a row per neuron (w0, w1, …, then the bias b): green > 0, purple < 0, deeper for "
        "a larger |w|; "
        f'<span style="color:{GRAD_COLOUR}">red: ∂L/∂w of the epoch\'s last update</span>.'
    )
    return f'<div class="live-weights"><p>{legend}</p>{"".join(blocks)}</div>'


PAGE_STYLE = """body{font-family:sans-serif;margin:0 1em}
header{position:sticky;top:0;background:#fff;padding:.4em 0}
section[hidden]{display:none}.live-head{font-size:1.2em;margin:.3em 0}"""

PAGE_SCRIPT = """const frames = [...document.querySelectorAll('section')];
const where = document.getElementById('where');
let at = frames.length - 1;
function show(i) {
  at = Math.max(0, Math.min(frames.length - 1, i));
  frames.forEach((f, k) => { f.hidden = k !== at; });
  where.textContent = 'frame ' + (at + 1) + ' of ' + frames.length;
}
document.getElementById('prev').onclick = () => show(at - 1);
document.getElementById('next').onclick = () => show(at + 1);
document.addEventListener('keydown', e => {
  const step = {ArrowRight: 1, PageDown: 1, ' ': 1, ArrowLeft: -1, PageUp: -1}[e.key];
  if (step) { show(at + step); e.preventDefault(); }
  else if (e.key === 'Home') show(0);
  else if (e.key === 'End') show(frames.length - 1);
});
show(at);"""


def save_html(history: History, path: str | os.PathLike[str], title: str = "Training") -> Path:
    """Write the epochs fit(live=True) recorded as one offline page: ← and → step through them.

    Args:
        history: What fit(..., live=True) returned.
        path: Where to write, e.g. "training.html"; missing directories are made.
        title: The page's heading.

    Returns:
        The path written.

    Raises:
        ValueError: When the history was not recorded with live=True.
    """
    live = getattr(history, "live", None)
    if live is None or not live.frames:
        raise ValueError(
            "this History has no recorded epochs: train with nn.fit(..., live=True) to record them"
        )
    if not isinstance(path, str | os.PathLike):
        raise TypeError(f"path must be a str or path, got {type(path).__name__}")
    sections = "".join(f"<section hidden>{live.html(i)}</section>" for i in range(len(live.frames)))
    name = html.escape(str(title))
    page = (
        f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{name}</title>'
        f"<style>{PAGE_STYLE}</style></head><body><header><b>{name}</b> "
        '<button id="prev">← previous</button> <span id="where"></span> <button id="next">next →</button> '
        "<small>keys: ← → (PageUp, PageDown, Space), Home, End</small></header>"
        f"{sections}<script>{PAGE_SCRIPT}</script></body></html>"
    )
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(page, encoding="utf-8")
    return target
