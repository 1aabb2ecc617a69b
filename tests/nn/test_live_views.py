"""fit(live=True) where people see it: in a Jupyter kernel (nbclient), and its page in Debian's chromium."""

from __future__ import annotations

import ast
import re
from pathlib import Path
from typing import Any

import nbformat
import pytest
from nbclient import NotebookClient
from playwright.sync_api import Browser, Page

import nn

SETUP = "import nn\nx, y = nn.data.moons(40, noise=0.1, seed=0)\nmodel = nn.MLP(2, [4, 1], seed=0)"
FIT = "history = nn.fit(model, x, 2 * y - 1, loss='hinge', epochs=3, live=True)"


class _Client(NotebookClient):
    """An nbclient that also keeps every widget state update the kernel sends, in order."""

    def handle_comm_msg(self, outs: list[Any], msg: dict[str, Any], cell_index: int) -> None:
        state = msg["content"]["data"].get("state")
        if state is not None:
            UPDATES.append((cell_index, msg["content"]["comm_id"], state))
        super().handle_comm_msg(outs, msg, cell_index)


UPDATES: list[tuple[int, str, dict[str, Any]]] = []


def _run(cells: list[str], tmp_path: Path) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells])
    UPDATES.clear()
    _Client(nb, kernel_name="python3", timeout=300, resources={"metadata": {"path": str(tmp_path)}}).execute()
    return nb


def _losses(cell: nbformat.NotebookNode) -> list[float]:
    text = "".join(out.get("text", "") for out in cell.outputs if out.output_type == "stream")
    losses: list[float] = ast.literal_eval(text.strip().splitlines()[-1])
    return losses


def test_in_a_notebook_the_widget_shows_each_epoch_as_it_ends(tmp_path: Path) -> None:
    nb = _run([SETUP, FIT, "print(repr(history.loss))"], tmp_path)
    shown = [out for out in nb.cells[1].outputs if out.output_type == "display_data"]
    assert len(shown) == 1 and "application/vnd.jupyter.widget-view+json" in shown[0].data
    losses = _losses(nb.cells[2])
    pages = [s["value"] for i, _, s in UPDATES if i == 1 and 'class="live-head"' in str(s.get("value"))]
    assert [re.search(r'data-epoch="(\d+)"', p).group(1) for p in pages] == ["1", "2", "3"]  # type: ignore[union-attr]
    for k, page in enumerate(pages):
        assert f'data-loss="{losses[k]!r}"' in page  # the History's numbers, epoch by epoch
        network = page[page.index('class="network"') : page.index("<figure")]
        assert "<svg" in network and "layer0 · neuron3" in network and "layer1 · neuron0" in network
        curve = re.search(r'<polyline class="loss" points="([^"]*)"', page)
        assert curve is not None and len(curve.group(1).split()) == k + 1
        assert '<svg class="boundary"' in page and page.count("<circle cx=") == 40
    # when training ends the slider steps back through the epochs
    (slider,) = {c for _, c, s in UPDATES if s.get("_model_name") == "IntSliderModel"}
    final: dict[str, Any] = {}
    for _, comm, state in UPDATES:
        if comm == slider:
            final.update(state)
    assert final["max"] == 3 and final["value"] == 3 and final["disabled"] is False


def test_in_a_notebook_without_ipywidgets_it_prints_a_line_per_epoch(tmp_path: Path) -> None:
    blocker = "import sys\nsys.modules['ipywidgets'] = None  # as if not installed"
    nb = _run([blocker, SETUP, FIT, "print(repr(history.loss))"], tmp_path)
    outputs = nb.cells[2].outputs
    assert all(out.output_type == "stream" for out in outputs) and not UPDATES
    lines = "".join(out.text for out in outputs).splitlines()
    assert lines[0] == (
        "fit(live=True) writes one line per epoch (ipywidgets is not installed: pip install ipywidgets); "
        "history.save_html(path) draws them"
    )
    losses = _losses(nb.cells[3])
    for k in range(3):
        match = re.fullmatch(rf"epoch {k + 1}/3: loss (\S+), accuracy \d+%", lines[1 + k])
        assert match is not None and float(match.group(1)) == pytest.approx(losses[k], rel=1e-5)


def _shown(page: Page) -> dict[str, Any]:
    """What the viewer sees: the visible frames' headings and the network picture's size."""
    result: dict[str, Any] = page.evaluate(
        """() => {
      const shown = [...document.querySelectorAll('section')].filter(s => s.offsetParent !== null);
      const head = shown[0].querySelector('.live-head');
      const svg = shown[0].querySelector('.network svg').getBoundingClientRect();
      return {count: shown.length, text: head.innerText, epoch: head.dataset.epoch, loss: head.dataset.loss,
              where: document.getElementById('where').innerText, svgHeight: svg.height, svgWidth: svg.width};
    }"""
    )
    return result


def test_the_saved_page_steps_through_the_epochs_with_the_keys(browser: Browser, tmp_path: Path) -> None:
    x, y = nn.data.moons(40, noise=0.1, seed=0)
    model = nn.MLP(2, [4, 1], seed=0)
    history = nn.fit(model, x, 2 * y - 1, loss="hinge", epochs=5, live=True, progress=False)
    path = history.save_html(tmp_path / "pages" / "training.html", title="Two moons <live>")
    page = browser.new_page(viewport={"width": 1366, "height": 768})
    requests: list[str] = []
    errors: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(path.resolve().as_uri())
    assert page.title() == "Two moons <live>"

    def check(epoch: int) -> None:
        seen = _shown(page)
        assert seen["count"] == 1 and seen["epoch"] == str(epoch) and seen["where"] == f"frame {epoch} of 5"
        assert float(seen["loss"]) == history.loss[epoch - 1]
        match = re.match(rf"epoch {epoch} of 5 · loss (\S+), accuracy (\d+)%", seen["text"])
        assert match is not None, seen["text"]
        assert float(match.group(1).replace("−", "-")) == pytest.approx(history.loss[epoch - 1], rel=1e-5)
        assert int(match.group(2)) == round(100 * history.accuracy[epoch - 1])
        assert seen["svgHeight"] > 100 and seen["svgWidth"] > 300

    check(5)  # the page opens at the end of training
    for key, epoch in [
        ("ArrowLeft", 4), ("PageUp", 3), ("Home", 1), ("ArrowLeft", 1), ("Space", 2),
        ("PageDown", 3), ("ArrowRight", 4), ("End", 5), ("ArrowRight", 5),
    ]:  # fmt: skip
        page.keyboard.press(key)
        check(epoch)
    page.click("#prev")
    check(4)
    page.click("#next")
    check(5)
    assert requests == [path.resolve().as_uri()] and errors == []  # nothing fetched from anywhere
    page.close()


def test_in_a_notebook_it_speaks_chinese_with_and_without_ipywidgets(tmp_path: Path) -> None:
    fit_zh = FIT.replace("live=True", "live=True, lang='zh'")
    blocker = "import sys\nsys.modules['ipywidgets'] = None  # as if not installed"
    nb = _run([SETUP, fit_zh, blocker, fit_zh], tmp_path)
    pages = [s["value"] for i, _, s in UPDATES if i == 1 and 'class="live-head"' in str(s.get("value"))]
    assert (
        len(pages) == 3
        and "<b>第 3 轮（共 3 轮）</b> · 损失 " in pages[-1]
        and "权重，每个神经元一行" in pages[-1]
    )
    sliders = [s for i, _, s in UPDATES if i == 1 and s.get("_model_name") == "IntSliderModel"]
    assert sliders and sliders[0]["description"] == "轮"
    lines = "".join(out.text for out in nb.cells[3].outputs if out.output_type == "stream").splitlines()
    note = "（未安装 ipywidgets：pip install ipywidgets）"
    assert lines[0] == f"fit(live=True) 每轮输出一行{note}；history.save_html(path) 把各轮画成网页"
    for k, line in enumerate(lines[1:], 1):
        assert re.fullmatch(rf"第 {k}/3 轮：损失 \S+，准确率 \d+%", line), line
    assert len(lines) == 4
