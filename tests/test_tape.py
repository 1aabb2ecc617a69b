"""The tape: leaves and node handles, graphs spread over several tapes, threads, and freeing memory."""

from __future__ import annotations

import gc
import math
import threading
import weakref
from collections.abc import Callable, Iterator

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import autograd.value as engine
from autograd import Leaf, Node, Tape, Value, gradcheck, modes, topological_order
from autograd.graph import backprop


def finish_tape() -> None:
    """Close this thread's recording tape: its next operation starts a new one."""
    t = modes.state.tape()
    if t is not None:
        modes.finish(t)


@pytest.fixture
def short_tapes(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Tapes of at most 4 entries, so that every graph below spans several of them."""
    monkeypatch.setattr(engine, "TAPE_LENGTH", 3)
    finish_tape()
    yield
    finish_tape()


def tape_of(node: Value) -> Tape:
    assert isinstance(node, Node)
    assert node.tape.value[node.index] == node.data
    return node.tape


def test_value_makes_a_leaf_and_operations_make_nodes() -> None:
    x = Value(2.0, "x")
    assert type(x) is Leaf and isinstance(x, Value) and Leaf(1.0).data == 1.0
    y = x * 3
    assert type(y) is Node and isinstance(y, Value) and y.data == 6.0
    with pytest.raises(TypeError, match=r"made by an operation on Values; make a leaf with Value\(x\)"):
        Node(1.0)


def test_handles_on_one_entry_are_equal() -> None:
    x = Value(2.0, "x")
    y = x * x
    z = y + 1
    view = z.parents[0]
    assert view is not y and view == y and hash(view) == hash(y) and len({y, view}) == 1
    assert y != z and y != x and x == x and x != Value(2.0, "x")
    view.label = "y"
    assert y.label == "y"  # the label lives in the tape, not in the handle


def test_node_fields_live_in_the_tape() -> None:
    x = Value(2.0, "x")
    y = x * x
    assert (y.grad, y.label) == (0.0, "")
    y.grad, y.label = 0.5, "y"
    assert (y.grad, y.label) == (0.5, "y")
    y.label = ""
    assert y.label == "" and y.index not in tape_of(y).labels
    y.data = 5.0  # as with a leaf, later operations use the new number
    assert (y * 1).data == 5.0
    with pytest.raises(TypeError, match="grad must be a real number"):
        y.grad = "1"  # type: ignore[assignment]
    with pytest.raises(TypeError, match="label must be a str"):
        y.label = 1  # type: ignore[assignment]


def test_a_constant_is_an_entry_with_a_gradient() -> None:
    x = Value(3.0, "x")
    f = x * 2
    f.backward()
    two = f.parents[1]
    assert two.is_constant and two.is_leaf and two.op == "" and two.parents == ()
    assert (two.data, two.grad, x.grad) == (2.0, 3.0, 2.0)


def test_the_tape_lists_entries_in_the_order_they_were_made() -> None:
    x, w, b = Value(1.0, "x"), Value(0.0, "w"), Value(0.0, "b")
    finish_tape()
    f = 1 / ((-(w * x + b)).exp() + 1)
    t = tape_of(f)
    assert [p.name if p else "constant" for p in t.op] == [
        "mul", "add", "neg", "exp", "constant", "add", "reciprocal",
    ]  # fmt: skip
    assert t.a[0] is w and t.b[0] is x and t.a[1] == 0 and t.b[1] is b and t.b[5] == 4
    assert len(t) == 7 and repr(t) == f"<Tape {t.serial}: 7 entries>"


def test_backward_finishes_the_tape() -> None:
    x = Value(2.0)
    f = x * x
    f.backward()
    g = x * x
    assert tape_of(g) is not tape_of(f) and tape_of(g).serial > tape_of(f).serial


def test_the_latest_backward_through_a_tape_sets_its_intermediate_gradients() -> None:
    """Two graphs on one tape: an intermediate's .grad is the one from the latest backward()."""
    x = Value(2.0, "x")
    finish_tape()
    u = x * 3  # only in f's graph
    f = u + 1
    g = x * x  # recorded on the same tape, before any backward()
    f.backward()
    assert u.grad == 1.0 and x.grad == 3.0
    g.backward()
    assert g.grad == 1.0 and x.grad == 3.0 + 4.0  # the leaf accumulates
    assert u.grad == 0.0  # g's backward did not reach u


def chain(x: Value, c: Value, n: int) -> Value:
    y = x
    for _ in range(n):
        y = y * c + 0.5
    return y


@pytest.mark.usefixtures("short_tapes")
def test_a_graph_on_many_tapes_has_the_same_gradients() -> None:
    x, c = Value(0.3, "x"), Value(0.9, "c")
    y = chain(x, c, 10)
    tapes = {tape_of(n).serial for n in topological_order(y) if isinstance(n, Node)}
    assert len(tapes) >= 5
    y.backward()
    # ∂y/∂x = c¹⁰, ∂y/∂c = Σ… checked against a one-tape build
    assert x.grad == pytest.approx(0.9**10, rel=1e-15)
    expected_c = c.grad
    x.grad = c.grad = 0.0
    finish_tape()
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(engine, "TAPE_LENGTH", 1 << 16)
        chain(x, c, 10).backward()
    assert c.grad == expected_c and x.grad == pytest.approx(0.9**10, rel=1e-15)


@pytest.mark.usefixtures("short_tapes")
def test_topological_order_and_parents_across_tapes() -> None:
    x = Value(1.5, "x")
    y = chain(x, x, 6)
    order = topological_order(y)
    assert order[0] is x and order[-1] is y and len(order) == len(set(order))
    position = {node: i for i, node in enumerate(order)}
    for node in order:
        for parent in node.parents:
            assert position[parent] < position[node]
    grads = backprop(y)
    y.backward()
    assert all(grads[n] == n.grad for n in order)


OPS: list[Callable[[Value, Value], Value]] = [
    lambda a, b: a + b,
    lambda a, b: a * b,
    lambda a, b: a - b,
    lambda a, b: a * 0.5 + b.tanh(),
    lambda a, b: (a * b).sigmoid(),
    lambda a, b: a / (b * b + 1),
]


def random_graph(program: list[tuple[int, int, int]]) -> Callable[..., Value]:
    """A function of three Values: each step applies OPS[k] to two earlier values."""

    def f(*leaves: Value) -> Value:
        pool = list(leaves)
        for k, i, j in program:
            pool.append(OPS[k % len(OPS)](pool[i % len(pool)], pool[j % len(pool)]))
        return pool[-1]

    return f


STEPS = st.lists(
    st.tuples(st.integers(0, 99), st.integers(0, 99), st.integers(0, 99)), min_size=1, max_size=12
)


@settings(max_examples=60, deadline=None)
@given(program=STEPS, length=st.integers(0, 6))
def test_random_graphs_on_short_tapes_agree_with_one_tape(
    program: list[tuple[int, int, int]], length: int
) -> None:
    f = random_graph(program)
    point = (0.7, -0.4, 1.3)
    grads = []
    for tape_length in (1 << 16, length):
        leaves = [Value(v, f"v{k}") for k, v in enumerate(point)]
        with pytest.MonkeyPatch.context() as mp:
            mp.setattr(engine, "TAPE_LENGTH", tape_length)
            finish_tape()
            out = f(*leaves)
            out.backward()
        grads.append([v.grad for v in leaves])
        finish_tape()
    assert grads[0] == grads[1]
    gradcheck(f, *point)


def test_dropping_a_graph_frees_its_tape() -> None:
    gc.collect()
    gc.disable()  # freed by reference counting alone: no cycles
    try:
        x = Value(2.0)
        f = (x * x + 1).exp()
        ref = weakref.ref(tape_of(f))
        f.backward()
        del f
        assert ref() is None and x.grad == pytest.approx(4 * math.exp(5))
    finally:
        gc.enable()


@pytest.mark.usefixtures("short_tapes")
def test_forward_passes_without_backward_do_not_pile_up() -> None:
    x = Value(1.0)
    out = x * 2 + 1
    first = weakref.ref(tape_of(out))
    for _ in range(50):
        out = x * 2 + 1  # never differentiated: full tapes are let go once nothing uses them
    assert first() is None


def test_threads_record_on_their_own_tapes() -> None:
    w = Value(0.5, "w")
    results: dict[int, tuple[float, Tape]] = {}

    def work(k: int) -> None:
        y = w
        for _ in range(2000):
            y = y * 1.0001 + w * 0.001
        results[k] = (y.data, tape_of(y))

    threads = [threading.Thread(target=work, args=(k,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    values = {v for v, _ in results.values()}
    assert len(values) == 1 and len({id(t) for _, t in results.values()}) == 4


def test_a_node_from_a_newer_tape_of_another_thread() -> None:
    """Tapes refer only to older tapes: using a newer one's node moves recording to a new tape."""
    x = Value(2.0, "x")
    finish_tape()
    mine = x * 3  # on this thread's tape
    theirs: list[Value] = []
    thread = threading.Thread(target=lambda: theirs.append(x * x + 1))
    thread.start()
    thread.join()
    f = mine * theirs[0]  # (3x)(x² + 1): the other tape is newer than this thread's
    assert tape_of(f).serial > tape_of(theirs[0]).serial > tape_of(mine).serial
    f.backward()
    assert x.grad == 3 * (x.data**2 + 1) + 3 * x.data * 2 * x.data
    order = topological_order(f)
    assert order[-1] is f and {n.op for n in order} == {"", "mul", "add"}


def test_backward_and_its_replay_agree_to_the_sign_of_zero() -> None:
    """An intermediate gradient starts from 0.0, as in replay_backward: 0.0 + (−0.0) is 0.0, not −0.0."""
    x = Value(-1.0, "x")
    h = x * 1.0
    f = h.relu() * -2.0  # ∂f/∂h = −2 · relu′(−1) = −2 · 0 = −0.0 on its own
    f.backward()
    replayed = backprop(f)
    assert math.copysign(1.0, h.grad) == 1.0 and h.grad == 0.0
    for node in topological_order(f):
        mine, theirs = node.grad, replayed[node]
        assert (mine, math.copysign(1.0, mine)) == (theirs, math.copysign(1.0, theirs))


def _memory_held_after_each_pass(
    score: Callable[[Callable[[list[float]], Value], list[list[float]]], None],
) -> list[int]:
    """Score a 150-row grid with a small MLP four times, on tapes of 500 entries (a rollover every few
    rows); the bytes still held after each pass."""
    import tracemalloc

    import numpy as np

    import nn

    model = nn.MLP(2, [8, 8, 1], seed=1)
    grid = np.random.default_rng(0).uniform(-2, 2, (150, 2)).tolist()
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(engine, "TAPE_LENGTH", 500)
        tracemalloc.start()
        try:
            held = []
            for _ in range(4):
                score(model, grid)  # type: ignore[arg-type]
                held.append(tracemalloc.get_traced_memory()[0])
        finally:
            tracemalloc.stop()
    return held


def test_scoring_a_grid_holds_flat_memory() -> None:
    """Forward passes nobody differentiates, many tape rollovers among them, are freed as they go."""

    def score(model: Callable[[list[float]], Value], grid: list[list[float]]) -> None:
        scores = [model(row).data for row in grid]  # keeps only floats
        assert len(scores) == 150

    held = _memory_held_after_each_pass(score)
    assert max(held) - min(held) < 32 * 1024  # not growing pass after pass
    assert held[-1] < 256 * 1024  # about one pass at most, not all of them (each pass: ~4 MB of entries)


def test_a_held_result_does_not_chain_every_pass_together(monkeypatch: pytest.MonkeyPatch) -> None:
    """`for row in grid: out = model(row)` keeps the last result alive while the next pass records.

    A pass that straddles a rollover leaves a tape that refers to the full one; the next pass must
    start on a fresh tape, else every tape since the first stays chained behind `out`.
    """
    monkeypatch.setattr(engine, "TAPE_LENGTH", 4)
    x = Value(0.5)
    out = (x * 2.0).tanh()
    first = weakref.ref(tape_of(out))
    alive = []
    for _ in range(60):
        out = (x * 2.0).tanh()  # three entries: passes straddle the 4-entry rollovers
        alive.append(weakref.ref(tape_of(out)))
    assert first() is None
    assert sum(r() is not None for r in alive) <= 3  # the held result's tape and what it refers to


def test_scoring_in_a_plain_for_loop_holds_flat_memory() -> None:
    def score(model: Callable[[list[float]], Value], grid: list[list[float]]) -> None:
        scores = []
        for row in grid:
            out = model(row)  # the previous row's result stays alive until this line
            scores.append(out.data)

    held = _memory_held_after_each_pass(score)
    assert max(held) - min(held) < 64 * 1024 and held[-1] < 512 * 1024
