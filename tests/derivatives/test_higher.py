"""grad (with and without create_graph) and hessian: exact values, finite differences, bad input."""

from __future__ import annotations

import math
from collections.abc import Callable

import pytest
from graphs import lecture_sigmoid
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from recipes import FINITE, build, recipe_has_kink, recipes

import autograd
from autograd import PRIMITIVES, Value, grad, hessian, power, topological_order
from autograd.derivatives.higher import local_derivatives

# ---- grad without create_graph ------------------------------------------------------------


def test_grad_gives_the_lecture_gradients_in_input_order_without_touching_grad() -> None:
    f, x, w, b = lecture_sigmoid()
    w.grad = 7.0
    assert grad(f, [w, b, x]) == [0.25, 0.25, 0.0]
    assert grad(f, w) == [0.25]
    assert w.grad == 7.0 and f.grad == 0.0


def test_grad_equals_a_fresh_backward_bit_for_bit() -> None:
    x, y = Value(0.3, "x"), Value(-1.7, "y")
    f = (x * y).tanh() / (y * y + 1) - x.sin() * y.exp()
    got = grad(f, [x, y])
    f.backward()
    assert got == [x.grad, y.grad]


def test_an_input_the_output_does_not_depend_on_gets_zero() -> None:
    x, y = Value(1.0, "x"), Value(2.0, "y")
    assert grad(x * 3, [x, y]) == [3.0, 0.0]
    assert grad(x, [x, y]) == [1.0, 0.0]
    zero = grad(x * 3, [y], create_graph=True)[0]
    assert isinstance(zero, Value) and zero.is_constant and zero.data == 0.0


# ---- grad with create_graph ---------------------------------------------------------------


def test_a_constant_derivative_comes_back_as_a_constant_value() -> None:
    x, y = Value(1.5, "x"), Value(2.0, "y")
    dx, dy = grad(x + y**2, [x, y], create_graph=True)
    assert dx.is_constant and dx.data == 1.0  # ∂(x + y²)/∂x = 1: no variable in it
    assert not dy.is_constant and dy.data == 4.0
    assert grad(dx, [x, y]) == [0.0, 0.0]
    assert grad(dy, [x, y]) == [0.0, 2.0]


def test_a_gradient_can_be_a_node_already_in_the_graph() -> None:
    x, y = Value(1.5, "x"), Value(2.0, "y")
    e = x.exp()
    assert grad(x * y, [x], create_graph=True)[0] is y
    assert grad(e, [x], create_graph=True)[0] == e


def test_create_graph_gives_recorded_values_with_the_same_numbers() -> None:
    f, x, w, b = lecture_sigmoid()
    gs = grad(f, [x, w, b], create_graph=True)
    assert all(isinstance(g, Value) for g in gs)
    assert [g.data for g in gs] == [0.0, 0.25, 0.25]
    assert w in topological_order(gs[0])  # ∂f/∂x = σ′ · w is a graph that uses w
    assert f.grad == 0.0 and w.grad == 0.0


SECOND_DERIVATIVES: list[tuple[str, Callable[[Value], Value], Callable[[float], float], float]] = [
    ("exp", Value.exp, math.exp, 0.7),
    ("log", Value.log, lambda x: -1 / x**2, 1.3),
    ("reciprocal", Value.reciprocal, lambda x: 2 / x**3, -0.8),
    ("tanh", Value.tanh, lambda x: -2 * math.tanh(x) * (1 - math.tanh(x) ** 2), 0.4),
    ("sin", Value.sin, lambda x: -math.sin(x), 2.0),
    ("cos", Value.cos, lambda x: -math.cos(x), 2.0),
    ("neg", Value.__neg__, lambda x: 0.0, 2.0),
    ("relu", Value.relu, lambda x: 0.0, 2.0),
    ("relu", Value.relu, lambda x: 0.0, -2.0),
    ("pow", lambda v: v**3, lambda x: 6 * x, -1.5),
    ("pow", lambda v: v**2, lambda x: 2.0, 0.0),
    ("pow", lambda v: v**0.5, lambda x: -0.25 * x**-1.5, 2.0),
    ("pow", lambda v: v**-2, lambda x: 6 * x**-4, 1.5),
    ("pow", lambda v: v**1, lambda x: 0.0, 1.5),
    ("pow", lambda v: v**0, lambda x: 0.0, 1.5),
    ("mul", lambda v: v * v, lambda x: 2.0, 3.0),
    ("add", lambda v: v + v, lambda x: 0.0, 3.0),
    ("sigmoid", Value.sigmoid, lambda x: (s := 1 / (1 + math.exp(-x))) * (1 - s) * (1 - 2 * s), 0.3),
    ("sigmoid", Value.sigmoid, lambda x: (s := 1 / (1 + math.exp(-x))) * (1 - s) * (1 - 2 * s), -0.3),
]


@pytest.mark.parametrize(("name", "f", "f2", "x0"), SECOND_DERIVATIVES)
def test_grad_of_grad_is_the_second_derivative(
    name: str, f: Callable[[Value], Value], f2: Callable[[float], float], x0: float
) -> None:
    x = Value(x0, "x")
    (d1,) = grad(f(x), [x], create_graph=True)
    (d2,) = grad(d1, [x])
    assert d2 == pytest.approx(f2(x0), rel=1e-12, abs=1e-12)


def test_third_and_fourth_derivatives_of_a_cubic() -> None:
    x = Value(2.0, "x")
    d = x**3 - 2 * x
    derivatives = []
    for _ in range(4):
        (d,) = grad(d, [x], create_graph=True)
        derivatives.append(d.data)
    assert derivatives == [10.0, 12.0, 6.0, 0.0]
    assert d.is_constant


def test_relu_at_its_kink_has_derivative_zero_and_second_derivative_zero() -> None:
    """As PyTorch: relu′(0) = 0, and relu′ is a constant (0 or 1), so relu″ = 0 everywhere."""
    x = Value(0.0, "x")
    (d1,) = grad(x.relu(), [x], create_graph=True)
    assert d1.is_constant and d1.data == 0.0
    assert grad(d1, [x]) == [0.0]
    y = Value(0.0, "y")
    f = (y * y).relu() + y.relu() * y
    (g,) = grad(f, [y], create_graph=True)
    assert (g.data, grad(g, [y])) == (0.0, [0.0])


def test_power_with_an_unbounded_derivative_at_zero_records_infinity() -> None:
    x = Value(0.0, "x")
    (d1,) = grad(x**0.5, [x], create_graph=True)
    assert d1.is_constant and d1.data == math.inf == grad(x**0.5, [x])[0]


def test_every_graph_derivative_rule_gives_the_recorded_local_derivatives() -> None:
    """Each row's Value form of f′ computes the same numbers as its float form."""
    rows = [*PRIMITIVES.values(), power(3.0), power(2.0), power(-1.5), power(0.5), power(1.0), power(0.0)]
    for prim in rows:
        for point in ([0.7], [1.9, -0.4]) if prim.arity == 2 else ([0.7], [1.9], [0.0]):
            if prim.arity == 2 and len(point) == 1:
                continue
            if (point == [0.0] and prim.name in ("log", "reciprocal")) or (
                point == [0.0] and prim is power(-1.5)
            ):
                continue
            xs = [Value(p) for p in point]
            out = prim.forward(*point)
            node = autograd.Value(out)  # stands for the output: only its value is used
            floats = prim.derivative(*point, out)
            values = local_derivatives(prim, xs, node)
            assert [v.data if isinstance(v, Value) else v for v in values] == list(floats), prim.name


# ---- hessian ------------------------------------------------------------------------------


def test_hessian_of_the_survey_example() -> None:
    """f = ln x₁ + x₁x₂ − sin x₂: H = [[−1/x₁², 1], [1, sin x₂]]."""
    h = hessian(lambda x1, x2: x1.log() + x1 * x2 - x2.sin(), [2.0, 5.0])
    assert h == [[-0.25, 1.0], [1.0, math.sin(5.0)]]


def test_hessian_of_a_two_parameter_squared_loss() -> None:
    """L(w, b) = Σ (w·xᵢ + b − yᵢ)²: H = 2·[[Σx², Σx], [Σx, n]], whatever w and b are."""
    data = [(1.0, 2.0), (2.0, 2.5), (3.0, 4.5)]

    def loss(w: Value, b: Value) -> Value:
        total = Value(0.0)
        for x, y in data:
            total = total + (w * x + b - y) ** 2
        return total

    assert hessian(loss, [0.3, -1.0]) == [[28.0, 12.0], [12.0, 6.0]]


@settings(max_examples=40)
@given(recipes(), st.lists(st.floats(-1.5, 1.5), min_size=3, max_size=3))
def test_hessian_agrees_with_central_differences_of_grad(
    recipe: list[tuple[str, int, int]], point: list[float]
) -> None:
    assume(not recipe_has_kink(recipe, point))

    def f(*xs: Value) -> Value:
        return build(recipe, list(xs))

    def gradient(p: list[float]) -> list[float]:
        xs = [Value(v) for v in p]
        return grad(f(*xs), xs)

    h = 1e-5
    H = hessian(f, point)
    for j in range(3):
        plus, minus = list(point), list(point)
        plus[j] += h
        minus[j] -= h
        column = [(a - b) / (2 * h) for a, b in zip(gradient(plus), gradient(minus))]
        for i in range(3):
            assert H[i][j] == pytest.approx(column[i], rel=1e-4, abs=1e-4)
    for i in range(3):
        for j in range(3):
            assert H[i][j] == pytest.approx(H[j][i], rel=1e-9, abs=1e-12)


@settings(max_examples=40)
@given(recipes(), st.lists(FINITE, min_size=3, max_size=3))
def test_create_graph_gradients_equal_the_float_gradients(
    recipe: list[tuple[str, int, int]], point: list[float]
) -> None:
    xs = [Value(v) for v in point]
    f = build(recipe, xs)
    floats = grad(f, xs)
    values = grad(f, xs, create_graph=True)
    assert [v.data for v in values] == floats  # the same operations in the same order


# ---- bad input ----------------------------------------------------------------------------


def test_grad_bad_input_is_named() -> None:
    f, _x, w, _b = lecture_sigmoid()
    h6_input = f.parents[0]
    with pytest.raises(ValueError, match=r"inputs\[1\] an unlabelled add node is an operation's output"):
        grad(f, [w, h6_input])
    with pytest.raises(ValueError, match=r"inputs\[0\] the constant 1 is a constant"):
        grad(f, [h6_input.parents[1]])
    with pytest.raises(TypeError, match="output must be a Value .* got float 0.5"):
        grad(0.5, [w])  # type: ignore[call-overload]
    with pytest.raises(TypeError, match=r"inputs\[0\] must be a Value made with Value\(…\), got float"):
        grad(f, [0.5])  # type: ignore[list-item]
    with pytest.raises(TypeError, match="create_graph must be True or False, got str"):
        grad(f, [w], create_graph="yes")  # type: ignore[call-overload]
    with pytest.raises(TypeError, match=r"the value f returns must be a Value \(.*\), got float 1.0"):
        hessian(lambda a: 1.0, [1.0])  # type: ignore[arg-type,return-value]
    with pytest.raises(TypeError, match="f must be a function of Values"):
        hessian(3, [1.0])  # type: ignore[arg-type]
