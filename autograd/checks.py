"""Argument checks shared by the engine: numbers, labels, and how a node is named in a message."""

from __future__ import annotations

import numbers
import reprlib
from typing import Protocol

__all__ = ["Named", "Number", "check_label", "describe", "format_number", "short", "to_float"]

#: What may stand beside a Value in an expression: a plain real number.
Number = int | float | numbers.Real

_short = reprlib.Repr()
_short.maxstring = 40
_short.maxother = 40


def short(x: object) -> str:
    """A repr of x cut to about 40 characters, for error messages."""
    return _short.repr(x)


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
    raise TypeError(
        f"{role} must be a real number (int, float or numpy real scalar), got {t.__name__} {short(x)}"
    )


def check_label(label: object) -> str:
    """Return label if it is a str, else raise TypeError naming it."""
    if type(label) is not str:
        raise TypeError(f"label must be a str, got {type(label).__name__} {short(label)}")
    return label


class Named(Protocol):
    """What `describe` reads of a node (a Value has all of it)."""

    @property
    def label(self) -> str: ...
    @property
    def op(self) -> str: ...
    @property
    def data(self) -> float: ...
    @property
    def is_leaf(self) -> bool: ...
    @property
    def is_constant(self) -> bool: ...


def describe(node: Named) -> str:
    """Name a node for a message: "node 'w' (leaf)", "an unlabelled add node" or "the constant 2"."""
    if node.label:
        kind = node.op or ("constant" if node.is_constant else "leaf")
        return f"node {node.label!r} ({kind})"
    if node.is_constant:
        return f"the constant {format_number(node.data)}"
    if node.is_leaf:
        return f"an unlabelled leaf with value {node.data!r}"
    return f"an unlabelled {node.op} node"


def format_number(c: float) -> str:
    """Write a number the short way: 2.0 → "2", 0.5 → "0.5", -1.0 → "−1"."""
    text = str(int(c)) if c.is_integer() and abs(c) < 1e15 else repr(c)
    return text.replace("-", "−")
