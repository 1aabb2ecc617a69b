"""forward_steps and backward_steps: the lecture's steps written out, and a replay equal to backward()."""

from __future__ import annotations

import math
from collections.abc import Callable

import pytest
from graphs import lecture_sigmoid
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import autograd
from autograd import Value, backward_steps, forward_steps, topological_order, zero_grad
from autograd.engine.backward import backprop
from autograd.views.numbers import format_value
from autograd.views.steps import node_names

# ---- naming and numbers ---------------------------------------------------------------------


def test_unlabelled_operations_are_h1_to_h6_in_topological_order() -> None:
    f, x, w, b = lecture_sigmoid()
    names = node_names(f)
    ops = [n for n in topological_order(f) if not n.is_leaf]
    assert [names[n] for n in ops] == ["h1", "h2", "h3", "h4", "h5", "h6"]
    assert (names[x], names[w], names[b]) == ("x", "w", "b")
    constant = ops[4].parents[1]  # the 1 in h4 + 1
    assert constant.is_constant and names[constant] == "1"


def test_labelled_operation_keeps_its_label_and_still_counts_as_a_row() -> None:
    a, c = Value(2.0, "a"), Value(-3.0)
    p = a * c
    p.label = "p"
    q = p + 1
    names = node_names(q)
    assert names[p] == "p" and names[q] == "h2"  # q is the second operation node
    assert names[c] == "v1"  # an unlabelled leaf
    assert names[q.parents[1]] == "1"


def test_generated_name_that_a_label_already_uses_gets_a_prime() -> None:
    a = Value(1.0, "h2")
    f = (a + 1) * 3
    names = node_names(f)
    assert names[a] == "h2" and names[f] == "h2′"


def test_negative_constant_is_named_in_parentheses() -> None:
    x = Value(1.0, "x")
    f = x - 2  # x + (−2)
    assert node_names(f)[f.parents[1]] == "(−2)"
    assert str(forward_steps(f)[0]) == "h1 = x + (−2) = 1 + (−2) = −1"


@pytest.mark.parametrize(
    ("x", "precision", "text"),
    [
        (-0.0, 6, "0"),
        (0.0, None, "0"),
        (-1.0, 6, "−1"),
        (2.0, None, "2"),
        (0.25, 6, "0.25"),
        (0.7310585786300049, 6, "0.731059"),
        (0.7310585786300049, None, "0.7310585786300049"),
        (-0.19661193324148185, 3, "−0.197"),
        (1e-7, 6, "1e−7"),
        (1e-7, None, "1e−7"),
        (-2.5e-10, None, "−2.5e−10"),
        (1e20, None, "1e20"),
        (1e20, 3, "1e20"),
        (123456789.0, 4, "1.235e8"),
        (math.inf, 6, "∞"),
        (-math.inf, 6, "−∞"),
        (math.nan, 6, "nan"),
    ],
)
def test_format_value(x: float, precision: int | None, text: str) -> None:
    assert format_value(x, precision) == text


# ---- forward ------------------------------------------------------------------------------


def test_forward_steps_of_the_lecture_sigmoid() -> None:
    f, *_ = lecture_sigmoid()
    steps = forward_steps(f)
    assert [str(s) for s in steps] == [
        "h1 = w × x = 0 × 1 = 0",
        "h2 = h1 + b = 0 + 0 = 0",
        "h3 = −h2 = −0 = 0",
        "h4 = exp(h3) = exp(0) = 1",
        "h5 = h4 + 1 = 1 + 1 = 2",
        "h6 = 1/h5 = 1/2 = 0.5",
    ]
    assert [s.index for s in steps] == [1, 2, 3, 4, 5, 6]
    assert steps[-1].node is f and steps[-1].value == 0.5


def test_forward_steps_of_the_sigmoid_neuron_at_three_digits() -> None:
    """Worked example §2 with labelled nodes: z = 1, m1 = e⁻¹, m2 = 1 + e⁻¹, y = σ(1)."""
    w0, x0, w1, x1, w2 = (Value(v, n) for v, n in [(2, "w0"), (-1, "x0"), (-3, "w1"), (-2, "x1"), (-3, "w2")])
    z = w0 * x0 + w1 * x1 + w2
    z.label = "z"
    y = z.sigmoid()
    lines = [str(s) for s in forward_steps(y, precision=3)]
    assert lines[0] == "h1 = w0 × x0 = 2 × (−1) = −2"
    assert lines[1] == "h2 = w1 × x1 = (−3) × (−2) = 6"
    assert lines[3] == "z = h3 + w2 = 4 + (−3) = 1"
    assert lines[4:] == [
        "h5 = −z = −1",  # "−1 = −1" is written once
        "h6 = exp(h5) = exp(−1) = 0.368",
        "h7 = h6 + 1 = 0.368 + 1 = 1.37",
        "h8 = 1/h7 = 1/1.37 = 0.731",
    ]


def test_forward_steps_of_a_leaf_is_empty() -> None:
    assert forward_steps(Value(3.0, "x")) == []


# ---- backward -----------------------------------------------------------------------------


def test_backward_steps_of_the_lecture_sigmoid() -> None:
    f, x, w, b = lecture_sigmoid()
    steps = list(backward_steps(f))
    assert [s.name for s in steps] == ["h6", "h5", "h4", "h3", "h2", "h1"]
    assert [s.upstream for s in steps] == [1.0, -0.25, -0.25, -0.25, 0.25, 0.25]
    # per input: (name, local derivative formula, number, contribution, running total)
    expected = [
        [("h5", "−1/h5²", -0.25, -0.25, -0.25)],
        [("h4", "1", 1.0, -0.25, -0.25), ("1", "1", 1.0, -0.25, -0.25)],
        [("h3", "exp(h3)", 1.0, -0.25, -0.25)],
        [("h2", "−1", -1.0, 0.25, 0.25)],
        [("h1", "1", 1.0, 0.25, 0.25), ("b", "1", 1.0, 0.25, 0.25)],
        [("w", "x", 1.0, 0.25, 0.25), ("x", "w", 0.0, 0.0, 0.0)],
    ]
    for step, rows in zip(steps, expected):
        got = [(u.name, u.formula, u.local, u.contribution, u.total) for u in step.updates]
        assert got == rows
    assert str(steps[0]) == (
        "step 1: h6, ∂f/∂h6 = 1\n"
        "  ∂h6/∂h5 = −1/h5² = −0.25; contribution 1 × (−0.25) = −0.25; ∂f/∂h5 so far = −0.25"
    )
    assert str(steps[5]).splitlines()[1:] == [
        "  ∂h1/∂w = x = 1; contribution 0.25 × 1 = 0.25; ∂f/∂w so far = 0.25",
        "  ∂h1/∂x = w = 0; contribution 0.25 × 0 = 0; ∂f/∂x so far = 0",
    ]
    assert "∂h5/∂1" not in str(steps[1])  # the constant's contribution is kept but not written
    assert (w.grad, x.grad, b.grad) == (0.25, 0.0, 0.25)


def test_backward_steps_start_from_zero_and_write_grad_as_they_go() -> None:
    f, _x, w, b = lecture_sigmoid()
    f.backward()
    f.backward()  # leaves accumulate: w.grad = 0.5
    assert w.grad == 0.5
    steps = backward_steps(f)
    assert w.grad == 0.5  # nothing happens before the first next()
    first = next(steps)
    assert first.name == "h6"
    assert (f.grad, w.grad, b.grad) == (1.0, 0.0, 0.0)  # zeroed, then ∂f/∂f = 1
    h5 = f.parents[0]
    assert h5.grad == -0.25
    for _ in range(4):
        next(steps)
    assert b.grad == 0.25 and w.grad == 0.0  # h2 pushed to b; h1 has not pushed to w yet
    next(steps)
    assert w.grad == 0.25
    with pytest.raises(StopIteration):
        next(steps)


def test_a_plus_a_updates_a_twice() -> None:
    a = Value(3.0, "a")
    f = a + a
    (step,) = backward_steps(f)
    assert [(u.slot, u.contribution, u.total) for u in step.updates] == [(0, 1.0, 1.0), (1, 1.0, 2.0)]
    assert a.grad == 2.0


def test_backward_steps_reproduce_the_sigmoid_neuron_gradients() -> None:
    """Worked example §2: ∂y/∂w0 = −0.196612, ∂y/∂x0 = 0.393224, ∂y/∂w1 = −0.393224, ∂y/∂x1 = −0.589836."""
    w0, x0, w1, x1, w2 = (Value(v, n) for v, n in [(2, "w0"), (-1, "x0"), (-3, "w1"), (-2, "x1"), (-3, "w2")])
    y = (w0 * x0 + w1 * x1 + w2).sigmoid()
    for _ in backward_steps(y):
        pass
    got = [w0.grad, x0.grad, w1.grad, x1.grad, w2.grad]
    assert got == pytest.approx([-0.196612, 0.393224, -0.393224, -0.589836, 0.196612], abs=5e-7)


def test_bad_arguments_fail_at_the_call() -> None:
    with pytest.raises(TypeError, match="root must be a Value"):
        backward_steps(3.0)  # type: ignore[arg-type]
    f, *_ = lecture_sigmoid()
    for bad in (0, 18, -1, True, 2.5, "6"):
        with pytest.raises(ValueError, match="precision must be an int from 1 to 17"):
            backward_steps(f, precision=bad)  # type: ignore[arg-type]
        with pytest.raises(ValueError, match="precision must be an int from 1 to 17"):
            forward_steps(f, precision=bad)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="root must be a Value"):
        forward_steps("x")  # type: ignore[arg-type]


# ---- random graphs: the replay equals backward() exactly ---------------------------------------

UNARY = ("neg", "exp", "tanh", "relu", "sigmoid", "log1", "square", "recip1")
BINARY = ("add", "mul", "sub", "div1", "add_const", "mul_const")


def apply(kind: str, a: Value, b: Value, c: float) -> Value:
    """One operation of a random graph (exp, log and division kept inside their domains)."""
    ops: dict[str, Callable[[], Value]] = {
        "neg": lambda: -a,
        "exp": lambda: a.tanh().exp(),
        "tanh": lambda: a.tanh(),
        "relu": lambda: a.relu(),
        "sigmoid": lambda: a.sigmoid(),
        "log1": lambda: (a * a + 1).log(),
        "square": lambda: a**2,
        "recip1": lambda: 1 / (a * a + 1),
        "add": lambda: a + b,
        "mul": lambda: a * b,
        "sub": lambda: a - b,
        "div1": lambda: a / (b * b + 1),
        "add_const": lambda: a + c,
        "mul_const": lambda: c * a,
    }
    return ops[kind]()


@st.composite
def graphs(draw: st.DrawFn) -> tuple[Value, list[Value]]:
    """A random graph: a few leaves, then operations on earlier nodes (so nodes get shared)."""
    n_leaves = draw(st.integers(1, 4))
    values = st.floats(-3, 3, allow_nan=False)
    nodes: list[Value] = [Value(draw(values), f"x{i}") for i in range(n_leaves)]
    leaves = list(nodes)
    for _ in range(draw(st.integers(1, 14))):
        pick = st.sampled_from(nodes)
        kind = draw(st.sampled_from(UNARY + BINARY))
        a, b = draw(pick), draw(pick)
        c = draw(values)
        try:
            node = apply(kind, a, b, c)
        except ArithmeticError:  # an overflow in a long product: not what is tested here
            assume(False)
        nodes.append(node)
    root = nodes[-1]
    if draw(st.booleans()):  # sometimes join several nodes so that more are shared
        for extra in draw(st.lists(st.sampled_from(nodes), max_size=3)):
            root = root + extra
    return root, leaves


def same(a: float, b: float) -> bool:
    """Exactly equal, counting NaN as equal to NaN."""
    return a == b or (math.isnan(a) and math.isnan(b))


@settings(max_examples=250)
@given(graphs())
def test_backward_steps_leave_exactly_the_grads_of_one_fresh_backward(
    case: tuple[Value, list[Value]],
) -> None:
    root, _ = case
    order = topological_order(root)
    f = root.data
    root.backward()  # stale gradients, to show that the replay starts afresh
    for _ in backward_steps(root):
        pass
    replayed = [n.grad for n in order]
    zero_grad(root)
    root.backward()
    fresh = [n.grad for n in order]
    assert all(same(r, g) for r, g in zip(replayed, fresh)), (replayed, fresh)
    assert root.data == f
    # and the private replay behind draw() and table() gives the same numbers without touching .grad
    private = backprop(root)
    for n in order:
        n.grad = 123.0
    assert all(same(private.get(n, 0.0), g) for n, g in zip(order, fresh))
    assert all(n.grad == 123.0 for n in order)


def test_public_api_is_exported() -> None:
    for name in ("draw", "render", "table", "chain", "forward_steps", "backward_steps"):
        assert name in autograd.__all__ and callable(getattr(autograd, name))
