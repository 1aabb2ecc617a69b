"""The tape's edge cases: copies, subclasses, constants, what stays alive, newer tapes, threads."""

from __future__ import annotations

import copy
import gc
import pickle
import random
import sys
import threading
import weakref
from collections.abc import Callable, Iterator

import pytest

import autograd.value as engine
from autograd import AnomalyError, Leaf, Node, Value, detect_anomaly, draw, modes, topological_order
from autograd.graph import backprop


@pytest.fixture(autouse=True)
def fresh_tape() -> Iterator[None]:
    finish_tape()
    yield
    finish_tape()


def finish_tape() -> None:
    """Close this thread's recording tape: its next operation starts a new one."""
    t = modes.state.tape()
    if t is not None:
        modes.finish(t)


def in_other_thread(fn: Callable[[], Value]) -> Value:
    """fn() run in a new thread: its nodes are on a tape newer than this thread's."""
    out: list[Value] = []
    thread = threading.Thread(target=lambda: out.append(fn()))
    thread.start()
    thread.join()
    return out[0]


def check_order(root: Value) -> list[Value]:
    """topological_order(root), checked: distinct nodes, root last, every parent before its child."""
    order = topological_order(root)
    position = {n: i for i, n in enumerate(order)}
    assert len(position) == len(order) and order[-1] is root
    for n in order:
        for p in n.parents:
            assert position[p] < position[n], (p, n)
    return order


# ---- handles, copies, subclasses, constants ----------------------------------------------


def test_draw_highlights_an_edge_between_two_operation_nodes() -> None:
    """`parents` gives new handles for Nodes: the highlight check compares them with ==, not `is`."""
    w, x, b = Value(-3.0, "w"), Value(2.0, "x"), Value(6.0, "b")
    h1 = w * x
    h2 = h1 + b
    f = h2.tanh()
    src = draw(f, highlight=[(h1, h2)]).source
    assert "penwidth=2.5" in src


def test_deepcopy_of_a_node_keeps_the_gradients_right() -> None:
    """A deep-copied tape is a new tape with a serial of its own, so backward() orders it right."""
    x = Value(2.0, "x")
    n = x * 3
    d = copy.deepcopy(n)  # a copy of the graph, with its own copy of x
    x_copy = d.parents[0]
    m = n + d
    finish_tape()
    r = m * 2 + d * 5
    expected = backprop(r)
    r.backward()
    assert (x.grad, x_copy.grad) == (6.0, 21.0)
    assert expected[d] == 7.0
    assert d.grad == 7.0 and d.tape.serial > n.tape.serial


def test_a_subclass_of_value_is_a_leaf() -> None:
    """Any Value that is not a Node is a leaf, also one of a subclass of Value."""

    class Param(Value):
        pass

    p = Param(1.5, "p")
    f = p * 2 + 1
    f.backward()
    assert (f.data, p.grad) == (4.0, 2.0)
    assert topological_order(f)[:3] == [f.parents[0].parents[1], p, f.parents[0]]  # 2, p, p × 2


def test_a_constant_gradient_is_that_of_the_latest_backward() -> None:
    """A constant is no parameter: its .grad is recomputed by each backward(), it does not accumulate."""
    x = Value(3.0, "x")
    f = x * 2
    f.backward()
    f.backward()
    two = f.parents[1]
    assert two.is_leaf and two.is_constant and x.grad == 4.0 and two.grad == 3.0


def test_a_forward_pass_nobody_differentiates_is_freed_with_its_result() -> None:
    """The thread holds its recording tape weakly: dropping the last node frees it, no backward() needed."""
    x = Value(2.0)
    f = (x * x + 1).exp()
    ref = weakref.ref(f.tape)
    del f
    assert ref() is None  # by reference counting alone
    g = x * 2  # the next operation starts a new tape
    assert isinstance(g, Node) and g.tape.serial > 0 and len(g.tape) == 2


def test_a_long_lived_node_keeps_only_its_own_tape() -> None:
    """A Node carried across training steps joins its own (finished) tape: later steps' tapes are freed."""
    w = Value(0.5)
    ema: Value = Value(0.0)
    tapes = []
    for _ in range(20):
        y: Value = w
        for _ in range(100):
            y = y * 1.01 + 0.001
        ema = ema * 0.9 + 0.1 * y.data  # depends on numbers only, not on y's graph
        assert isinstance(y, Node)
        tapes.append(weakref.ref(y.tape))
        y.backward()
    del y
    gc.collect()
    assert len(topological_order(ema)) == 81
    alive = [t for r in tapes if (t := r()) is not None]
    assert len(alive) == 1  # the first step's tape, which ema's later entries were appended to
    assert len(alive[0]) == 404 + 19 * 4  # that step, and four entries for each later update


# ---- cases worth keeping: these pass ---------------------------------------------------------

NEWER_TAPE_CASES: dict[str, Callable[[Value, Value], Value]] = {
    "mine * theirs": lambda m, t: m * t,
    "theirs * mine": lambda m, t: t * m,
    "mine - theirs": lambda m, t: m - t,
    "theirs - mine": lambda m, t: t - m,
    "mine / theirs": lambda m, t: m / t,
    "theirs / mine": lambda m, t: t / m,
    "2 + theirs": lambda m, t: 2 + t,
    "2 * theirs": lambda m, t: 2 * t,
    "2 - theirs": lambda m, t: 2 - t,
    "2 / theirs": lambda m, t: 2 / t,
    "2 ** theirs": lambda m, t: 2 ** (t * 0.1),
    "theirs ** 2": lambda m, t: t**2,
    "theirs.tanh()": lambda m, t: (t * 0.1).tanh(),
    "theirs + theirs": lambda m, t: t + t,
    "(theirs - 1) + mine": lambda m, t: (t - 1) + m,
}


@pytest.mark.parametrize("case", list(NEWER_TAPE_CASES))
def test_an_operand_on_a_newer_tape_in_either_position(case: str) -> None:
    """The _NewerTape restart: first or second operand, numbers first, same gradients as one tape."""
    build = NEWER_TAPE_CASES[case]

    def expression(x: Value, threaded: bool) -> Value:
        mine = x * 3  # on this thread's tape
        theirs = in_other_thread(lambda: x * x + 1) if threaded else x * x + 1
        if threaded:
            assert isinstance(mine, Node) and isinstance(theirs, Node)
            assert theirs.tape.serial > mine.tape.serial
        return build(mine, theirs)

    x1 = Value(2.0, "x")
    f1 = expression(x1, threaded=False)
    f1.backward()
    finish_tape()
    x2 = Value(2.0, "x")
    f2 = expression(x2, threaded=True)
    assert f2.data == f1.data
    check_order(f2)
    expected = backprop(f2)
    f2.backward()
    assert x2.grad == x1.grad == expected[x2]


def test_a_plus_a_and_backward_on_an_older_node_after_a_newer_one() -> None:
    x = Value(2.0, "x")
    u = x * x
    finish_tape()
    f = u + u  # both inputs are the same node of the finished tape, which f joins
    assert isinstance(f, Node) and isinstance(u, Node) and f.tape is u.tape
    assert f.parents == (u, u) and f.local_grads == (1.0, 1.0)
    f.backward()
    assert (x.grad, u.grad, f.grad) == (8.0, 2.0, 1.0)
    u.backward()  # the older node, after the newer one: the latest backward through the tape
    assert (x.grad, u.grad, f.grad) == (12.0, 1.0, 0.0)
    f.backward()
    assert (x.grad, u.grad, f.grad) == (20.0, 2.0, 1.0)
    assert [n.op for n in check_order(f)] == ["", "mul", "add"]


def test_a_node_used_after_its_tape_was_finished_by_backward() -> None:
    x, y = Value(2.0, "x"), Value(-1.0, "y")
    h = x * y  # -2
    f = h.tanh()
    f.backward()  # finishes h's tape
    g = h * h + x  # appended to h's finished tape
    assert isinstance(g, Node) and isinstance(f, Node) and g.tape is f.tape
    k = x * 3  # leaves alone: this thread's next tape
    assert isinstance(k, Node) and k.tape.serial > g.tape.serial
    x.grad = y.grad = 0.0
    g.backward()
    assert (x.grad, y.grad, h.grad) == (2 * -2.0 * -1.0 + 1, 2 * -2.0 * 2.0, -4.0)


def test_a_full_tape_takes_no_more_entries(monkeypatch: pytest.MonkeyPatch) -> None:
    """A tape at TAPE_LENGTH is closed for good: operations on its nodes go on the next tape."""
    monkeypatch.setattr(engine, "TAPE_LENGTH", 3)
    finish_tape()
    x = Value(1.5, "x")
    y: Value = x
    for _ in range(10):
        y = y * 2.0 + 1.0
    tapes = {n.tape for n in topological_order(y) if isinstance(n, Node)}
    assert len(tapes) >= 5 and max(map(len, tapes)) <= 6
    y.backward()
    assert x.grad == 2.0**10


def test_anomaly_names_an_infinite_gradient_on_an_older_tape() -> None:
    x = Value(1e-10, "x")
    u = x * 1.0
    u.label = "u"
    finish_tape()
    f = u * 1e308 + u * 1e308  # finite: 2e298; but ∂f/∂u = 2e308 = inf
    with detect_anomaly(), pytest.raises(AnomalyError, match=r"gradient of node 'u' \(mul\) is inf"):
        f.backward()


@pytest.mark.usefixtures("fresh_tape")
def test_multi_tape_graphs_are_freed_without_the_cyclic_collector(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(engine, "TAPE_LENGTH", 3)
    gc.collect()
    gc.disable()
    try:
        x = Value(0.7, "x")
        theirs = in_other_thread(lambda: (x * x).tanh() + 1)
        f = 2 - theirs / (x * 3 + 1)
        for _ in range(5):
            f = f * x + 1 / f
        tapes = {n.tape for n in topological_order(f) if isinstance(n, Node)}
        refs = [weakref.ref(t) for t in tapes]
        assert len(refs) >= 5
        with detect_anomaly():
            f.backward()
        del f, theirs, tapes
        finish_tape()
        assert all(r() is None for r in refs)
        assert gc.collect() == 0
    finally:
        gc.enable()


def test_pickle_and_copy_of_values() -> None:
    x = Value(2.0, "x")
    y = pickle.loads(pickle.dumps(x))
    assert type(y) is Leaf and (y.data, y.label, y.grad) == (2.0, "x", 0.0)
    h = x * x
    assert copy.copy(h) == h and copy.copy(h) is not h


def combine(kind: int, p: Value, q: Value, w: Value, s: Value) -> Value:
    """One of four small expressions in p, q, w and s (numbers on either side of the operators)."""
    if kind == 0:
        return (p * w + 0.5).tanh() - w / (q * q + 2)
    if kind == 1:
        return 1.5 - p * s + 2 * q.tanh()
    if kind == 2:
        return (3 + q).tanh() * (1 / (p * p + 1))
    return (p + q + w).tanh()


def test_threads_sharing_leaves_and_nodes_record_consistent_graphs(monkeypatch: pytest.MonkeyPatch) -> None:
    """Threads pass nodes to each other (older and newer tapes) on short tapes; every graph is sound."""
    monkeypatch.setattr(engine, "TAPE_LENGTH", 5)
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
            if isinstance(n, Node):
                t, i = n.tape, n.index
                for p in (t.a[i], t.b[i]):  # an earlier entry, a leaf, or an entry of an older tape
                    if isinstance(p, int) and p >= 0:
                        assert p < i
                    elif isinstance(p, int):  # < 0: an entry of an older tape, through t.links
                        other, j = t.linked(p)
                        assert other.serial < t.serial and j < len(other)
                    else:
                        assert p is None or isinstance(p, Leaf)
                if n.primitive is not None:
                    assert n.primitive.forward(*(p.data for p in n.parents)) == n.data
        for n in order:
            if isinstance(n, Leaf):
                n.grad = 0.0
        expected = backprop(y)
        y.backward()
        assert all(n.grad == expected.get(n, 0.0) for n in order)


def test_deepcopy_of_a_graph_over_many_tapes(monkeypatch: pytest.MonkeyPatch) -> None:
    """The copies keep tapes ordered (a copy is newer than the copies it refers to): same gradients."""
    monkeypatch.setattr(engine, "TAPE_LENGTH", 3)
    finish_tape()
    x = Value(0.8, "x")
    y: Value = x
    for _ in range(6):
        y = (y * 1.5).tanh() + x
    twin = copy.deepcopy(y)
    check_order(twin)
    expected = backprop(y)
    twin.backward()
    (x2,) = [n for n in topological_order(twin) if n.label == "x"]
    assert x2 is not x and x2.grad == expected[x] and x.grad == 0.0


def test_copies_and_pickles_keep_the_table_rows() -> None:
    """relu's mask and pow's exponent survive deepcopy and pickle: the rows of the table are shared."""
    x = Value(-1.0, "x")
    y = x.relu() ** 0.5
    twin = copy.deepcopy(y)
    assert twin.primitive is y.primitive and twin.parents[0].primitive is x.relu().primitive
    twin.backward()
    assert [n.grad for n in topological_order(twin) if n.label == "x"] == [0.0]
    z = (Value(2.0, "a") * Value(3.0, "b")).exp() ** 2
    back = pickle.loads(pickle.dumps(z))
    assert back.data == z.data and back.primitive is z.primitive and isinstance(back, Node)
    assert back.tape.serial > z.tape.serial and not back.tape.open
    back.backward()
    z.backward()
    a_back = next(n for n in topological_order(back) if n.label == "a")
    a = next(n for n in topological_order(z) if n.label == "a")
    assert a_back.grad == a.grad == 2 * z.data * 3.0
