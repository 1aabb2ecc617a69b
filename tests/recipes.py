"""Random expression graphs of every primitive, as recipes that build on Values and on torch tensors alike.

A recipe is a list of (operation, i, j): each step applies the operation to entries i and j of a
pool that starts with the inputs and grows by one entry per step; the last entry is the output.
Every operation is written with methods and operators that `Value` and `torch.Tensor` share, and is
kept inside its primitive's domain (log and the powers of a fractional exponent get x² + 1 > 0).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from hypothesis import strategies as st

import autograd
from autograd import Value

#: Each operation of the pool, for any number type with the methods Value has.
OPERATIONS: dict[str, Callable[[Any, Any], Any]] = {
    "add": lambda a, b: a + b,
    "sub": lambda a, b: a - b,
    "mul": lambda a, b: a * b,
    "div": lambda a, b: a / (b * b + 1),
    "neg": lambda a, b: -a,
    "exp": lambda a, b: a.tanh().exp(),
    "log": lambda a, b: (a * a + 1).log(),
    "reciprocal": lambda a, b: (a * a + 0.5).reciprocal(),
    "relu": lambda a, b: a.relu() * b,
    "tanh": lambda a, b: a.tanh(),
    "sin": lambda a, b: a.sin(),
    "cos": lambda a, b: a.cos(),
    "square": lambda a, b: a**2,
    "cube": lambda a, b: a**3,
    "sqrt": lambda a, b: (a * a + 1) ** 0.5,
    "pow-1.5": lambda a, b: (a * a + 1) ** -1.5,
    "sigmoid": lambda a, b: a.sigmoid(),
    "const": lambda a, b: 2.5 * a + 0.5,
}

#: Values for the inputs: moderate, so that chains of products stay within a sensible range.
FINITE = st.floats(-2.0, 2.0, allow_nan=False)


@st.composite
def recipes(draw: st.DrawFn, n_inputs: int = 3, max_steps: int = 8) -> list[tuple[str, int, int]]:
    """A recipe of 1 to max_steps operations on n_inputs inputs."""
    steps = []
    for k in range(draw(st.integers(1, max_steps))):
        size = n_inputs + k
        op = draw(st.sampled_from(sorted(OPERATIONS)))
        # lean towards the newest entries, so that graphs are deep rather than flat
        i = draw(st.integers(0, size - 1) | st.just(size - 1))
        j = draw(st.integers(0, size - 1))
        steps.append((op, i, j))
    return steps


def build(recipe: list[tuple[str, int, int]], inputs: list[Any]) -> Any:
    """Apply a recipe to inputs (Values or tensors) and return the output."""
    pool = list(inputs)
    for op, i, j in recipe:
        pool.append(OPERATIONS[op](pool[i], pool[j]))
    return pool[-1]


def recipe_has_kink(recipe: list[tuple[str, int, int]], point: list[float]) -> bool:
    """True if some relu input is within 1e-4 of 0 at the point."""
    xs = [Value(p) for p in point]
    f = build(recipe, xs)
    return any(n.op == "relu" and abs(n.parents[0].data) < 1e-4 for n in autograd.topological_order(f))
