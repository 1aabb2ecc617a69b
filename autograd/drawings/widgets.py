"""A notebook stepper: a slider through the forward and the backward pass, redrawing the graph each step.

Needs ipywidgets (`pip install ipywidgets`, the `widgets` extra) for the slider; without it, stepper() shows
every step one after another (StaticSteps) with a one-line hint, so a notebook still runs anywhere.
"""

from __future__ import annotations

import html
from typing import Any

import graphviz

from ..engine.value import Value
from ..views.graph_view import GraphView
from ..views.numbers import DEFAULT_PRECISION, check_precision
from .graphviz import GraphvizNotFoundError, output_name
from .graphviz import draw as draw_graph
from .player import facts, frames, svg_at, svg_of

__all__ = ["stepper", "Stepper", "StaticSteps"]

INSTALL = "pip install ipywidgets"

# Inline styles (a notebook's HTML output takes no style sheet): the caption wraps instead of
# widening the output, and the picture scales to the output area's width.
CAPTION_STYLE = "margin: 0 0 0.4em; white-space: pre-wrap; overflow-wrap: anywhere; overflow-y: auto;"
PICTURE_STYLE = "display: block; width: 100%; height: auto; max-height: 75vh;"


def _ipywidgets() -> Any:
    """Import ipywidgets, or say how to install it."""
    try:
        import ipywidgets
    except ImportError as exc:
        raise ImportError(
            f"autograd.stepper needs ipywidgets, which is not installed: {INSTALL} "
            f"(or pip install ipywidgets); without it, print autograd.forward_steps(root) and "
            f"autograd.backward_steps(root) instead"
        ) from exc
    return ipywidgets


class Stepper:
    """The state behind the stepper widget: what to caption and draw at each slider position.

    Position 0 shows only the inputs; positions 1…F are the F forward steps (one per operation
    node); positions F+1…F+B are the backward steps — the lecture player's frames
    (`autograd.player.frames`), from the same step data. No `.grad` is ever changed: the
    gradients shown are those of one fresh backward().

    Args:
        root: The output node.
        precision: Significant digits in the step texts.
        draw_options: Keyword arguments for autograd.draw, except step and forward_step.

    Attributes:
        root: The output node.
        positions: The number of slider positions (F + B + 1).
    """

    def __init__(
        self, root: Value, precision: int = DEFAULT_PRECISION, draw_options: dict[str, Any] | None = None
    ) -> None:
        check_precision(precision, allow_none=False)
        draw_options = dict(draw_options or {})
        for option in ("step", "forward_step", "group"):
            if option in draw_options:
                raise TypeError(f"stepper() chooses {option} itself; do not pass it")
        self.root = root
        self.draw_options = draw_options
        self._full = draw_graph(root, **draw_options)  # checks the options and the size now
        output = output_name(root, draw_options.get("title"))
        self._frames = frames(GraphView(root, precision, output=output))
        digits = draw_options.get("precision", 4)  # the drawing's, already checked by draw() above
        self._facts = facts(GraphView(root, digits, output=output), digits)
        self._svg: str | None = None
        self._lines = max(frame.caption.count("\n") + 1 for frame in self._frames)
        self.positions = len(self._frames)

    def _check(self, position: object) -> int:
        """The position, if it is an int from 0 to positions − 1; ValueError otherwise."""
        if type(position) is not int or not 0 <= position < self.positions:
            raise ValueError(f"position must be from 0 to {self.positions - 1}, got {position!r}")
        return position

    def caption(self, position: int) -> str:
        """What happens at this position, in words."""
        return self._frames[self._check(position)].caption

    def graph(self, position: int) -> graphviz.Digraph:
        """The drawing at this position, laid out on its own (html() keeps one layout for all)."""
        position = self._check(position)
        frame = self._frames[position]
        if frame.phase == "backward":
            return draw_graph(self.root, step=frame.step, **self.draw_options)
        return draw_graph(self.root, forward_step=frame.step, **self.draw_options)

    def html(self, position: int) -> str:
        """The caption and the picture as HTML (the DOT source if Graphviz's `dot` is missing).

        The picture is the full drawing with the values and gradients not known yet taken out,
        so it keeps one layout at every position; it is as wide as the output area, and the
        caption keeps the height of the longest one, so nothing jumps while stepping.
        """
        frame = self._frames[self._check(position)]
        caption = (
            f'<pre style="{CAPTION_STYLE} height: {self._lines * 1.4 + 0.6:.1f}em">'
            f"{html.escape(frame.caption)}</pre>"
        )
        try:
            if self._svg is None:
                self._svg = svg_of(self._full)
            picture = svg_at(self._svg, self._facts, frame).replace(
                "<svg", f'<svg style="{PICTURE_STYLE}"', 1
            )
        except GraphvizNotFoundError as exc:  # show the DOT text and the fix
            source = self.graph(position).source
            picture = f"<p>{html.escape(str(exc))}</p><pre>{html.escape(source)}</pre>"
        return f'<div style="max-width: 100%; overflow: hidden">{caption}{picture}</div>'


class StaticSteps:
    """What stepper() shows without ipywidgets: a one-line hint, then every step's caption and picture."""

    def __init__(self, state: Stepper, hint: str) -> None:
        self.stepper = state
        self.hint = hint

    def _repr_html_(self) -> str:
        steps = "".join(self.stepper.html(i) for i in range(self.stepper.positions))
        return f"<p><i>{html.escape(self.hint)}</i></p>{steps}"

    def __repr__(self) -> str:
        captions = (self.stepper.caption(i) for i in range(self.stepper.positions))
        return "\n".join([self.hint, *captions])


def stepper(root: Value, precision: int = DEFAULT_PRECISION, **draw_options: Any) -> Any:
    """A widget to step through the forward and the backward pass of root's graph in a notebook.

    A slider (with a play button) moves through the forward steps, one operation node at a
    time, then the backward steps; at each position the step is written out and the graph
    is redrawn with the values known so far, or the gradients known so far and the current
    node highlighted. The graph's `.grad` fields are not changed.

    Args:
        root: The output node.
        precision: Significant digits in the step texts (and the drawing, unless given).
        **draw_options: Passed on to autograd.draw (rankdir, show_local, title, …); at most
            max_nodes nodes (default 300).

    Returns:
        An ipywidgets.VBox: the play button and slider, then the step and the picture. Without
        ipywidgets, a StaticSteps showing every step in turn, under a one-line hint to install it.
    """
    check_precision(precision, allow_none=False)  # before min() below, which a bad value would break
    draw_options.setdefault("precision", min(precision, 4))
    state = Stepper(root, precision, draw_options)
    try:
        widgets = _ipywidgets()
    except ImportError:
        return StaticSteps(
            state, f"ipywidgets is not installed, so here are all the steps at once; for a slider: {INSTALL}"
        )
    last = state.positions - 1
    slider = widgets.IntSlider(
        value=0,
        min=0,
        max=last,
        step=1,
        description="step",
        continuous_update=False,
        layout=widgets.Layout(flex="1 1 auto", min_width="8em", width="auto"),
    )
    play = widgets.Play(value=0, min=0, max=last, step=1, interval=1500, description="play")
    widgets.jslink((play, "value"), (slider, "value"))
    # width "auto", not "100%": the HTML widget has a margin, and 100% plus the margin would stick out
    # of JupyterLab's output area by a few pixels (tests/test_jupyterlab.py measures it)
    view = widgets.HTML(value=state.html(0), layout=widgets.Layout(width="auto"))

    def show(change: dict[str, Any]) -> None:
        view.value = state.html(change["new"])

    slider.observe(show, names="value")
    controls = widgets.HBox([play, slider], layout=widgets.Layout(width="100%"))
    box = widgets.VBox([controls, view], layout=widgets.Layout(width="100%", max_width="100%"))
    box.stepper = state  # for code and tests that want the state behind the widget
    return box
