"""A notebook stepper: a slider through the forward and the backward pass, redrawing the graph each step.

Needs ipywidgets (`pip install 'backproplab[widgets]'`); everything else in backproplab works
without it, and `autograd.forward_steps` / `autograd.backward_steps` give the same steps as text.
"""

from __future__ import annotations

import html
from typing import Any

import graphviz

from .drawing import GraphvizNotFoundError, pipe
from .drawing import draw as draw_graph
from .steps import DEFAULT_PRECISION, check_precision, forward_steps, replay_backward
from .value import Value

__all__ = ["stepper", "Stepper"]

INSTALL = "pip install 'backproplab[widgets]'"


def _ipywidgets() -> Any:
    """Import ipywidgets, or say how to install it."""
    try:
        import ipywidgets
    except ImportError as exc:
        raise ImportError(
            f"autograd.widgets needs ipywidgets, which is not installed: {INSTALL} "
            f"(or pip install ipywidgets); without it, print autograd.forward_steps(root) and "
            f"autograd.backward_steps(root) instead"
        ) from exc
    return ipywidgets


class Stepper:
    """The state behind the stepper widget: what to caption and draw at each slider position.

    Position 0 shows only the inputs; positions 1…F are the F forward steps (one per operation
    node); positions F+1…F+B are the backward steps. No `.grad` is ever changed: the gradients
    shown are those of one fresh backward().

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
        for option in ("step", "forward_step"):
            if option in draw_options:
                raise TypeError(f"stepper() chooses {option} itself; do not pass it")
        self.root = root
        self.draw_options = draw_options
        self._forward = forward_steps(root, precision)
        self._backward = list(replay_backward(root, precision))
        draw_graph(root, forward_step=0, **draw_options)  # check the options and the size now
        self.positions = 1 + len(self._forward) + len(self._backward)

    def _check(self, position: object) -> int:
        """The position, if it is an int from 0 to positions − 1; ValueError otherwise."""
        if type(position) is not int or not 0 <= position < self.positions:
            raise ValueError(f"position must be from 0 to {self.positions - 1}, got {position!r}")
        return position

    def caption(self, position: int) -> str:
        """What happens at this position, in words."""
        position = self._check(position)
        n_forward = len(self._forward)
        if position == 0:
            return "The inputs; move the slider to run the forward pass."
        if position <= n_forward:
            return f"Forward pass, step {position} of {n_forward}: {self._forward[position - 1]}"
        return f"Backward pass, {self._backward[position - n_forward - 1]}"

    def graph(self, position: int) -> graphviz.Digraph:
        """The drawing at this position."""
        position = self._check(position)
        n_forward = len(self._forward)
        if position <= n_forward:
            return draw_graph(self.root, forward_step=position, **self.draw_options)
        return draw_graph(self.root, step=position - n_forward, **self.draw_options)

    def html(self, position: int) -> str:
        """The caption and the picture as HTML (the DOT source if Graphviz's `dot` is missing)."""
        caption = f"<pre>{html.escape(self.caption(position))}</pre>"
        dot = self.graph(position)
        try:
            svg = pipe(dot, "svg").decode("utf-8")
            picture = svg[svg.find("<svg") :]  # without the XML prolog, to sit inside HTML
        except GraphvizNotFoundError as exc:  # show the DOT text and the fix
            picture = f"<p>{html.escape(str(exc))}</p><pre>{html.escape(dot.source)}</pre>"
        return caption + picture


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
        An ipywidgets.VBox: the play button and slider, then the step and the picture.

    Raises:
        ImportError: If ipywidgets is not installed (`pip install 'backproplab[widgets]'`).
    """
    widgets = _ipywidgets()
    check_precision(precision, allow_none=False)  # before min() below, which a bad value would break
    draw_options.setdefault("precision", min(precision, 4))
    state = Stepper(root, precision, draw_options)
    last = state.positions - 1
    slider = widgets.IntSlider(value=0, min=0, max=last, step=1, description="step", continuous_update=False)
    play = widgets.Play(value=0, min=0, max=last, step=1, interval=1500, description="play")
    widgets.jslink((play, "value"), (slider, "value"))
    view = widgets.HTML(value=state.html(0))

    def show(change: dict[str, Any]) -> None:
        view.value = state.html(change["new"])

    slider.observe(show, names="value")
    box = widgets.VBox([widgets.HBox([play, slider]), view])
    box.stepper = state  # for code and tests that want the state behind the widget
    return box
