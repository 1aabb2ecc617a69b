"""The notebook stepper: builds with ipywidgets, walks forward then backward, and says what to install."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
from graphs import lecture_sigmoid

from autograd import Value
from autograd.drawings.player import frames
from autograd.drawings.widgets import StaticSteps, Stepper, stepper
from autograd.views.graph_view import GraphView


def test_stepper_walks_the_forward_then_the_backward_pass() -> None:
    f, _x, w, _b = lecture_sigmoid()
    box = stepper(f)
    controls, view = box.children
    play, slider = controls.children
    assert (slider.min, slider.max, slider.value) == (0, 12, 0)  # inputs, 6 forward, 6 backward
    assert (play.min, play.max) == (0, 12)
    assert ">The inputs; step forward to run the forward pass.</pre>" in view.value and "<svg" in view.value
    slider.value = 3
    assert "Forward pass, step 3 of 6: h3 = −h2 = −0 = 0" in view.value
    assert ">?</text>" in view.value  # the values of h4, h5, h6 are not computed yet
    slider.value = 7
    assert "Backward pass, step 1: h6, ∂f/∂h6 = 1" in view.value
    assert "∂h6/∂h5 = −1/h5² = −0.25" in view.value
    slider.value = 12
    assert "step 6: h1" in view.value and "∂f/∂w = 0.25" in view.value
    assert (w.grad, f.grad) == (0.0, 0.0)  # the widget never touches .grad


def test_stepper_passes_drawing_options_on() -> None:
    f, *_ = lecture_sigmoid()
    state: Stepper = stepper(f, rankdir="TB", show_local=True).stepper
    assert "rankdir=TB" in state.graph(0).source
    assert "∂h6/∂h5 = −0.25" in state.graph(12).source
    with pytest.raises(ValueError, match="position must be from 0 to 12, got 13"):
        state.graph(13)
    for bad in (-1, 13, 2.0):
        with pytest.raises(ValueError, match="position must be from 0 to 12"):
            state.caption(bad)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="precision must be an int from 1 to 17"):
        stepper(f, precision="3")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="stepper\\(\\) chooses step itself"):
        stepper(f, step=2)
    with pytest.raises(ValueError, match="rankdir must be one of"):
        stepper(f, rankdir="diagonal")


def test_stepper_without_ipywidgets_shows_every_step_and_a_hint(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "ipywidgets", None)  # makes `import ipywidgets` fail
    f, *_ = lecture_sigmoid()
    shown = stepper(f)
    assert isinstance(shown, StaticSteps)
    text = repr(shown).splitlines()
    assert text[0].startswith("ipywidgets is not installed") and "pip install ipywidgets" in text[0]
    assert text[1] == "The inputs; step forward to run the forward pass."
    assert text[2] == "Forward pass, step 1 of 6: h1 = w × x = 0 × 1 = 0"
    assert sum(line.startswith("Forward pass, step ") for line in text) == 6
    assert sum(line.startswith("Backward pass, ") for line in text) == 6
    page = shown._repr_html_()
    assert page.count("<svg") == 13 and page.startswith("<p><i>ipywidgets is not installed")
    assert "Backward pass, step 6: h1, ∂f/∂h1 = 0.25" in page and page.count('visibility="hidden"') > 0
    with pytest.raises(ValueError, match="rankdir must be one of"):
        stepper(f, rankdir="diagonal")  # options are still checked


def test_stepper_without_dot_shows_the_dot_source_and_how_to_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # an empty directory: no `dot`
    f, *_ = lecture_sigmoid()
    page = Stepper(f).html(1)
    assert ">Forward pass, step 1 of 6: h1 = w × x = 0 × 1 = 0</pre>" in page
    assert "apt-get install -y graphviz" in page and "digraph backproplab" in page and "<svg" not in page


def test_stepper_keeps_one_layout_fits_the_width_and_shares_the_players_frames() -> None:
    """Every position shows the same picture (same shapes, same places), as wide as the output area."""
    f, *_ = lecture_sigmoid()
    state = Stepper(f)
    pages = [state.html(p) for p in range(state.positions)]
    shapes = {tuple(re.findall(r'(?:d|points|cx|cy)="[^"]*"', page)) for page in pages}
    assert len(shapes) == 1 and len(next(iter(shapes))) > 20
    heights = {re.search(r'<pre style="[^"]*height: ([0-9.]+em)', page).group(1) for page in pages}  # type: ignore[union-attr]
    assert heights == {"4.8em"}  # three lines at most (a backward step with two inputs), for every step
    assert all('<svg style="display: block; width: 100%; height: auto' in page for page in pages)
    assert all(not re.search(r'<svg[^>]* width="[0-9.]+pt"', page) for page in pages)  # no fixed width
    # forward step 3: h3's node and its edge from h2 in orange; the later values are "?"
    assert pages[3].count('stroke="#e67e22"') == 1 + 2 and pages[3].count(">?</text>") == 3
    # the last backward step: every gradient visible, ∂f/∂w = 0.25 and the constant's edge −0.25
    assert 'visibility="hidden"' not in pages[12] and "∂f/∂w = 0.25" in pages[12]
    view = GraphView(f, 6)
    assert [state.caption(p) for p in range(state.positions)] == [fr.caption for fr in frames(view)]


def test_stepper_writes_the_leaves_running_totals_at_the_drawings_precision() -> None:
    x = Value(2.0, "x")
    f = x.sigmoid()  # ∂f/∂x = σ(2)(1 − σ(2)) = 0.10499358540350652
    state = Stepper(f, 6, {"precision": 6})
    last = state.positions - 1
    assert ">∂f/∂x = 0.104994</text>" in state.html(last)
    assert ">∂f/∂x = 0.1050</text>" in Stepper(f).html(last)  # the drawing's default: 4 significant digits
    assert 'visibility="hidden">∂f/∂x' in state.html(1)  # not known during the forward pass
