"""What the engine says when a primitive cannot be computed: which primitive, at which inputs, and where."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol

from .text import Named, describe

__all__ = ["evaluate", "value"]

_OVERFLOW = "overflows float64 (|result| above 1.8e308)"


class Row(Protocol):
    """What these messages read of a primitive (a row of the engine's table has all of it)."""

    @property
    def name(self) -> str: ...
    @property
    def formula(self) -> str: ...
    @property
    def domain(self) -> str: ...
    @property
    def derivative_text(self) -> tuple[str, ...]: ...
    @property
    def forward(self) -> Callable[..., float]: ...
    @property
    def derivative(self) -> Callable[..., tuple[float, ...]]: ...


def value(prim: Row, xs: Sequence[float], operand: Named | None = None) -> float:
    """prim's value at xs, or an error that says what failed and where.

    Args:
        prim: The primitive.
        xs: The inputs' values.
        operand: The first input, named in an error message ("its input is node 'u' (leaf)").

    Raises:
        OverflowError: The value is too large for a float64.
        ZeroDivisionError, ValueError: xs lies outside the primitive's domain.
    """
    try:
        return prim.forward(*xs)
    except OverflowError:
        raise OverflowError(_failed(prim, xs, operand, _OVERFLOW)) from None
    except (ArithmeticError, ValueError) as exc:
        raise type(exc)(_failed(prim, xs, operand, f"needs {prim.domain}")) from None


def evaluate(prim: Row, xs: Sequence[float], operand: Named | None = None) -> tuple[float, tuple[float, ...]]:
    """prim's value and local derivatives at xs; errors as in `value`, or an overflowing derivative."""
    out = value(prim, xs, operand)
    try:
        return out, prim.derivative(*xs, out)
    except OverflowError:
        raise OverflowError(_failed(prim, xs, operand, _OVERFLOW, derivative=True)) from None


def _failed(prim: Row, xs: Sequence[float], operand: Named | None, why: str, derivative: bool = False) -> str:
    """The message for a value (or derivative) that cannot be computed at xs."""
    shown = ", ".join(map(repr, xs))
    if derivative:
        head = f"the derivative of {prim.name} at {shown} cannot be computed: ∂/∂x = "
        head += ", ".join(prim.derivative_text)
    else:
        head = f"{prim.name} of {shown} cannot be computed: {prim.formula}"
    return f"{head} {why}" + (f"; its input is {describe(operand)}" if operand is not None else "")
