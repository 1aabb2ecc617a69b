"""backward(): the chain rule over shared nodes, deep chains, wide sums and repeated calls."""

from __future__ import annotations

import math
import sys

import pytest

from autograd import AnomalyError, Value, detect_anomaly, topological_order, zero_grad


def test_a_plus_a_keeps_both_edges() -> None:
    a = Value(3.0, "a")
    b = a + a
    assert b.parents == (a, a)
    b.backward()
    assert a.grad == 2.0  # micrograd's set of children loses one edge and gives 1


def test_a_times_a() -> None:
    a = Value(3.0, "a")
    b = a * a
    assert b.parents == (a, a) and b.local_grads == (3.0, 3.0)
    b.backward()
    assert a.grad == 6.0  # ∂(a²)/∂a = 2a


def test_shared_subexpression_sums_over_paths() -> None:
    x = Value(2.0, "x")
    u = x * x  # used twice below
    f = u * u + u  # f = x⁴ + x², f′ = 4x³ + 2x = 36
    f.backward()
    assert x.grad == 36.0
    assert u.grad == 2 * u.data + 1  # ∂f/∂u = 2u + 1 = 9


def test_deep_chain_of_a_million_ops_needs_no_recursion() -> None:
    """y = y·1 + 0, 500,000 times (a million op nodes), at the default recursion limit."""
    assert sys.getrecursionlimit() <= 10_000
    x = Value(1.0, "x")
    y = x
    for _ in range(500_000):
        y = y * 1.0 + 0.0
    y.backward()
    assert x.grad == 1.0
    del y  # freeing the chain must not overflow the C stack either (a crash fails the run)


def test_builtin_sum_of_100_000_values() -> None:
    values = [Value(float(i)) for i in range(100_000)]
    total = sum(values)
    assert isinstance(total, Value) and total.data == sum(range(100_000))
    total.backward()
    assert all(v.grad == 1.0 for v in values)


def test_second_backward_accumulates_into_leaves_only() -> None:
    """Leaves accumulate as in PyTorch; intermediates are recomputed (micrograd issue #53)."""
    x = Value(2.0, "x")
    h = x * x
    f = h * 3
    f.backward()
    assert (x.grad, h.grad, f.grad) == (12.0, 3.0, 1.0)
    f.backward()
    assert (x.grad, h.grad, f.grad) == (24.0, 3.0, 1.0)  # exactly twice, not three times


def test_zero_grad_clears_the_whole_graph() -> None:
    x, y = Value(2.0, "x"), Value(3.0, "y")
    f = (x * y).tanh() + x
    f.backward()
    assert x.grad != 0.0
    zero_grad(f)
    assert all(n.grad == 0.0 for n in topological_order(f))
    f.backward()
    assert x.grad == pytest.approx(1 + 3 * (1 - math.tanh(6.0) ** 2))


def test_backward_on_a_leaf() -> None:
    x = Value(4.0, "x")
    x.backward()
    assert x.grad == 1.0


def test_backward_leaves_interpreter_settings_alone() -> None:
    import gc

    before = (gc.isenabled(), gc.get_threshold(), sys.getrecursionlimit())
    y = Value(1.0)
    for _ in range(10_000):
        y = y * 1.0
    y.backward()
    assert (gc.isenabled(), gc.get_threshold(), sys.getrecursionlimit()) == before


def test_graph_is_free_of_reference_cycles() -> None:
    """Nodes hold floats and parents only, so dropping a graph frees it without the cycle collector."""
    import gc
    import weakref

    class Probe:
        pass

    gc.collect()
    gc.disable()
    try:
        x = Value(2.0)
        f = (x * x + 1).exp()
        f.backward()
        probe = Probe()
        ref = weakref.ref(probe)
        holder = {"graph": f, "probe": probe}
        del probe, f, x
        holder.clear()
        assert ref() is None
        assert gc.collect() == 0
    finally:
        gc.enable()


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
