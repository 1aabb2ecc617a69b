"""fit(live=True) in a real JupyterLab, opened in Debian's chromium (driven by Playwright).

A private `jupyter lab` (temporary directories, no token, this venv's python as the kernel) runs a
notebook that trains a 2-4-1 MLP on two moons for three epochs with live=True; at a 1366- and a
1024-px window the widget must show the last epoch with the network, the loss curve and the
boundary inside the output area, and its slider must step back to the first epoch.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from jupyter_lab import notebook_of, serve
from playwright.sync_api import Browser

WAIT = 60_000  # milliseconds for the page, the kernel and three epochs
CELLS = [
    "import nn\nx, y = nn.data.moons(40, noise=0.1, seed=0)\nmodel = nn.MLP(2, [4, 1], seed=0)",
    "history = nn.fit(model, x, 2 * y - 1, loss='hinge', epochs=3, live=True)",
]
MEASURE = """() => {
  const out = document.querySelector('.jp-OutputArea-output .widget-vbox').closest('.jp-OutputArea-output');
  const head = out.querySelector('.live-head');
  const rect = e => { const r = e.getBoundingClientRect();
                      return {left: r.left, right: r.right, width: r.width, height: r.height}; };
  return {out: rect(out), outScroll: out.scrollWidth, outClient: out.clientWidth,
          epoch: head.dataset.epoch, loss: head.dataset.loss, text: head.innerText,
          network: rect(out.querySelector('.network svg')), curve: rect(out.querySelector('.loss-curve')),
          boundary: rect(out.querySelector('.boundary')), weights: rect(out.querySelector('table.weights')),
          readout: out.querySelector('.widget-readout').textContent.trim()};
}"""


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A private `jupyter lab` serving live.ipynb; yields the notebook's URL."""
    with serve(tmp_path_factory.mktemp("lab"), "live.ipynb", notebook_of(CELLS)) as url:
        yield url


@pytest.mark.parametrize("width", [1366, 1024])
def test_the_live_widget_fits_the_output_area_and_steps_back(lab: str, browser: Browser, width: int) -> None:
    page = browser.new_page(viewport={"width": width, "height": 768})
    page.set_default_timeout(WAIT)
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(lab)
    page.wait_for_function(
        "() => { const w = window.jupyterapp && window.jupyterapp.shell.currentWidget;"
        " return w && w.sessionContext && w.sessionContext.session"
        " && w.sessionContext.session.kernel && w.sessionContext.session.kernel.status === 'idle'; }"
    )
    page.evaluate("() => { window.jupyterapp.commands.execute('notebook:run-all-cells'); }")
    page.wait_for_selector(".jp-OutputArea-output .widget-vbox .live-head[data-epoch='3']")
    # training is over (no cell still running), so the slider is live
    page.wait_for_function(
        "() => [...document.querySelectorAll('.jp-InputPrompt')].every(p => !p.innerText.includes('*'))"
    )
    seen: dict[str, Any] = page.evaluate(MEASURE)
    assert seen["epoch"] == "3" and seen["readout"] == "3" and seen["text"].startswith("epoch 3 of 3 · loss ")
    out = seen["out"]
    assert seen["outScroll"] <= seen["outClient"] + 1  # nothing sticks out sideways
    for part in ("network", "curve", "boundary", "weights"):
        box = seen[part]
        assert box["width"] > 50 and box["height"] > 20, part
        assert out["left"] - 1 <= box["left"] and box["right"] <= out["right"] + 1, part
    assert seen["network"]["width"] >= 0.45 * out["width"]  # the network gets the room, not a thumbnail
    first = float(seen["loss"])
    page.locator(".widget-vbox .widget-slider .noUi-handle").focus()  # ipywidgets 8's slider
    for _ in range(2):
        page.keyboard.press("ArrowLeft")  # the slider's own keys: back to epoch 1
    page.wait_for_selector(".jp-OutputArea-output .live-head[data-epoch='1']")
    back = page.evaluate(MEASURE)
    assert back["readout"] == "1" and float(back["loss"]) > first  # epoch 1 lost more than epoch 3
    assert errors == []
    page.close()
