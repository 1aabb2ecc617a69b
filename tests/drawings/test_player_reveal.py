"""Nothing before its time: each number shows when its step comes, "?" before; reveal="all" for handouts."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from graphs import lecture_sigmoid
from players import edge_texts, go_to, visible_texts

from autograd import save_html


def cells(page: Any, row: int) -> list[str]:
    found: list[str] = page.eval_on_selector_all(
        f"#table tbody tr[data-row='{row}'] td", "tds => tds.map(td => td.textContent)"
    )
    return found


def test_at_the_start_no_answer_is_on_the_screen_and_each_appears_at_its_step(
    tmp_path: Path, open_page: Any
) -> None:
    """The sigmoid at x = 1, w = 0, b = 0: ∂h6/∂h5 = −0.25, ∂f/∂h5 … ∂f/∂h3 = −0.25, ∂f/∂h2 = ∂f/∂w = 0.25."""
    f, *_ = lecture_sigmoid()
    page = open_page(save_html(f, tmp_path / "lesson.html"))
    seen, halves = [], []
    for p in range(13):
        go_to(page, p)
        seen.append([t for t in visible_texts(page) if "0.25" in t])
        halves.append("0.5" in visible_texts(page))
    assert seen[:6] == [[]] * 6  # forward steps 0-5: neither −0.25 nor 0.25 anywhere
    assert halves[:6] == [False] * 6 and halves[6]  # nor h6 = 0.5 before forward step 6
    # forward step 6 computes h6: its local derivative's number appears, in the table only
    assert seen[6] == ["∂h6/∂h5 = −1/h5² = −0.25"]
    # backward step 1 (h6) sends −0.25 along the edge into h5: on the edge and in the caption
    go_to(page, 7)
    assert edge_texts(page, "e9_0")[1][:2] == ["−0.25", "#c0392b"]
    assert cells(page, 4)[4] == "?"  # h5's row: its own step (backward step 2) has not come
    assert edge_texts(page, "e4_0")[1][0] == "?"  # h1 → h2: not sent yet
    go_to(page, 8)
    assert cells(page, 4)[4] == "−0.25"
    assert "∂f/∂w = ?" in visible_texts(page)  # w's total: only at the last step
    go_to(page, 12)
    assert "∂f/∂w = 0.25" in visible_texts(page) and "∂f/∂b = 0.25" in visible_texts(page)
    assert cells(page, 0)[2:] == ["∂h1/∂w = x = 1, ∂h1/∂x = w = 0", "0", "0.25"]


def test_the_table_fills_in_row_by_row(tmp_path: Path, open_page: Any) -> None:
    f, *_ = lecture_sigmoid()
    page = open_page(save_html(f, tmp_path / "lesson.html"))
    # at the start: every value and gradient a "?", local derivatives without their numbers,
    # except those that are a number by their formula (∂h2/∂h1 = 1)
    assert cells(page, 0) == ["h1", "w × x", "∂h1/∂w = x = ?, ∂h1/∂x = w = ?", "?", "?"]
    assert cells(page, 1) == ["h2", "h1 + b", "∂h2/∂h1 = 1, ∂h2/∂b = 1", "?", "?"]
    assert cells(page, 5)[2:] == ["∂h6/∂h5 = −1/h5² = ?", "?", "?"]
    go_to(page, 1)
    assert cells(page, 0)[2:] == ["∂h1/∂w = x = 1, ∂h1/∂x = w = 0", "0", "?"]
    assert cells(page, 1)[3] == "?"
    go_to(page, 6)
    assert [cells(page, r)[3] for r in range(6)] == ["0", "0", "0", "1", "2", "0.5"]
    assert [cells(page, r)[4] for r in range(6)] == ["?"] * 6
    go_to(page, 7)  # backward step 1: h6's gradient, 1
    assert [cells(page, r)[4] for r in range(6)] == ["?"] * 5 + ["1"]
    go_to(page, 0)  # and back: the answers go away again
    assert cells(page, 5)[2:] == ["∂h6/∂h5 = −1/h5² = ?", "?", "?"]
    grey = page.eval_on_selector("#table tbody tr td.unknown", "td => getComputedStyle(td).color")
    assert grey == "rgb(158, 158, 158)"


def test_reveal_all_shows_every_number_at_every_step_for_handouts(tmp_path: Path, open_page: Any) -> None:
    f, *_ = lecture_sigmoid()
    page = open_page(save_html(f, tmp_path / "handout.html", reveal="all"))
    texts = visible_texts(page)
    assert "∂f/∂w = 0.25" in texts and "∂h6/∂h5 = −1/h5² = −0.25" in texts and "?" not in texts
    assert cells(page, 0)[2:] == ["∂h1/∂w = x = 1, ∂h1/∂x = w = 0", "0", "0.25"]
    assert edge_texts(page, "e9_0")[1][0] == "−0.25"
    page.keyboard.press("ArrowRight")  # the highlight still steps
    assert page.inner_text("#caption").startswith("Forward pass, step 1 of 6")
    assert "?" not in visible_texts(page)
    with pytest.raises(ValueError, match=r"reveal must be 'steps' .* or 'all' .*, got 'none'"):
        save_html(f, tmp_path / "x.html", reveal="none")
