"""Legible from the back row: the player measured in Chromium at projector sizes, as a viewer sees it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from graphs import lecture_sigmoid
from players import go_to

from autograd import Value, save_html

SIZES = [(1024, 768), (1366, 768), (1920, 1080)]


def graph(name: str) -> Value:
    if name == "sigmoid":
        return lecture_sigmoid()[0]
    x, y, z = Value(-2.0, "x"), Value(5.0, "y"), Value(-4.0, "z")
    a = Value(3.0, "a")
    return (x + y) * z if name == "(x + y) * z" else a * a + a


def edge_number_heights(page: Any) -> list[float]:
    """The rendered height in px of every number written on an edge of the picture."""
    heights: list[float] = page.eval_on_selector_all(
        "#picture svg g.edge text",
        "ts => ts.filter(t => t.textContent.trim()).map(t => t.getBoundingClientRect().height)",
    )
    return heights


@pytest.mark.parametrize("presenter", [False, True], ids=["normal", "presenter"])
@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_the_sigmoids_edge_numbers_are_large_and_the_drawing_uses_the_width(
    tmp_path: Path, open_page: Any, size: tuple[int, int], presenter: bool
) -> None:
    width, height = size
    path = save_html(lecture_sigmoid()[0], tmp_path / "lesson.html", presenter=presenter)
    page = open_page(path, width, height)
    least = 20 if presenter else 14
    for p in range(13):
        go_to(page, p)
        heights = edge_number_heights(page)
        assert len(heights) >= 2 * 10 and min(heights) >= least, (p, sorted(heights)[:3])
    box = page.locator("#picture svg").bounding_box()
    assert box is not None and box["width"] >= 0.9 * width  # a wide drawing takes the whole width
    page.screenshot(path=str(tmp_path / "screen.png"))


@pytest.mark.parametrize("presenter", [False, True], ids=["normal", "presenter"])
@pytest.mark.parametrize("size", [*SIZES, (1280, 720)], ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("name", ["sigmoid", "(x + y) * z", "a*a + a TB"])
def test_the_caption_and_the_current_row_are_always_in_the_window(
    tmp_path: Path, open_page: Any, size: tuple[int, int], presenter: bool, name: str
) -> None:
    width, height = size
    f = graph(name)
    rankdir = "TB" if name.endswith("TB") else "LR"
    page = open_page(save_html(f, tmp_path / "l.html", presenter=presenter, rankdir=rankdir), width, height)
    header = page.locator("header").bounding_box()
    assert header is not None and header["height"] <= 60  # one line, never wrapped
    last = int(page.get_attribute("#slider", "max") or 0)
    for p in range(last + 1):
        go_to(page, p)
        caption = page.locator("#caption").bounding_box()
        assert caption is not None and caption["y"] >= header["height"] - 1
        assert caption["y"] + caption["height"] <= height, (p, caption)
        assert page.eval_on_selector("#caption", "c => c.scrollHeight <= c.clientHeight + 1")  # all of it
        if p == 0:
            continue
        row = page.locator("#table tr.current").bounding_box()
        side = page.locator("#side").bounding_box()
        assert row is not None and side is not None
        assert row["y"] >= side["y"] - 1 and row["y"] + row["height"] <= side["y"] + side["height"] + 1, p
        assert row["y"] >= 0 and row["y"] + row["height"] <= height, (p, row)
        drawing = page.locator("#picture svg").bounding_box()
        assert drawing is not None and drawing["y"] + drawing["height"] <= caption["y"]
    assert page.evaluate("document.documentElement.scrollHeight") <= height  # no scrolling needed


def text_sizes(page: Any, selector: str) -> list[tuple[float, float]]:
    """(computed font size, rendered height of the text itself) in px of every non-empty element matched."""
    sizes: list[tuple[float, float]] = page.eval_on_selector_all(
        selector,
        """es => es.filter(e => e.textContent.trim()).map(e => {
             const range = document.createRange();
             range.selectNodeContents(e);
             const lines = Array.from(range.getClientRects()).filter(r => r.width > 0);
             return [parseFloat(getComputedStyle(e).fontSize), Math.min(...lines.map(r => r.height))];
           })""",
    )
    return sizes


@pytest.mark.parametrize("size", [(1366, 768), (1920, 1080)], ids=lambda s: f"{s[0]}x{s[1]}")
def test_the_caption_and_the_table_are_large_when_there_is_room(
    tmp_path: Path, open_page: Any, size: tuple[int, int]
) -> None:
    page = open_page(save_html(lecture_sigmoid()[0], tmp_path / "l.html", presenter=False), *size)
    for p in (0, 9, 12):
        go_to(page, p)
        caption, cells = text_sizes(page, "#caption"), text_sizes(page, "#table td")
        assert len(caption) == 1 and len(cells) >= 6 * 5, (p, caption, cells)
        for font, rendered in caption + cells:
            assert font >= 16 and rendered >= 16, (p, font, rendered)
