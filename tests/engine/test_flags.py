"""Recording modes: no_grad() records nothing, detect_anomaly() checks every value, pause_gc() is opt-in."""

from __future__ import annotations

import gc
import math
import threading

import pytest

import autograd
from autograd import (
    AnomalyError,
    Value,
    detect_anomaly,
    enable_grad,
    is_grad_enabled,
    no_grad,
    pause_gc,
)

# ---- no_grad ----------------------------------------------------------------------------------


def test_no_grad_computes_values_and_records_nothing() -> None:
    x, w = Value(1.0, "x"), Value(0.0, "w")
    with no_grad():
        assert not is_grad_enabled()
        f = 1 / ((-(w * x + 0.0)).exp() + 1)  # the lecture's sigmoid: h6 = 0.5
        y = (x * 3).tanh()
    assert is_grad_enabled()
    assert type(f) is Value and f.is_leaf and f.data == 0.5 and f.parents == () and f.op == ""
    assert y.data == math.tanh(3.0) and y.is_leaf and not y.is_constant
    f.backward()  # a leaf on its own
    assert (f.grad, w.grad, x.grad) == (1.0, 0.0, 0.0)


def test_no_grad_keeps_no_parents() -> None:
    a, b = Value(2.0), Value(3.0)
    with no_grad():
        out = a * b + 1
    assert out.data == 7.0 and out.parents == () and out.local_grads == () and out.primitive is None


def test_no_grad_inside_a_recorded_graph_and_enable_grad_inside_no_grad() -> None:
    x = Value(2.0, "x")
    u = x * x  # recorded
    with no_grad():
        v = u * 10  # a number now: u's graph is not extended
        with enable_grad():
            g = u * 3  # recorded again
        assert not is_grad_enabled()
    assert v.is_leaf and v.parents == () and v.data == 40.0
    assert not g.is_leaf and g.parents[0] is u and g.parents[1].data == 3.0
    g.backward()
    assert x.grad == 12.0


def test_no_grad_is_restored_after_an_error_and_keeps_the_error_messages() -> None:
    with (
        pytest.raises(
            ValueError, match=r"^log of -1.0 cannot be computed: log\(x\) needs x > 0; its input is node 'u'"
        ),
        no_grad(),
    ):
        Value(-1.0, "u").log()
    assert is_grad_enabled()
    assert not (Value(1.0) * Value(2.0)).is_leaf


def test_no_grad_belongs_to_its_thread() -> None:
    seen: list[bool] = []
    x = Value(1.0)

    def other() -> None:
        seen.append(not (x * 2).is_leaf)

    with no_grad():
        thread = threading.Thread(target=other)
        thread.start()
        thread.join()
        assert (x * 2).is_leaf
    assert seen == [True]


def test_nn_validation_is_scored_without_a_graph() -> None:
    import nn

    x, y = nn.data.moons(40, noise=0.1, seed=1)
    model = nn.MLP(2, [4, 1], seed=1)
    made: list[bool] = []
    real_call = nn.MLP.__call__

    def spy(self: nn.MLP, row: object) -> object:
        made.append(is_grad_enabled())
        return real_call(self, row)  # type: ignore[arg-type]

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(nn.MLP, "__call__", spy)
        nn.fit(model, x[:30], y[:30], epochs=1, validation=(x[30:], y[30:]), progress=False)
    assert made.count(True) == 30 and made.count(False) == 10  # training recorded, validation not


# ---- detect_anomaly ---------------------------------------------------------------------------


def test_detect_anomaly_stops_at_the_first_non_finite_value() -> None:
    a = Value(math.inf, "a")  # made outside the block: allowed
    with detect_anomaly(), pytest.raises(AnomalyError, match=r"forward: an unlabelled mul node.*node 'a'"):
        a * 2
    with detect_anomaly(), pytest.raises(AnomalyError, match="node 'n'.*nan"):
        Value(math.nan, "n")
    assert math.isnan((a * 0).data)  # outside the block NaN flows on


def test_detect_anomaly_checks_gradients_in_backward() -> None:
    x = Value(0.0, "x")
    y = x**0.5  # ∂y/∂x = ∞ at 0
    assert y.local_grads == (math.inf,)
    f = y * 0.0 + 1.0
    with detect_anomaly(), pytest.raises(AnomalyError, match="forward"):
        x**0.5
    with (
        detect_anomaly(),
        pytest.raises(AnomalyError, match=r"backward: the gradient of node 'x' \(leaf\) is nan"),
    ):
        f.backward()


def test_detect_anomaly_restores_the_previous_setting() -> None:
    with pytest.raises(ZeroDivisionError), detect_anomaly():
        1 / Value(0.0)
    assert math.isnan((Value(math.inf) * 0).data)


def test_detect_anomaly_belongs_to_its_thread() -> None:
    errors: list[str] = []

    def other() -> None:
        try:
            Value(math.inf) * 2
        except AnomalyError as exc:  # pragma: no cover - the point is that this does not happen
            errors.append(str(exc))

    with detect_anomaly():
        thread = threading.Thread(target=other)
        thread.start()
        thread.join()
        with pytest.raises(AnomalyError):
            Value(math.inf) * 2
    assert errors == []


# ---- pause_gc ---------------------------------------------------------------------------------


def test_pause_gc_is_opt_in_and_restores_the_collector() -> None:
    assert gc.isenabled()
    with pytest.raises(RuntimeError), pause_gc():
        assert not gc.isenabled()
        raise RuntimeError("leaving through an exception")
    assert gc.isenabled()
    gc.disable()
    try:
        with pause_gc():
            pass
        assert not gc.isenabled()  # it was off before: it stays off
    finally:
        gc.enable()
    assert autograd.pause_gc is pause_gc


def test_no_grad_computes_only_the_value() -> None:
    """A derivative that would overflow is never computed when nothing is recorded (PyTorch gives 1e300)."""
    with no_grad():
        y = Value(1e-300, "tiny") ** -1
    assert y.data == math.pow(1e-300, -1) and y.is_leaf
    with pytest.raises(OverflowError, match="the derivative of pow at 1e-300"):
        Value(1e-300, "tiny") ** -1


def test_detect_anomaly_blames_only_this_backward() -> None:
    """A leaf whose .grad was already nan before backward() is not reported as this backward's doing."""
    w = Value(1.0, "w")
    w.grad = math.nan
    f = w * 2.0 + 1.0
    with detect_anomaly():
        f.backward()  # healthy: every gradient it computes is finite
    assert math.isnan(w.grad)
