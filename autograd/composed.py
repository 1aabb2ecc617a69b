"""The operations composed from the primitives: x − y = x + (−y), x / y = x · (1/y), cˣ and the sigmoid."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from .checks import Number, describe, to_float

if TYPE_CHECKING:
    from typing_extensions import Self  # typing.Self from Python 3.11 on

__all__ = ["Composed"]


class Composed:
    """What `Value` builds out of its primitives (+, ×, −x, exp, 1/x) rather than records as one node.

    Each method records the primitives it is made of, so its derivative needs no rule of its
    own: the chain rule through those nodes gives it.
    """

    __slots__ = ()

    if TYPE_CHECKING:  # the primitives, defined by Value (Self: a Value, whichever kind)

        def __add__(self, other: Self | Number) -> Self: ...
        def __radd__(self, other: Number) -> Self: ...
        def __mul__(self, other: Self | Number) -> Self: ...
        def __rmul__(self, other: Number) -> Self: ...
        def __neg__(self) -> Self: ...
        def exp(self) -> Self: ...
        def reciprocal(self) -> Self: ...
        @property
        def data(self) -> float: ...

    def __sub__(self, other: Self | Number) -> Self:
        """x − y = x + (−y); a plain number is negated on the spot."""
        if isinstance(other, Composed):
            return self + -other
        return self + -to_float(other, "operand")

    def __rsub__(self, other: Number) -> Self:
        """c − x = c + (−x)."""
        return to_float(other, "operand") + -self

    def __truediv__(self, other: Self | Number) -> Self:
        """x / y = x · (1/y); dividing by a plain number c multiplies by the constant 1/c."""
        if isinstance(other, Composed):
            return self * other.reciprocal()
        c = to_float(other, "divisor")
        if c == 0.0:
            raise ZeroDivisionError(f"division by zero: {describe(self)} / 0 (the divisor must be ≠ 0)")  # type: ignore[arg-type]
        return self * (1.0 / c)

    def __rtruediv__(self, other: Number) -> Self:
        """c / x = c · (1/x); `1 / x` is the reciprocal alone, with no × 1 node."""
        c = to_float(other, "operand")
        inverse = self.reciprocal()
        return inverse if c == 1.0 else c * inverse

    def __rpow__(self, base: Number) -> Self:
        """cˣ = exp(x · ln c) for a plain number c > 0."""
        c = to_float(base, "base")
        if not c > 0.0:
            raise ValueError(f"c ** x needs a base c > 0, got c = {c!r} (x is {describe(self)})")  # type: ignore[arg-type]
        return (self * math.log(c)).exp()

    def sigmoid(self) -> Self:
        """σ(x) = 1/(1 + e⁻ˣ), composed from neg, exp, add and reciprocal: σ′ = σ(1 − σ).

        For x ≥ 0 this is 1/(exp(−x) + 1), the four nodes of the lecture notes; for x < 0 it
        is eˣ · 1/(eˣ + 1), so that exp never overflows (σ(−1000) = 0, σ(1000) = 1).
        """
        if self.data >= 0.0:
            return 1 / ((-self).exp() + 1)
        e = self.exp()
        return e / (e + 1)
