"""The engine as a student reads it: one Value class, graphs as long-lived as their nodes, threads, traps."""

from __future__ import annotations

import copy
import gc
import math
import pickle
import random
import sys
import threading
import weakref
from collections.abc import Callable

import pytest

from autograd import AnomalyError, Constant, Value, backprop, detect_anomaly, topological_order
from autograd.common import failures


class Probe(Value):
    """A leaf that can be weakly referenced (Value itself has slots only), to see when it is freed."""


def check_order(root: Value) -> list[Value]:
    """topological_order(root), checked: distinct nodes, root last, every parent before its child."""
    order = topological_order(root)
    position = {n: i for i, n in enumerate(order)}
    assert len(position) == len(order) and order[-1] is root
    for n in order:
        for p in n.parents:
            assert position[p] < position[n], (p, n)
    return order


# ---- one class -----------------------------------------------------------------------------


def test_a_leaf_and_a_node_are_both_plain_values() -> None:
    x = Value(2.0, "x")
    y = x * 3
    assert type(x) is Value and type(y) is Value
    assert x.is_leaf and x.primitive is None and x.parents == () and x.local_grads == ()
    assert not y.is_leaf and y.op == "mul" and y.parents[0] is x and y.local_grads == (3.0, 2.0)
    assert type(y.parents[1]) is Constant and y.parents[1].is_constant and y.parents[1].data == 3.0


def test_a_subclass_of_value_is_a_leaf() -> None:
    p = Probe(1.5, "p")
    f = p * 2 + 1
    f.backward()
    assert (f.data, p.grad) == (4.0, 2.0)
    assert check_order(f)[:3] == [p, f.parents[0].parents[1], f.parents[0]]  # p, 2, p × 2


def test_a_plus_a_and_backward_on_an_older_node_after_a_newer_one() -> None:
    x = Value(2.0, "x")
    u = x * x
    f = u + u
    assert f.parents == (u, u) and f.local_grads == (1.0, 1.0)
    f.backward()
    assert (x.grad, u.grad, f.grad) == (8.0, 2.0, 1.0)
    u.backward()  # an intermediate gradient is that of the latest backward through the node
    assert (x.grad, u.grad, f.grad) == (12.0, 1.0, 1.0)
    assert [n.op for n in check_order(f)] == ["", "mul", "add"]


def test_a_constant_gradient_is_that_of_the_latest_backward() -> None:
    """A constant is no parameter: its .grad is recomputed by each backward(), it does not accumulate."""
    x = Value(3.0, "x")
    f = x * 2
    f.backward()
    f.backward()
    two = f.parents[1]
    assert two.is_leaf and two.is_constant and x.grad == 4.0 and two.grad == 3.0


def test_anomaly_names_an_infinite_gradient_and_writes_nothing() -> None:
    x = Value(1e-10, "x")
    u = x * 1.0
    u.label = "u"
    f = u * 1e308 + u * 1e308  # finite: 2e298; but ∂f/∂u = 2e308 = inf
    with detect_anomaly(), pytest.raises(AnomalyError, match=r"gradient of node 'u' \(mul\) is inf"):
        f.backward()
    assert (x.grad, u.grad, f.grad) == (0.0, 0.0, 0.0)


# ---- what a student slips into -------------------------------------------------------------


def test_math_exp_of_a_value_raises_instead_of_losing_the_gradient() -> None:
    """`w * math.exp(x)` would give x.grad = 0 (right: w·e² = 22.17): it raises, as in micrograd."""
    x, w = Value(2.0, "x"), Value(3.0, "w")
    with pytest.raises(TypeError, match=r"node 'x' \(leaf\) is a Value, not a float.*v\.exp\(\).*v\.data"):
        w * math.exp(x)  # type: ignore[arg-type]
    h = w * x
    h.label = "h"
    with pytest.raises(TypeError, match=r"node 'h' \(mul\) is a Value, not a float"):
        float(h)
    f = w * x.exp()
    f.backward()
    assert x.grad == pytest.approx(22.16716829679195, rel=1e-15)


def test_a_value_in_an_if_or_a_comparison_raises_and_says_to_read_its_number() -> None:
    """`if v:` would always be true and `v > 0` compare objects: both raise, naming the node."""
    v = Value(-1.0, "v")
    with pytest.raises(TypeError, match=r"node 'v' \(leaf\) is a Value, not a truth value.*v\.data != 0"):
        bool(v)
    for compare in (
        lambda: v > 0,
        lambda: v <= 0.5,
        lambda: 0 < v,  # noqa: SIM300
        lambda: v >= v,
    ):
        with pytest.raises(TypeError, match=r"node 'v' \(leaf\) is a Value: compare its number.*v\.data > 0"):
            compare()
    assert (v.data > 0) is False and v in {v} and v != Value(-1.0)  # hashing and identity stay


# ---- lifetime: a graph lives exactly as long as someone holds its nodes ---------------------


def test_dropping_a_graph_frees_it_without_the_collector() -> None:
    gc.collect()
    gc.disable()
    try:
        x = Probe(0.7, "x")
        f = 2 - (x * x).tanh() / (x * 3 + 1)
        for _ in range(5):
            f = f * x + 1 / f
        f.backward()
        ref = weakref.ref(x)
        del f, x
        assert ref() is None and gc.collect() == 0
    finally:
        gc.enable()


def test_a_million_deep_chain_differentiates_and_frees() -> None:
    assert sys.getrecursionlimit() <= 10_000
    x = Probe(1.0, "x")
    y: Value = x
    for _ in range(1_000_000):
        y = y * 1.0
    y.backward()
    assert x.grad == 1.0
    ref = weakref.ref(x)
    del x, y  # freed node by node without overflowing the C stack (a crash fails the run)
    assert ref() is None


def _memory_held_after_each_pass(
    score: Callable[[Callable[[list[float]], Value], list[list[float]]], None],
) -> list[int]:
    """Score a 150-row grid with a small MLP four times; the bytes still held after each pass."""
    import tracemalloc

    import numpy as np

    import nn

    model = nn.MLP(2, [8, 8, 1], seed=1)
    grid = np.random.default_rng(0).uniform(-2, 2, (150, 2)).tolist()
    tracemalloc.start()
    try:
        held = []
        for _ in range(4):
            score(model, grid)  # type: ignore[arg-type]
            held.append(tracemalloc.get_traced_memory()[0])
    finally:
        tracemalloc.stop()
    return held


def test_scoring_in_a_plain_for_loop_holds_flat_memory() -> None:
    """Forward passes nobody differentiates are freed as they go: `out` keeps only its own row's graph."""

    def score(model: Callable[[list[float]], Value], grid: list[list[float]]) -> None:
        scores = []
        for row in grid:
            out = model(row)  # the previous row's graph is freed on this line
            scores.append(out.data)

    held = _memory_held_after_each_pass(score)
    assert max(held) - min(held) < 64 * 1024 and held[-1] < 512 * 1024


# ---- threads build their own graphs --------------------------------------------------------


def combine(kind: int, p: Value, q: Value, w: Value, s: Value) -> Value:
    """One of four small expressions in p, q, w and s (numbers on either side of the operators)."""
    if kind == 0:
        return (p * w + 0.5).tanh() - w / (q * q + 2)
    if kind == 1:
        return 1.5 - p * s + 2 * q.tanh()
    if kind == 2:
        return (3 + q).tanh() * (1 / (p * p + 1))
    return (p + q + w).tanh()


def test_threads_sharing_leaves_and_nodes_record_sound_graphs() -> None:
    """Six threads pass nodes to each other with a tiny switch interval; every graph is sound."""
    old_interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    s = Value(1.1, "s")
    pool: list[Value] = [s * 1.0]

    def work(k: int) -> None:
        rng = random.Random(k)
        w = Value(0.3 + k / 10, f"w{k}")
        for _ in range(150):
            pool.append(combine(rng.randrange(4), rng.choice(pool), rng.choice(pool), w, s))

    try:
        threads = [threading.Thread(target=work, args=(k,)) for k in range(6)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    finally:
        sys.setswitchinterval(old_interval)
    for y in pool[-30:]:
        order = check_order(y)
        for n in order:
            if n.primitive is not None:
                out, local = failures.evaluate(n.primitive, [p.data for p in n.parents])
                assert (out, local) == (n.data, n.local_grads)
            elif not n.is_constant:
                n.grad = 0.0
        expected = backprop(y)
        y.backward()
        assert all(n.grad == expected[n] for n in order)


# ---- copies -----------------------------------------------------------------------------


def test_copies_and_pickles_keep_the_graph_and_the_table_rows() -> None:
    """relu's mask and pow's exponent survive deepcopy and pickle: the rows of the table are shared."""
    x = Value(-1.0, "x")
    y = x.relu() ** 0.5
    twin = copy.deepcopy(y)
    assert twin.primitive is y.primitive and twin.parents[0].primitive is x.relu().primitive
    twin.backward()
    assert [n.grad for n in topological_order(twin) if n.label == "x"] == [0.0]
    z = (Value(2.0, "a") * Value(3.0, "b")).exp() ** 2
    back = pickle.loads(pickle.dumps(z))
    assert back.data == z.data and back.primitive is z.primitive and type(back) is Value
    back.backward()
    z.backward()
    a_back = next(n for n in topological_order(back) if n.label == "a")
    a = next(n for n in topological_order(z) if n.label == "a")
    assert a_back is not a and a_back.grad == a.grad == 2 * z.data * 3.0
    leaf = pickle.loads(pickle.dumps(Value(2.0, "x")))
    assert type(leaf) is Value and (leaf.data, leaf.label, leaf.grad) == (2.0, "x", 0.0)
