"""Batched replays held to the dynamic engine: adjoints never alias, groups weigh by their share, no hang."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest

import nn
from autograd import Value, trace
from nn import losses


def _dynamic_mean(fn, params, rows):
    """∂(mean of fn over rows)/∂p for each p, by the dynamic engine, and the mean."""
    for p in params:
        p.grad = 0.0
    terms = [fn(Value(r)) for r in rows]
    total = sum(terms[1:], terms[0]) * (1.0 / len(rows))
    total.backward()
    return [p.grad for p in params], total.data


def _replay_equals_the_dynamic_mean(model, loss, xs, ys):
    """A batched trace of loss over (xs, ys) gives the dynamic engine's mean and its gradients."""
    model.zero_grad()
    terms = [loss([Value(v) for v in x], y if isinstance(y, list) else Value(y)) for x, y in zip(xs, ys)]
    total = sum(terms[1:], terms[0]) * (1.0 / len(xs))
    total.backward()
    want = [p.grad for p in model.parameters()]
    g = trace(loss, xs, ys, batched=True)
    model.zero_grad()
    assert g(xs, ys) == pytest.approx(total.data, rel=1e-12)
    assert [p.grad for p in model.parameters()] == pytest.approx(want, rel=1e-12, abs=1e-15)
    return g


def test_a_node_used_twice_does_not_change_another_nodes_gradient():
    w, b = Value(0.7), Value(-0.3)

    def fn(x):
        c = w * x + b
        return c + c * b

    rows = [0.5, -1.0, 2.0]
    want, mean = _dynamic_mean(fn, [w, b], rows)
    g = trace(fn, rows, batched=True)
    w.grad = b.grad = 0.0
    assert g(rows) == pytest.approx(mean, rel=1e-12)
    assert b.grad == pytest.approx(0.75, rel=1e-12)  # the replay gave 0.735 when dh2 aliased dh4
    assert [w.grad, b.grad] == pytest.approx(want, rel=1e-12)


def test_an_mlp_loss_e_squared_plus_e_matches_the_dynamic_engine():
    model = nn.MLP(2, [3, 1], seed=0)
    xs = [[0.5, -1.0], [1.5, 0.25], [-0.75, 2.0]]
    ys = [1.0, -1.0, 0.5]

    def loss(x, y):
        e = model(x) - y
        return e * e + e

    _replay_equals_the_dynamic_mean(model, loss, xs, ys)


def test_each_group_of_rows_is_weighted_by_its_share_of_the_batch():
    w = Value(1.0)
    g = trace(lambda x: w * 1.0 if x.data > 0 else w * 2.0, [1.0, -1.0, 1.0, -1.0], batched=True)
    w.grad = 0.0
    assert g([1.0, -1.0, 1.0, -1.0]) == pytest.approx(1.5)
    assert w.grad == pytest.approx(1.5)  # each group added its gradient unscaled: 3.0


def _tanh_disagreeing(sign: int) -> float:
    """An x where numpy's tanh and math.tanh differ in the last bit (numpy's below for sign < 0)."""
    for x in np.random.default_rng(0).normal(size=2000).tolist():
        d = float(np.tanh(np.array([x]))[0]) - math.tanh(x)
        if d != 0.0 and (d < 0) == (sign < 0):
            return x
    raise AssertionError("numpy's tanh agrees with math.tanh on 2000 inputs: pick another function")


@pytest.mark.parametrize("labels", ["one-hot", "int"])
def test_a_tanh_mlp_with_cross_entropy_makes_one_trace_per_label(labels):
    model = nn.MLP(2, [4, 3], activation="tanh", seed=1)
    xs = [[0.1, 0.2], [-0.4, 0.9], [1.2, -0.3], [0.0, -1.1]]
    ys = [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0], [0.0, 1.0, 0.0]]
    if labels == "int":
        ys = [row.index(1.0) for row in ys]

    def loss(x, y):
        return nn.cross_entropy(model(x), y if labels == "one-hot" else int(y.data))

    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the largest logit used to be guarded exactly: a trace per row
        g = _replay_equals_the_dynamic_mean(model, loss, xs, ys)
    assert g.traces == 3  # one per class: only the label is read as a number


def test_a_relu_mlp_with_cross_entropy_is_not_traced_per_row():
    model = nn.MLP(2, [8, 3], seed=2)
    rng = np.random.default_rng(3)
    xs = rng.normal(size=(50, 2)).tolist()
    ys = rng.integers(0, 3, size=50).tolist()

    def loss(x, y):
        return nn.cross_entropy(model(x), int(y.data))

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        g = _replay_equals_the_dynamic_mean(model, loss, xs, ys)
    assert g.traces == 3  # 92 traces for 50 rows, before


def test_a_computed_number_is_the_same_to_the_last_bits_numpy_and_math_differ_in():
    w = Value(1.0)
    x0 = _tanh_disagreeing(+1)

    def fn(x):
        t = (w * x).tanh()
        return t * t.data  # the number of a node: guarded as "the same"

    rows = [x0] * 4
    want, mean = _dynamic_mean(fn, [w], rows)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        g = trace(fn, rows, batched=True)
        w.grad = 0.0
        assert g(rows) == pytest.approx(mean, rel=1e-14)
    assert w.grad == pytest.approx(want[0], rel=1e-14)
    assert g.traces == 1  # the trace refused its own row, and re-traced it without end


def test_a_row_its_own_trace_refuses_runs_on_the_dynamic_engine():
    w = Value(1.0)
    x0 = _tanh_disagreeing(-1)
    c = math.tanh(x0)  # math says tanh(x0) < c is False; numpy's tanh(x0) is below c

    def fn(x):
        return w * x if (w * x).tanh().data < c else w * x * 2.0

    want, mean = _dynamic_mean(fn, [w], [x0])
    g = trace(fn, [x0], batched=True)
    w.grad = 0.0
    with pytest.warns(UserWarning, match="no trace covers 1 of the 1 rows"):
        assert g([x0]) == pytest.approx(mean, rel=1e-15)
    assert w.grad == pytest.approx(want[0], rel=1e-15)


def test_rows_that_each_need_a_trace_stop_at_the_bound_and_run_dynamically():
    w = Value(0.5)

    def fn(x):
        h = w * x
        return h * h.data  # a different number on every row: each row would need its own trace

    rows = np.linspace(-1.0, 1.0, 40).tolist()
    want, mean = _dynamic_mean(fn, [w], rows)
    g = trace(fn, rows, batched=True)
    w.grad = 0.0
    with pytest.warns(UserWarning, match="8 traces per call is the limit"):
        assert g(rows) == pytest.approx(mean, rel=1e-12)
    assert w.grad == pytest.approx(want[0], rel=1e-12)
    assert g.traces <= 1 + 8


def test_a_static_argument_may_be_a_dict_or_a_set():
    w = Value(2.0)
    g = trace(
        lambda x, opts: w * x * opts["k"] + len(opts["s"]), 3.0, {"k": 2.0, "s": {1, 2}}, static_argnums=[1]
    )
    w.grad = 0.0
    assert g(3.0, {"k": 2.0, "s": {1, 2}}) == 14.0
    assert w.grad == 6.0
    assert g(3.0, {"k": 1.0, "s": {1}}) == 7.0  # another dict traces again


def test_a_bool_input_is_refused_with_its_name():
    w = Value(2.0)
    with pytest.raises(TypeError, match="bool True"):
        trace(lambda x: w * x, True)


@pytest.mark.parametrize("batched", [False, True])
def test_a_relu_that_is_off_passes_nothing_back_in_a_replay(batched):
    w = Value(-1.0)

    def fn(x):
        return w.relu() ** 0.5 * x

    w.grad = 0.0
    fn(Value(2.0)).backward()
    assert w.grad == 0.0  # the dynamic engine, as PyTorch
    g = trace(fn, [2.0, 3.0] if batched else 2.0, batched=batched)
    w.grad = 0.0
    g([2.0, 3.0] if batched else 2.0)
    assert w.grad == 0.0  # the replay gave nan


# ---- one sample's graph across a batch --------------------------------------------------------


def test_batched_replay_equals_the_dynamic_mean():
    model = nn.MLP(2, [8, 8, 1], seed=3)
    params = model.parameters()
    x, y01 = nn.data.moons(30, noise=0.1, seed=2)
    y = (2 * y01 - 1).astype(float)

    def per_sample(point: list[Value], label: Value) -> Value:
        return (1 + -label * model(point)).relu() + 1e-4 * losses.l2(params)

    g = trace(per_sample, x, y, batched=True)
    for p in params:
        p.grad = 0.0
    got = g(x, y)
    got_grads = [p.grad for p in params]
    for p in params:
        p.grad = 0.0
    terms = [per_sample([Value(a) for a in row], Value(t)) for row, t in zip(x.tolist(), y.tolist())]
    total = sum(terms[1:], terms[0]) * (1.0 / len(terms))
    total.backward()
    assert got == pytest.approx(total.data, rel=1e-12, abs=1e-15)
    assert np.allclose(got_grads, [p.grad for p in params], rtol=1e-12, atol=1e-15)
    assert "dot(" in g.source() or "sum_(" in g.source()


def test_batched_rows_that_branch_differently_get_their_own_trace():
    w, b = Value(0.7, "w"), Value(-0.1, "b")
    per_sample = lambda x: (x * w + b).sigmoid() * x  # noqa: E731
    xs = np.array([-2.0, 1.0, -0.5, 3.0, 0.25])
    g = trace(per_sample, xs, batched=True)
    w.grad = b.grad = 0.0
    got = g(xs)
    gw, gb = w.grad, b.grad
    w.grad = b.grad = 0.0
    terms = [per_sample(Value(v)) for v in xs.tolist()]
    total = sum(terms[1:], terms[0]) * (1.0 / len(terms))
    total.backward()
    assert got == pytest.approx(total.data, rel=1e-12)
    assert (gw, gb) == pytest.approx((w.grad, b.grad), rel=1e-12)
    assert g.traces == 2


def test_batched_overflow_falls_back_to_the_engines_error():
    w = Value(1.0, "w")
    g = trace(lambda x: (x * w).exp(), np.array([1.0, 2.0]), batched=True)
    with pytest.raises(OverflowError, match="exp"), warnings.catch_warnings():
        warnings.simplefilter("error")
        g(np.array([1.0, 1000.0]))
