"""The formula parser: the allow-list, hostile input refused, and fuzzing that finds no other outcome."""

from __future__ import annotations

import ast
import builtins
import math
import warnings
from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from autograd import Value, topological_order
from autograd.cli.expr import MAX_LENGTH, Expression, ExpressionError, parse, variables

LECTURE = "1/(exp(-(w*x+b))+1)"


def test_the_lecture_formula_records_the_six_operations() -> None:
    e = parse(LECTURE, {"x": 1, "w": 0, "b": 0})
    assert list(e.inputs) == ["w", "x", "b"]
    assert [n.op for n in topological_order(e.root) if not n.is_leaf] == [
        "mul", "add", "neg", "exp", "add", "reciprocal",
    ]  # fmt: skip
    assert e.root.data == 0.5
    e.root.backward()
    assert (e.inputs["w"].grad, e.inputs["x"].grad, e.inputs["b"].grad) == (0.25, 0.0, 0.25)
    assert all(leaf.label == name for name, leaf in e.inputs.items())


def test_a_variable_used_twice_is_one_leaf() -> None:
    e = parse("x*x + x", {"x": 3})
    e.root.backward()
    assert e.root.data == 12.0 and e.inputs["x"].grad == 7.0  # 2x + 1


@pytest.mark.parametrize(
    ("text", "build"),
    [
        ("exp(x)", lambda x: x.exp()),
        ("log(x)", lambda x: x.log()),
        ("tanh(x)", lambda x: x.tanh()),
        ("relu(x)", lambda x: x.relu()),
        ("sigmoid(x)", lambda x: x.sigmoid()),
        ("sigmoid(-x)", lambda x: (-x).sigmoid()),
        ("x**3", lambda x: x**3),
        ("x**-0.5", lambda x: x**-0.5),
        ("2**x", lambda x: 2**x),
        ("+x - 1", lambda x: x - 1),
        ("3/x", lambda x: 3 / x),
        ("x/4", lambda x: x / 4),
    ],
)
def test_each_allowed_construct_matches_the_engine(text: str, build: Callable[[Value], Value]) -> None:
    e = parse(text, {"x": 1.7})
    expected = build(Value(1.7, "x"))
    assert e.root.data == expected.data
    assert [n.op for n in topological_order(e.root)] == [n.op for n in topological_order(expected)]


def test_number_only_parts_are_computed_on_the_spot() -> None:
    e = parse("x / (2*4) + exp(0) - 2**3", {"x": 8.0})
    ops = [n.op for n in topological_order(e.root) if not n.is_leaf]
    assert ops == ["mul", "add", "add"]  # x × 0.125, + 1, + (−8)
    assert e.root.data == 8 / 8 + 1 - 8
    constant = parse("2 * (1 + 2)", {})
    assert constant.root.data == 6.0 and constant.root.is_leaf and constant.inputs == {}


def test_variables_in_order_of_first_appearance() -> None:
    assert variables(LECTURE) == ["w", "x", "b"]
    assert variables("z + y*z + exp(x)") == ["z", "y", "x"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("__import__('os')", "the function '__import__' is not allowed"),
        (
            "__import__('os').system('echo hi')",
            "attribute access is not allowed in `__import__('os').system`",
        ),
        ("x.__class__", "attribute access is not allowed in `x.__class__`"),
        ("(1).__class__.__bases__", "attribute access is not allowed"),
        ("exp.__globals__", "attribute access is not allowed"),
        ("lambda: 1", "lambda is not allowed"),
        ("[x for x in (1, 2)]", "a list comprehension is not allowed"),
        ("{x for x in y}", "a set comprehension is not allowed"),
        ("(x for x in y)", "a generator expression is not allowed"),
        ("{1: x}", "a dict is not allowed"),
        ("x[0]", "indexing is not allowed"),
        ("x if y else 1", "if/else is not allowed"),
        ("x < 1", "a comparison is not allowed"),
        ("x and y", "and/or is not allowed"),
        ("(y := 2)", "the := operator is not allowed"),
        ("f'{x}'", "an f-string is not allowed"),
        ("'abc'", "a string is not allowed"),
        ("True", "True/False is not allowed"),
        ("1j", "a complex number is not allowed"),
        ("x // 2", "// (floor division) is not allowed"),
        ("x % 2", "% (remainder) is not allowed"),
        ("x ^ 2", "^ (write ** for a power) is not allowed"),
        ("~x", "~ is not allowed"),
        ("not x", "not is not allowed"),
        ("x @ y", "@ (matrix product) is not allowed"),
        ("print(x)", "the function 'print' is not allowed; the functions are exp, log, tanh, relu, sigmoid"),
        ("eval('1')", "the function 'eval' is not allowed"),
        ("exp(x, 2)", "exp takes exactly one argument"),
        ("exp(x=1)", "exp takes exactly one argument"),
        ("exp(*x)", "exp takes exactly one argument"),
        ("exp", "exp is a function: call it"),
        ("(lambda: 1)()", "lambda is not allowed"),
        ("x; y", "syntax error at column 2"),
        ("import os", "syntax error"),
        ("x = 1", "syntax error"),
        ("1 +", "syntax error"),
        ("", "the formula is empty"),
        ("   ", "the formula is empty"),
        ("x\x00", "cannot contain null bytes"),
    ],
)
def test_refused_constructs_are_named(text: str, message: str) -> None:
    with pytest.raises(ExpressionError) as info:
        parse(text, {})
    assert message in str(info.value)


@pytest.mark.parametrize(
    ("text", "values", "message"),
    [
        ("10**10**10", {}, "too large for a float (overflow)"),
        ("x**10**10", {"x": 2}, "too large for a float (overflow)"),
        ("2**2**2**2**2", {}, "too large for a float (overflow)"),
        ("9" * 400, {}, "too large for a float (overflow)"),
        ("1e999 * x", {"x": 1}, "`1e999` is inf"),
        ("x * 1e300 * 1e300", {"x": 1}, "too large for a float"),
        ("exp(x)", {"x": 1000}, "too large for a float (overflow)"),
        ("log(x)", {"x": -1}, "log of -1.0 cannot be computed: log(x) needs x > 0"),
        ("log(0)", {}, "needs x > 0"),
        ("1/x", {"x": 0}, "x ≠ 0"),
        ("x/0", {"x": 1}, "division by zero in `x/0`"),
        ("0**-1 + x", {"x": 1}, "division by zero"),
        ("(-8)**(1/3)", {}, "is not a real number"),
        ("x**0.5", {"x": -4}, "in `x**0.5`: pow of -4.0 cannot be computed: x^0.5 needs x ≥ 0"),
        ("2**x", {"x": 5000}, "too large"),
        ("x**y", {"x": 2, "y": 3}, "the exponent in `x**y` must be a number"),
        ("x + y", {"x": 1}, "no value for the variable 'y'; give one, e.g. y=1"),
        ("x", {"x": 1, "z": 2}, "unknown variable 'z': the formula uses only x"),
        ("2", {"z": 2}, "unknown variable 'z': the formula has no variables"),
        ("x", {"x": math.nan}, "the value of x must be a finite number"),
        ("x", {"x": math.inf}, "the value of x must be a finite number"),
        ("x", {"x": "1"}, "the value of x must be a finite number"),
        ("x", {"x": True}, "the value of x must be a finite number"),
        ("x", {"x": 10**400}, "the value of x must be a finite number, got 1000000"),
    ],
)
def test_values_domains_and_huge_numbers(text: str, values: dict[str, object], message: str) -> None:
    with pytest.raises(ExpressionError) as info:
        parse(text, values)
    assert message in str(info.value)


def test_long_and_deep_input_is_refused_cleanly() -> None:
    with pytest.raises(ExpressionError, match=f"at most {MAX_LENGTH} are accepted"):
        parse("x+" * 600 + "x", {"x": 1})
    with pytest.raises(ExpressionError, match="nested too deeply"):
        parse("-" * 900 + "x", {"x": 1})
    with pytest.raises(ExpressionError, match="nested too deeply"):
        parse("exp(" * 101 + "x" + ")" * 101, {"x": 0})
    with pytest.raises(ExpressionError):
        parse("(" * 400 + "x" + ")" * 400, {"x": 1})
    with pytest.raises(ExpressionError, match="must be a str"):
        parse(b"x", {"x": 1})  # type: ignore[arg-type]
    e = parse("x" + "+x" * 99, {"x": 1})  # 100 levels is fine
    assert e.root.data == 100.0


def test_nothing_is_ever_evaluated_as_python(monkeypatch: pytest.MonkeyPatch) -> None:
    def forbidden(*args: object, **kwargs: object) -> None:
        raise AssertionError("eval/exec must not be called")

    for name in ("eval", "exec"):
        monkeypatch.setattr(builtins, name, forbidden)
    assert parse(LECTURE, {"x": 1, "w": 0, "b": 0}).root.data == 0.5
    with pytest.raises(ExpressionError):
        parse("__import__('os')", {})


# ---- fuzzing: a graph or ExpressionError, never anything else -----------------------------------

VALUES = {"x": 0.5, "y": -2.0, "z": 3.0}


def parse_or_refuse(text: str) -> None:
    """Parse with values for the variables the text uses (when it is valid): any outcome but
    an Expression or an ExpressionError fails the test."""
    try:
        names = variables(text)
    except ExpressionError:
        return
    values = {n: VALUES.get(n, 1.5) for n in names}
    try:
        result = parse(text, values)
    except ExpressionError as exc:
        assert str(exc)  # a message, never empty
        return
    assert isinstance(result, Expression) and isinstance(result.root, Value)
    assert math.isfinite(result.root.data)


@settings(max_examples=400)
@given(
    st.text(alphabet=st.sampled_from(list("xyz019.e+-*/() ,=_[]'\"λ:@%<!lambdaexpogtnhrusim")), max_size=60)
)
def test_fuzz_random_strings_from_formula_characters(text: str) -> None:
    parse_or_refuse(text)


@settings(max_examples=200)
@given(st.text(max_size=80))
def test_fuzz_random_unicode_strings(text: str) -> None:
    parse_or_refuse(text)


NAMES = st.sampled_from(["x", "y", "z", "exp", "log", "print", "__import__", "w"])
NUMBERS = st.one_of(
    st.integers(-(10**30), 10**30),
    st.floats(allow_nan=False, allow_infinity=False),
    st.just(0),
    st.just(1e308),
)
BINOPS = st.sampled_from([ast.Add, ast.Sub, ast.Mult, ast.Div, ast.Pow, ast.FloorDiv, ast.Mod, ast.BitXor])
UNOPS = st.sampled_from([ast.USub, ast.UAdd, ast.Not, ast.Invert])


def _call(func: ast.expr, args: list[ast.expr]) -> ast.expr:
    return ast.Call(func=func, args=args, keywords=[])


def _trees(children: st.SearchStrategy[ast.expr]) -> st.SearchStrategy[ast.expr]:
    """One level of a random expression tree: mostly allowed parts, some refused ones."""
    functions = st.sampled_from(["exp", "log", "tanh", "relu", "sigmoid"])
    attributes = st.sampled_from(["__class__", "real"])
    no_arguments = ast.arguments([], [], None, [], [], None, [])
    return st.one_of(
        st.builds(lambda a, op, b: ast.BinOp(a, op(), b), children, BINOPS, children),
        st.builds(lambda op, a: ast.UnaryOp(op(), a), UNOPS, children),
        st.builds(lambda f, a: _call(ast.Name(f, ast.Load()), [a]), functions, children),
        st.builds(
            lambda f, args: _call(ast.Name(f, ast.Load()), args), NAMES, st.lists(children, max_size=2)
        ),
        st.builds(lambda a, attr: ast.Attribute(a, attr, ast.Load()), children, attributes),
        st.builds(lambda a, b: ast.Compare(a, [ast.Lt()], [b]), children, children),
        st.builds(lambda a: ast.Lambda(no_arguments, a), children),
        st.builds(lambda a, b: ast.Subscript(a, b, ast.Load()), children, children),
        st.builds(lambda a, b, c: ast.IfExp(a, b, c), children, children, children),
        st.builds(lambda a: ast.List([a], ast.Load()), children),
    )


LEAVES = st.one_of(
    st.builds(lambda n: ast.Name(n, ast.Load()), NAMES),
    st.builds(ast.Constant, NUMBERS),
    st.builds(ast.Constant, st.sampled_from([True, "s", 1j, None, b"b"])),
)


@settings(max_examples=400)
@given(st.recursive(LEAVES, _trees, max_leaves=25))
def test_fuzz_random_syntax_trees(tree: ast.expr) -> None:
    text = ast.unparse(ast.fix_missing_locations(ast.Expression(tree)))
    parse_or_refuse(text)


ALLOWED_CALLS = ["exp", "log", "tanh", "relu", "sigmoid"]


@st.composite
def allowed_formulas(
    draw: st.DrawFn, depth: int = 0
) -> tuple[str, Callable[[dict[str, Value]], Value | float]]:
    """A formula of allowed parts only, with the same computation written with the engine."""
    choice = draw(st.integers(0, 5 if depth < 4 else 1))
    if choice == 0:
        name = draw(st.sampled_from(["x", "y", "z"]))
        return name, lambda env: env[name]
    if choice == 1:
        c = draw(st.sampled_from([0.5, 2.0, 3.0, 1.25]))
        return repr(c), lambda env: c
    if choice == 2:
        text, f = draw(allowed_formulas(depth + 1))
        return f"(-{text})", lambda env: -f(env)
    if choice == 3:
        fn = draw(st.sampled_from(ALLOWED_CALLS))
        text, f = draw(allowed_formulas(depth + 1))
        inner = f"{fn}({text})" if fn != "log" else f"log({text}*{text} + 1)"

        def call(env: dict[str, Value]) -> Value | float:
            v = f(env)
            v = v if isinstance(v, Value) else Value(v)
            return getattr(v * v + 1, fn)() if fn == "log" else getattr(v, fn)()

        return inner, call
    op = draw(st.sampled_from(["+", "-", "*"]))
    (ta, fa), (tb, fb) = draw(allowed_formulas(depth + 1)), draw(allowed_formulas(depth + 1))
    ops: dict[str, Callable[[object, object], object]] = {
        "+": lambda a, b: a + b,  # type: ignore[operator]
        "-": lambda a, b: a - b,  # type: ignore[operator]
        "*": lambda a, b: a * b,  # type: ignore[operator]
    }
    return f"({ta} {op} {tb})", lambda env: ops[op](fa(env), fb(env))  # type: ignore[return-value]


@settings(max_examples=200)
@given(allowed_formulas(), st.floats(-2, 2), st.floats(-2, 2), st.floats(-2, 2))
def test_allowed_formulas_give_the_value_the_engine_gives(
    case: tuple[str, Callable[[dict[str, Value]], Value | float]], x: float, y: float, z: float
) -> None:
    text, build = case
    names = variables(text)
    values = {n: v for n, v in {"x": x, "y": y, "z": z}.items() if n in names}
    try:
        expected = build({n: Value(v, n) for n, v in values.items()})
    except OverflowError:  # exp(exp(exp(2))): then the parser must say so too
        with pytest.raises(ExpressionError, match="too large for a float"):
            parse(text, values)
        return
    parsed = parse(text, values)
    number = expected.data if isinstance(expected, Value) else expected
    assert parsed.root.data == pytest.approx(number, rel=1e-12, abs=1e-12)


def test_a_long_flat_sum_is_not_deep() -> None:
    """x + x + … + x is one chain, not 499 levels: accepted up to the length limit, right gradient."""
    e = parse("x" + "+x" * 498, {"x": 1.5})  # 997 characters, 499 terms
    assert e.root.data == 499 * 1.5
    e.root.backward()
    assert e.inputs["x"].grad == 499.0
    mixed = parse("x" + "-x*2+x/4" * 110, {"x": 2.0})  # + − × / mixed, 331 operations in one chain
    assert mixed.root.data == pytest.approx(2.0 + 110 * (-4.0 + 0.5))
    assert parse("relu(" * 100 + "x" + ")" * 100, {"x": 2}).root.data == 2.0  # 100 levels is fine
    with pytest.raises(ExpressionError, match="division by zero in `x/0`"):
        parse("x+x+x/0+x", {"x": 1})  # an error in the chain names its own link


def test_printed_minus_and_times_signs_can_be_pasted_back() -> None:
    e = parse("−2 × x + (−x) × y", {"x": 3, "y": 2})
    assert e.root.data == -12.0
    with pytest.raises(ExpressionError, match="division by zero in `x/0`"):
        parse("−x × 2 + x/0", {"x": 1})  # positions in messages still point at the right text
    assert variables("y × −x") == ["y", "x"]


def test_a_syntax_warning_is_not_printed_and_the_warning_filters_are_left_alone() -> None:
    before = list(warnings.filters)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with pytest.raises(ExpressionError, match="if/else is not allowed"):
            parse("1if x else 2", {"x": 1})
        assert warnings.filters[0][0] == "always"  # the caller's filter is back after the call
    assert [w for w in caught if issubclass(w.category, SyntaxWarning)] == []
    assert warnings.filters == before


def test_a_huge_int_value_gets_a_clear_error() -> None:
    with pytest.raises(ExpressionError, match="must be a finite number, got an int of about 4301 digits"):
        parse("x", {"x": 10**4300})
    with pytest.raises(ExpressionError, match="the value of x must be a finite number, got 1000000000000"):
        parse("x", {"x": 10**400})


def test_values_that_are_not_a_mapping_of_str_get_a_clear_error() -> None:
    with pytest.raises(ExpressionError, match="the values must be a mapping {name: number}.*got NoneType"):
        parse("x", None)  # type: ignore[arg-type]
    with pytest.raises(ExpressionError, match="variable names must be str, got int 1"):
        parse("x", {"x": 1, 1: 2})  # type: ignore[dict-item]
