"""The Value node: construction, the primitive table, operators, graph structure and bad input."""

from __future__ import annotations

import math
from collections.abc import Callable
from fractions import Fraction

import numpy as np
import pytest

from autograd import PRIMITIVES, Constant, Value, power, topological_order

# (method, x, f(x), f'(x)) for each unary primitive, at points worked by hand
UNARY_CASES = [
    ("neg", 3.0, -3.0, -1.0),
    ("exp", 0.0, 1.0, 1.0),
    ("exp", 1.0, math.e, math.e),
    ("reciprocal", 4.0, 0.25, -1 / 16),
    ("reciprocal", -0.5, -2.0, -4.0),
    ("log", 1.0, 0.0, 1.0),
    ("log", math.e, 1.0, 1 / math.e),
    ("relu", 2.5, 2.5, 1.0),
    ("relu", -2.5, 0.0, 0.0),
    ("relu", 0.0, 0.0, 0.0),
    ("tanh", 0.0, 0.0, 1.0),
    ("tanh", 0.5, math.tanh(0.5), 1 - math.tanh(0.5) ** 2),
]


@pytest.mark.parametrize(("name", "x", "fx", "dfx"), UNARY_CASES)
def test_unary_primitive_value_and_derivative(name: str, x: float, fx: float, dfx: float) -> None:
    a = Value(x, "a")
    out = -a if name == "neg" else getattr(a, name)()
    assert out.op == name and out.parents == (a,)
    assert out.data == pytest.approx(fx, abs=1e-15)
    assert out.local_grads == pytest.approx((dfx,), abs=1e-15)
    out.backward()
    assert a.grad == pytest.approx(dfx, abs=1e-15)


@pytest.mark.parametrize(
    ("x", "c", "fx", "dfx"),
    [
        (3.0, 2, 9.0, 6.0),
        (2.0, 3, 8.0, 12.0),
        (4.0, 0.5, 2.0, 0.25),
        (2.0, -1, 0.5, -0.25),
        (-2.0, 3, -8.0, 12.0),
        (5.0, 0, 1.0, 0.0),
        (0.0, 2, 0.0, 0.0),
        (0.0, 1, 0.0, 1.0),
    ],
)
def test_pow_with_constant_exponent(x: float, c: float, fx: float, dfx: float) -> None:
    a = Value(x, "a")
    out = a**c
    assert out.op == "pow" and out.parents == (a,)
    assert out.data == pytest.approx(fx, abs=1e-15)
    assert out.local_grads == pytest.approx((dfx,), abs=1e-15)


def test_binary_primitives() -> None:
    a, b = Value(3.0, "a"), Value(-2.0, "b")
    s, p = a + b, a * b
    assert (s.op, s.data, s.parents, s.local_grads) == ("add", 1.0, (a, b), (1.0, 1.0))
    assert (p.op, p.data, p.parents, p.local_grads) == ("mul", -6.0, (a, b), (-2.0, 3.0))


def test_the_table_has_every_primitive_with_its_text() -> None:
    required = {"add", "mul", "neg", "exp", "reciprocal", "log", "relu", "tanh"}
    assert required <= set(PRIMITIVES)
    assert PRIMITIVES["reciprocal"].derivative_text == ("−1/x²",)
    assert PRIMITIVES["mul"].derivative_text == ("y", "x")
    assert power(3.0).formula == "x^3" and power(3.0).derivative_text == ("3·x^2",)
    for prim in PRIMITIVES.values():
        assert prim.arity in (1, 2) and prim.symbol and prim.formula
        assert prim.doc.startswith("f(x") and ("f′(x) = " in prim.doc or "∂f/∂x = " in prim.doc)
    assert power(3.0).doc == "f(x) = x^3; f′(x) = 3·x^2"


def test_composed_operations_record_their_primitives() -> None:
    a, b = Value(6.0, "a"), Value(3.0, "b")
    d = a - b
    assert d.op == "add" and d.parents[0] is a and d.parents[1].op == "neg" and d.data == 3.0
    q = a / b
    assert q.op == "mul" and q.parents[1].op == "reciprocal" and q.data == pytest.approx(2.0)
    r = 1 / b
    assert r.op == "reciprocal" and r.parents == (b,)  # no × 1 node
    r2 = 2 / b
    assert r2.op == "mul" and r2.parents[0].is_constant and r2.data == pytest.approx(2 / 3)
    assert (1 - b).data == -2.0 and (b - 1).data == 2.0 and (2 * b).data == 6.0 and (b * 2).data == 6.0
    assert (b + 1).data == 4.0 and (1 + b).data == 4.0 and (a / 4).data == 1.5 and (-b).data == -3.0
    e = 2**b
    e.backward()
    assert e.data == pytest.approx(8.0) and b.grad == pytest.approx(8.0 * math.log(2))


@pytest.mark.parametrize(
    ("expression", "x", "fx", "dfx"),
    [  # a plain number on either side of each operator; f and f′ worked by hand at x
        (lambda x: x + 2, 3.0, 5.0, 1.0),
        (lambda x: 2 + x, 3.0, 5.0, 1.0),
        (lambda x: x - 2, 3.0, 1.0, 1.0),
        (lambda x: 2 - x, 3.0, -1.0, -1.0),
        (lambda x: x * 2, 3.0, 6.0, 2.0),
        (lambda x: 2 * x, 3.0, 6.0, 2.0),
        (lambda x: x / 4, 3.0, 0.75, 0.25),
        (lambda x: 2 / x, 4.0, 0.5, -0.125),  # ∂(2/x)/∂x = −2/x²
        (lambda x: 1 / x, 4.0, 0.25, -0.0625),
        (lambda x: 2**x, 3.0, 8.0, 8.0 * math.log(2.0)),  # ∂(2ˣ)/∂x = 2ˣ ln 2
        (lambda x: x**2, 3.0, 9.0, 6.0),
    ],
)
def test_operators_with_a_plain_number(
    expression: Callable[[Value], Value], x: float, fx: float, dfx: float
) -> None:
    v = Value(x, "x")
    out = expression(v)
    out.backward()
    assert out.data == pytest.approx(fx, rel=1e-15)
    assert v.grad == pytest.approx(dfx, rel=1e-15)


def test_constants_are_leaves_and_marked() -> None:
    a = Value(1.0, "a")
    out = a + 2
    c = out.parents[1]
    assert type(c) is Constant and c.is_leaf and c.is_constant and c.data == 2.0 and c.op == ""
    assert type(a) is Value and not a.is_constant and a.is_leaf and not out.is_leaf


def test_data_is_stored_as_float() -> None:
    for data in (3, 3.0, np.float32(3.0), np.int64(3), np.float64(3.0), Fraction(3, 1)):
        v = Value(data)  # type: ignore[arg-type]
        assert type(v.data) is float and v.data == 3.0
    assert type((Value(1.0) + np.int32(2)).data) is float


@pytest.mark.parametrize("bad", [True, False, "1.0", None, 1j, [1.0], np.bool_(True)])
def test_non_real_data_is_refused_naming_type_and_value(bad: object) -> None:
    with pytest.raises(TypeError, match=type(bad).__name__) as info:
        Value(bad)  # type: ignore[arg-type]
    assert repr(bad)[:10] in str(info.value)
    assert "real number" in str(info.value)


@pytest.mark.parametrize("bad", ["2", None, 1j, True])
def test_non_real_operands_are_refused(bad: object) -> None:
    v = Value(1.0)
    for op in (
        lambda: v + bad,
        lambda: bad + v,
        lambda: v * bad,
        lambda: v - bad,
        lambda: bad - v,
        lambda: v / bad,
        lambda: bad / v,
        lambda: v**bad,
    ):
        with pytest.raises(TypeError, match=type(bad).__name__):
            op()


def test_label_must_be_str() -> None:
    with pytest.raises(TypeError, match="label must be a str, got int 3"):
        Value(1.0, label=3)  # type: ignore[arg-type]


def test_value_exponent_is_refused_with_a_hint() -> None:
    with pytest.raises(TypeError, match=r"\(y \* x.log\(\)\).exp\(\)"):
        Value(2.0) ** Value(3.0)  # type: ignore[operator]


def test_repr_shows_label_data_and_grad() -> None:
    w = Value(0.5, "w")
    assert repr(w) == "Value(label='w', data=0.5, grad=0.0)"
    y = w * 2
    y.backward()
    assert repr(y) == "Value(data=1.0, grad=1.0, op='mul')"
    assert repr(w) == "Value(label='w', data=0.5, grad=2.0)"


def test_op_is_read_only_and_a_value_takes_no_new_attributes() -> None:
    a = Value(1.0)
    b = a * a
    with pytest.raises(AttributeError):
        b.op = "add"  # type: ignore[misc]
    assert b.parents == (a, a) and b.local_grads == (1.0, 1.0)  # plain fields, as micrograd's _prev
    b.data, b.grad, b.label = 5.0, 2.0, "b"
    assert (b.data, b.grad, b.label) == (5.0, 2.0, "b")
    with pytest.raises(AttributeError):
        b.extra = 1  # type: ignore[attr-defined]


def test_division_by_zero_names_the_node() -> None:
    z = Value(0.0, "h5")
    with pytest.raises(
        ZeroDivisionError,
        match=r"^reciprocal of 0.0 cannot be computed: 1/x needs x ≠ 0; its input is node 'h5' \(leaf\)$",
    ):
        1 / z
    with pytest.raises(ZeroDivisionError, match="an unlabelled add node"):
        Value(1.0) / (Value(1.0) - 1)
    with pytest.raises(ZeroDivisionError, match=r"node 'a' \(leaf\) / 0"):
        Value(1.0, "a") / 0
    with pytest.raises(ZeroDivisionError, match="node 'a'"):
        Value(0.0, "a") ** -1


@pytest.mark.parametrize("x", [0.0, -1.0, -1e-300])
def test_log_of_non_positive_shows_x(x: float) -> None:
    with pytest.raises(
        ValueError,
        match=rf"^log of {x!r} cannot be computed: log\(x\) needs x > 0; its input is node 'u' \(leaf\)$",
    ):
        Value(x, "u").log()


def test_exp_overflow_raises_showing_x() -> None:
    """The rule: exp raises OverflowError once the result no longer fits a float64 (x > 709.78)."""
    assert Value(709.0).exp().data == pytest.approx(math.exp(709.0))
    with pytest.raises(
        OverflowError, match=r"^exp of 710.0 cannot be computed: exp\(x\) overflows float64.*node 'big'"
    ):
        Value(710.0, "big").exp()


def test_pow_domain_errors() -> None:
    with pytest.raises(ValueError, match=r"^pow of -8.0 cannot be computed: x\^0.5 needs x ≥ 0"):
        Value(-8.0) ** 0.5
    with pytest.raises(
        ValueError, match=r"exponent c of x \*\* c must be finite, got c = inf \(x is an unlabelled"
    ):
        Value(2.0) ** math.inf
    with pytest.raises(
        ValueError, match=r"base c > 0, got c = -2.0 \(x is an unlabelled leaf with value 1.0\)"
    ):
        (-2) ** Value(1.0)


@pytest.mark.parametrize("x", [-1000.0, -50.0, -1.0, 0.0, 1.0, 50.0, 1000.0])
def test_sigmoid_is_stable_and_right(x: float) -> None:
    v = Value(x)
    s = v.sigmoid()
    s.backward()
    exact = 1 / (1 + math.exp(-x)) if x >= 0 else math.exp(x) / (1 + math.exp(x))
    assert s.data == pytest.approx(exact, abs=1e-15)
    assert v.grad == pytest.approx(exact * (1 - exact), abs=1e-15)
    assert math.isfinite(v.grad)


@pytest.mark.parametrize("method", ["neg", "exp", "reciprocal", "log", "relu", "tanh", "sigmoid"])
def test_every_primitive_passes_nan_on(method: str) -> None:
    out = -Value(math.nan) if method == "neg" else getattr(Value(math.nan), method)()
    assert math.isnan(out.data)


def test_nan_propagates_by_default() -> None:
    a = Value(math.nan, "a")
    b = (a * 2 + 1).tanh()
    b.backward()
    assert math.isnan(b.data) and math.isnan(a.grad)


def test_topological_order_puts_parents_first() -> None:
    a, b = Value(1.0, "a"), Value(2.0, "b")
    c = a * b
    d = c + a
    e = d * c
    order = topological_order(e)
    assert order[-1] is e and len(order) == len(set(order)) == 5
    position = {node: i for i, node in enumerate(order)}
    for node in order:
        for parent in node.parents:
            assert position[parent] < position[node]
    with pytest.raises(TypeError, match="root must be a Value"):
        topological_order(3.0)  # type: ignore[arg-type]


def test_a_leaf_refuses_bad_data_grad_and_label_like_a_node() -> None:
    v = Value(1.0, "v")
    node = v * 2
    for target in (v, node):
        with pytest.raises(TypeError, match="data must be a real number.*got str 'a'"):
            target.data = "a"  # type: ignore[assignment]
        with pytest.raises(TypeError, match="grad must be a real number.*got NoneType None"):
            target.grad = None  # type: ignore[assignment]
        with pytest.raises(TypeError, match="label must be a str, got int 3"):
            target.label = 3  # type: ignore[assignment]
        with pytest.raises(OverflowError, match="too large for a float64"):
            target.data = 10**400
    assert (v.data, v.grad, v.label) == (1.0, 0.0, "v")  # nothing changed
    v.data, v.grad = np.float32(0.5), 2  # numpy scalars and ints are stored as floats
    assert (type(v.data), type(v.grad), v.data, v.grad) == (float, float, 0.5, 2.0)


def test_every_error_from_pow_names_the_node_and_what_overflowed() -> None:
    with pytest.raises(
        OverflowError,
        match=r"^the derivative of pow at 1e-300 cannot be computed: ∂/∂x = −1·x\^−2 overflows float64 "
        r"\(\|result\| above 1.8e308\); its input is node 'tiny' \(leaf\)$",
    ):
        Value(1e-300, label="tiny") ** -1
    with pytest.raises(
        OverflowError, match=r"^pow of 1e-200 cannot be computed: x\^−2 overflows float64"
    ) as info:
        Value(1e-200, label="small") ** -2
    assert "x ≠ 0" not in str(info.value) and "node 'small'" in str(info.value)
    with pytest.raises(
        OverflowError, match=r"^pow of 1e\+200 cannot be computed: x\^2 overflows float64.*'big'"
    ):
        Value(1e200, label="big") ** 2
    with pytest.raises(
        ZeroDivisionError, match=r"^pow of 0.0 cannot be computed: x\^−1 needs x ≠ 0; .*'zero'"
    ):
        Value(0.0, label="zero") ** -1
