"""The engine's argument checks: what counts as a number, and what as a label."""

from __future__ import annotations

import numbers

from .text import short

__all__ = ["Number", "check_label", "to_float"]

#: What may stand beside a Value in an expression: a plain real number.
Number = int | float | numbers.Real


def to_float(x: object, role: str = "data") -> float:
    """Check that x is a real number (not bool) and return it as a float.

    Args:
        x: The number to check.
        role: What x is, for the message ("data", "grad", "exponent", …).

    Raises:
        TypeError: x is not an int, float or numpy real scalar (a bool is refused too).
        OverflowError: x is an int too large for a float64.
    """
    t = type(x)
    if t is float:
        return x  # type: ignore[return-value]
    if t is not bool and isinstance(x, numbers.Real):
        try:
            return float(x)
        except OverflowError:
            raise OverflowError(
                f"{role} {short(x)} is too large for a float64 (|x| must be below 1.8e308)"
            ) from None
    why = "; a bool is refused (write 1.0 or 0.0)" if t is bool else ""
    raise TypeError(
        f"{role} must be a real number (int, float or numpy real scalar), got {t.__name__} {short(x)}{why}"
    )


def check_label(label: object) -> str:
    """Return label if it is a str, else raise TypeError naming it."""
    if type(label) is not str:
        raise TypeError(f"label must be a str, got {type(label).__name__} {short(label)}")
    return label
