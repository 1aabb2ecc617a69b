"""The notebook stepper in a real JupyterLab, opened in Debian's chromium (driven by Playwright).

A private `jupyter lab` (temporary notebook, config, data and runtime directories; no token) runs a
notebook that shows stepper(f) for the lecture sigmoid; the tests check, at a 1366- and a 1024-px
window, that the picture fits the output area, that the slider and the play button change the
step text and the picture, that the picture keeps its size at every step, and that the controls
stay in view.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from typing import Any

import pytest
from graphs import lecture_sigmoid
from jupyter_lab import notebook_of, serve
from playwright.sync_api import Browser, Page
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from autograd.drawings.widgets import Stepper

WAIT = 30_000  # milliseconds for the page, the kernel and the widget

CELLS = [
    "import sys\nprint(sys.executable)",
    "from autograd import Value, stepper",
    "x, w, b = Value(1.0, 'x'), Value(0.0, 'w'), Value(0.0, 'b')\nf = 1 / ((-(w * x + b)).exp() + 1)",
    "stepper(f)",
]

# The output area that holds the widget, and the widget's parts (ipywidgets 8 class names).
MEASURE = """() => {
  const out = document.querySelector('.jp-OutputArea-output .widget-vbox').closest('.jp-OutputArea-output');
  const box = out.querySelector('.widget-vbox');
  const notebook = out.closest('.jp-WindowedPanel-outer') || out.closest('.jp-Notebook');
  const svg = out.querySelector('svg');
  const pre = out.querySelector('pre');
  const play = out.querySelector('.widget-play button');
  const slider = out.querySelector('.widget-slider');
  const rect = e => { const r = e.getBoundingClientRect();
                      return {left: r.left, right: r.right, top: r.top, bottom: r.bottom,
                              width: r.width, height: r.height}; };
  return {
    out: rect(out), outClient: out.clientWidth, outScroll: out.scrollWidth,
    box: rect(box), boxClient: box.clientWidth, boxScroll: box.scrollWidth,
    svg: rect(svg), svgHtml: svg.outerHTML, caption: pre.textContent, pre: rect(pre),
    play: rect(play), slider: rect(slider),
    value: out.querySelector('.widget-readout').textContent.trim(),
    innerWidth: window.innerWidth, innerHeight: window.innerHeight,
    pageScroll: document.documentElement.scrollWidth,
    notebookScroll: notebook.scrollWidth, notebookClient: notebook.clientWidth,
  };
}"""


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A private `jupyter lab` serving stepper.ipynb; yields the notebook's URL."""
    with serve(tmp_path_factory.mktemp("jupyterlab"), "stepper.ipynb", notebook_of(CELLS)) as url:
        yield url


def _open(browser: Browser, url: str, width: int) -> Page:
    """Open the notebook at this window width, run all cells, and wait for the stepper."""
    page = browser.new_page(viewport={"width": width, "height": 768})
    page.set_default_timeout(WAIT)
    page.errors = []  # type: ignore[attr-defined]
    page.on("pageerror", lambda e: page.errors.append(str(e)))  # type: ignore[attr-defined]
    page.goto(url)
    page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=WAIT)
    page.wait_for_function(
        "() => window.jupyterapp && window.jupyterapp.commands.hasCommand('notebook:run-all-cells')"
    )
    # the notebook must be connected to its (idle) kernel before running, or run-all is dropped
    page.wait_for_function(
        "() => { const w = window.jupyterapp.shell.currentWidget;"
        " return w && w.sessionContext && w.sessionContext.session"
        " && w.sessionContext.session.kernel && w.sessionContext.session.kernel.status === 'idle'; }",
        timeout=WAIT,
    )
    page.evaluate("() => { window.jupyterapp.commands.execute('notebook:run-all-cells'); }")
    try:
        page.wait_for_selector(".jp-OutputArea-output .widget-vbox svg", timeout=WAIT)
    except PlaywrightTimeoutError as exc:  # say what the notebook shows instead
        cells = page.evaluate("() => [...document.querySelectorAll('.jp-Cell')].map(c => c.innerText)")
        raise RuntimeError(f"no stepper within {WAIT / 1000:.0f} s; the cells show: {cells}") from exc
    # the play button's icon font arrives after the widget; measure once it is there
    page.wait_for_function(
        "() => document.fonts.status === 'loaded'"
        " && [...document.fonts].every(face => face.status !== 'loading')",
        timeout=WAIT,
    )
    return page


@pytest.fixture(scope="module", params=[1366, 1024], ids=lambda w: f"{w}px")
def notebook(request: pytest.FixtureRequest, lab: str, browser: Browser) -> Iterator[Page]:
    """The notebook, run, at a 1366- or a 1024-px wide window; no script errors by the end."""
    page = _open(browser, lab, request.param)
    try:
        yield page
        assert page.errors == []  # type: ignore[attr-defined]
    finally:
        page.close()


@pytest.fixture(scope="module")
def state() -> Stepper:
    """The stepper's state in this process: what the widget must show at each position."""
    f, _, _, _ = lecture_sigmoid()
    return Stepper(f)


def measure(page: Page) -> dict[str, Any]:
    result: dict[str, Any] = page.evaluate(MEASURE)
    return result


def wait_for_position(page: Page, state: Stepper, position: int) -> dict[str, Any]:
    """Wait (bounded) until the widget shows this position's number and caption; then measure."""
    page.wait_for_function(
        """([value, caption]) => {
             const out = document.querySelector('.jp-OutputArea-output .widget-vbox');
             return out.querySelector('.widget-readout').textContent.trim() === value
                 && out.querySelector('pre').textContent === caption;
           }""",
        arg=[str(position), state.caption(position)],
        timeout=WAIT,
    )
    return measure(page)


def check_layout(m: dict[str, Any]) -> None:
    """The picture fits the output area, nothing scrolls sideways, and the controls are in view."""
    out, svg = m["out"], m["svg"]
    m = {key: value for key, value in m.items() if key != "svgHtml"}  # shorter failure messages
    assert m["outScroll"] <= m["outClient"], m  # the output area does not scroll sideways
    assert m["boxScroll"] <= m["boxClient"], m  # nor does the widget inside it
    assert m["notebookScroll"] <= m["notebookClient"], m  # nor the notebook
    assert m["pageScroll"] <= m["innerWidth"], m  # nor the page
    assert svg["width"] <= m["outClient"] + 0.5, m
    assert out["left"] - 0.5 <= svg["left"] and svg["right"] <= out["right"] + 0.5, m
    assert svg["width"] > 0.5 * m["outClient"], m  # fitted, not shrunk to a stamp
    for control in ("play", "slider"):
        r = m[control]
        assert out["left"] - 0.5 <= r["left"] and r["right"] <= out["right"] + 0.5, (control, m)
        assert r["left"] >= 0 and r["right"] <= m["innerWidth"], (control, m)
        assert r["top"] >= 0 and r["bottom"] <= m["innerHeight"], (control, m)


def same_layout(m: dict[str, Any], first: dict[str, Any]) -> None:
    """The picture, the caption and the whole widget keep their place and size."""
    for part in ("svg", "pre", "box", "play", "slider"):
        for key in ("left", "top", "width", "height"):
            assert abs(m[part][key] - first[part][key]) < 0.5, (part, key, m[part], first[part])


def test_the_slider_walks_every_step_with_one_layout_that_fits(notebook: Page, state: Stepper) -> None:
    handle = notebook.locator(".jp-OutputArea-output .widget-slider .noUi-handle")
    handle.focus()
    handle.press("Home")
    first = wait_for_position(notebook, state, 0)
    check_layout(first)
    previous = first
    for position in range(1, state.positions):
        handle.press("ArrowRight")
        m = wait_for_position(notebook, state, position)
        assert m["svgHtml"] != previous["svgHtml"], f"the picture did not change at step {position}"
        check_layout(m)
        same_layout(m, first)
        previous = m
    handle.press("ArrowRight")  # at the end, the slider stays put
    check_layout(wait_for_position(notebook, state, state.positions - 1))


def test_play_steps_on_by_itself_and_pause_stops_it(notebook: Page, state: Stepper) -> None:
    handle = notebook.locator(".jp-OutputArea-output .widget-slider .noUi-handle")
    handle.focus()
    handle.press("Home")
    first = wait_for_position(notebook, state, 0)
    play = notebook.locator(".jp-OutputArea-output .widget-play button").first
    play.click()
    one = wait_for_position(notebook, state, 1)
    two = wait_for_position(notebook, state, 2)
    play.click()  # the same button pauses
    assert len({first["svgHtml"], one["svgHtml"], two["svgHtml"]}) == 3, "the picture did not change"
    for m in (one, two):
        check_layout(m)
        same_layout(m, first)
    notebook.wait_for_timeout(300)  # a step already started by the timer shows up in the readout
    paused = wait_for_position(notebook, state, int(measure(notebook)["value"]))  # and its caption
    assert int(paused["value"]) in (2, 3)
    notebook.wait_for_timeout(2500)  # longer than the play interval (1.5 s)
    now = measure(notebook)
    assert (now["value"], now["caption"]) == (paused["value"], paused["caption"]), "pause did not stop"


def test_the_kernel_is_this_environments_python(notebook: Page) -> None:
    first_output = notebook.locator(".jp-Cell").nth(0).locator(".jp-OutputArea-output")
    assert first_output.inner_text(timeout=WAIT).strip() == sys.executable
