"""Every hand-worked computation of shared/worked-examples.md §1–6, reproduced exactly."""

from __future__ import annotations

import math
from collections.abc import Callable

import pytest

from autograd import Value, topological_order

EXACT = 1e-12


def test_h1_to_h6_sigmoid_table() -> None:
    """§1: f = 1/(exp(−(w·x + b)) + 1) at x = 1, w = 0, b = 0; six op nodes, as in the notes."""
    x, w, b = Value(1.0, "x"), Value(0.0, "w"), Value(0.0, "b")
    f = 1 / ((-(w * x + b)).exp() + 1)
    f.backward()
    ops = [n for n in topological_order(f) if not n.is_leaf]
    assert [n.op for n in ops] == ["mul", "add", "neg", "exp", "add", "reciprocal"]
    h1, h2, h3, h4, h5, h6 = ops
    assert h6 is f
    # (value, ∂f/∂node) per row of the table
    expected = [(0.0, 0.25), (0.0, 0.25), (0.0, -0.25), (1.0, -0.25), (2.0, -0.25), (0.5, 1.0)]
    for node, (value, grad) in zip(ops, expected):
        assert node.data == pytest.approx(value, abs=EXACT)
        assert node.grad == pytest.approx(grad, abs=EXACT)
    # local derivatives, row by row
    assert h1.parents == (w, x) and h1.local_grads == (1.0, 0.0)  # ∂h1/∂w = x, ∂h1/∂x = w
    assert h2.parents == (h1, b) and h2.local_grads == (1.0, 1.0)
    assert h3.local_grads == (-1.0,)
    assert h4.local_grads == (1.0,)  # exp(h3) = 1
    assert h5.parents[0] == h4 and h5.parents[1].is_constant and h5.local_grads == (1.0, 1.0)
    assert h6.local_grads == (-0.25,)  # −1/h5²
    assert w.grad == 0.25 and x.grad == 0.0 and b.grad == 0.25
    # the chain along the path to w: 1 × (−0.25) × 1 × 1 × (−1) × 1 × 1
    product = 1.0 * h6.local_grads[0] * h5.local_grads[0] * h4.local_grads[0]
    product *= h3.local_grads[0] * h2.local_grads[0] * h1.local_grads[0]
    assert product == 0.25


def test_sigmoid_method_records_the_same_four_nodes() -> None:
    """x.sigmoid() for x ≥ 0 is neg, exp, add, reciprocal — h3…h6."""
    z = Value(0.0, "z")
    s = z.sigmoid()
    assert [n.op for n in topological_order(s) if not n.is_leaf] == ["neg", "exp", "add", "reciprocal"]
    s.backward()
    assert (s.data, z.grad) == (0.5, 0.25)


def test_sigmoid_neuron_step_by_step() -> None:
    """§2: y = σ(w0·x0 + w1·x1 + w2) with w0 = 2, x0 = −1, w1 = −3, x1 = −2, w2 = −3."""
    w0, x0, w1, x1, w2 = (Value(v, n) for v, n in [(2, "w0"), (-1, "x0"), (-3, "w1"), (-2, "x1"), (-3, "w2")])
    h0 = w0 * x0
    h1 = w1 * x1
    p = h0 + h1
    z = p + w2
    m0 = -z
    m1 = m0.exp()
    m2 = m1 + 1
    y = 1 / m2
    y.backward()
    e = math.exp(-1.0)
    sig = 1 / (1 + e)
    assert z.data == 1.0
    assert m1.data == pytest.approx(e, abs=EXACT)  # 0.367879…
    assert m2.data == pytest.approx(1 + e, abs=EXACT)  # 1.367879…
    assert y.data == pytest.approx(0.7310585786300049, abs=EXACT)
    assert m2.grad == pytest.approx(-1 / (1 + e) ** 2, abs=EXACT)  # −0.534447 (notes: −0.53)
    assert m2.grad == pytest.approx(-0.534446645388, abs=1e-12)
    assert m1.grad == pytest.approx(m2.grad, abs=EXACT)
    assert m0.grad == pytest.approx(-0.196611933241, abs=1e-12)  # notes: −0.2
    dz = sig * (1 - sig)  # 0.196612
    for node in (z, p, h0, h1, w2):
        assert node.grad == pytest.approx(dz, abs=EXACT)
    assert w0.grad == pytest.approx(-0.196611933241, abs=1e-12)  # the notes' +0.2 is a sign slip
    assert x0.grad == pytest.approx(0.393223866483, abs=1e-12)
    assert w1.grad == pytest.approx(-0.393223866483, abs=1e-12)
    assert x1.grad == pytest.approx(-0.589835799724, abs=1e-12)


def test_sum_times_z() -> None:
    """§3: f = (x + y)·z at x = −2, y = 5, z = −4."""
    x, y, z = Value(-2.0, "x"), Value(5.0, "y"), Value(-4.0, "z")
    h = x + y
    f = h * z
    f.backward()
    assert (h.data, f.data) == (3.0, -12.0)
    assert (h.grad, x.grad, y.grad, z.grad) == (-4.0, -4.0, -4.0, 3.0)


def test_gradient_descent_on_squared_error() -> None:
    """§4: L(w) = (y − a·w − 10)² with a = 1, y = 11, w⁰ = 0, η = 0.1 gives wⁿ = 1 − 0.8ⁿ."""
    w = Value(0.0, "w")
    iterates = []
    for _ in range(6):
        w.grad = 0.0
        loss = (11 - 1 * w - 10) ** 2
        loss.backward()
        assert w.grad == pytest.approx(2 * (w.data - 1), abs=EXACT)  # dL/dw = 2(w − 1)
        w.data -= 0.1 * w.grad
        iterates.append(w.data)
    assert iterates == pytest.approx([0.2, 0.36, 0.488, 0.5904, 0.67232, 0.737856], abs=EXACT)
    assert iterates == pytest.approx([1 - 0.8**n for n in range(1, 7)], abs=EXACT)


def _ascend(
    log_likelihood: Callable[[Value], Value], p0: float = 0.3, lr: float = 0.01, steps: int = 3000
) -> float:
    """Gradient ascent on a function of one Value p; returns the final p."""
    p = Value(p0, "p")
    for _ in range(steps):
        p.grad = 0.0
        log_likelihood(p).backward()
        p.data += lr * p.grad
    return p.data


def test_coin_maximum_likelihood() -> None:
    """§5: three heads and two tails; ln L = 3 ln p + 2 ln(1 − p) peaks at p = 3/5."""
    p = _ascend(lambda p: 3 * p.log() + 2 * (1 - p).log())
    assert p == pytest.approx(3 / 5, abs=EXACT)


def test_coin_map_with_beta_prior() -> None:
    """§5: a Beta(20, 20) prior moves the estimate to (a + 2)/(a + b + 3) = 22/43."""
    a = b = 20
    p = _ascend(lambda p: (3 + a - 1) * p.log() + (2 + b - 1) * (1 - p).log(), lr=0.001)
    assert p == pytest.approx(22 / 43, abs=EXACT)
    assert p == pytest.approx(0.511628, abs=1e-6)


def _softmax_cross_entropy(logits: list[float], label: int) -> tuple[list[Value], list[Value], Value]:
    """ŷ = softmax(z) and L = −ln ŷ_label, written with the engine's primitives."""
    z = [Value(v, f"z{i}") for i, v in enumerate(logits)]
    exps = [zi.exp() for zi in z]
    total = sum(exps[1:], exps[0])
    probs = [e / total for e in exps]
    loss = -probs[label].log()
    return z, probs, loss


@pytest.mark.parametrize(
    ("logits", "expected"),
    [
        ((1.2, 0.9, 0.4), (0.456590, 0.338250, 0.205159)),
        ((1.5, 0.7, 0.2), (0.580767, 0.260955, 0.158277)),
        ((1.1, 2.5, 1.5), (0.152741, 0.619396, 0.227863)),
        ((2.0, 1.5, 1.1), (0.496746, 0.301292, 0.201962)),
    ],
)
@pytest.mark.parametrize("label", [0, 1, 2])
def test_softmax_cross_entropy(logits: tuple[float, ...], expected: tuple[float, ...], label: int) -> None:
    """§6: the probabilities, and ∂L/∂z_i = ŷ_i − y_i for a one-hot y."""
    z, probs, loss = _softmax_cross_entropy(list(logits), label)
    exact = [math.exp(v) / sum(math.exp(u) for u in logits) for v in logits]
    assert [p.data for p in probs] == pytest.approx(exact, abs=EXACT)
    assert [p.data for p in probs] == pytest.approx(expected, abs=5e-7)  # the file's six decimals
    loss.backward()
    for i, zi in enumerate(z):
        assert zi.grad == pytest.approx(exact[i] - (1.0 if i == label else 0.0), abs=EXACT)
