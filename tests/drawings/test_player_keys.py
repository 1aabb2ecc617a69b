"""The lecture player's keys, as a presentation clicker and a keyboard send them, wherever the focus is."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from graphs import lecture_sigmoid
from players import position

from autograd import Value, save_html

FORWARD = ["ArrowRight", "PageDown", "Space", "Enter"]
BACKWARD = ["ArrowLeft", "PageUp", "Shift+Space"]


@pytest.mark.parametrize("focus", [None, "#next", "#back", "#slider", "#presenter", "#show-table"])
def test_every_step_key_moves_one_step_whatever_has_the_focus(
    tmp_path: Path, open_page: Any, focus: str | None
) -> None:
    f, *_ = lecture_sigmoid()
    page = open_page(save_html(f, tmp_path / "lesson.html"))
    presenter = page.eval_on_selector("body", "b => b.classList.contains('presenter')")
    tabled = page.get_attribute("#show-table", "aria-pressed")
    for key in FORWARD:
        if focus:
            page.focus(focus)
        before = position(page)
        page.keyboard.press(key)
        assert position(page) == before + 1, key
    for key in BACKWARD:
        if focus:
            page.focus(focus)
        before = position(page)
        page.keyboard.press(key)
        assert position(page) == before - 1, key
    # a key never also pressed the focused button
    assert page.eval_on_selector("body", "b => b.classList.contains('presenter')") == presenter
    assert page.get_attribute("#show-table", "aria-pressed") == tabled
    page.keyboard.press("End")
    assert position(page) == 12 and page.inner_text("#position") == "step 12 of 12"
    page.keyboard.press("PageDown")  # past the end: stays
    assert position(page) == 12
    page.keyboard.press("Home")
    assert position(page) == 0
    page.keyboard.press("PageUp")
    assert position(page) == 0


def test_p_t_and_b_switch_presenter_mode_the_table_and_a_blank_screen(tmp_path: Path, open_page: Any) -> None:
    f, *_ = lecture_sigmoid()
    page = open_page(save_html(f, tmp_path / "lesson.html"))
    page.focus("#next")
    page.keyboard.press("p")
    assert page.eval_on_selector("body", "b => b.classList.contains('presenter')")
    page.keyboard.press("P")
    assert not page.eval_on_selector("body", "b => b.classList.contains('presenter')")
    page.keyboard.press("t")
    assert page.locator("#side").is_hidden()
    page.keyboard.press("T")
    assert page.locator("#side").is_visible()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("b")
    # the whole window is black: what is at its centre and corners is the blank screen
    for x, y in [(683, 384), (1, 1), (1365, 767)]:
        assert page.evaluate(f"document.elementFromPoint({x}, {y}).id") == "blank"
    assert page.eval_on_selector("#blank", "b => getComputedStyle(b).backgroundColor") == "rgb(0, 0, 0)"
    page.keyboard.press("PageDown")  # the first key only lights the screen again, as in slide software
    assert page.locator("#blank").is_hidden() and position(page) == 1
    page.keyboard.press("PageDown")
    assert position(page) == 2
    page.keyboard.press("B")
    page.mouse.click(600, 400)
    assert page.locator("#blank").is_hidden()
    page.keyboard.press("Control+ArrowRight")  # with a modifier a key is the browser's
    assert position(page) == 2


def test_the_heading_is_the_formula_and_hovering_names_the_nodes(tmp_path: Path, open_page: Any) -> None:
    f, *_ = lecture_sigmoid()
    page = open_page(save_html(f, tmp_path / "lesson.html"))
    assert page.inner_text("h1") == "f = 1/(exp(−(w × x + b)) + 1)"
    assert page.title() == "f = 1/(exp(−(w × x + b)) + 1)"
    titles = page.eval_on_selector_all(
        "#picture svg g.node > title, #picture svg g.edge > title", "ts => ts.map(t => t.textContent)"
    )
    assert "h1 = w × x" in titles and "w → h1" in titles and "h6 = 1/h5" in titles
    assert "w (input)" in titles and "the constant 1" in titles
    assert not [t for t in titles if t.startswith("n") or "->" in t]  # no internal ids such as n2 or n0->n2
    # what a pointer over h1's circle sees: the innermost <title> of the element there
    box = page.locator("#n2 ellipse").bounding_box()
    assert box is not None
    hovered = page.evaluate(
        "([x, y]) => { let e = document.elementFromPoint(x, y);"
        " while (e && !(e.querySelector && e.querySelector(':scope > title'))) e = e.parentNode;"
        " return e.querySelector(':scope > title').textContent; }",
        [box["x"] + box["width"] / 2, box["y"] + box["height"] / 2],
    )
    assert hovered == "h1 = w × x"
    x, y, z = Value(-2.0, "x"), Value(5.0, "y"), Value(-4.0, "z")
    g = (x - y) * z / (x + 1.0)
    page = open_page(save_html(g, tmp_path / "g.html"))
    assert page.inner_text("h1") == "f = (x − y) × z/(x + 1)"
    page = open_page(save_html(g, tmp_path / "t.html", title="g = my own"))
    assert page.inner_text("h1") == "g = my own"
    total = sum((Value(float(i), f"a{i}") * Value(1.0, f"b{i}") for i in range(12)), Value(0.0, "c"))
    page = open_page(save_html(total, tmp_path / "long.html"))  # too long a formula: the last step
    assert page.inner_text("h1") == "f = h22 + h23"
