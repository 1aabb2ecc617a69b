"""gradcheck itself, and the engine checked by it on hypothesis-generated random graphs."""

from __future__ import annotations

import math
from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from autograd import GradcheckError, Value, gradcheck


def test_gradcheck_passes_on_a_correct_graph() -> None:
    assert gradcheck(lambda a, b: (a * b).tanh() / (a.exp() + b**2), 0.3, Value(-0.7, "b")) is True


def test_gradcheck_leaves_the_inputs_alone() -> None:
    a = Value(1.5, "a")
    a.grad = 7.0
    gradcheck(lambda a: a * a, a)
    assert a.grad == 7.0


def test_gradcheck_reports_the_worst_input() -> None:
    def wrong(a: Value, b: Value) -> Value:
        out = a * b
        da, db = out.local_grads
        out.local_grads = (2 * da, db)  # a deliberately wrong local derivative for a
        return out

    with pytest.raises(GradcheckError) as info:
        gradcheck(wrong, Value(2.0, "a"), Value(3.0, "b"))
    message = str(info.value)
    assert "'a' = 2.0" not in message and "a = 2.0" in message
    assert "backward gives 6," in message and "finite differences give 3," in message
    assert "difference 3" in message


def test_gradcheck_bad_arguments() -> None:
    with pytest.raises(ValueError, match="at least one input"):
        gradcheck(lambda: Value(1.0))
    with pytest.raises(ValueError, match="eps must be a finite number > 0, got 0.0"):
        gradcheck(lambda a: a, 1.0, eps=0.0)
    with pytest.raises(ValueError, match="atol must be a finite number ≥ 0, got -1.0"):
        gradcheck(lambda a: a, 1.0, atol=-1.0)
    with pytest.raises(TypeError, match="f must return a Value, got float"):
        gradcheck(lambda a: 1.0, 1.0)  # type: ignore[arg-type, return-value]
    with pytest.raises(TypeError, match="must be a real number"):
        gradcheck(lambda a: a, "x")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="f must be a function of Values, got int 3"):
        gradcheck(3, 1.0)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="rtol must be a finite number ≥ 0, got nan"):
        gradcheck(lambda a: a, 1.0, rtol=math.nan)


# ---- random expression graphs ---------------------------------------------------------------
# A graph is a list of steps; step k combines earlier nodes (inputs or results) with a primitive or
# a composed operation. Only smooth, well-conditioned operations are drawn, on bounded inputs, so
# central differences are accurate; relu and log are kept away from their kinks and poles.

Unary = Callable[[Value], Value]
Binary = Callable[[Value, Value], Value]

UNARY: list[tuple[str, Unary]] = [
    ("neg", lambda a: -a),
    ("exp", lambda a: (a * 0.3).exp()),
    ("tanh", lambda a: a.tanh()),
    ("sigmoid", lambda a: a.sigmoid()),
    ("square", lambda a: a**2),
    ("cube", lambda a: a**3),
    ("log", lambda a: (a * a + 1).log()),
    ("reciprocal", lambda a: 1 / (a * a + 1)),
    ("sqrt", lambda a: (a * a + 0.5) ** 0.5),
    ("relu", lambda a: (a * a + 0.1).relu()),
    ("scale", lambda a: 0.5 * a - 1),
]
BINARY: list[tuple[str, Binary]] = [
    ("add", lambda a, b: a + b),
    ("sub", lambda a, b: a - b),
    ("mul", lambda a, b: a * b),
    ("div", lambda a, b: a / (b * b + 1)),
]


@st.composite
def graphs(draw: st.DrawFn) -> tuple[Callable[..., Value], list[float]]:
    n_inputs = draw(st.integers(1, 4))
    inputs = draw(st.lists(st.floats(-2.0, 2.0), min_size=n_inputs, max_size=n_inputs))
    steps = draw(
        st.lists(
            st.one_of(
                st.tuples(st.just(1), st.integers(0, len(UNARY) - 1), st.integers(0, 99), st.just(0)),
                st.tuples(
                    st.just(2), st.integers(0, len(BINARY) - 1), st.integers(0, 99), st.integers(0, 99)
                ),
            ),
            min_size=1,
            max_size=12,
        )
    )

    def f(*xs: Value) -> Value:
        nodes = list(xs)
        for arity, op, i, j in steps:
            a, b = nodes[i % len(nodes)], nodes[j % len(nodes)]
            nodes.append(UNARY[op][1](a) if arity == 1 else BINARY[op][1](a, b))
        # bounded output: gradients of a sum of tanh stay well scaled
        return sum((n.tanh() for n in nodes[n_inputs:]), nodes[-1] * 0.1)

    return f, inputs


@settings(max_examples=300)
@given(graphs())
def test_random_graphs_match_finite_differences(case: tuple[Callable[..., Value], list[float]]) -> None:
    f, inputs = case
    assert gradcheck(f, *inputs, eps=1e-6, atol=1e-5, rtol=1e-4)


@settings(max_examples=200)
@given(graphs())
def test_backward_twice_doubles_leaf_grads(case: tuple[Callable[..., Value], list[float]]) -> None:
    f, inputs = case
    leaves = [Value(x) for x in inputs]
    out = f(*leaves)
    out.backward()
    first = [v.grad for v in leaves]
    out.backward()
    assert [v.grad for v in leaves] == pytest.approx([2 * g for g in first], rel=1e-9, abs=1e-9)
    assert all(math.isfinite(g) for g in first)


def test_numbers_beyond_the_float_range_are_a_value_error() -> None:
    with pytest.raises(ValueError, match="input 1000.* is too large for a float64"):
        gradcheck(lambda x: x * x, 10**400)
    with pytest.raises(ValueError, match="eps 1000.* is too large for a float64"):
        gradcheck(lambda x: x * x, 1.0, eps=10**400)
    with pytest.raises(ValueError, match="atol 1000.* is too large for a float64"):
        gradcheck(lambda x: x * x, 1.0, atol=10**400)


@pytest.mark.parametrize(
    ("f", "x", "fails_at", "cause"),
    [
        (lambda x: x.exp(), 709.7827128, "709.7827128 + eps", "OverflowError"),  # exp's edge is 709.78271289…
        (lambda x: 1 / x.relu(), 5e-7, "5e-07 − eps = -5e-07", "ZeroDivisionError"),
        (lambda x: x.log(), 1e-7, "1e-07 − eps", "ValueError: log of -9e-07"),
    ],
)
def test_a_step_that_leaves_the_domain_says_so(
    f: Callable[[Value], Value], x: float, fails_at: str, cause: str
) -> None:
    f(Value(x)).backward()  # f itself is fine at x …
    with pytest.raises(ValueError, match="the finite-difference step left f's domain") as info:
        gradcheck(f, x)  # … but not at x ± eps
    message = str(info.value)
    assert f"f fails at input 0 = {fails_at}" in message and cause in message
    assert "or pass a smaller eps" in message
    assert gradcheck(f, x, eps=1e-9, atol=1e-3, rtol=1e-3)  # a smaller step stays inside
