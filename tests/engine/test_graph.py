"""The chain rule: backward() on shared nodes, deep chains and wide sums; textbook `backprop` beside it."""

from __future__ import annotations

import math
import sys
from collections.abc import Callable

import pytest
from graphs import lecture_sigmoid
from hypothesis import given, settings
from hypothesis import strategies as st

from autograd import Value, backprop, topological_order, zero_grad


def test_a_plus_a_keeps_both_edges() -> None:
    a = Value(3.0, "a")
    b = a + a
    assert b.parents == (a, a)
    b.backward()
    assert a.grad == 2.0  # two edges, one per operand (micrograd also gives 2)


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
    """A node refers only to its parents: dropping a graph frees it by reference counting alone."""
    import gc
    import weakref

    class Probe(Value):  # a leaf that can be weakly referenced
        pass

    gc.collect()
    gc.disable()
    try:
        x = Probe(2.0)
        u = x * x
        f = (u + u.tanh() + 1).exp()
        g = u * 3  # a second graph sharing u
        f.backward()
        g.backward()
        ref = weakref.ref(x)  # x is held only by the nodes made from it
        del x, u, f, g
        assert ref() is None
        assert gc.collect() == 0
    finally:
        gc.enable()


# ---- backward() writes what the textbook loop computes ---------------------------------------

UNARY: list[Callable[[Value], Value]] = [
    lambda a: -a,
    lambda a: a.exp() if a.data < 30 else a,
    lambda a: a.log() if a.data > 0 else a,
    lambda a: a.relu(),
    lambda a: a.tanh(),
    lambda a: a.reciprocal() if a.data != 0 else a,
    lambda a: a**2 if abs(a.data) < 1e100 else a,
    lambda a: a**0.5 if a.data >= 0 else a,
    lambda a: a.sin() if math.isfinite(a.data) else a,
    lambda a: a.cos() if math.isfinite(a.data) else a,
    lambda a: a.sigmoid(),
]
BINARY: list[Callable[[Value, Value], Value]] = [
    lambda a, b: a + b,
    lambda a, b: a * b,
    lambda a, b: a - b,
    lambda a, b: a * 2.5 + 1,
    lambda a, b: a / b if b.data != 0 else a,
]


@settings(max_examples=200, deadline=None)
@given(
    program=st.lists(
        st.tuples(st.booleans(), st.integers(0, 99), st.integers(0, 99), st.integers(0, 99)),
        min_size=1,
        max_size=25,
    ),
    point=st.lists(st.floats(-3, 3, allow_nan=False), min_size=3, max_size=3),
)
def test_backward_writes_backprops_gradients(
    program: list[tuple[bool, int, int, int]], point: list[float]
) -> None:
    """backward() leaves in .grad exactly what backprop() returns, bit for bit (signs of 0 too).

    Backward passes in the middle of the program write gradients into nodes that the final graph
    shares: zero_grad and one backward() start afresh whatever was there.
    """
    leaves = [Value(x, f"v{k}") for k, x in enumerate(point)]
    pool: list[Value] = list(leaves)
    for binary, k, i, j in program:
        a, b = pool[i % len(pool)], pool[j % len(pool)]
        pool.append(BINARY[k % len(BINARY)](a, b) if binary else UNARY[k % len(UNARY)](a))
        if k % 9 == 0:
            pool[-1].backward()  # leaves gradients on nodes the final graph shares
    root = pool[-1]
    expected = backprop(root)
    zero_grad(root)
    root.backward()
    for node in topological_order(root):
        mine, theirs = node.grad, expected[node]
        assert mine == theirs or (math.isnan(mine) and math.isnan(theirs)), node
        assert math.copysign(1.0, mine) == math.copysign(1.0, theirs), node


def test_backprop_changes_no_grad_and_matches_the_worked_example() -> None:
    f, x, w, b = lecture_sigmoid()
    grads = backprop(f)
    assert (grads[w], grads[x], grads[b], grads[f]) == (0.25, 0.0, 0.25, 1.0)
    assert (w.grad, x.grad, b.grad) == (0.0, 0.0, 0.0)  # untouched


def test_relu_passes_no_gradient_for_x_at_most_0_even_an_infinite_one() -> None:
    """PyTorch masks relu's gradient: ∂/∂x of relu(x)^0.5 at x = −1 is 0, not 0 · ∞ = nan."""
    for x0 in (-1.0, 0.0):
        x = Value(x0, "x")
        y = x.relu() ** 0.5  # ∂y/∂relu = ∞ at relu = 0
        assert y.local_grads == (math.inf,)
        y.backward()
        assert x.grad == 0.0 and backprop(y)[x] == 0.0
    x = Value(-1.0, "x")
    y = (x * 0.0) ** 0.5  # a product with 0 is no mask: 0 · ∞ = nan, as in PyTorch
    y.backward()
    assert math.isnan(x.grad) and math.isnan(backprop(y)[x])
    x = Value(2.0, "x")
    y = x.relu() * math.inf  # relu is on: the infinite gradient passes, as in PyTorch
    y.backward()
    assert x.grad == math.inf


def test_the_loop_the_readme_and_the_docs_show_is_the_one_backward_runs() -> None:
    """README.md and docs/engine.md print backprop's loop, and backward() runs backprop itself."""
    import inspect
    import pathlib

    assert "grads = backprop(self)" in inspect.getsource(Value.backward)

    source = [line.split("  #")[0].strip() for line in inspect.getsource(backprop).splitlines()]
    root = pathlib.Path(__file__).resolve().parents[2]
    for page in ("README.md", "docs/engine.md"):
        text = (root / page).read_text(encoding="utf-8")
        start = text.index("def backprop(root)")
        shown = text[start : text.index("return grads", start) + len("return grads")].splitlines()[1:]
        assert len(shown) == 5, page
        for line in shown:
            assert line.split("  #")[0].strip() in source, (
                f"{page}: {line.strip()!r} is not in engine/backward.py's backprop"
            )


def test_the_masks_are_pytorchs() -> None:
    """relu passes a gradient on at nan (PyTorch's threshold backward), and x⁰ passes nothing back."""
    x = Value(math.nan, "x")
    y = x.relu() * 2.0
    y.backward()
    assert x.grad == 2.0  # relu′(nan) = 1, so the gradient passes on; the old relu′ = 0 stopped it
    x = Value(0.0, "x")
    y = (x**0) * math.inf  # ∂y/∂(x⁰) = ∞, and x⁰ does not depend on x
    y.backward()
    assert x.grad == 0.0 and backprop(y)[x] == 0.0
