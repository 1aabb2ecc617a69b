"""The lecture player: one offline HTML page, tested in a real browser (Debian's chromium via Playwright)."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pytest
from graphs import lecture_sigmoid
from players import current, edge_texts
from playwright.sync_api import Browser

from autograd import Value, save_html, zero_grad
from autograd.cli.main import main
from autograd.drawings.player import frames
from autograd.views.graph_view import GraphView
from autograd.views.numbers import format_value


def test_keys_walk_forward_then_backward_with_the_step_text_and_highlight(
    tmp_path: Path, open_page: Any
) -> None:
    f, *_ = lecture_sigmoid()
    path = save_html(f, tmp_path / "lesson.html")
    page = open_page(path)
    assert page.inner_text("#caption") == "The inputs; step forward to run the forward pass."
    assert current(page) == []
    # h1 = w × x is node n2 (w, x are n0, n1); the edges into it are e2_0 and e2_1
    page.keyboard.press("ArrowRight")
    assert page.inner_text("#caption") == "Forward pass, step 1 of 6: h1 = w × x = 0 × 1 = 0"
    assert sorted(current(page)) == ["e2_0", "e2_1", "n2"]
    assert page.inner_text("#position") == "step 1 of 12"
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    assert page.inner_text("#caption") == "Forward pass, step 3 of 6: h3 = −h2 = −0 = 0"
    # h3 (n5) is computed, h4 (n6) not yet: e6_0 carries 0 into h4, e8_0 carries "?" into h5,
    # and every gradient is a "?" still
    (value, grad) = edge_texts(page, "e6_0")
    assert value[0] == "0" and grad[0] == "?" and grad[1] == "#9e9e9e"
    (value, grad) = edge_texts(page, "e8_0")
    assert value[0] == "?" and value[1] == "#9e9e9e" and grad[0] == "?"
    assert page.locator("#table tr.current td").first.inner_text() == "h3"
    for _ in range(4):
        page.keyboard.press("ArrowRight")
    assert page.inner_text("#caption").startswith("Backward pass, step 1: h6, ∂f/∂h6 = 1\n")
    assert "∂h6/∂h5 = −1/h5² = −0.25" in page.inner_text("#caption")
    assert page.locator("#table tr.current td").first.inner_text() == "h6"
    page.keyboard.press("ArrowLeft")
    assert page.inner_text("#caption") == "Forward pass, step 6 of 6: h6 = 1/h5 = 1/2 = 0.5"
    page.keyboard.press("End")
    assert page.inner_text("#caption").startswith("Backward pass, step 6: h1, ∂f/∂h1 = 0.25")
    assert "∂f/∂w so far = 0.25" in page.inner_text("#caption")
    page.keyboard.press("Home")
    assert page.inner_text("#position") == "step 0 of 12"
    page.click("#next")
    assert page.inner_text("#position") == "step 1 of 12"
    # the step texts are the notebook stepper's, from the same frames
    view = GraphView(f, 4)
    captions = [fr.caption for fr in frames(view)]
    for i in range(len(captions)):
        page.fill("#slider", str(i))
        page.dispatch_event("#slider", "input")
        assert page.inner_text("#caption") == captions[i]
    assert [r for r in page.requests if r != path.resolve().as_uri()] == []  # nothing fetched: offline


def test_the_numbers_shown_are_the_engines(tmp_path: Path, open_page: Any) -> None:
    """After the last step every gradient on the page equals what backward() leaves in .grad."""
    x, y = Value(-2.0, "x"), Value(5.0, "y")
    z = Value(-4.0, "z")
    q = x + y
    f = (q * z + x.tanh()) * 0.5
    page = open_page(save_html(f, tmp_path / "lesson.html", precision=6))
    page.keyboard.press("End")
    zero_grad(f)
    f.backward()
    view = GraphView(f, 6)
    for node in view.ops:
        for slot, (parent, local) in enumerate(zip(node.parents, node.local_grads)):
            value, grad = edge_texts(page, f"e{view.index[node]}_{slot}")
            assert value[0] == format_value(parent.data, 6)
            assert grad[0] == format_value(node.grad * local, 6) and grad[2]
    for leaf in (x, y, z):
        texts = [t for t, _, shown in edge_texts(page, f"n{view.index[leaf]}") if shown]
        assert f"∂f/∂{leaf.label} = {format_value(leaf.grad, 6)}" in texts
        assert f"= {format_value(leaf.data, 6)}" in texts
    rows = page.eval_on_selector_all(
        "#table tbody tr", "rs => rs.map(r => Array.from(r.cells).map(c => c.textContent))"
    )
    assert [(r[3], r[4]) for r in rows] == [
        (format_value(n.data, 6), format_value(n.grad, 6)) for n in view.ops
    ]
    assert rows[-1][0] == "h5" and rows[-1][3] == format_value(
        ((-2.0 + 5.0) * -4.0 + -0.9640275800758169) * 0.5, 6
    )


def test_presenter_mode_large_type_high_contrast_and_colour_blind_palette(
    tmp_path: Path, open_page: Any
) -> None:
    f, *_ = lecture_sigmoid()
    page = open_page(save_html(f, tmp_path / "lesson.html"))
    size = page.eval_on_selector("#caption", "c => parseFloat(getComputedStyle(c).fontSize)")
    page.keyboard.press("End")
    page.keyboard.press("p")
    assert page.eval_on_selector("body", "b => b.classList.contains('presenter')")
    assert page.get_attribute("#presenter", "aria-pressed") == "true"
    big = page.eval_on_selector("#caption", "c => parseFloat(getComputedStyle(c).fontSize)")
    assert big >= 1.5 * size
    fills = page.eval_on_selector_all(
        "#e2_0 text", "ts => ts.map(t => getComputedStyle(t).fill)"
    )  # Okabe–Ito blue and vermillion
    assert fills == ["rgb(0, 114, 178)", "rgb(213, 94, 0)"]
    assert page.eval_on_selector("body", "b => getComputedStyle(b).backgroundColor") == "rgb(255, 255, 255)"
    page.screenshot(path=str(tmp_path / "presenter.png"))
    page.click("#presenter")
    assert not page.eval_on_selector("body", "b => b.classList.contains('presenter')")
    page.keyboard.press("t")  # hide the table
    assert page.locator("#side").is_hidden() and page.get_attribute("#show-table", "aria-pressed") == "false"
    page.keyboard.press("t")
    # the sigmoid drawn top to bottom: without the table the picture stays as tall, and is centred
    page = open_page(save_html(f, tmp_path / "tall.html", rankdir="TB"))
    narrow = page.locator("#picture svg").bounding_box()
    page.keyboard.press("t")
    wide = page.locator("#picture svg").bounding_box()
    assert narrow is not None and wide is not None and wide["height"] >= narrow["height"]
    assert abs(wide["x"] + wide["width"] / 2 - 683) < 2
    page.click("#show-table")
    assert page.locator("#side").is_visible()
    page = open_page(save_html(f, tmp_path / "p.html", presenter=True))
    assert page.eval_on_selector("body", "b => b.classList.contains('presenter')")


def small_mlp_loss() -> Value:
    from nn import MLP

    model = MLP(2, [2, 1], activation="tanh", seed=0)
    out = model([Value(0.5, "x0"), Value(-1.0, "x1")])
    assert isinstance(out, Value)
    return (out - 1.0) ** 2


@pytest.mark.parametrize("width", [1024, 1366])
@pytest.mark.parametrize("graph", ["sigmoid", "mlp"])
def test_the_picture_fits_the_screen_and_the_controls_stay_in_view(
    tmp_path: Path, open_page: Any, width: int, graph: str
) -> None:
    f = lecture_sigmoid()[0] if graph == "sigmoid" else small_mlp_loss()
    positions = 1 + 2 * len(GraphView(f).ops)
    page = open_page(save_html(f, tmp_path / "lesson.html"), width=width)
    layouts = set()
    for p in range(positions):
        page.fill("#slider", str(p))
        page.dispatch_event("#slider", "input")
        box = page.locator("#picture svg").bounding_box()
        caption = page.locator("#caption").bounding_box()
        assert box is not None and caption is not None
        assert box["x"] >= 0 and box["x"] + box["width"] <= width
        layouts.add((round(box["y"]), round(box["height"]), round(caption["y"]), round(caption["height"])))
        assert page.evaluate("document.documentElement.scrollWidth") <= width  # no sideways scrolling
        # the whole step text is in view: the caption box is as tall as the tallest step
        assert page.eval_on_selector("#caption", "c => c.scrollHeight <= c.clientHeight + 1")
    assert len(layouts) == 1  # one layout for every step: nothing jumps
    slider = page.locator("#slider").bounding_box()
    assert slider is not None and slider["y"] >= 0 and slider["x"] + slider["width"] <= width


def test_bad_paths_and_arguments_are_refused_clearly(tmp_path: Path) -> None:
    f, *_ = lecture_sigmoid()
    blocker = tmp_path / "file"
    blocker.write_text("")
    with pytest.raises(
        OSError, match=r"cannot write the lecture player to '.*file/x.html': '.*file' is a file, not a folder"
    ):
        save_html(f, blocker / "x.html")
    with pytest.raises(ValueError, match="must end in .html or .htm, got '.*lesson.svg'"):
        save_html(f, tmp_path / "lesson.svg")
    with pytest.raises(ValueError, match="rankdir must be one of"):
        save_html(f, tmp_path / "a.html", rankdir="up")
    with pytest.raises(ValueError, match="precision must be an int from 1 to 17"):
        save_html(f, tmp_path / "a.html", precision=0)
    with pytest.raises(ValueError, match="more than max_nodes=5"):
        save_html(f, tmp_path / "a.html", max_nodes=5)
    with pytest.raises(TypeError, match="root must be a Value"):
        save_html(1.0, tmp_path / "a.html")  # type: ignore[arg-type]
    with pytest.raises(OSError, match=r"cannot write the lecture player to '/proc/.*': No such file"):
        save_html(f, "/proc/no-such-process/lesson.html")
    assert not list(tmp_path.glob("*.html"))


def test_cli_writes_the_player(tmp_path: Path, capsys: pytest.CaptureFixture[str], open_page: Any) -> None:
    out = tmp_path / "lesson.html"
    assert (
        main(["(x + y) * z", "x=-2", "y=5", "z=-4", "-o", str(tmp_path / "g.dot"), "--html", str(out)]) == 0
    )
    assert f"Lecture player written to {out}" in capsys.readouterr().out
    page = open_page(out)
    assert page.inner_text("h1") == "f = (x + y) * z"
    page.keyboard.press("End")
    assert "∂f/∂x = −4" in [t for t, _, shown in edge_texts(page, "n0") if shown]
    assert main(["x", "x=1", "-o", str(tmp_path / "g.dot"), "--html", str(tmp_path / "a.txt")]) == 2
    assert "--html needs a file name ending in .html" in capsys.readouterr().err
    blocker = tmp_path / "file"
    blocker.write_text("")
    assert main(["x * 2", "x=1", "-o", str(tmp_path / "g.dot"), "--html", str(blocker / "p.html")]) == 1
    assert "cannot write the lecture player" in capsys.readouterr().err


@pytest.mark.parametrize("width", [700, 1024])
def test_the_notebook_steppers_picture_fits_its_output_area_in_chromium(browser: Browser, width: int) -> None:
    """JupyterLab's output area on a 1024-px screen is about 900 px wide: the stepper's HTML fits in it."""
    from autograd.drawings.widgets import Stepper

    f, *_ = lecture_sigmoid()
    state = Stepper(f)
    page = browser.new_page(viewport={"width": width + 100, "height": 800})
    try:
        boxes = set()
        for position in range(state.positions):
            page.set_content(f'<div id="out" style="width: {width}px">{state.html(position)}</div>')
            assert page.evaluate("document.getElementById('out').scrollWidth") <= width
            svg = page.locator("svg").bounding_box()
            assert svg is not None and svg["width"] <= width
            boxes.add((round(svg["y"]), round(svg["width"]), round(svg["height"])))
        assert len(boxes) == 1  # the same place and size at every step: nothing jumps
    finally:
        page.close()


def test_labels_with_markup_are_shown_as_text(tmp_path: Path, open_page: Any) -> None:
    a = Value(2.0, "</script><b>a & b")
    f = a * a
    page = open_page(save_html(f, tmp_path / "lesson.html"))
    page.keyboard.press("ArrowRight")
    assert (
        page.inner_text("#caption")
        == "Forward pass, step 1 of 1: h1 = </script><b>a & b × </script><b>a & b = 2 × 2 = 4"
    )
    assert page.locator("#table td").first.inner_text() == "h1"
    assert page.locator("b").count() == 0  # no element was made from a label


@pytest.mark.parametrize("label", ["<!--<script", "</script>", "<!-- x --> & ]]> \u2028 {title}", "<script>"])
def test_a_hostile_label_cannot_stop_the_script(tmp_path: Path, open_page: Any, label: str) -> None:
    a = Value(2.0, label)
    b = Value(3.0, "b")
    f = (a * b).exp()
    page = open_page(save_html(f, tmp_path / "lesson.html", title=f"f = {label}"))
    assert page.inner_text("#position") == "step 0 of 4"  # the script ran
    page.keyboard.press("ArrowRight")
    assert page.inner_text("#position") == "step 1 of 4"
    assert page.inner_text("#caption") == f"Forward pass, step 1 of 2: h1 = {label} × b = 2 × 3 = 6"
    page.keyboard.press("End")
    assert f"∂f/∂{label} = " + format_value(3 * math.exp(6.0), 4) in [
        t for t, _, shown in edge_texts(page, "n0") if shown
    ]
    assert page.locator("#table td").nth(1).inner_text() == f"{label} × b"
    assert page.title() == f"f = {label}"
    assert page.locator("body script").count() == 2  # the page's data and script: none made from a label
