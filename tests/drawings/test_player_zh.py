"""Chinese, the course's language: the player, the legend and the table in the lecture notes' terms."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import pytest
from graphs import lecture_sigmoid, svg_texts
from players import go_to, visible_texts

from autograd import Value, draw, render, save_html, table
from autograd.views.words import display_width


def test_the_player_speaks_chinese(tmp_path: Path, open_page: Any) -> None:
    f, *_ = lecture_sigmoid()
    page = open_page(save_html(f, tmp_path / "lesson.html", lang="zh"))
    assert page.get_attribute("html", "lang") == "zh"
    assert page.inner_text("#presenter") == "演示模式" and page.inner_text("#show-table") == "表格"
    assert page.inner_text("#position") == "第 0 步 / 共 12 步"
    assert page.inner_text("#caption") == "这是输入；按 → 开始前向传播。"
    heads = page.eval_on_selector_all("#table th", "ts => ts.map(t => t.textContent)")
    assert heads == ["节点", "函数", "局部导数", "值", "∂f/∂节点"]
    legend = visible_texts(page)
    assert "上：值（前向传播）" in legend and "下：沿这条边的 ∂f/∂输入（反向传播）" in legend
    page.keyboard.press("ArrowRight")
    assert page.inner_text("#caption") == "前向传播，第 1 步（共 6 步）：h1 = w × x = 0 × 1 = 0"
    go_to(page, 7)
    assert page.inner_text("#caption") == (
        "反向传播，第 1 步：h6，∂f/∂h6 = 1\n"
        "  ∂h6/∂h5 = −1/h5² = −0.25；贡献 1 × (−0.25) = −0.25；∂f/∂h5 目前累计 = −0.25"
    )
    assert page.inner_text("#position") == "第 7 步 / 共 12 步"
    titles = page.eval_on_selector_all("svg g.node > title", "ts => ts.map(t => t.textContent)")
    assert "w（输入）" in titles and "常数 1" in titles
    # the words stay on one line and in the window, as in English
    header = page.locator("header").bounding_box()
    assert header is not None and header["height"] <= 60


def test_chinese_labels_are_drawn_in_a_font_with_their_glyphs(tmp_path: Path, open_page: Any) -> None:
    w, x, b = Value(0.5, "权重"), Value(2.0, "x"), Value(0.1, "偏置")
    f = (w * x + b).tanh()
    texts = svg_texts(render(f, tmp_path / "g.svg", lang="zh").read_bytes())
    assert ("权重", "") in texts and ("上：值（前向传播）", "#1f5fbf") in texts
    svg = (tmp_path / "g.svg").read_text(encoding="utf-8")
    assert 'font-family="Helvetica,Noto Sans CJK SC"' in svg
    svg = render(f, tmp_path / "n.svg", fontname="Noto Sans CJK SC").read_text(encoding="utf-8")
    assert 'font-family="Noto Sans CJK SC"' in svg and "Helvetica" not in svg
    assert render(f, tmp_path / "n.png", fontname="Noto Sans CJK SC").read_bytes()[:4] == b"\x89PNG"
    # in the browser the label is drawn as typed, two wide characters (the font is installed: make cjk-font)
    fonts = subprocess.run(["fc-list"], capture_output=True, text=True, check=True).stdout
    assert "Noto Sans CJK SC" in fonts
    page = open_page(save_html(f, tmp_path / "zh.html", lang="zh"))
    wide = page.eval_on_selector_all(
        "#picture svg text", "ts => ts.filter(t => t.textContent === '权重').map(t => t.getBBox().width)"
    )
    assert len(wide) == 1 and wide[0] > 1.5 * float(
        page.eval_on_selector("#picture svg text", "t => t.getBBox().height")
    )


def test_an_unknown_language_or_font_is_one_clear_line(tmp_path: Path) -> None:
    f, *_ = lecture_sigmoid()
    for call in (
        lambda: save_html(f, tmp_path / "a.html", lang="fr"),
        lambda: draw(f, lang="fr"),
        lambda: render(f, tmp_path / "a.svg", lang="fr"),
    ):
        with pytest.raises(ValueError, match=r"^lang must be one of 'en', 'zh', got 'fr'$"):
            call()
    with pytest.raises(ValueError, match="fontname must be a font's name such as 'Noto Sans CJK SC'"):
        draw(f, fontname="")
    with pytest.raises(ValueError, match="fontname must be"):
        save_html(f, tmp_path / "a.html", fontname="a\nb")
    assert not list(tmp_path.iterdir())


def test_table_lines_up_by_display_width() -> None:
    w, x, b = Value(0.5, "权重"), Value(2.0, "x"), Value(0.1, "偏置")
    t = table((w * x + b).tanh())
    lines = str(t).splitlines()

    def columns(line: str, cells: list[str]) -> list[int]:
        """The terminal column where each cell starts."""
        found, at = [], 0
        for cell in cells:
            at = line.index(cell, at)
            found.append(display_width(line[:at]))
            at += len(cell)
        return found

    starts = columns(lines[0], t.header())
    assert starts[0] == 0
    for line, cells in zip(lines[2:], t.cells(), strict=True):
        assert columns(line, cells) == starts, line  # 权重 takes two columns, as on a terminal
    assert lines[2].startswith("h1    权重 × x   ∂h1/∂权重 = x = 2")
