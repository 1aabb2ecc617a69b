"""autograd.trace: replays equal fresh backward() bit for bit, guards re-trace, bad uses raise."""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
import pytest
from graphs import bits, lecture_sigmoid
from hypothesis import given, settings
from hypothesis import strategies as st

import autograd
import nn
from autograd import Value
from autograd.engine.primitives import STOP
from autograd.static import codegen
from autograd.static.graph import TraceError, trace
from nn import losses


def fresh(fn: Callable[..., Value], leaves: list[Value], *args: object) -> tuple[float, list[float]]:
    """fn(*args).backward() on zeroed leaves: the output and every leaf's gradient."""
    for p in leaves:
        p.grad = 0.0
    inputs = [Value(a) if isinstance(a, float) else [Value(v) for v in a] for a in args]  # type: ignore[union-attr]
    out = fn(*inputs)
    out.backward()
    return out.data, [p.grad for p in leaves]


def replayed(g: autograd.StaticGraph, leaves: list[Value], *args: object) -> tuple[float, list[float]]:
    for p in leaves:
        p.grad = 0.0
    out = g(*args)
    return out, [p.grad for p in leaves]


# ---- the notes' sigmoid ------------------------------------------------------------------------


def test_the_notes_sigmoid_is_twelve_lines_and_gives_the_table() -> None:
    """worked-examples §1: six forward lines h1…h6, six backward lines; ∂f/∂w = 0.25 at x = 1, w = b = 0."""
    _, x, w, b = lecture_sigmoid()
    g = trace(lambda: 1 / ((-(w * x + b)).exp() + 1))
    body = g.source().splitlines()[1:-1]
    assert len(body) == 12
    assert [line.split(" = ")[0].strip() for line in body[:6]] == ["h1", "h2", "h3", "h4", "h5", "h6"]
    assert "h4 = exp(h3)" in body[3] and "h6 = 1.0 / h5" in body[5]
    assert g() == 0.5
    assert (w.grad, x.grad, b.grad) == (0.25, 0.0, 0.25)
    g()  # a second replay adds once more, as a second backward() would
    assert (w.grad, x.grad, b.grad) == (0.5, 0.0, 0.5)
    assert g.stats["lines"] == 12 and g.stats["nodes"] == 6


def test_draw_works_on_the_traced_graph() -> None:
    f, x, w, b = lecture_sigmoid()
    g = trace(lambda: 1 / ((-(w * x + b)).exp() + 1))
    dot = autograd.draw(g.output).source
    assert "0.25" in dot and dot.count("->") == autograd.draw(f).source.count("->")


# ---- bit for bit on random graphs ------------------------------------------------------------

UNARY: list[Callable[[Value], Value]] = [
    lambda v: -v,
    lambda v: v.tanh(),
    lambda v: v.relu(),
    lambda v: (v * v + 1).log(),
    lambda v: 1 / (v * v + 0.5),
    lambda v: v.tanh().exp(),
    lambda v: v.sigmoid(),
    lambda v: v**2,
    lambda v: (v * v + 0.25) ** 0.5,
    lambda v: v / 3,
]
BINARY: list[Callable[[Value, Value], Value]] = [
    lambda a, b: a + b,
    lambda a, b: a * b,
    lambda a, b: a - b,
    lambda a, b: a * 2.5 + b,
]

steps = st.lists(
    st.tuples(st.booleans(), st.integers(0, 9), st.integers(0, 100), st.integers(0, 100)),
    min_size=1,
    max_size=25,
)
reals = st.floats(-3, 3, allow_nan=False)


@settings(max_examples=120, deadline=None)
@given(steps, st.lists(reals, min_size=4, max_size=4), st.lists(reals, min_size=4, max_size=4), reals)
def test_replay_equals_a_fresh_backward_bit_for_bit(
    program: list[tuple[bool, int, int, int]], start: list[float], later: list[float], x_in: float
) -> None:
    leaves = [Value(v, label=f"w{i}") for i, v in enumerate(start[:3])]

    def fn(x: Value) -> Value:
        pool = [*leaves, x]
        for unary, op, i, j in program:
            a, b = pool[i % len(pool)], pool[j % len(pool)]
            pool.append(UNARY[op](a) if unary else BINARY[op % len(BINARY)](a, b))
        return pool[-1] + pool[len(pool) // 2] * 0.5

    g = trace(fn, start[3])
    for values, x in ((start, start[3]), (later, later[3]), (later, x_in)):
        for p, v in zip(leaves, values):
            p.data = v
        want_out, want = fresh(fn, leaves, x)
        got_out, got = replayed(g, leaves, x)
        assert bits(got_out) == bits(want_out)
        assert [bits(v) for v in got] == [bits(v) for v in want]


def test_gradients_accumulate_onto_existing_grads_in_backward_order() -> None:
    w = Value(0.3, "w")
    fn = lambda: (w * w * 1e-17 + w).tanh() * w  # noqa: E731
    w.grad = 1.0
    fn().backward()
    want = w.grad
    w.grad = 1.0
    trace(fn)()
    assert bits(w.grad) == bits(want)


# ---- guards ---------------------------------------------------------------------------------


def test_a_branch_in_sigmoid_becomes_a_guard_and_re_traces() -> None:
    w, b = Value(1.0, "w"), Value(0.0, "b")

    def f(x: Value) -> Value:
        return (x * w + b).sigmoid()

    g = trace(f, 2.0)
    assert "if h2 < 0.0" in g.source() or "h2 >= 0.0" in g.source()
    for x in (2.0, -3.0, 1.0, -1.0, 0.0):
        assert replayed(g, [w, b], x) == fresh(f, [w, b], x)
    assert g.traces == 2  # one per branch, each kept and reused
    assert g.retraces == 1


def test_a_branch_on_a_parameter_is_seen_too() -> None:
    w = Value(1.0, "w")
    g = trace(lambda: w * 2 if w.data > 0 else w * 3)
    assert replayed(g, [w]) == (2.0, [2.0])
    w.data = -1.0
    assert replayed(g, [w]) == (-3.0, [3.0])


def test_a_value_used_as_a_number_is_guarded_exactly() -> None:
    """Beyond |z| = 300 softmax shifts by max z, a plain number: the trace holds while it is the same."""
    z = [Value(400.3), Value(-0.2), Value(400.9)]
    fn = lambda: losses.cross_entropy(z, 2)  # noqa: E731
    g = trace(fn)
    for change in (None, 402.0, 400.3):
        if change is not None:
            z[0].data = change
        assert replayed(g, z) == fresh(fn, z)
    assert g.traces == 2  # z₀ = 402 changes the maximum; z₀ = 400.3 again finds the first trace


def test_softmax_of_ordinary_logits_is_one_trace_for_every_value() -> None:
    """Up to |z| = 300 nothing is read as a number: only the bound is compared, so one trace serves."""
    z = [Value(0.3), Value(-0.2), Value(0.9)]
    fn = lambda: losses.cross_entropy(z, 2)  # noqa: E731
    g = trace(fn)
    for change in (2.0, -5.0, 0.3, 250.0):
        z[0].data = change
        assert replayed(g, z) == fresh(fn, z)
    assert g.traces == 1


def test_bce_with_logits_guards_its_branch() -> None:
    w, b = Value(0.5, "w"), Value(0.1, "b")
    fn = lambda x: losses.bce_with_logits(x * w + b, 1)  # noqa: E731
    g = trace(fn, 1.0)
    for x in (1.0, -3.0, 2.0):
        assert replayed(g, [w, b], x) == fresh(fn, [w, b], x)


def test_a_leaf_created_inside_fn_is_an_error() -> None:
    w = Value(1.0)
    with pytest.raises(TraceError, match="creates the leaf .* each time it runs"):
        trace(lambda: Value(2.0) * w)


def test_a_node_made_before_fn_is_an_error() -> None:
    w = Value(1.0)
    h = w * 2  # its value is fixed now; a replay would recompute it
    with pytest.raises(TraceError, match="a node made before it was called"):
        trace(lambda: h * w)


def test_a_random_graph_is_an_error() -> None:
    w = Value(1.0)
    coin = iter([True, False])
    with pytest.raises(TraceError, match="different graph each time"):
        trace(lambda: w * w if next(coin) else w.exp())


def test_a_different_number_of_inputs_is_an_error() -> None:
    w = Value(1.0)
    g = trace(lambda x: x * w, 1.0)
    with pytest.raises(TypeError, match="traced with 1 argument"):
        g(1.0, 2.0)


def test_other_shapes_trace_again() -> None:
    w = Value(1.5)
    fn = lambda xs: sum((x * w for x in xs), Value(0.0) * 0 + w)  # noqa: E731
    g = trace(lambda xs: sum((x * w for x in xs[1:]), xs[0] * w), [1.0, 2.0])
    assert g([1.0, 2.0, 3.0]) == 9.0 and g.traces == 2
    del fn


def test_anomaly_mode_runs_the_dynamic_engine() -> None:
    w = Value(800.0, "w")
    g = trace(lambda: (w * 0.5).exp())
    with autograd.detect_anomaly(), pytest.raises((autograd.AnomalyError, OverflowError)):
        w.data = 2000.0
        g()


def test_a_domain_error_is_the_engines_own() -> None:
    w = Value(2.0, "w")
    g = trace(lambda: w.log())
    w.data = -1.0
    with pytest.raises(ValueError, match="log of -1.0 cannot be computed"):
        g()


def test_re_tracing_every_call_warns() -> None:
    z = [Value(0.0), Value(1.0)]
    g = trace(lambda: z[0] * z[1].data)  # z₁'s number is a constant of the trace
    with pytest.warns(UserWarning, match="re-traced"):
        for k in range(14):
            z[1].data = 1.0 + k
            g()


# ---- has_aux, static arguments ---------------------------------------------------------------


def test_aux_values_and_static_arguments() -> None:
    w = Value(2.0, "w")

    def fn(xs: list[Value], label: str) -> tuple[Value, list[Value]]:
        outs = [x * w for x in xs]
        return (outs[0] + outs[1]) if label == "sum" else outs[0] * outs[1], outs

    g = trace(fn, [1.0, 3.0], "sum", has_aux=True, static_argnums=(1,))
    assert g([1.0, 3.0], "sum") == (8.0, [2.0, 6.0])
    w.grad = 0.0
    assert g([1.0, 3.0], "product") == (12.0, [2.0, 6.0])
    assert w.grad == 12.0  # ∂(x₀w · x₁w)/∂w = 2·x₀x₁·w


# ---- the code column of the table ------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(n for n, p in autograd.PRIMITIVES.items() if p.code))
def test_each_code_template_computes_the_tables_floats(name: str) -> None:
    """A primitive's code, run as Python, gives the same floats as its forward and derivative."""
    prim = autograd.PRIMITIVES[name]
    specials = [0.0, -0.0, 1.0, -1.0, 0.5, 3.25, -7.5, 1e-300, 700.0, math.inf, -math.inf, math.nan]
    names = codegen._SCALAR_NAMES  # what a traced program runs with
    for x in specials:
        for y in specials[:8] if prim.arity == 2 else [0.0]:
            args = (x, y) if prim.arity == 2 else (x,)
            try:
                want = prim.forward(*args)
            except (ArithmeticError, ValueError):
                continue
            env = {**names, "x": x, "y": y, "out": want}
            got = eval(prim.code[0].format(x="x", y="y", out="out"), env)
            assert bits(got) == bits(want), (x, y)
            for k, d in enumerate(prim.derivative(*args, want)):
                got_d = eval(prim.code[1 + k].format(x="x", y="y", out="out"), env)
                assert bits(got_d) == bits(d), (name, k, x, y)
                assert (got_d is STOP) == (d is STOP), (name, k, x)  # relu off: the zero that stops


@pytest.mark.parametrize("prim", [autograd.PRIMITIVES["relu"], autograd.power(0.0)], ids=["relu", "pow0"])
def test_the_numpy_form_of_the_mask_agrees_with_stop(prim: autograd.Primitive) -> None:
    """Across a batch numpy cannot hold STOP: `_masked_rows` gives what STOP · upstream gives, row by row."""
    xs = [0.0, -0.0, -1.0, 2.0, math.inf, -math.inf, math.nan]
    ups = [1.0, -3.0, math.inf, -math.inf, math.nan, 0.0, -0.0]
    locals_ = [prim.derivative(x, prim.forward(x))[0] for x in xs]
    gate = codegen._NUMPY_GATE.get(prim.name)
    for up in ups:
        rows = codegen._masked_rows(np.array(locals_, dtype=float), np.full(len(xs), up))
        assert [bits(r) for r in rows.tolist()] == [bits(local * up) for local in locals_], up
        if gate is not None:  # the one-call form relu uses across a batch gives the same rows
            names = {**codegen._numpy_names(), "x": np.array(xs), "g": np.full(len(xs), up)}
            gated = eval(gate.format(x="x", g="g"), names)  # our own template
            assert [bits(r) for r in gated.tolist()] == [bits(local * up) for local in locals_], up


def test_a_primitive_without_code_runs_in_both_programs() -> None:
    """pow has no code template: the scalar program calls its functions, a batch program vectorises them."""
    w = Value(1.5, "w")
    fn = lambda x: (x * w) ** 3 + (x * x + w) ** 0.5  # noqa: E731
    g = trace(fn, 2.0)
    assert "pow_" in g.source()
    assert replayed(g, [w], 2.0) == fresh(fn, [w], 2.0)
    xs = np.array([0.5, -1.0, 2.0])
    gb = trace(fn, xs, batched=True)
    w.grad = 0.0
    mean = gb(xs)
    got = w.grad
    w.grad = 0.0
    terms = [fn(Value(v)) for v in xs.tolist()]
    total = sum(terms[1:], terms[0]) * (1.0 / 3)
    total.backward()
    assert (mean, got) == pytest.approx((total.data, w.grad), rel=1e-12)


def test_a_graph_traced_while_other_graphs_are_alive_replays_the_same() -> None:
    """Nodes made before the trace, and kept, do not change what the trace records."""
    model = nn.MLP(2, [4, 1], seed=3)
    rows = [[0.5, -1.0], [1.5, 0.25], [-0.75, 2.0]]
    _kept = Value(1.0) * 2.0 + 1.0  # a graph of its own, alive during the trace

    def loss() -> Value:
        scores = [model(row) for row in rows]
        total = sum((s - 0.5) ** 2 for s in scores)
        assert isinstance(total, Value)
        return total

    g = trace(loss)
    model.zero_grad()
    value = g()
    replayed = [p.grad for p in model.parameters()]
    model.zero_grad()
    f = loss()
    f.backward()
    assert value == f.data and replayed == [p.grad for p in model.parameters()]


def test_threads_tracing_and_replaying_at_once_each_get_their_own_guards() -> None:
    """The read hook is per thread: four threads trace and replay branchy functions side by side."""
    import random
    import sys
    import threading

    wrong = [0] * 4

    def work(k: int) -> None:
        rng = random.Random(k)
        w = Value(0.5 + k)
        for _ in range(40):
            g = trace(lambda x: x * 2 if x.data > 0 else x * -3, 1.0)
            h = trace(lambda x: x * w if w.data > 1 else x * -w, 1.0)  # w is read outside the graph
            for _ in range(4):
                x = rng.choice([-1.0, 1.0])
                wrong[k] += g(x) != (2 * x if x > 0 else -3 * x)
                wrong[k] += h(x) != (x * w.data if w.data > 1 else -x * w.data)

    old = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    try:
        threads = [threading.Thread(target=work, args=(k,)) for k in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    finally:
        sys.setswitchinterval(old)
    assert wrong == [0, 0, 0, 0]


def test_a_parameter_read_only_in_a_branch_is_guarded() -> None:
    a, b = Value(1.0, "a"), Value(2.0, "b")
    g = trace(lambda x: x * a if a.data < b.data else x * b, 1.0)
    assert g(1.0) == 1.0
    b.data = 0.5  # the branch flips: the replay re-traces, as the dynamic engine would
    assert g(1.0) == 0.5
