"""autograd.mark: right, not yet (with the reason, never the answer) and not answered yet."""

from __future__ import annotations

import numpy as np
import pytest

from autograd import Value, Verdict, mark


def test_a_right_number_within_the_tolerance() -> None:
    verdict = mark(-0.2, -0.196612, tol=0.01)
    assert isinstance(verdict, Verdict)
    assert verdict.right and verdict.answered and verdict.status == "right"
    assert str(verdict) == repr(verdict) == "right"


def test_the_default_tolerance_is_tight() -> None:
    assert mark(0.25, 0.25).right
    assert mark(0.25 + 5e-7, 0.25).right
    assert not mark(0.2500011, 0.25).right


def test_a_wrong_sign_is_named_and_the_hint_follows() -> None:
    verdict = mark(0.2, -0.196612, tol=0.01, why="∂h0/∂w0 = x0 = −1")
    assert verdict.status == "not yet" and not verdict.right and verdict.answered
    assert verdict.message == "not yet, because 0.2 has the wrong sign — ∂h0/∂w0 = x0 = −1"
    assert "0.196612" not in verdict.message  # the answer is not given away


@pytest.mark.parametrize(("answer", "word"), [(0.6, "too large"), (0.3, "too small")])
def test_too_large_or_too_small(answer: float, word: str) -> None:
    verdict = mark(answer, 0.5, tol=0.01)
    assert verdict.message == f"not yet, because {answer:g} is {word} (off by more than the tolerance 0.01)"


@pytest.mark.parametrize("blank", [..., None])
def test_no_answer_yet_is_not_a_failure(blank: object) -> None:
    verdict = mark(blank, 0.25)
    assert verdict.status == "unanswered" and not verdict.answered and not verdict.right
    assert verdict.message == "not answered yet: replace ... with your answer (a number)"


def test_the_unanswered_message_says_what_kind_of_answer_is_wanted() -> None:
    assert mark(..., "negative").message.endswith("(a word, in quotes)")  # not giving it away
    assert mark(..., True).message.endswith("(True or False)")
    assert mark(..., [1.0, 2.0, 3.0]).message.endswith("(a list of 3)")


def test_words_ignore_case_and_spaces() -> None:
    assert mark(" Negative ", "negative").right
    verdict = mark("positive", "negative", why="x0 = −1")
    assert verdict.message == "not yet, because 'positive' is not the answer — x0 = −1"
    assert mark(1.0, "negative").message == "not yet, because should be a word (text in quotes), not 1.0"


def test_booleans_are_not_numbers() -> None:
    assert mark(True, True).right
    assert mark(False, True).message == "not yet, because False is not right"
    assert mark(1, True).status == "not yet"
    assert mark(True, 1.0).message == "not yet, because should be a number, not True"


def test_lists_entry_by_entry() -> None:
    assert mark([0.1, -0.2], (0.1, -0.2)).right
    assert mark([0.1], [0.1, 0.2]).message == "not yet, because has 1 entries; 2 were asked for"
    assert mark([0.1, 0.2], [0.1, -0.2]).message == "not yet, because entry 1 0.2 has the wrong sign"
    assert mark(0.1, [0.1]).message == "not yet, because should be a list of 1, not 0.1"


def test_values_and_numpy_count_as_their_numbers() -> None:
    w = Value(-0.196612)
    assert mark(-0.2, w, tol=0.01).right
    assert mark(np.array([1.0, 2.0]), [1.0, 2.0]).right
    assert mark(np.float64(0.5), 0.5).right


def test_not_a_number_answers_are_not_yet() -> None:
    assert mark(float("nan"), 1.0).message == "not yet, because nan is not a finite number"
    assert mark("0.5", 0.5).message == "not yet, because should be a number, not '0.5'"


@pytest.mark.parametrize("bad", [-1e-3, float("nan"), float("inf"), "0.1"])
def test_a_bad_tolerance_is_a_clear_error(bad: object) -> None:
    with pytest.raises(ValueError, match="tol must be a finite number ≥ 0, got"):
        mark(1.0, 1.0, tol=bad)  # type: ignore[arg-type]


@pytest.mark.parametrize("blank", [..., None])
def test_a_blank_expected_answer_is_the_author_s_mistake(blank: object) -> None:
    with pytest.raises(ValueError, match="expected must be the right answer"):
        mark(1.0, blank)


def test_an_uncheckable_expected_answer_is_a_type_error() -> None:
    with pytest.raises(TypeError, match="expected must be a number, bool, str or a list/tuple"):
        mark({"a": 1}, {"a": 1})


def test_the_docstring_examples_hold() -> None:
    import doctest

    import autograd.teaching.marking

    assert doctest.testmod(autograd.teaching.marking).failed == 0
