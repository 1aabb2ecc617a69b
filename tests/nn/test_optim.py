"""SGD and Adam: worked-examples §4 and §5, momentum, weight decay, schedules, bad arguments."""

from __future__ import annotations

import math

import pytest

import nn
from autograd import Value

EXACT = 1e-12


def test_sgd_reproduces_worked_example_4() -> None:
    """§4: L(w) = (y − a·w − 10)² with a = 1, y = 11, w⁰ = 0, η = 0.1 → wⁿ = 1 − 0.8ⁿ."""
    w = Value(0.0, "w")
    opt = nn.SGD([w], lr=0.1)
    iterates = []
    for _ in range(6):
        opt.zero_grad()
        loss = (11 - 1 * w - 10) ** 2
        loss.backward()
        opt.step()
        iterates.append(w.data)
    assert iterates == pytest.approx([0.2, 0.36, 0.488, 0.5904, 0.67232, 0.737856], abs=EXACT)
    assert opt.step_count == 6


def _climb(objective: object, p0: float, lr: float, steps: int, *, maximize: bool) -> float:
    p = Value(p0, "p")
    opt = nn.SGD([p], lr=lr, maximize=maximize)
    for _ in range(steps):
        opt.zero_grad()
        objective(p).backward()  # type: ignore[operator]
        opt.step()
    return p.data


def test_gradient_ascent_finds_the_coin_mle() -> None:
    """§5: HHHTT, ln L = 3 ln p + 2 ln(1 − p) is maximised at p = 3/5."""
    p = _climb(lambda p: 3 * p.log() + 2 * (1 - p).log(), 0.5, 0.02, 300, maximize=True)
    assert p == pytest.approx(3 / 5, abs=EXACT)


def test_gradient_descent_on_negative_log_likelihood() -> None:
    p = _climb(lambda p: -(3 * p.log() + 2 * (1 - p).log()), 0.3, 0.02, 300, maximize=False)
    assert p == pytest.approx(3 / 5, abs=EXACT)


def test_gradient_ascent_finds_the_map_estimate() -> None:
    """§5: Beta(20, 20) prior: (3 + a − 1) ln p + (2 + b − 1) ln(1 − p) peaks at 22/43 = 0.511628…"""
    a = b = 20
    p = _climb(lambda p: (3 + a - 1) * p.log() + (2 + b - 1) * (1 - p).log(), 0.5, 0.004, 300, maximize=True)
    assert p == pytest.approx(22 / 43, abs=EXACT)
    assert p == pytest.approx(0.511628, abs=1e-6)


def test_sgd_momentum_by_hand() -> None:
    """L = w², g = 2w, μ = 0.5, η = 0.1 from w = 1: v = 2, w = 0.8; v = 0.5·2 + 1.6 = 2.6, w = 0.54."""
    w = Value(1.0)
    opt = nn.SGD([w], lr=0.1, momentum=0.5)
    seen = []
    for _ in range(2):
        opt.zero_grad()
        (w * w).backward()
        opt.step()
        seen.append(w.data)
    assert seen == pytest.approx([0.8, 0.54], abs=EXACT)


def test_sgd_weight_decay_by_hand() -> None:
    """L = w, g = 1 + λw = 1 + 0.5·1 = 1.5, w = 1 − 0.1·1.5 = 0.85."""
    w = Value(1.0)
    opt = nn.SGD([w], lr=0.1, weight_decay=0.5)
    (w * 1.0).backward()
    opt.step()
    assert w.data == pytest.approx(0.85, abs=EXACT)


def test_adam_two_steps_by_hand() -> None:
    """L = w², from w = 1 with η = 0.1, β = (0.9, 0.999), ε = 1e-8, following Adam's update rule."""
    w = Value(1.0)
    opt = nn.Adam([w], lr=0.1)
    m = v = 0.0
    expected = 1.0
    for t in (1, 2):
        g = 2 * expected
        m = 0.9 * m + 0.1 * g
        v = 0.999 * v + 0.001 * g * g
        expected -= 0.1 * (m / (1 - 0.9**t)) / (math.sqrt(v / (1 - 0.999**t)) + 1e-8)
        opt.zero_grad()
        (w * w).backward()
        opt.step()
        assert w.data == pytest.approx(expected, abs=EXACT)
    assert w.data == pytest.approx(0.9 - 0.0995880, abs=1e-6)  # first step ≈ η, second ≈ η·0.99588


def test_adam_minimises_a_quadratic() -> None:
    x, y = Value(3.0), Value(-2.0)
    opt = nn.Adam([x, y], lr=0.05)
    for _ in range(600):
        opt.zero_grad()
        ((x - 1) ** 2 + (y + 0.5) ** 2 * 3).backward()
        opt.step()
    assert x.data == pytest.approx(1.0, abs=1e-3) and y.data == pytest.approx(-0.5, abs=1e-3)


def test_learning_rate_schedule() -> None:
    """micrograd's schedule lr = 1 − 0.9·k/100: the optimiser calls it with k = 0, 1, 2, …"""
    calls: list[int] = []

    def schedule(k: int) -> float:
        calls.append(k)
        return 1.0 - 0.9 * k / 100

    w = Value(0.0)
    opt = nn.SGD([w], lr=schedule)
    for _ in range(3):
        opt.zero_grad()
        (w * 1.0).backward()  # g = 1
        opt.step()
    assert calls == [0, 1, 2]
    assert w.data == pytest.approx(-(1.0 + 0.991 + 0.982), abs=EXACT)
    assert opt.current_lr() == pytest.approx(0.973, abs=EXACT)


def test_zero_grad() -> None:
    a, b = Value(1.0), Value(2.0)
    (a * b).backward()
    opt = nn.SGD([a, b], lr=0.1)
    opt.zero_grad()
    assert (a.grad, b.grad) == (0.0, 0.0)


def test_one_sgd_step_lowers_the_loss() -> None:
    model = nn.MLP(2, [8, 1], seed=0)
    xs = [[0.5, -1.0], [1.0, 1.0], [-0.5, 0.2]]
    ys = [1.0, -1.0, 0.5]

    def loss() -> Value:
        return nn.mse([model(x) for x in xs], ys)

    opt = nn.SGD(model.parameters(), lr=0.01)
    before = loss()
    opt.zero_grad()
    before.backward()
    opt.step()
    assert loss().data < before.data


@pytest.mark.parametrize(
    ("make", "error", "message"),
    [
        (lambda p: nn.SGD([], lr=0.1), ValueError, "at least one parameter"),
        (lambda p: nn.SGD([1.0], lr=0.1), TypeError, "parameters must be Values, got float"),
        (lambda p: nn.SGD([p, p], lr=0.1), ValueError, "appears twice"),
        (lambda p: nn.SGD([p], lr=0.0), ValueError, r"lr must lie in \(0, ∞\), got 0.0"),
        (lambda p: nn.SGD([p], lr=math.nan), ValueError, "lr must be a finite real number, got nan"),
        (lambda p: nn.SGD([p], lr="0.1"), ValueError, "lr must be a finite real number, got '0.1'"),
        (lambda p: nn.SGD([p], lr=0.1, momentum=1.0), ValueError, r"momentum must lie in \[0, 1\), got 1.0"),
        (lambda p: nn.SGD([p], lr=0.1, weight_decay=-1), ValueError, "weight_decay must lie in"),
        (lambda p: nn.Adam([p], betas=(0.9, 1.0)), ValueError, r"betas\[1\] must lie in \[0, 1\)"),
        (lambda p: nn.Adam([p], eps=0.0), ValueError, r"eps must lie in \(0, ∞\)"),
        (
            lambda p: nn.Adam([p], betas=[0.9, 0.999]),
            ValueError,
            r"betas must be a tuple \(β₁, β₂\) of two numbers in \[0, 1\), got \[0.9, 0.999\]",
        ),
    ],
)
def test_bad_arguments(make: object, error: type[Exception], message: str) -> None:
    with pytest.raises(error, match=message):
        make(Value(1.0))  # type: ignore[operator]


def test_schedule_returning_nonsense() -> None:
    opt = nn.SGD([Value(1.0)], lr=lambda k: math.nan)
    with pytest.raises(ValueError, match="schedule returned nan at step 0"):
        opt.step()


def test_reprs() -> None:
    p = Value(1.0)
    assert (
        repr(nn.SGD([p], lr=0.1, momentum=0.9)) == "SGD(1 parameters, lr=0.1, momentum=0.9, weight_decay=0)"
    )
    assert repr(nn.Adam([p], lr=lambda k: 0.1)) == "Adam(1 parameters, lr=schedule, betas=(0.9, 0.999))"
