"""How the engine writes a number exactly (2, 0.5, −1), reads how precisely one was typed, names a node."""

from __future__ import annotations

import reprlib
from decimal import Decimal
from typing import Protocol

__all__ = ["Named", "describe", "format_number", "rounding", "short"]

_short = reprlib.Repr()
_short.maxstring = 40
_short.maxother = 40


def short(x: object) -> str:
    """A repr of x cut to about 40 characters, for error messages."""
    return _short.repr(x)


def format_number(c: float) -> str:
    """Write a number the short, exact way: 2.0 → "2", 0.5 → "0.5", -1.0 → "−1"."""
    text = str(int(c)) if c.is_integer() and abs(c) < 1e15 else repr(c)
    return text.replace("-", "−")


class Named(Protocol):
    """What `describe` reads of a node (a Value has all of it)."""

    @property
    def label(self) -> str: ...
    @property
    def op(self) -> str: ...
    @property
    def is_leaf(self) -> bool: ...
    @property
    def is_constant(self) -> bool: ...

    _data: float


def describe(node: Named) -> str:
    """Name a node for a message: "node 'w' (leaf)", "an unlabelled add node" or "the constant 2"."""
    if node.label:
        kind = node.op or ("constant" if node.is_constant else "leaf")
        return f"node {node.label!r} ({kind})"
    if node.is_constant:
        return f"the constant {format_number(node._data)}"
    if node.is_leaf:
        return f"an unlabelled leaf with value {node._data!r}"
    return f"an unlabelled {node.op} node"


def rounding(x: float) -> float:
    """Half a unit in the last digit of x as typed (0.0183 → 0.00005), or 0 when x has one or two digits.

    The shortest repr of a float is the decimal that was typed (or the fraction's exact value: −1/8 is
    −0.125), so a number with three or more significant digits is taken as rounded to them; 1, −0.25
    and 0.5 are taken as exact.
    """
    written = Decimal(repr(float(x))).normalize().as_tuple()
    if len(written.digits) < 3 or not isinstance(written.exponent, int):
        return 0.0
    return 0.5 * 10.0**written.exponent
