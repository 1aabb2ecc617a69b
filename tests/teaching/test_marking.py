"""autograd.mark: right, not yet (with the reason, never the answer) and not answered yet."""

from __future__ import annotations

import numpy as np
import pytest

from autograd import Value, Verdict, mark
from autograd.teaching.marking import Precision


def test_a_right_number_within_the_tolerance() -> None:
    verdict = mark(-0.2, -0.196612, tol=0.01)
    assert isinstance(verdict, Verdict)
    assert verdict.right and verdict.answered and verdict.status == "right"
    assert str(verdict) == repr(verdict) == "Right."


def test_the_default_tolerance_is_tight() -> None:
    assert mark(0.25, 0.25).right
    assert mark(0.25 + 5e-7, 0.25).right
    assert not mark(0.2500011, 0.25).right


def test_significant_figures_accept_the_answer_rounded_as_asked() -> None:
    """0.25⁵ = 0.0009765625 to 3 significant figures is 0.000977 (notebook 12's own solution)."""
    assert mark(0.000977, 0.25**5, sig=3).right
    assert mark(0.0009766, 0.25**5, sig=3).right and mark(0.25**5, 0.25**5, sig=3).right
    verdict = mark(0.001, 0.25**5, sig=3)
    assert verdict.message == (
        "Not yet. Your answer 0.001 is close, but not right to the 3 significant figures "
        "the question asks for."
    )
    assert mark(0.000975, 0.25**5, sig=3).status == "not yet"


def test_decimals_accept_half_a_unit_of_the_last_place() -> None:
    assert mark(0.210, 0.209987, decimals=3).right and mark(0.2095, 0.209987, decimals=3).right
    assert not mark(0.209, 0.209987, decimals=3).right
    assert mark(1.0, 0.99656, decimals=3).status == "not yet"  # a 3-decimal question rules out 0.997 for 1
    assert not mark(0.997, 1.0, decimals=3).right and mark(1.000, 1.0, decimals=3).right


def test_the_precision_is_half_a_unit_and_rounds_as_the_question_does() -> None:
    assert Precision(decimals=2).tolerance(3.0) == pytest.approx(0.005)
    assert Precision(sig=2).tolerance(-1234.0) == pytest.approx(50.0)
    assert (
        Precision(sig=3).rounded(0.25**5) == 0.000977 and Precision(decimals=3).rounded(-0.798038) == -0.798
    )
    assert (
        Precision(sig=3).words() == "3 significant figures" and Precision(decimals=1).words() == "1 decimal"
    )
    assert Precision(tol=0).rounded(12.0) == 12.0 and Precision().words() == ""


def test_a_wrong_sign_is_named_and_the_hint_follows_as_a_sentence() -> None:
    verdict = mark(0.2, -0.196612, tol=0.01, why="∂h0/∂w0 is the input x0")
    assert verdict.status == "not yet" and not verdict.right and verdict.answered
    assert verdict.message == "Not yet. Your answer 0.2 has the wrong sign. Hint: ∂h0/∂w0 is the input x0."
    assert "0.196612" not in verdict.message  # the answer is not given away


@pytest.mark.parametrize(("answer", "word"), [(0.6, "large"), (0.3, "small")])
def test_too_large_or_too_small_says_no_tolerance(answer: float, word: str) -> None:
    verdict = mark(answer, 0.5, tol=0.01)
    assert verdict.message == f"Not yet. Your answer {answer:g} is too {word}."
    assert mark(13, 12, tol=0).message == "Not yet. Your answer 13 is too large."


@pytest.mark.parametrize("blank", [..., None])
def test_no_answer_yet_is_not_a_failure(blank: object) -> None:
    verdict = mark(blank, 0.25)
    assert verdict.status == "unanswered" and not verdict.answered and not verdict.right
    assert verdict.message == "Not answered yet: replace ... with your answer (a number)."


def test_the_unanswered_message_says_what_kind_of_answer_is_wanted() -> None:
    assert mark(..., "negative").message.endswith("(a word, in quotes).")  # not giving it away
    assert mark(..., True).message.endswith("(True or False).")
    assert mark(..., [1.0, 2.0, 3.0]).message.endswith("(a list of 3).")
    assert mark(..., [[1.0, 2.0], [3.0, 4.0]]).message.endswith("(a list of 2 rows).")


def test_words_ignore_case_and_spaces() -> None:
    assert mark(" Negative ", "negative").right
    verdict = mark("positive", "negative", why="the sign follows x0")
    assert verdict.message == "Not yet. Your answer 'positive' is not the answer. Hint: The sign follows x0."
    assert mark(1.0, "negative").message == "Not yet. Your answer 1.0 should be a word in quotes."


def test_booleans_are_not_numbers() -> None:
    assert mark(True, True).right
    assert mark(False, True).message == "Not yet. Your answer False is not right."
    assert mark(1, True).status == "not yet"
    assert mark(True, 1.0).message == "Not yet. Your answer True should be a number."


def test_lists_entry_by_entry_counted_from_one() -> None:
    assert mark([0.1, -0.2], (0.1, -0.2)).right
    assert (
        mark([0.1], [0.1, 0.2]).message
        == "Not yet. Your list has 1 entry, and the question asks for 2 entries."
    )
    assert mark([0.1, 0.2], [0.1, -0.2]).message == "Not yet. Entry 2 of your list (0.2) has the wrong sign."
    assert mark(0.1, [0.1]).message == "Not yet. Your answer 0.1 should be a list of 1 entry."


def test_rows_and_columns_are_named_in_words() -> None:
    verdict = mark([[1, 2, 3], [4, 5, 6]], [[1, 2, 3], [4, 5, 7]], tol=0)
    assert verdict.message == "Not yet. The entry in row 2, column 3 (6) is too small."


def test_values_and_numpy_count_as_their_numbers() -> None:
    w = Value(-0.196612)
    assert mark(-0.2, w, tol=0.01).right
    assert mark(np.array([1.0, 2.0]), [1.0, 2.0]).right
    assert mark(np.float64(0.5), 0.5).right


def test_not_a_number_answers_are_not_yet() -> None:
    assert mark(float("nan"), 1.0).message == "Not yet. Your answer nan is not a finite number."
    assert mark("3", 3.0).message == "Not yet. Your answer '3' is text; write the number without quotes."
    assert mark("three", 3.0).message == "Not yet. Your answer 'three' should be a number."


@pytest.mark.parametrize("bad", [-1e-3, float("nan"), float("inf"), "0.1"])
def test_a_bad_tolerance_is_a_clear_error(bad: object) -> None:
    with pytest.raises(ValueError, match="tol must be a finite number ≥ 0, got"):
        mark(1.0, 1.0, tol=bad)  # type: ignore[arg-type]


def test_one_precision_at_a_time_and_in_range() -> None:
    with pytest.raises(ValueError, match="give one of tol, decimals and sig, not tol and decimals"):
        mark(1.0, 1.0, tol=0.1, decimals=2)
    with pytest.raises(ValueError, match="decimals must be an int ≥ 0, got -1"):
        mark(1.0, 1.0, decimals=-1)
    with pytest.raises(ValueError, match="sig must be an int ≥ 1, got 0"):
        mark(1.0, 1.0, sig=0)


@pytest.mark.parametrize("blank", [..., None])
def test_a_blank_expected_answer_is_the_author_s_mistake(blank: object) -> None:
    with pytest.raises(ValueError, match="expected must be the right answer"):
        mark(1.0, blank)


def test_an_uncheckable_expected_answer_is_a_type_error() -> None:
    with pytest.raises(TypeError, match="expected must be a number, bool, str or a list/tuple"):
        mark({"a": 1}, {"a": 1})


def test_every_message_is_whole_sentences() -> None:
    for verdict in (
        mark(2, 1),
        mark("x", 1),
        mark([1], [1, 2]),
        mark(..., 1),
        mark(1, 1),
        mark(0.5, 1, why="h"),
    ):
        assert verdict.message[0].isupper() and verdict.message.endswith(".")


def test_the_docstring_examples_hold() -> None:
    import doctest

    import autograd.teaching.marking

    assert doctest.testmod(autograd.teaching.marking).failed == 0
