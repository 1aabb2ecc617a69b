"""history.save_html on a projector: Debian's chromium measures what a class sees, in English and Chinese."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page

import nn

#: A number as the drawing writes it: "0.1910", "−0.1254", "1.2e−05", or a leaf's "= 1.112", "∂L/∂x1 = 1.064".
NUMBER = r"^(?:.*= )?[−-]?\d+(?:\.\d+)?(?:e[−+-]?\d+)?$"


@pytest.fixture(scope="module")
def moons_page(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, nn.History]:
    """The reviewer's run: nn.MLP(2, [8, 8, 1]) on two moons, three epochs, saved as a page."""
    x, y = nn.data.moons(60, noise=0.1, seed=0)
    model = nn.MLP(2, [8, 8, 1], seed=0)
    history = nn.fit(model, x, 2 * y - 1, loss="hinge", epochs=3, live=True, progress=False)
    return history.save_html(tmp_path_factory.mktemp("live") / "train.html"), history


def _numbers(page: Page, within: str) -> list[float]:
    """The rendered heights (px) of the network drawing's numbers inside `within`."""
    heights: list[float] = page.evaluate(
        """([within, pattern]) => {
          const number = new RegExp(pattern);
          return [...document.querySelectorAll(within + ' svg text')]
            .filter(t => number.test(t.textContent.trim()) && t.getBoundingClientRect().width > 0)
            .map(t => t.getBoundingClientRect().height);
        }""",
        [within, NUMBER],
    )
    return heights


def _layout(page: Page) -> dict[str, Any]:
    result: dict[str, Any] = page.evaluate(
        """() => {
          const s = [...document.querySelectorAll('section')].find(s => !s.hidden);
          const box = e => { const r = e.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom] };
          const drawing = s.querySelector('.network svg g.graph').getBoundingClientRect();
          return {
            page: [document.documentElement.scrollWidth, document.documentElement.scrollHeight],
            panels: ['header', '#zoom-hint', '.live-head', '.network', '.live-side', '.live-weights'].map(
              q => [q, box(q.startsWith('.') ? s.querySelector(q) : document.querySelector(q))]),
            drawing: [drawing.width, drawing.height],
            column: [s.querySelector('.network').clientWidth, s.querySelector('.network').clientHeight],
            weights: ['scrollHeight', 'clientHeight'].map(k => s.querySelector('.live-weights')[k]),
          };
        }"""
    )
    return result


@pytest.mark.parametrize("size", [(1366, 768), (1024, 768), (1920, 1080)])
def test_the_page_fits_the_screen_and_the_network_can_be_read(
    browser: Browser, moons_page: tuple[Path, nn.History], size: tuple[int, int]
) -> None:
    width, height = size
    page = browser.new_page(viewport={"width": width, "height": height})
    page.goto(moons_page[0].resolve().as_uri())
    for key in ("End", "Home"):
        page.keyboard.press(key)
        seen = _layout(page)
        assert seen["page"] == [width, height]  # nothing scrolls the page
        for name, (left, top, right, bottom) in seen["panels"]:
            assert 0 <= left < right <= width and 0 <= top < bottom <= height, name
        # the drawing fills its column's width (or, were it taller, its height): no wide empty margins
        (dw, dh), (cw, ch) = seen["drawing"], seen["column"]
        assert dw >= 0.97 * cw or dh >= 0.97 * ch, (seen["drawing"], seen["column"])
        assert cw >= width - 360  # the network has all the width but the side column's
        assert seen["weights"][0] > seen["weights"][1]  # the weights scroll inside their own panel
    small = _numbers(page, "section:not([hidden]) .network")
    assert len(small) > 60
    if min(small) < 12:  # too small to read from the back: the page says how to zoom, and zooming works
        assert "click it (or press Z) to see it full size" in page.inner_text("#zoom-hint")
        page.click("section:not([hidden]) .network svg")
        big = _numbers(page, "#zoom")
        assert len(big) == len(small) and min(big) >= 12
        page.keyboard.press("Escape")
        assert page.locator("#zoom").is_hidden()
        page.keyboard.press("z")
        assert min(_numbers(page, "#zoom")) >= 12 and page.locator("#zoom").is_visible()
        page.keyboard.press("ArrowRight")  # stepping on while zoomed shows the next epoch full size
        assert "after epoch 2" in page.inner_text("#zoom") and page.inner_text("#where") == "frame 2 of 3"
        page.keyboard.press("z")
        assert page.locator("#zoom").is_hidden()
    page.close()


def test_the_inputs_feed_layer0_and_the_first_epoch_has_its_loss_point(
    browser: Browser, moons_page: tuple[Path, nn.History]
) -> None:
    page = browser.new_page(viewport={"width": 1366, "height": 768})
    page.goto(moons_page[0].resolve().as_uri())
    page.keyboard.press("Home")
    feeds = page.evaluate(
        """() => {
          const s = [...document.querySelectorAll('section')].find(s => !s.hidden);
          const pairs = [];
          for (const e of s.querySelectorAll('.network g.edge[id^="e_n"]')) {
            const [, src, dst] = e.id.match(/^e_(n\\d+)__g_(layer0\\.neuron\\d+)__/) || [];
            if (src) pairs.push([s.querySelector('#' + src + ' text').textContent.trim(), dst]);
          }
          return pairs;
        }"""
    )
    expected = [(x, f"layer0.neuron{k}") for x in ("x1", "x2") for k in range(8)]
    assert sorted(map(tuple, feeds)) == sorted(expected)
    x0 = nn.data.moons(60, noise=0.1, seed=0)[0][0]
    inputs = page.inner_text("section:not([hidden]) .network")
    assert f"= {x0[0]:.3g}" in inputs.replace("−", "-") and "∂L/∂x2" not in inputs  # sample 1's, no gradient
    dot = page.locator("section:not([hidden]) circle.loss-now").bounding_box()
    plot = page.locator("section:not([hidden]) svg.loss-curve").bounding_box()
    assert dot is not None and plot is not None and dot["width"] >= 5  # a visible marker
    assert plot["x"] <= dot["x"] < plot["x"] + plot["width"] * 0.25  # at epoch 1, the left end of the axis
    page.close()


def test_the_page_and_the_text_speak_chinese(
    browser: Browser, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    x, y = nn.data.moons(30, noise=0.1, seed=0)
    model = nn.MLP(2, [4, 1], seed=0)
    history = nn.fit(model, x, 2 * y - 1, loss="hinge", epochs=2, live=True, lang="zh", progress=False)
    lines = capsys.readouterr().out.splitlines()
    opening = "fit(live=True) 每轮输出一行（不在 notebook 中）；history.save_html(path) 把各轮画成网页"
    assert lines[0] == opening
    match = re.fullmatch(r"第 2/2 轮：损失 (\S+)，准确率 (\d+)%", lines[2])
    assert match is not None and float(match.group(1)) == pytest.approx(history.loss[1], rel=1e-5)
    page = browser.new_page(viewport={"width": 1024, "height": 768})
    page.goto(history.save_html(tmp_path / "zh.html").resolve().as_uri())
    assert page.get_attribute("html", "lang") == "zh" and page.title() == "训练"
    assert page.inner_text("#prev") == "← 上一帧" and page.inner_text("#where") == "第 2 帧，共 2 帧"
    head = page.inner_text("section:not([hidden]) .live-head")
    assert re.fullmatch(r"第 2 轮（共 2 轮） · 损失 \S+，准确率 \d+%", head), head
    frame = page.inner_text("section:not([hidden])")
    for term in (
        "权重",
        "梯度 ∂L/∂w",
        "各轮：损失",
        "决策边界",
        "第 2 轮之后：边上是权重 w 和 ∂L/∂w（L 是本轮最后一次更新的损失）",
    ):
        assert term in frame, term
    assert "上：值（前向传播）" in frame  # the drawing's own legend, in the notes' terms
    assert page.evaluate("document.documentElement.scrollHeight") == 768
    page.close()
    # the same history in English, and a language there is none of
    page_en = history.save_html(tmp_path / "en.html", lang="en").read_text(encoding="utf-8")
    assert '<html lang="en">' in page_en and "epoch 2 of 2" in page_en and "权重" not in page_en
    with pytest.raises(ValueError, match=r"lang must be one of 'en', 'zh', got 'fr'"):
        history.save_html(tmp_path / "fr.html", lang="fr")
    with pytest.raises(ValueError, match=r"lang must be one of 'en', 'zh', got 'de'"):
        nn.fit(model, x, 2 * y - 1, loss="hinge", epochs=1, lang="de")


def test_a_network_too_large_to_draw_leaves_its_width_to_the_weights(
    browser: Browser, tmp_path: Path
) -> None:
    x, y = nn.data.moons(10, seed=0)
    history = nn.fit(
        nn.MLP(2, [24, 24, 1], seed=0), x, 2 * y - 1, loss="hinge", epochs=1, live=True, progress=False
    )
    page = browser.new_page(viewport={"width": 1024, "height": 768})
    page.goto(history.save_html(tmp_path / "big.html").resolve().as_uri())
    assert "The network has 49 neurons" in page.inner_text("section:not([hidden]) .network")
    weights = page.locator("section:not([hidden]) .live-weights").bounding_box()
    assert weights is not None and weights["width"] >= 0.95 * (1024 - 24)  # both columns
    assert weights["y"] + weights["height"] <= 768
    assert page.evaluate("[document.documentElement.scrollWidth, document.documentElement.scrollHeight]") == [
        1024,
        768,
    ]
    page.keyboard.press("z")  # nothing to enlarge: the page stays as it was
    assert page.locator("#zoom").is_hidden()
    page.close()


def test_a_small_network_is_read_without_zooming(browser: Browser, tmp_path: Path) -> None:
    """nn.MLP(2, [4, 1]) at 1366×768: the weights and gradients on its edges stand 12 px high.

    The loss after the network is one box (its gradients are not drawn) and the title takes two
    lines, so the picture is as large as its network allows: 10 px before, 12 px after.
    """
    x, y = nn.data.moons(30, noise=0.1, seed=0)
    history = nn.fit(
        nn.MLP(2, [4, 1], seed=0), x, 2 * y - 1, loss="hinge", epochs=1, live=True, progress=False
    )
    page = browser.new_page(viewport={"width": 1366, "height": 768})
    page.goto(history.save_html(tmp_path / "small.html").resolve().as_uri())
    heights = _numbers(page, "section:not([hidden]) .network")
    assert len(heights) >= 8 * 2 + 4 * 2 and min(heights) >= 11.5, sorted(heights)[:4]
    assert 'id="g_tail"' in page.content()  # the loss is one box
    page.close()
