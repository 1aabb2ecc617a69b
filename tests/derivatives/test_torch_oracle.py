"""PyTorch (float64) as an oracle for forward mode and double backward, on random graphs of every primitive.

`make test` installs torch into .venv; without it these tests skip locally, and under CI=true a
skip is a failure (see conftest.py).
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from recipes import FINITE, OPERATIONS, build, recipes

from autograd import Value, grad, hessian, jvp, tangent_sweep

torch = pytest.importorskip("torch", reason="PyTorch is the oracle here; `make test` installs it")
torch_func = pytest.importorskip("torch.func")

TOLERANCE = 1e-8

#: torch.func warns about its own use of torch.jit; nothing to do with these tests.
pytestmark = pytest.mark.filterwarnings("ignore:`torch.jit.script` is deprecated:DeprecationWarning")


def close(ours: float, theirs: float) -> bool:
    """Agreement to 1e-8, relative for large numbers and absolute near 0."""
    return abs(ours - theirs) <= TOLERANCE * max(1.0, abs(theirs))


def as_tensors(point: list[float]) -> tuple[Any, ...]:
    return tuple(torch.tensor(p, dtype=torch.float64) for p in point)


POINTS = st.lists(FINITE, min_size=3, max_size=3)


def test_every_operation_of_the_random_graphs_is_drawn_from_all_primitives() -> None:
    """The recipes reach every row of the table (power with 2, 3, ½, −1.5), so the oracle sees them all."""
    xs = [Value(0.5), Value(-0.25), Value(1.5)]
    ops = set()
    for op in OPERATIONS:
        out = build([(op, 0, 1)], xs)
        stack = [out]
        while stack:
            node = stack.pop()
            ops.add(node.op)
            stack.extend(node.parents)
    from autograd import PRIMITIVES

    assert set(PRIMITIVES) | {"pow"} <= ops


@settings(max_examples=150)
@given(recipes(), POINTS, POINTS)
def test_jvp_agrees_with_torch_func_jvp(
    recipe: list[tuple[str, int, int]], point: list[float], v: list[float]
) -> None:
    value, d = jvp(lambda *xs: build(recipe, list(xs)), point, v)
    t_value, t_d = torch_func.jvp(lambda *xs: build(recipe, list(xs)), as_tensors(point), as_tensors(v))
    assert close(value, float(t_value)), (value, float(t_value))
    assert close(d, float(t_d)), (d, float(t_d))


@settings(max_examples=150)
@given(recipes(), POINTS)
def test_double_backward_agrees_with_torch(recipe: list[tuple[str, int, int]], point: list[float]) -> None:
    """grad(…, create_graph=True), then grad again: the Hessian, against torch's double backward."""
    ours = hessian(lambda *xs: build(recipe, list(xs)), point)
    theirs = torch.autograd.functional.hessian(lambda *xs: build(recipe, list(xs)), as_tensors(point))
    for i in range(3):
        for j in range(3):
            assert close(ours[i][j], float(theirs[i][j])), (i, j, ours[i][j], float(theirs[i][j]))


@settings(max_examples=100)
@given(recipes(), POINTS, POINTS)
def test_forward_over_reverse_agrees_with_torch_hvp(
    recipe: list[tuple[str, int, int]], point: list[float], v: list[float]
) -> None:
    """A tangent sweep through the recorded gradient graph is a Hessian-vector product H·v."""
    xs = [Value(p) for p in point]
    gradients = grad(build(recipe, xs), xs, create_graph=True)
    dots = tangent_sweep(gradients, dict(zip(xs, v)))
    ours = [dots.get(g, 0.0) for g in gradients]
    _, theirs = torch.autograd.functional.hvp(
        lambda *ts: build(recipe, list(ts)), as_tensors(point), as_tensors(v)
    )
    for i in range(3):
        assert close(ours[i], float(theirs[i])), (i, ours[i], float(theirs[i]))


@pytest.mark.parametrize("x0", [0.0, 2.0, -2.0])
def test_relu_derivatives_at_and_away_from_the_kink_agree_with_torch(x0: float) -> None:
    x = Value(x0)
    (d1,) = grad(x.relu() * x, [x], create_graph=True)
    (d2,) = grad(d1, [x])
    t = torch.tensor(x0, dtype=torch.float64, requires_grad=True)
    (t1,) = torch.autograd.grad(t.relu() * t, [t], create_graph=True)
    (t2,) = torch.autograd.grad(t1, [t])
    assert (d1.data, d2) == (t1.detach().item(), t2.item())
