"""How every view writes numbers for people: 0.25, −1, 1.10 (significant digits kept), ∞."""

from __future__ import annotations

import math

from ..common.text import format_number

__all__ = ["DEFAULT_PRECISION", "check_precision", "format_value", "operand_text", "subscript"]

#: Significant digits shown by default in tables and steps (drawings use 4).
DEFAULT_PRECISION = 6


def check_precision(precision: object, *, allow_none: bool = True) -> int | None:
    """Check a `precision` argument: an int from 1 to 17 (significant digits), or None for all digits."""
    if precision is None and allow_none:
        return None
    if type(precision) is not int or not 1 <= precision <= 17:
        allowed = "an int from 1 to 17 (significant digits)" + (", or None for every digit" * allow_none)
        raise ValueError(f"precision must be {allowed}, got {precision!r}")
    return precision


def format_value(x: float, precision: int | None = DEFAULT_PRECISION) -> str:
    """Write a number for people: 0.25 → "0.25", −0.0 → "0", −1.0 → "−1", 0.731058578 → "0.731059".

    A number rounded to `precision` digits keeps its significant zeros, so it does not read as exact:
    log 3 = 1.0986… at 3 digits is "1.10", while 1.1 itself is "1.1".

    Args:
        x: The number.
        precision: Significant digits (1–17), or None for the shortest exact form.

    Returns:
        The number with a real minus sign "−"; minus zero is written "0".
    """
    if x == 0.0:
        return "0"  # also −0.0, which negating 0 produces
    if not math.isfinite(x):
        return "nan" if math.isnan(x) else "∞" if x > 0.0 else "−∞"
    if precision is None:
        text = format_number(x)
    else:  # a rounded number keeps its significant zeros (log 3 → "1.10"); an exact one does not ("0.25")
        text = f"{x:.{precision}g}"
        if float(text) != x:
            text = f"{x:#.{precision}g}".replace(".e", "e").rstrip(".")
        text = text.replace("-", "−")
    mantissa, e, exponent = text.partition("e")
    if e:  # the exponent without "+" or leading zeros, with either precision: 1e−07 → 1e−7, 1e+20 → 1e20
        sign = "−" if exponent.startswith("−") else ""
        text = f"{mantissa}e{sign}{exponent.lstrip('+−0')}"
    return text


def operand_text(x: float, precision: int | None = DEFAULT_PRECISION) -> str:
    """A number as it stands inside a formula: negative numbers in parentheses, "(−0.25)"."""
    text = format_value(x, precision)
    return f"({text})" if text.startswith("−") else text


_SUBSCRIPT = str.maketrans("-0123456789", "₋₀₁₂₃₄₅₆₇₈₉")


def subscript(n: int) -> str:
    """An integer in subscript digits, for names such as v₋₁, x₂ or out₃: subscript(-1) == "₋₁"."""
    return str(n).translate(_SUBSCRIPT)
