"""Forward mode: sin and cos, the tangent sweep, forward_mode_steps, jvp, the cost table, tangents drawn."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from graphs import coloured, lecture_sigmoid, render_svg
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from recipes import FINITE, build, recipe_has_kink, recipes

import autograd
from autograd import PRIMITIVES, Value, cost_table, forward_mode_steps, jvp, tangent_sweep
from autograd.cli.expr import parse
from autograd.cli.main import main
from autograd.drawings.look import GRAD_COLOUR, TANGENT_COLOUR
from autograd.engine.backward import backprop

# ---- sin and cos --------------------------------------------------------------------------


@pytest.mark.parametrize("x", [0.0, 0.5, -2.0, 5.0, math.pi])
def test_sin_and_cos_values_and_local_derivatives(x: float) -> None:
    a = Value(x, "a")
    s, c = a.sin(), a.cos()
    assert (s.op, s.data, s.local_grads) == ("sin", math.sin(x), (math.cos(x),))
    assert (c.op, c.data, c.local_grads) == ("cos", math.cos(x), (-math.sin(x),))
    h = 1e-6
    assert s.local_grads[0] == pytest.approx((math.sin(x + h) - math.sin(x - h)) / (2 * h), abs=1e-8)
    assert c.local_grads[0] == pytest.approx((math.cos(x + h) - math.cos(x - h)) / (2 * h), abs=1e-8)


def test_sin_and_cos_rows_of_the_table() -> None:
    assert PRIMITIVES["sin"].doc == "f(x) = sin x; f′(x) = cos x"
    assert PRIMITIVES["cos"].derivative_text == ("−sin(x)",)
    assert PRIMITIVES["sin"].arity == PRIMITIVES["cos"].arity == 1


def test_formulas_may_call_sin_and_cos(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    e = parse("log(a) + a*b - sin(b) + cos(a)", {"a": 2, "b": 5})
    assert e.root.data == math.log(2) + 10 - math.sin(5) + math.cos(2)
    assert main(["log(a) + a*b - sin(b)", "a=2", "b=5", "-o", str(tmp_path / "g.dot")]) == 0
    out = capsys.readouterr().out
    assert "sin(b)" in out and "cos(b)" in out  # the forward pass and sin's local derivative


# ---- the tangent sweep --------------------------------------------------------------------


def test_one_sweep_per_input_gives_the_lecture_gradients() -> None:
    f, x, w, b = lecture_sigmoid()
    assert [tangent_sweep(f, {v: 1.0})[f] for v in (x, w, b)] == [0.0, 0.25, 0.25]
    assert f.grad == 0.0 and w.grad == 0.0  # .grad untouched


def test_a_sweep_gives_every_node_s_derivative_with_respect_to_one_input() -> None:
    f, x, w, b = lecture_sigmoid()
    dot = tangent_sweep(f, {w: 1.0})
    ops = [n for n in autograd.topological_order(f) if not n.is_leaf]
    assert [dot[n] for n in ops] == [1.0, 1.0, -1.0, -1.0, -1.0, 0.25]  # ∂h1/∂w … ∂h6/∂w
    assert (dot[x], dot[w], dot[b]) == (0.0, 1.0, 0.0)


def test_paths_add_up() -> None:
    """The notes: where a parameter reaches the output along several paths, the path derivatives add."""
    x = Value(3.0, "x")
    f = x * x + x.sin()  # three paths from x to f
    dot = tangent_sweep(f, {x: 1.0})
    assert dot[f] == 3.0 + 3.0 + math.cos(3.0)


def test_forward_mode_steps_for_the_lecture_sigmoid() -> None:
    f, _x, w, _b = lecture_sigmoid()
    steps = forward_mode_steps(f, w)
    assert [(s.name, s.tangent) for s in steps] == [
        ("h1", 1.0),
        ("h2", 1.0),
        ("h3", -1.0),
        ("h4", -1.0),
        ("h5", -1.0),
        ("h6", 0.25),
    ]
    assert str(steps[0]) == "step 1: h1 = w × x = 0; ∂h1/∂w = ∂h1/∂w·∂w/∂w + ∂h1/∂x·∂x/∂w = 1 × 1 + 0 × 0 = 1"
    assert str(steps[5]) == "step 6: h6 = 1/h5 = 0.5; ∂h6/∂w = ∂h6/∂h5·∂h5/∂w = (−0.25) × (−1) = 0.25"
    assert str(steps[4]).endswith("∂h5/∂w = ∂h5/∂h4·∂h4/∂w = 1 × (−1) = −1")  # the constant 1 is left out
    assert [t.formula for t in steps[5].terms] == ["−1/h5²"]


def test_forward_mode_steps_with_respect_to_a_leaf_outside_the_graph() -> None:
    f, _x, _w, _b = lecture_sigmoid()
    assert [s.tangent for s in forward_mode_steps(f, Value(1.0, "z"))] == [0.0] * 6


# ---- jvp ----------------------------------------------------------------------------------


def baydin(x1: Value, x2: Value) -> Value:
    return x1.log() + x1 * x2 - x2.sin()


def test_jvp_gives_the_value_and_a_directional_derivative() -> None:
    assert jvp(baydin, [2.0, 5.0], [1.0, 0.0]) == (11.652071455223084, 5.5)
    _value, d = jvp(baydin, (2, 5), (0, 1))
    assert d == 2.0 - math.cos(5.0)
    _, d = jvp(baydin, [2.0, 5.0], [3.0, -2.0])
    assert d == pytest.approx(3 * 5.5 - 2 * (2.0 - math.cos(5.0)), rel=1e-15)


def test_jvp_of_an_input_returned_as_is_and_of_a_constant_function() -> None:
    assert jvp(lambda x, y: y, [1.0, 2.0], [5.0, 7.0]) == (2.0, 7.0)
    assert jvp(lambda x: Value(3.0), [1.0], [1.0]) == (3.0, 0.0)


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: jvp(baydin, [2.0, 5.0], [1.0]), ValueError, "tangents has 1 entries but primals has 2"),
        (lambda: jvp(lambda x: 2.0, [1.0], [1.0]), TypeError, "the value f returns must be a Value"),
        (lambda: jvp("f", [1.0], [1.0]), TypeError, "f must be a function of Values, got str"),
        (
            lambda: jvp(baydin, [2.0, "5"], [1.0, 0.0]),
            TypeError,
            r"primals\[1\] must be a real number, got str",
        ),
        (lambda: jvp(baydin, 2.0, [1.0]), TypeError, "primals must be a list or tuple of real numbers"),
        (lambda: jvp(baydin, [2.0, 5.0], [True, 0.0]), TypeError, r"tangents\[0\] must be a real number"),
    ],
)
def test_jvp_bad_input_is_named(call: object, error: type[Exception], message: str) -> None:
    with pytest.raises(error, match=message):
        call()  # type: ignore[operator]


def test_wrt_must_be_a_leaf() -> None:
    f, _x, w, _b = lecture_sigmoid()
    h1 = f.parents[0].parents[0].parents[0].parents[0].parents[0]
    with pytest.raises(ValueError, match="is an operation's output, not a leaf of the graph"):
        forward_mode_steps(f, h1)
    one = f.parents[0].parents[1]
    with pytest.raises(ValueError, match="is a constant recorded by an expression"):
        tangent_sweep(f, {one: 1.0})
    with pytest.raises(TypeError, match="wrt must be a Value"):
        forward_mode_steps(f, 1.0)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="the seed of node 'w' .* must be a real number"):
        tangent_sweep(f, {w: "1"})  # type: ignore[dict-item]


@settings(max_examples=60)
@given(recipes(), st.lists(FINITE, min_size=3, max_size=3), st.lists(FINITE, min_size=3, max_size=3))
def test_jvp_is_the_gradient_dotted_with_the_direction(
    recipe: list[tuple[str, int, int]], point: list[float], direction: list[float]
) -> None:
    """jvp(f, x, v) = ∇f(x) · v, with ∇f from one backward sweep."""
    value, d = jvp(lambda *xs: build(recipe, list(xs)), point, direction)
    xs = [Value(p) for p in point]
    f = build(recipe, xs)
    grads = backprop(f)
    expected = sum(grads.get(x, 0.0) * v for x, v in zip(xs, direction))
    assert value == f.data
    assert d == pytest.approx(expected, rel=1e-9, abs=1e-9)


@settings(max_examples=40)
@given(recipes(), st.lists(st.floats(-1.5, 1.5), min_size=3, max_size=3), st.integers(0, 2))
def test_jvp_agrees_with_central_differences(
    recipe: list[tuple[str, int, int]], point: list[float], i: int
) -> None:
    def f(*xs: Value) -> Value:
        return build(recipe, list(xs))

    assume(not recipe_has_kink(recipe, point))  # relu within h of its kink: differences straddle it
    h = 1e-6
    plus, minus = list(point), list(point)
    plus[i] += h
    minus[i] -= h
    direction = [1.0 if j == i else 0.0 for j in range(3)]
    _, d = jvp(f, point, direction)
    numeric = (f(*map(Value, plus)).data - f(*map(Value, minus)).data) / (2 * h)
    assert d == pytest.approx(numeric, rel=1e-4, abs=1e-4)


# ---- the cost table -----------------------------------------------------------------------


def test_cost_table_for_the_lecture_sigmoid() -> None:
    f, x, w, b = lecture_sigmoid()
    table = cost_table(f, [x, w, b])
    assert (table.n_inputs, table.n_outputs, table.n_nodes) == (3, 1, 6)
    assert (table.forward.sweeps, table.forward.node_visits, table.forward.edge_visits) == (3, 18, 27)
    assert (table.reverse.sweeps, table.reverse.node_visits, table.reverse.edge_visits) == (1, 6, 9)
    assert table.forward.jacobian == table.reverse.jacobian == ((0.0, 0.25, 0.25),)
    assert str(table).splitlines() == [
        "3 inputs, 1 output, 6 operation nodes",
        "mode     sweeps  node visits  multiply-adds",
        "forward  3       18           27",
        "reverse  1       6            9",
    ]


def test_cost_table_with_more_outputs_than_inputs() -> None:
    """One input, three outputs: now forward mode needs one sweep and reverse mode three."""
    x = Value(0.5, "x")
    outs = [x.sin(), x.cos(), x * x]
    table = cost_table(outs, [x])
    assert (table.forward.sweeps, table.reverse.sweeps) == (1, 3)
    assert (table.forward.node_visits, table.reverse.node_visits) == (3, 3)
    assert table.forward.jacobian == table.reverse.jacobian == ((math.cos(0.5),), (-math.sin(0.5),), (1.0,))


def test_cost_table_counts_each_output_s_own_graph_in_reverse() -> None:
    x, y = Value(1.0, "x"), Value(2.0, "y")
    u = x * y
    outs = [u, u.exp() + x]
    table = cost_table(outs, [x, y])
    assert table.n_nodes == 3
    assert table.forward.node_visits == 2 * 3
    assert table.reverse.node_visits == 1 + 3  # u's graph, then the whole graph
    assert table.forward.jacobian[1] == pytest.approx(table.reverse.jacobian[1], rel=1e-15)


def test_cost_table_bad_input() -> None:
    x = Value(1.0, "x")
    with pytest.raises(ValueError, match="outputs is empty"):
        cost_table([], [x])
    with pytest.raises(ValueError, match="not a leaf of the graph"):
        cost_table(x * 2, [x * 2])


# ---- the drawing --------------------------------------------------------------------------


def test_draw_puts_tangents_on_the_edges_instead_of_gradients(tmp_path: Path) -> None:
    f, _x, w, _b = lecture_sigmoid()
    texts = render_svg(f, tmp_path, tangent_wrt=w)
    tangents = coloured(texts, TANGENT_COLOUR)
    assert not coloured(texts, GRAD_COLOUR)
    # edges: w→h1: 1, x→h1: 0, h1→h2: 1, b→h2: 0, h2→h3: 1, h3→h4: −1, h4→h5: −1, h5→h6: −1, output 0.25
    assert tangents == {"1": 3, "0": 2, "−1": 3, "0.25": 1, "below: tangent ∂input/∂w (forward mode)": 1}
    with pytest.raises(ValueError, match="without step or forward_step"):
        autograd.draw(f, tangent_wrt=w, step=1)
    with pytest.raises(ValueError, match="tangent_wrt .* not a leaf"):
        autograd.draw(f, tangent_wrt=f)
