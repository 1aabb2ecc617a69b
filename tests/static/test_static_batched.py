"""Batched replays held to the dynamic engine: adjoints never alias, groups weigh by their share, no hang."""

from __future__ import annotations

import warnings

import pytest

import nn
from autograd import Value, trace


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
    terms = [loss([Value(v) for v in x], y) for x, y in zip(xs, ys)]
    total = sum(terms[1:], terms[0]) * (1.0 / len(xs))
    total.backward()
    want = [p.grad for p in model.parameters()]
    g = trace(loss, xs, ys, batched=True)
    model.zero_grad()
    assert g(xs, ys) == pytest.approx(total.data, rel=1e-12)
    assert [p.grad for p in model.parameters()] == pytest.approx(want, rel=1e-12, abs=1e-15)


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


def test_a_tanh_mlp_with_cross_entropy_returns_and_equals_the_dynamic_engine():
    model = nn.MLP(2, [4, 3], activation="tanh", seed=1)
    xs = [[0.1, 0.2], [-0.4, 0.9], [1.2, -0.3], [0.0, -1.1]]
    labels = [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0], [0.0, 1.0, 0.0]]  # one-hot

    def loss(x, y):
        return nn.cross_entropy(model(x), y)

    with warnings.catch_warnings():  # rows the traces cannot cover go to the dynamic engine, with a warning
        warnings.simplefilter("ignore")
        _replay_equals_the_dynamic_mean(model, loss, xs, labels)


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
