"""Every notebook exercise, tried as a student would: the right answer, it rounded as the question
allows, and the classic wrong answers (each must be marked "not yet", in whole sentences, without
giving the answer away); and each closed form of the bank checked against the library it stands for."""

from __future__ import annotations

import math

import numpy as np
import pytest

import nn
from autograd import Value, check, trace
from autograd.teaching.questions import CodeQuestion, Question
from autograd.teaching.quiz import QUESTIONS, question

KEYS = sorted(QUESTIONS)
VALUES = [k for k in KEYS if isinstance(QUESTIONS[k], Question)]
CODE = [k for k in KEYS if not isinstance(QUESTIONS[k], Question)]


def _sentences(message: str) -> bool:
    return message[0].isupper() and message[-1] in ".?" and ". ." not in message


def _shown(x: object) -> list[str]:
    """How the right answer's numbers would be written out (for 'never gives it away')."""
    if isinstance(x, (list, tuple)):
        return [s for v in x for s in _shown(v)]
    if isinstance(x, float) and len(f"{abs(x):g}".replace(".", "").strip("0")) >= 3:
        return [f"{x:g}", f"{x:.3f}", f"{x:.4f}"]
    return []


@pytest.mark.parametrize("key", VALUES)
def test_a_value_exercise_takes_the_right_answer_and_it_rounded(key: str) -> None:
    q = question(key)
    assert isinstance(q, Question)
    assert q.check(q.right).right, (key, q.check(q.right))
    assert q.check(q.rounded()).right, (key, q.rounded(), q.check(q.rounded()))
    assert check(key, ...).status == "unanswered"
    assert check(key, ...).message.startswith("Not answered yet: replace ... with your answer")


@pytest.mark.parametrize("key", VALUES)
def test_a_value_exercise_rules_out_every_classic_wrong_answer(key: str) -> None:
    q = question(key)
    assert isinstance(q, Question) and q.wrong, f"{key} has no classic wrong answer"
    for wrong, belief in q.wrong:
        verdict = q.check(wrong)
        assert verdict.status == "not yet", f"{key}: {wrong!r} ({belief}) is marked right"
        assert _sentences(verdict.message), verdict.message
        assert " Hint: " in verdict.message
        own = " ".join(f"{v:g}" for v in np.ravel(np.array(wrong, dtype=object)) if isinstance(v, float))
        for text in _shown(q.right):
            assert text not in verdict.message or text in own, (key, text, verdict.message)


@pytest.mark.parametrize("key", VALUES)
def test_the_precision_asked_for_is_not_exceeded_by_a_cruder_answer(key: str) -> None:
    """An answer one unit off in the last place asked for is not accepted (the tolerance is not loose)."""
    q = question(key)
    assert isinstance(q, Question)
    right = q.right if not isinstance(q.right, (list, tuple)) else q.right[0]
    if q.decimals is not None and isinstance(right, float):
        off = round(right, q.decimals) + 2 * 10.0**-q.decimals
        answer = off if not isinstance(q.right, (list, tuple)) else [off, *q.right[1:]]
        assert not q.check(answer).right, (key, answer)


@pytest.mark.parametrize("key", CODE)
def test_a_code_exercise_takes_a_right_function_and_rejects_the_classic_slips(key: str) -> None:
    q = question(key)
    assert isinstance(q, CodeQuestion)
    right = q.right() if key == "10.2" else q.right
    assert q.check(right).right, q.check(right)
    assert q.wrong, f"{key} has no classic wrong answer"
    for wrong, slip in q.wrong:
        verdict = q.check(wrong() if key == "10.2" else wrong)
        assert verdict.status == "not yet", f"{key}: the slip '{slip}' is marked right"
        assert _sentences(verdict.message) and " Hint: " in verdict.message, verdict.message
    assert q.check(...).status == "unanswered" and _sentences(q.check(...).message)
    assert q.check(3).status == "not yet" and _sentences(q.check(3).message)


def test_a_student_function_that_raises_is_told_so_and_the_notebook_runs_on() -> None:
    verdict = check("02.3", lambda x: 1 / 0)
    assert verdict.status == "not yet" and "ZeroDivisionError" in verdict.message


def test_an_unknown_exercise_names_the_ones_there_are() -> None:
    with pytest.raises(KeyError, match="no exercise '99.1'; the exercises are 01.1, 01.2"):
        check("99.1", 1)


def test_the_twelfth_notebook_s_own_rounding_is_accepted() -> None:
    """The fault of the issue: 0.000977 for 0.25⁵ asked to 3 significant figures was rejected."""
    assert check("12.2", 0.000977).right and not check("12.2", 0.001).right


def test_the_l2_exercise_is_not_passed_by_the_belief_that_the_penalty_adds_lambda() -> None:
    assert not check("05.3", 0.003).right and check("05.3", -0.0024).right


def test_the_critical_rate_is_the_boundary_and_a_finite_run_s_estimate_is_not_it() -> None:
    for wrong in (0.99, 0.99656, 0.997):
        assert not check("03.1", wrong).right
    assert check("03.1", 1).right and check("03.1", 1.0004).right


# ---- the bank's closed forms, against the library they stand for --------------------------------


def test_parameter_counts_and_batches_match_nn() -> None:
    assert question("05.1").expected() == len(nn.MLP(3, [4, 4, 2], seed=0).parameters())
    assert question("13.1").expected() == len(nn.MLP(6, [3, 6], seed=0).parameters())
    assert question("07.1").expected() == [len(nn.MLP(3, [4, 4, 1], seed=0).parameters()), 1]
    assert question("05.2").expected() == len(nn.Batches(100, 8))


def test_penalties_and_hinge_match_nn() -> None:
    w = Value(-0.4)
    (0.003 * nn.l2([w])).backward()
    assert abs(question("05.3").expected() - w.grad) < 1e-15  # type: ignore[operator]
    w = Value(-0.3)
    (0.1 * nn.l1([w])).backward()
    assert question("12.3").expected() == w.grad
    s = Value(0.3)
    loss = nn.hinge(s, 1)
    loss.backward()
    assert question("12.1").expected() == pytest.approx([loss.data, s.grad], abs=1e-15)


def test_softmax_answers_match_nn() -> None:
    z = [Value(v) for v in (0.5, 2.0, 1.0)]
    nn.cross_entropy(z, 1).backward()
    assert abs(question("04.1").expected() - z[1].grad) < 1e-15  # type: ignore[operator]
    assert abs(question("04.3").expected() - nn.softmax([Value(v) for v in (2.4, 1.8, 0.8)])[0].data) < 1e-15  # type: ignore[operator]
    z = [Value(0.2), Value(-0.4)]
    nn.cross_entropy(z, 0).backward()
    assert abs(question("06.3").expected() - z[0].grad) < 1e-15  # type: ignore[operator]


def test_the_tracing_answers_match_trace() -> None:
    w, b = Value(2.0, "w"), Value(-1.0, "b")
    twice = trace(lambda x: (w * x + b) * (w * x + b), 3.0)
    once = trace(lambda x: (lambda h: h * h)(w * x + b), 3.0)
    assert question("09.1").expected() == [twice.stats["nodes"], once.stats["nodes"]]

    w2 = Value(0.5, "w")

    def abs_wx(x: Value) -> Value:
        h = w2 * x
        if h.data >= 0:
            return h
        return -h

    g = trace(abs_wx, 1.0)
    for x in (2.0, -1.0, 3.0, -2.0, 0.5, -4.0):
        g(x)
    assert question("09.2").expected() == g.traces

    x3, w3, b3 = Value(1.0), Value(0.0), Value(0.0)
    g3 = trace(lambda: 1 / ((-(w3 * x3 + b3)).exp() + 1))
    g3()
    w3.data = math.log(3)
    assert question("09.3").expected() == pytest.approx([g3(), w3.grad], abs=1e-15)


def test_the_regression_answers_match_least_squares() -> None:
    A = np.array([[x, 1.0] for x in (1.0, 2.0, 3.0)])
    assert question("11.1").expected() == pytest.approx(np.linalg.lstsq(A, [3.0, 5.0, 7.0], rcond=None)[0])
    x = np.linspace(0.5, 6.0, 10)
    y = np.sin(x) + x
    residual = {}
    for d in (8, 9):
        V = np.vander(x, d + 1)
        theta = np.linalg.lstsq(V, y, rcond=None)[0]
        residual[d] = float(np.max(np.abs(V @ theta - y)))
    assert residual[9] < 1e-8 < residual[8] and question("11.3").expected() == 9


def test_the_critical_rate_matches_descent() -> None:
    def distance(eta: float, steps: int) -> float:
        w = 0.0
        for _ in range(steps):
            w -= eta * 2 * (w - 1)
        return abs(w - 1)

    assert distance(0.999, 20000) < 1e-6 and distance(1.0, 20000) == 1.0 and distance(1.001, 2000) > 1
    assert question("03.1").expected() == 1.0
    assert question("03.2").expected() == next(n for n in range(100) if distance(0.1, n) < 0.01)


def test_the_practice_sheet_takes_its_gradients_to_four_significant_figures_not_three() -> None:
    """10.2 asks for 4 significant figures: check_answers' rtol 1e-3 holds them, and not a sloppier table."""
    q = question("10.2")
    key = q.right()  # type: ignore[call-arg]
    four = {name: float(f"{g:.4g}") for name, g in key.items()}
    assert q.check(four).right
    two = {name: float(f"{g:.2g}") for name, g in key.items()}
    assert q.check(two).status == "not yet"


def test_the_docstring_examples_hold() -> None:
    import doctest

    import autograd.teaching.quiz

    assert doctest.testmod(autograd.teaching.quiz).failed == 0
