"""One chain rule for every view: each reverse sweep gives backward()'s gradients, STOP included."""

from __future__ import annotations

import math
from collections.abc import Callable

import pytest

import autograd
from autograd import Value

W = -1.0  # relu(w·x) is off at x = 1: its local derivative is STOP


def cases() -> dict[str, Callable[[Value, Value], Value]]:
    """Graphs where the rule matters: an infinite gradient meets a switched-off relu or x⁰."""
    return {
        "relu off, times ∞": lambda w, x: (w * x).relu() * math.inf,
        "relu(w) ** 0.5": lambda w, x: w.relu() ** 0.5 * x,
        "x⁰ times ∞": lambda w, x: (w**0) * math.inf + w * x,
        "relu on, times ∞": lambda w, x: (-w * x).relu() * math.inf,
        "a product with 0 is no mask": lambda w, x: ((w * 0.0) ** 0.5) * x,
    }


def same(a: float, b: float) -> bool:
    """Equal floats, nan equal to nan."""
    return a == b or (math.isnan(a) and math.isnan(b))


@pytest.mark.parametrize("name", list(cases()))
def test_every_sweep_agrees_with_backward(name: str) -> None:
    fn = cases()[name]
    w, x = Value(W, "w"), Value(1.0, "x")
    f = fn(w, x)
    f.backward()
    want = w.grad
    grads = autograd.backprop(f)
    assert same(grads[w], want)
    expected = {"relu off, times ∞": 0.0, "relu(w) ** 0.5": 0.0, "x⁰ times ∞": 1.0}
    if name in expected:  # the rule: nothing passes back, not even ∞
        assert want == expected[name]

    # the steps and the table
    autograd.zero_grad(f)
    for _ in autograd.backward_steps(f):
        pass
    assert same(w.grad, want)
    table = autograd.table(f)
    for row in table:
        assert same(row.grad, grads[row.node]), row.name

    # higher order: the same sweep on Values
    assert same(autograd.grad(f, [w])[0], want)
    assert same(autograd.grad(f, [w], create_graph=True)[0].data, want)

    # explain: the sum over w's uses
    explanation = autograd.explain(f, w)
    assert same(explanation.grad, want)
    if math.isfinite(want):
        assert math.fsum(t.product for t in explanation.terms) == want

    # the traces of both passes
    rows = autograd.evaluation_trace(f, [w, x], wrt=w)
    assert same(rows[0].adjoint, want)

    # check_answers marks the engine's own numbers right
    if math.isfinite(want):
        assert autograd.check_answers(f, {w: want}).ok

    # a traced program, one sample and across a batch
    w.grad = 0.0
    g = autograd.trace(lambda x: fn(w, x), 1.0)
    g(1.0)
    assert same(w.grad, want)
    w.grad = 0.0
    b = autograd.trace(lambda x: fn(w, x), [1.0, 1.0], batched=True)
    b([1.0, 1.0])
    assert same(w.grad, want)  # the mean over two equal rows


def test_stop_is_zero_and_stops_everything() -> None:
    from autograd.engine.primitives import STOP

    assert STOP == 0.0 and not STOP and math.copysign(1.0, STOP) == 1.0
    for g in (1.0, -2.0, math.inf, -math.inf, math.nan):
        assert (STOP * g, g * STOP) == (0.0, 0.0)
    assert 0.0 * math.inf != 0.0 * math.inf  # the IEEE product it replaces is nan
