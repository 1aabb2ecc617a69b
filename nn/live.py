"""fit(live=True): the grouped network, its weights, the loss curve and the decision boundary, epoch by epoch.

In Jupyter with ipywidgets the pictures update after each epoch and a slider steps back through
them when training ends; elsewhere one line of text per epoch is printed. Either way the epochs
are recorded, and `History.save_html(path)` writes them as one offline page (← and → step).
"""

from __future__ import annotations

import html
import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from subprocess import CalledProcessError
from typing import TYPE_CHECKING, Any

import numpy as np

from autograd import Value, no_grad
from autograd.drawings.dot import GraphvizNotFoundError, LayoutTimeoutError
from autograd.drawings.grouping import draw_grouped, find_groups
from autograd.drawings.look import Style
from autograd.drawings.options import check_fontname
from autograd.drawings.player import svg_of
from autograd.drawings.player_groups import grouped_hovers
from autograd.views.graph_view import GraphView
from autograd.views.numbers import format_value

from . import reference
from .live_page import loss_curve, weights_table
from .live_words import terms
from .module import MLP, Module

if TYPE_CHECKING:
    from .train import History

__all__ = ["Live", "check_live"]

#: At most this many epochs are recorded (and drawn): past it every k-th epoch, and the last.
MAX_FRAMES = 100
#: The network is drawn while it has at most this many neurons (boxes); past it only its weights.
NETWORK_BOXES = 40
#: Seconds `dot` may take to lay out one epoch's network.
DOT_SECONDS = 30
SVG_STYLE = (
    '<svg preserveAspectRatio="xMidYMin meet" style="display:block;width:100%;height:auto;max-height:70vh"'
)
GRID = 40  # the decision boundary's grid, GRID × GRID points
CLASS_FILL = ("#f9d3c4", "#cfe3f1", "#d9efd2", "#eadcf0", "#fbe8bf")
CLASS_DOT = ("#d6604d", "#2b6fb3", "#3a9a3a", "#8e4fa8", "#d18b0c")


def check_live(live: object) -> bool:
    """fit's live= argument: True or False, nothing else."""
    if live is True or live is False:
        return live
    raise TypeError(f"live must be True or False, got {type(live).__name__} {live!r:.40}")


@dataclass
class Frame:
    """One recorded epoch: its number (0-based), the weights after it, and their last gradients."""

    epoch: int
    weights: dict[str, float]
    grads: dict[str, float]


def _number(x: float, digits: int = 4) -> str:
    return format_value(x, digits)


class Live:
    """The training view behind fit(live=True); kept on the History as `history.live`.

    Args:
        model: The model being trained; its parameters must be labelled as nn labels them.
        xs, ys: The training inputs and targets (checked by fit).
        loss_fn: loss(outputs, targets) → Value.
        threshold: The class threshold for one output (None: halfway between the targets).
        epochs: The epochs fit will run at most.
        lang: "en" or "zh": the words of the view, its text lines and its page (checked by fit).

    Raises:
        ValueError: When the model's graph cannot be grouped one box per neuron.
    """

    def __init__(
        self,
        model: Module,
        xs: list[list[float]],
        ys: list[Any],
        loss_fn: Callable[[Any, Any], Value],
        threshold: float | None,
        epochs: int,
        lang: str = "en",
    ) -> None:
        self.model, self.xs, self.ys, self.loss_fn, self.epochs = model, xs, ys, loss_fn, epochs
        self.lang = lang
        view = GraphView(self._probe())
        try:
            self.boxes = len(find_groups(view, "neuron")[1])
        except ValueError:
            labels = [name for name, _ in model.named_parameters()][:3]
            raise ValueError(
                "live=True draws the network one box per neuron, so the parameters must be labelled as "
                f"nn.Layer and nn.MLP label them ('layer0.neuron3.w1'); this {type(model).__name__}'s are "
                f"{', '.join(map(repr, labels)) or 'none'}: train it with live=False"
            ) from None
        self.stride = math.ceil(epochs / MAX_FRAMES)
        self.frames: list[Frame] = []
        self.history: History | None = None
        self._html: dict[tuple[int, str], str] = {}
        self._boundary = _classes(xs, ys, threshold, getattr(model, "nout", 1))
        self._widget: Any = None
        self._note = ""
        self._open()

    def _probe(self) -> Value:
        """The loss on the first sample: the graph the network picture is drawn from.

        Its inputs are leaves x1, x2, … (not plain numbers), so the drawing shows them with their
        values, and the edges they send into layer 0 carry layer 0's weights.
        """
        inputs = [Value(v, label=f"x{i + 1}") for i, v in enumerate(self.xs[0])]
        out = self.model(inputs)
        return self.loss_fn([out], [self.ys[0]])

    def _open(self) -> None:
        """Show an empty widget in a notebook, or say why the view is text."""
        try:
            from IPython import get_ipython

            shell = get_ipython()
        except ImportError:
            shell = None
        say = terms(self.lang)
        if shell is None or getattr(shell, "kernel", None) is None:
            self._note = say["not in a notebook"]
        else:
            try:
                import ipywidgets as widgets
            except ImportError:
                self._note = say["no ipywidgets"]
            else:
                from IPython.display import display

                slider = widgets.IntSlider(value=1, min=1, max=1, description=say["epoch"], disabled=True)
                box = widgets.VBox([slider, widgets.HTML(value=f"<p>{say['training']}</p>")])
                display(box)  # type: ignore[no-untyped-call]
                self._widget = box
                return
        print(say["opening"].format(note=self._note))

    def epoch(self, epoch: int, history: History) -> None:
        """After each epoch: record it (every stride-th) and show it."""
        self.history = history
        if epoch % self.stride == 0:
            self._record(epoch)
        if self._widget is None:
            line = terms(self.lang)["epoch line"]
            print(
                line.format(e=epoch + 1, n=self.epochs, summary=_summary(history, epoch, self.lang)),
                flush=True,
            )
        elif self.frames[-1].epoch == epoch:
            slider, view = self._widget.children
            slider.max = slider.value = len(self.frames)
            view.value = self.html(len(self.frames) - 1)

    def _record(self, epoch: int) -> None:
        named = list(self.model.named_parameters())
        weights = {name: p.data for name, p in named}
        self.frames.append(Frame(epoch, weights, {name: p.grad for name, p in named}))

    def close(self, history: History) -> None:
        """After training: record the last epoch, and let the widget's slider step back through them."""
        self.history = history
        history.live = self
        if history.epochs and (not self.frames or self.frames[-1].epoch != history.epochs - 1):
            self._record(history.epochs - 1)
        if self._widget is not None and self.frames:
            slider, view = self._widget.children
            slider.max = slider.value = len(self.frames)
            view.value = self.html(len(self.frames) - 1)
            slider.description = terms(self.lang)["epoch" if self.stride == 1 else "frame"]
            slider.disabled = False
            slider.observe(lambda change: setattr(view, "value", self.html(change["new"] - 1)), names="value")

    def html(self, index: int, lang: str | None = None) -> str:
        """Frame `index` as HTML: the heading, the network, the loss curve, the boundary and the weights.

        `lang` ("en" or "zh"; None: the view's own) is the language of its words.
        """
        lang = lang or self.lang
        if (index, lang) in self._html:
            return self._html[index, lang]
        frame, history = self.frames[index], self.history
        if history is None:  # frames exist only once epoch() has set it
            raise RuntimeError("no epoch has been recorded yet")
        named = dict(self.model.named_parameters())
        now = {name: p.data for name, p in named.items()}
        try:
            for name, p in named.items():  # the recorded weights, put in place without checks or copies
                p.data = frame.weights[name]
            network = self._network(frame, lang)
            figures = [loss_curve(history, frame.epoch, self.epochs, lang)]
            if self._boundary is not None:
                figures.append(self._decision(*self._boundary, lang))
        finally:
            for name, p in named.items():
                p.data = now[name]
        e, say = frame.epoch, terms(lang)
        head = say["epoch of"].format(e=e + 1, n=self.epochs)
        heading = (
            f'<div class="live-head" data-epoch="{e + 1}" data-loss="{history.loss[e]!r}">'
            f"<b>{html.escape(head)}</b> · {html.escape(_summary(history, e, lang))}</div>"
        )
        body = '<div class="live-body" style="display:flex;flex-wrap:wrap;gap:12px;align-items:flex-start">'
        side = f'<div class="live-side" style="display:flex;flex-wrap:wrap;gap:12px">{"".join(figures)}</div>'
        weights = weights_table(frame.weights, frame.grads, lang)
        page = f'<div class="live-frame">{heading}{body}{network}{side}{weights}</div></div>'
        self._html[index, lang] = page
        return page

    def _network(self, frame: Frame, lang: str) -> str:
        """The grouped drawing of the first sample's loss, at this epoch's weights, layers top to bottom.

        Top to bottom, a layer's boxes stand side by side: the picture is wider than high, as a
        screen is.
        """
        say = terms(lang)
        if self.boxes > NETWORK_BOXES:
            note = say["too many"].format(boxes=self.boxes, most=NETWORK_BOXES)
            return f'<div class="network"><p>{html.escape(note)}</p></div>'
        title = say["network title"].format(e=frame.epoch + 1)
        view = GraphView(self._probe(), 3, output="L₁")
        style = Style(fontname=check_fontname(None, lang), lang=lang)
        update = {p: frame.grads[name] for name, p in self.model.named_parameters()}
        dot = draw_grouped(
            view,
            "neuron",
            "TB",
            3,
            show_grads=True,
            title=title,
            legend=True,
            style=style,
            show_weights=True,
            weight_grads=("L", update),
            zoom=None,
        )
        try:  # the mouse names what it is over ("x1", "layer0 · neuron3 (relu, 3 parameters)")
            svg = svg_of(dot, grouped_hovers(view, "neuron", lang), DOT_SECONDS)
        except (GraphvizNotFoundError, LayoutTimeoutError, CalledProcessError) as problem:
            note = say["not drawn"].format(problem=str(problem)[:200])
            return f'<div class="network"><p>{html.escape(note)}</p></div>'
        svg = re.sub(r"^<svg", SVG_STYLE, svg, count=1)
        svg = re.sub(r"<!--.*?-->\n?|(?<=>)\n(?=<)", "", svg, flags=re.S)  # no comments or line breaks
        return f'<div class="network" style="flex:1 1 480px;max-width:100%">{svg}</div>'

    def _decision(self, classes: list[int], threshold: float | None, lang: str) -> str:
        """The classes the model gives a grid over the data, as coloured cells, with the samples on top."""
        xa = np.asarray(self.xs)
        low, high = xa.min(axis=0), xa.max(axis=0)
        pad = (high - low) * 0.1 + 1e-9
        low, high = low - pad, high + pad
        centres = (np.arange(GRID) + 0.5) / GRID  # each cell is coloured by the class at its centre
        gx, gy = np.meshgrid(low[0] + centres * (high[0] - low[0]), high[1] - centres * (high[1] - low[1]))
        grid = np.column_stack([gx.ravel(), gy.ravel()])
        if isinstance(self.model, MLP):
            out = reference.predict(self.model, grid)
        else:
            with no_grad():
                rows = [self.model(list(p)) for p in grid]
            out = np.array([[v.data] if isinstance(v, Value) else [u.data for u in v] for v in rows])
        label = (out[:, 0] > threshold).astype(int) if threshold is not None else out.argmax(axis=1)
        size, cell = 240, 240 / GRID
        shapes = []
        for r, row in enumerate(label.reshape(GRID, GRID)):
            start = 0
            for c in range(1, GRID + 1):  # one rectangle per run of one class
                if c == GRID or row[c] != row[start]:
                    fill = CLASS_FILL[int(row[start]) % len(CLASS_FILL)]
                    width = (c - start) * cell + 0.5
                    shapes.append(
                        f'<rect x="{start * cell:.1f}" y="{r * cell:.1f}" width="{width:.1f}" '
                        f'height="{cell + 0.5:.1f}" fill="{fill}"/>'
                    )
                    start = c
        for (px, py), k in list(zip(xa.tolist(), classes))[:400]:
            sx = (px - low[0]) / (high[0] - low[0]) * size
            sy = (high[1] - py) / (high[1] - low[1]) * size
            shapes.append(
                f'<circle cx="{sx:.1f}" cy="{sy:.1f}" r="3" fill="{CLASS_DOT[k % len(CLASS_DOT)]}"/>'
            )
        return (
            f'<figure style="margin:0"><svg class="boundary" viewBox="0 0 {size} {size}" width="{size}" '
            f'height="{size}">{"".join(shapes)}</svg>'
            f"<figcaption>{_key(classes, threshold, lang)}</figcaption></figure>"
        )


def _key(classes: list[int], threshold: float | None, lang: str) -> str:
    """The boundary's caption and key: each region's colour and the class (or side of the threshold) it is."""
    say = terms(lang)
    if threshold is not None:
        t = _number(threshold)
        names = [say["at most"].format(t=t), say["above"].format(t=t)]
    else:
        names = [say["class"].format(k=k) for k in range(max(classes) + 1)]
    swatch = "display:inline-block;width:.9em;height:.9em;vertical-align:-.1em"
    swatches = "".join(
        f' <span class="class-key" style="white-space:nowrap"><span style="{swatch};'
        f"background:{CLASS_FILL[k % len(CLASS_FILL)]};"
        f'border:2px solid {CLASS_DOT[k % len(CLASS_DOT)]}"></span> {html.escape(name)}</span>'
        for k, name in enumerate(names)
    )
    return f"{html.escape(say['boundary'])}:{swatches}"


def _summary(history: History, epoch: int, lang: str = "en") -> str:
    """One epoch's numbers in a line: loss, accuracy, validation."""
    say = terms(lang)
    parts = [f"{say['loss']} {_number(history.loss[epoch], 6)}"]
    for name, values, percent in (
        ("accuracy", history.accuracy, True),
        ("val_loss", history.val_loss, False),
        ("val_accuracy", history.val_accuracy, True),
    ):
        if epoch < len(values):
            number = f"{values[epoch]:.0%}" if percent else _number(values[epoch], 6)
            parts.append(f"{say[name]} {number}")
    return say["separator"].join(parts)


def _classes(
    xs: list[list[float]], ys: Sequence[Any], threshold: float | None, nout: int
) -> tuple[list[int], float | None] | None:
    """For 2-D inputs and class-like targets: each sample's class and the output's threshold, else None."""
    ya = np.asarray(ys)
    if len(xs[0]) != 2 or ya.ndim != 1 or not np.issubdtype(ya.dtype, np.number) or len(set(ya.tolist())) > 5:
        return None
    if nout > 1:
        return ([int(k) for k in ya], None) if np.issubdtype(ya.dtype, np.integer) else None
    cut = threshold if threshold is not None else (float(ya.min()) + float(ya.max())) / 2
    return [int(v > cut) for v in ya.tolist()], cut
