"""Checks of a drawing's options: each bad value is refused naming it and what is allowed."""

from __future__ import annotations

__all__ = ["check_bool", "check_dpi", "check_int", "check_scale"]


def check_bool(name: str, x: object) -> bool:
    """x if it is True or False, else a TypeError naming the option."""
    if type(x) is not bool:
        raise TypeError(f"{name} must be True or False, got {type(x).__name__} {x!r}")
    return x


def check_int(name: str, x: object, low: int, high: int) -> int:
    """x if it is an int from low to high, else a ValueError naming the option."""
    if type(x) is not int or not low <= x <= high:
        raise ValueError(f"{name} must be an int from {low} to {high}, got {x!r}")
    return x


def check_scale(scale: object) -> float:
    """The drawing's scale, a number from 0.25 to 4, as a float."""
    if type(scale) not in (int, float) or not 0.25 <= scale <= 4:  # type: ignore[operator]
        raise ValueError(f"scale must be a number from 0.25 to 4, got {scale!r}")
    return float(scale)  # type: ignore[arg-type]


def check_dpi(dpi: object) -> int | None:
    """The resolution of a PNG, an int from 36 to 600, or None for Graphviz's default."""
    if dpi is None:
        return None
    return check_int("dpi", dpi, 36, 600)
