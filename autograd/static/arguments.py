"""What a traced function takes and gives back: inputs as Values in nested lists, static arguments, aux."""

from __future__ import annotations

from collections.abc import Container, Sequence
from typing import Any

import numpy as np

from ..engine.value import Value

__all__ = ["TraceError", "as_values", "fill_back", "flatten_values", "freeze", "shape_of", "structure"]


class TraceError(RuntimeError):
    """fn cannot be replayed as a static graph (the message says what it did)."""


def shape_of(name: str, x: object) -> tuple[int, ...]:
    """The shape of one input (() for a number), or a TypeError naming it."""
    if isinstance(x, Value):
        raise TypeError(f"{name}: pass plain numbers (or arrays of them) as inputs, not Values")
    if isinstance(x, (bool, np.bool_)) or (isinstance(x, np.ndarray) and x.dtype == np.bool_):
        raise TypeError(f"{name} must be a number or an array of numbers, got the bool {x!r}")
    try:
        a = np.asarray(x, dtype=np.float64)
    except (TypeError, ValueError):
        raise TypeError(
            f"{name} must be a number or a (nested) list/array of numbers, got {x!r:.80}"
        ) from None
    return a.shape


def structure(values: list[Value], shape: tuple[int, ...]) -> Any:
    """The inputs fn receives: a Value for a number, nested lists of Values for an array."""
    if not shape:
        return values[0]
    step = len(values) // shape[0] if shape[0] else 0
    return [structure(values[i * step : (i + 1) * step], shape[1:]) for i in range(shape[0])]


def freeze(x: object) -> object:
    """A static argument as a hashable key (an array by its numbers, a dict or set by its items)."""
    if isinstance(x, np.ndarray):
        return ("array", x.shape, x.tolist().__repr__())
    if isinstance(x, (list, tuple)):
        return tuple(map(freeze, x))
    if isinstance(x, dict):
        return ("dict", tuple(sorted(((repr(k), freeze(v)) for k, v in x.items()), key=lambda kv: kv[0])))
    if isinstance(x, (set, frozenset)):
        return ("set", tuple(sorted(map(repr, x))))
    try:
        hash(x)
    except TypeError:
        raise TypeError(
            f"a static argument must be a number, string, tuple, list, dict or set, got {type(x).__name__}"
        ) from None
    return x


def flatten_values(x: object) -> list[Value]:
    """The Values in x, a Value or lists and tuples of them, in order."""
    if isinstance(x, Value):
        return [x]
    if isinstance(x, (list, tuple)):
        return [v for item in x for v in flatten_values(item)]
    return []


def fill_back(x: object, values: list[float]) -> object:
    """x with each Value replaced by the next number of values (consumed from the front)."""
    if isinstance(x, Value):
        return values.pop(0)
    if isinstance(x, (list, tuple)):
        return type(x)(fill_back(item, values) for item in x)
    return x


def as_values(static: Container[int], args: Sequence[object]) -> list[object]:
    """The arguments as the dynamic engine gets them: Values (plain leaves) for the inputs.

    Args:
        static: The positions of the static arguments, passed as they are.
        args: fn's arguments.
    """
    out: list[object] = []
    for i, a in enumerate(args):
        arr: Any = np.asarray(a, dtype=np.float64) if i not in static else None
        out.append(a if arr is None else structure([Value(x) for x in arr.ravel().tolist()], arr.shape))
    return out
