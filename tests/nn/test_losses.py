"""Losses, penalties and accuracy: hand values, gradcheck, and ∂(cross-entropy∘softmax)/∂z = ŷ − y."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import nn
from autograd import Value, gradcheck, topological_order

EXACT = 1e-12
logit = st.floats(-30.0, 30.0, allow_nan=False)


def _values(*xs: float) -> list[Value]:
    return [Value(x) for x in xs]


def _softmax_by_hand(z: list[float]) -> list[float]:
    e = [math.exp(v) for v in z]
    return [v / sum(e) for v in e]


# ---- mse -------------------------------------------------------------------------------------------


def test_mse_hand_value_and_gradient() -> None:
    """((3 − 1)² + (1 − 2)²)/2 = 2.5; ∂/∂oᵢ = 2(oᵢ − tᵢ)/2 = 2, −1."""
    o = _values(3.0, 1.0)
    loss = nn.mse(o, [1.0, 2.0])
    loss.backward()
    assert loss.data == 2.5
    assert [v.grad for v in o] == [2.0, -1.0]


def test_mse_single_and_nested() -> None:
    assert nn.mse(Value(0.5), 2.0).data == 2.25
    batch = [_values(1.0, 2.0), _values(0.0, 0.0)]
    assert nn.mse(batch, [[1.0, 0.0], [1.0, 1.0]]).data == (0 + 4 + 1 + 1) / 4


def test_mse_gradcheck() -> None:
    assert gradcheck(lambda a, b, c: nn.mse([a, b, c], [0.5, -1.0, 2.0]), 0.3, -0.2, 4.0)


# ---- binary cross-entropy ---------------------------------------------------------------------------


def test_bce_hand_values() -> None:
    p = Value(0.8)
    loss = nn.bce(p, 1)
    loss.backward()
    assert loss.data == pytest.approx(-math.log(0.8), abs=EXACT)  # 0.223144
    assert p.grad == pytest.approx(-1 / 0.8, abs=EXACT)
    q = Value(0.8)
    loss0 = nn.bce(q, 0)
    loss0.backward()
    assert loss0.data == pytest.approx(-math.log(0.2), abs=EXACT)  # 1.609438
    assert q.grad == pytest.approx(1 / 0.2, abs=1e-11)
    assert nn.bce(_values(0.8, 0.8), [1, 0]).data == pytest.approx(
        (-math.log(0.8) - math.log(0.2)) / 2, abs=EXACT
    )


def test_bce_soft_label_gradcheck() -> None:
    assert gradcheck(lambda p: nn.bce(p, 0.3), 0.6)
    assert gradcheck(lambda p, q: nn.bce([p, q], [1, 0]), 0.35, 0.9)


def test_bce_errors() -> None:
    with pytest.raises(ValueError, match=r"probability must lie in \(0, 1\), got 1.5"):
        nn.bce(Value(1.5), 1)
    with pytest.raises(ValueError, match=r"target must be a probability in \[0, 1\].*got 2.0"):
        nn.bce(Value(0.5), 2)


def test_bce_with_logits_hand_values() -> None:
    z = Value(0.0)
    loss = nn.bce_with_logits(z, 1)
    loss.backward()
    assert loss.data == pytest.approx(math.log(2.0), abs=EXACT)
    assert z.grad == pytest.approx(-0.5, abs=EXACT)  # σ(0) − 1
    z2 = Value(2.0)
    loss2 = nn.bce_with_logits(z2, 0)
    loss2.backward()
    assert loss2.data == pytest.approx(math.log(1 + math.exp(2.0)), abs=EXACT)  # 2.126928
    assert z2.grad == pytest.approx(1 / (1 + math.exp(-2.0)), abs=EXACT)  # σ(2) − 0


def test_bce_with_logits_is_stable() -> None:
    """ln(1 + e¹⁰⁰⁰) would overflow if computed directly; the loss is 1000 exactly."""
    assert nn.bce_with_logits(Value(1000.0), 1).data == 0.0
    assert nn.bce_with_logits(Value(-1000.0), 1).data == 1000.0
    assert nn.bce_with_logits(Value(1000.0), 0).data == 1000.0
    z = Value(-800.0)
    nn.bce_with_logits(z, 1).backward()
    assert z.grad == -1.0


@pytest.mark.parametrize(
    ("z", "y", "ops"),
    [
        (2.0, 1, ["neg", "exp", "add", "log"]),  # ln(1 + e⁻ᶻ) + 0·z: no × 0 node
        (2.0, 0, ["neg", "exp", "add", "log", "mul", "add"]),  # ln(1 + e⁻ᶻ) + 1·z
        (-2.0, 0, ["exp", "add", "log"]),  # ln(1 + eᶻ) − 0·z
        (-2.0, 1, ["exp", "add", "log", "mul", "add"]),  # ln(1 + eᶻ) + (−1)·z
    ],
)
def test_bce_with_logits_records_no_multiplication_by_zero(z: float, y: int, ops: list[str]) -> None:
    loss = nn.bce_with_logits(Value(z), y)
    assert [n.op for n in topological_order(loss) if not n.is_leaf] == ops


@given(st.floats(-15.0, 15.0), st.sampled_from([0.0, 1.0, 0.25]))
def test_bce_with_logits_matches_bce_of_sigmoid(z: float, y: float) -> None:
    """Within |z| ≤ 15, σ(z) stays inside (0, 1), where bce itself is defined."""
    a = nn.bce_with_logits(Value(z), y).data
    b = nn.bce(Value(z).sigmoid(), y).data
    assert a == pytest.approx(b, rel=1e-9, abs=1e-12)


@pytest.mark.parametrize("y", [0, 1, 0.4])
@pytest.mark.parametrize("z", [-3.0, -0.1, 0.0, 2.5])
def test_bce_with_logits_gradcheck(z: float, y: float) -> None:
    assert gradcheck(lambda v: nn.bce_with_logits(v, y), z)


# ---- softmax, log_softmax, cross-entropy -------------------------------------------------------------


@pytest.mark.parametrize(
    ("z", "p"),
    [
        ((1.2, 0.9, 0.4), (0.456590, 0.338250, 0.205159)),
        ((1.5, 0.7, 0.2), (0.580767, 0.260955, 0.158277)),
        ((1.1, 2.5, 1.5), (0.152741, 0.619396, 0.227863)),
        ((2.0, 1.5, 1.1), (0.496746, 0.301292, 0.201962)),
    ],
)
def test_softmax_worked_examples(z: tuple[float, ...], p: tuple[float, ...]) -> None:
    """worked-examples §6: exactly (1e-12) against exp(zᵢ)/Σ exp(zⱼ), and to the six digits given there."""
    probs = nn.softmax(_values(*z))
    assert [v.data for v in probs] == pytest.approx(_softmax_by_hand(list(z)), abs=EXACT)
    assert [v.data for v in probs] == pytest.approx(p, abs=5e-7)
    assert sum(v.data for v in probs) == pytest.approx(1.0, abs=EXACT)


@pytest.mark.parametrize("label", [0, 1, 2])
@pytest.mark.parametrize("z", [(1.2, 0.9, 0.4), (1.5, 0.7, 0.2), (1.1, 2.5, 1.5), (2.0, 1.5, 1.1)])
def test_cross_entropy_gradient_is_p_minus_y(z: tuple[float, ...], label: int) -> None:
    """§6: ∂L/∂zᵢ = ŷᵢ − yᵢ, exactly (1e-12), for an int label and for the one-hot vector."""
    p = _softmax_by_hand(list(z))
    y = [1.0 if i == label else 0.0 for i in range(3)]
    for target in (label, y):
        logits = _values(*z)
        loss = nn.cross_entropy(logits, target)
        loss.backward()
        assert loss.data == pytest.approx(-math.log(p[label]), abs=EXACT)
        assert [v.grad for v in logits] == pytest.approx([pi - yi for pi, yi in zip(p, y)], abs=EXACT)


def test_cross_entropy_over_softmax_composition() -> None:
    """Writing L = −ln softmax(z)ₖ by hand through nn.softmax gives the same ŷ − y."""
    logits = _values(1.2, 0.9, 0.4)
    probs = nn.softmax(logits)
    loss = -probs[0].log()
    loss.backward()
    assert [v.grad for v in logits] == pytest.approx([0.456590 - 1, 0.338250, 0.205159], abs=5e-7)
    p = _softmax_by_hand([1.2, 0.9, 0.4])
    assert [v.grad for v in logits] == pytest.approx([p[0] - 1, p[1], p[2]], abs=EXACT)


@given(st.lists(logit, min_size=2, max_size=6), st.data())
def test_cross_entropy_gradient_property(z: list[float], data: st.DataObject) -> None:
    label = data.draw(st.integers(0, len(z) - 1))
    logits = _values(*z)
    nn.cross_entropy(logits, label).backward()
    m = max(z)
    e = [math.exp(v - m) for v in z]
    p = [v / sum(e) for v in e]
    assert [v.grad for v in logits] == pytest.approx([pi - (i == label) for i, pi in enumerate(p)], abs=1e-12)


@given(st.lists(logit, min_size=1, max_size=6))
def test_log_softmax_is_log_of_softmax(z: list[float]) -> None:
    logs = nn.log_softmax(_values(*z))
    probs = nn.softmax(_values(*z))
    assert sum(p.data for p in probs) == pytest.approx(1.0, abs=1e-12)
    for lp, p in zip(logs, probs):
        if p.data > 1e-300:
            assert lp.data == pytest.approx(math.log(p.data), abs=1e-9)


def test_log_softmax_and_softmax_are_stable() -> None:
    """exp(1000) overflows; subtracting the maximum first keeps everything finite."""
    logs = nn.log_softmax(_values(1000.0, 0.0))
    assert logs[0].data == 0.0 and logs[1].data == -1000.0
    probs = nn.softmax(_values(1000.0, 999.0))
    assert probs[0].data == pytest.approx(1 / (1 + math.exp(-1.0)), abs=EXACT)
    logits = _values(1000.0, 0.0)
    loss = nn.cross_entropy(logits, 1)
    loss.backward()
    assert loss.data == 1000.0
    assert [v.grad for v in logits] == [1.0, -1.0]


def test_log_softmax_and_cross_entropy_build_no_extra_nodes() -> None:
    """Three logits: 3 exps, 2 adds and a log for ln Σ, then one neg of it (shared); no shift below 300."""
    logs = nn.log_softmax(_values(1.2, 0.9, 0.4))
    ops = [n.op for n in topological_order(logs[0] + logs[1] + logs[2]) if not n.is_leaf]
    assert ops.count("neg") == 1
    assert len(ops) == 3 + 2 + 1 + 1 + 3 + 2  # … + 3 entries zᵢ − ln Σ, + 2 adds to sum them here
    # an int label needs only −ln ŷₖ = ln Σ − zₖ: ln Σ, one neg and one add
    ce_ops = [n.op for n in topological_order(nn.cross_entropy(_values(1.2, 0.9, 0.4), 1)) if not n.is_leaf]
    assert len(ce_ops) == 3 + 2 + 1 + 2
    shifted = nn.log_softmax(_values(1000.0, 0.0))  # beyond 300: the shifts zᵢ − m come back
    assert [n.op for n in topological_order(shifted[0]) if not n.is_leaf].count("add") == 2 + 1 + 1


def test_softmax_gradcheck() -> None:
    assert gradcheck(lambda a, b, c: nn.softmax([a, b, c])[1], 0.3, -1.2, 2.0)
    assert gradcheck(lambda a, b, c: nn.log_softmax([a, b, c])[2], 0.3, -1.2, 2.0)


def test_cross_entropy_gradcheck_and_batch_mean() -> None:
    assert gradcheck(lambda a, b, c: nn.cross_entropy([a, b, c], 2), 0.5, 1.0, -0.5)
    assert gradcheck(lambda a, b, c: nn.cross_entropy([a, b, c], [0.2, 0.5, 0.3]), 0.5, 1.0, -0.5)
    batch = [_values(1.2, 0.9, 0.4), _values(1.5, 0.7, 0.2)]
    mean = nn.cross_entropy(batch, [0, 2]).data
    p0, p1 = (
        _softmax_by_hand([1.2, 0.9, 0.4])[0],
        _softmax_by_hand([1.5, 0.7, 0.2])[2],
    )  # §6: 0.456590, 0.158277
    assert mean == pytest.approx((-math.log(p0) - math.log(p1)) / 2, abs=EXACT)


def test_cross_entropy_errors() -> None:
    with pytest.raises(ValueError, match=r"class label must be an int in 0…2, got 3"):
        nn.cross_entropy(_values(1, 2, 3), 3)
    with pytest.raises(ValueError, match="one-hot target must be numbers in"):
        nn.cross_entropy(_values(1, 2, 3), [1, 1, 0])
    with pytest.raises(ValueError, match="vector of 3 probabilities"):
        nn.cross_entropy(_values(1, 2, 3), [1, 0])
    with pytest.raises(ValueError, match="2 samples need 2 targets, got 1"):
        nn.cross_entropy([_values(1, 2), _values(3, 4)], [0])
    with pytest.raises(TypeError, match="non-empty list of Values"):
        nn.softmax([])


# ---- hinge -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("score", "label", "loss", "grad"),
    [
        (0.3, 1, 0.7, -1.0),
        (0.3, -1, 1.3, 1.0),
        (2.0, 1, 0.0, 0.0),
        (-2.0, -1, 0.0, 0.0),
        (-0.5, 1, 1.5, -1.0),
    ],
)
def test_hinge_hand_values(score: float, label: int, loss: float, grad: float) -> None:
    """max(0, 1 − y·s); ∂/∂s = −y inside the margin, 0 outside."""
    s = Value(score)
    out = nn.hinge(s, label)
    out.backward()
    assert out.data == pytest.approx(loss, abs=EXACT)
    assert s.grad == grad


def test_hinge_batch_mean_and_gradcheck() -> None:
    assert nn.hinge(_values(0.3, 0.3, 2.0), [1, -1, 1]).data == pytest.approx((0.7 + 1.3 + 0) / 3, abs=EXACT)
    assert gradcheck(lambda a, b: nn.hinge([a, b], [1, -1]), 0.2, 0.4)
    with pytest.raises(ValueError, match="a label must be −1 or \\+1, got 0.0"):
        nn.hinge(Value(0.0), 0)
    with pytest.raises(ValueError, match="hinge: margin must be a finite real number, got nan"):
        nn.hinge(Value(0.3), 1, margin=math.nan)  # would give relu(nan) = 0 silently
    with pytest.raises(ValueError, match="hinge: margin must be a finite real number, got '1'"):
        nn.hinge(Value(0.3), 1, margin="1")  # type: ignore[arg-type]


# ---- penalties ---------------------------------------------------------------------------------------


def test_l2_and_l1_hand_values() -> None:
    w = _values(-2.0, 0.5)
    p2 = nn.l2(w)
    p2.backward()
    assert p2.data == 4.25 and [v.grad for v in w] == [-4.0, 1.0]
    w = _values(-2.0, 0.5, 0.0)
    p1 = nn.l1(w)
    p1.backward()
    assert p1.data == 2.5 and [v.grad for v in w] == [-1.0, 1.0, 0.0]


def test_penalties_gradcheck_and_errors() -> None:
    assert gradcheck(lambda a, b: nn.l2([a, b]), 0.7, -1.3)
    assert gradcheck(lambda a, b: nn.l1([a, b]), 0.7, -1.3)
    with pytest.raises(ValueError, match="needs at least one parameter"):
        nn.l2([])
    with pytest.raises(TypeError, match="parameters must be Values, got float"):
        nn.l1([1.0])  # type: ignore[list-item]


def test_penalty_of_a_model() -> None:
    model = nn.MLP(2, [3, 1], seed=0)
    assert nn.l2(model.parameters()).data == pytest.approx(
        sum(v * v for v in model.state_dict().values()), abs=EXACT
    )


# ---- accuracy -----------------------------------------------------------------------------------------


def test_accuracy() -> None:
    # scores with ±1 labels: 0.5 → +1 ✓, −0.2 → −1 ✓, 0.1 → +1 ✗ (label −1), −3 → −1 ✗ (label +1)
    assert nn.accuracy(_values(0.5, -0.2, 0.1, -3.0), [1, -1, -1, 1]) == 0.5
    # probabilities with 0/1 labels and threshold 0.5
    assert nn.accuracy(_values(0.7, 0.4, 0.6), [1, 0, 0], threshold=0.5) == pytest.approx(2 / 3)
    # vectors: argmax against class labels or one-hot targets
    outs = [_values(0.1, 2.0, -1.0), _values(3.0, 0.0, 0.0)]
    assert nn.accuracy(outs, [1, 2]) == 0.5
    assert nn.accuracy(outs, [[0, 1, 0], [1, 0, 0]]) == 1.0
    assert nn.count_correct(outs, [1, 0]) == 2


def test_accuracy_errors() -> None:
    with pytest.raises(ValueError, match="2 outputs need 2 targets, got 1"):
        nn.accuracy(_values(1, 2), [1])
    with pytest.raises(ValueError, match="list of outputs is empty"):
        nn.accuracy([], [])
    with pytest.raises(ValueError, match="a label must be"):
        nn.accuracy(_values(1), [0.5])
    with pytest.raises(ValueError, match="accuracy: threshold must be a finite real number, got nan"):
        nn.accuracy(_values(1), [1], threshold=math.nan)
    with pytest.raises(ValueError, match="1 outputs need 1 targets, got a single target 1"):
        nn.accuracy(_values(1), 1)  # type: ignore[arg-type]


def test_size_mismatch_says_what_the_targets_were() -> None:
    with pytest.raises(ValueError, match="mse: 2 outputs need 2 targets, got 3 targets"):
        nn.mse(_values(1, 2), [1, 2, 3])
    with pytest.raises(ValueError, match="mse: 1 outputs need 1 targets, got a single target 1.0"):
        nn.mse(_values(1), 1.0)
    with pytest.raises(ValueError, match="cross_entropy: 2 samples need 2 targets, got a single target 0"):
        nn.cross_entropy([_values(1, 2), _values(3, 4)], 0)


def test_numpy_targets_are_accepted() -> None:
    assert nn.mse(_values(3.0, 1.0), np.array([1.0, 2.0])).data == 2.5
    assert nn.hinge(_values(0.3, 0.3), np.array([1, -1])).data == pytest.approx(1.0, abs=EXACT)
    batch = [_values(1.2, 0.9, 0.4), _values(1.5, 0.7, 0.2)]
    assert nn.cross_entropy(batch, np.array([0, 2])).data == nn.cross_entropy(batch, [0, 2]).data
    assert nn.cross_entropy(batch[0], np.array([1.0, 0.0, 0.0])).data == nn.cross_entropy(batch[0], 0).data
    assert nn.accuracy(batch, np.eye(3)[[0, 0]]) == 1.0
