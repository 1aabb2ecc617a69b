"""Argument checks shared by the `nn` modules: each returns the clean value or raises naming it."""

from __future__ import annotations

import math
import numbers
from typing import TypeGuard

__all__ = ["check_int", "check_real", "is_int", "is_real", "shown"]


def is_real(x: object) -> TypeGuard[numbers.Real]:
    """True for an int, float or numpy real scalar — but not for a bool."""
    return isinstance(x, numbers.Real) and not isinstance(x, bool)


def is_int(x: object) -> TypeGuard[numbers.Integral]:
    """True for an int or numpy integer — but not for a bool."""
    return isinstance(x, numbers.Integral) and not isinstance(x, bool)


def shown(x: object) -> str:
    """x for a message, at most 40 characters, even an int too long for repr() (10**4300)."""
    try:
        text = repr(x)
    except ValueError:  # Python refuses to write ints of more than 4300 digits
        return f"an int of about {int(x.bit_length() * 0.30103) + 1} digits" if isinstance(x, int) else "?"
    return text if len(text) <= 40 else text[:37] + "…"


def check_int(name: str, x: object, minimum: int = 1, allowed: str | None = None) -> int:
    """Check that x is an int ≥ minimum and return it as an int."""
    if is_int(x) and int(x) >= minimum:
        return int(x)
    raise ValueError(f"{name} must be {allowed or f'an int ≥ {minimum}'}, got {shown(x)}")


def check_real(
    name: str, x: object, low: float = -math.inf, high: float = math.inf, *, low_open: bool = False
) -> float:
    """Check that x is a finite real number in [low, high) ((low, high) when low_open) and return it."""
    try:
        v = float(x) if is_real(x) else math.nan
    except OverflowError:  # an int beyond the float range, such as 10**400
        v = math.nan
    if not math.isfinite(v):
        raise ValueError(f"{name} must be a finite real number, got {shown(x)}")
    if v < low or (low_open and v == low) or v >= high:
        left = "(" if low_open else "["
        right = "∞)" if high == math.inf else f"{high:g})"
        raise ValueError(f"{name} must lie in {left}{low:g}, {right}, got {v!r}")
    return v
