"""What a traced function takes and gives back: inputs as Values in nested lists, static arguments, aux."""

from __future__ import annotations

from collections.abc import Container, Sequence
from typing import Any

import numpy as np

from ..engine.value import Value

__all__ = [
    "TraceError",
    "as_values",
    "fill_back",
    "flatten_values",
    "freeze",
    "leaves_for",
    "shape_of",
    "split_output",
    "structure",
]


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


def leaves_for(
    arg_names: Sequence[str], static: Container[int], args: Sequence[object]
) -> tuple[list[object], list[Value], list[str]]:
    """The arguments fn is traced with (inputs as labelled leaves), the leaves in order, their labels."""
    structured: list[object] = []
    flat: list[Value] = []
    names: list[str] = []
    for i, a in enumerate(args):
        if i in static:
            structured.append(a)
            continue
        shape = shape_of(arg_names[i], a)
        leaves = [Value(x) for x in np.ravel(np.asarray(a, dtype=np.float64)).tolist()]
        for j, leaf in enumerate(leaves):
            idx = np.unravel_index(j, shape) if shape else ()
            leaf.label = arg_names[i] + "".join(f"_{int(k)}" for k in idx)
            names.append(leaf.label)
        flat += leaves
        structured.append(structure(leaves, shape))
    return structured, flat, names


def split_output(name: str, has_aux: bool, out: object) -> tuple[Value, object]:
    """fn's output Value and its aux (None without has_aux), or a TypeError saying what fn returned."""
    aux = None
    if has_aux:
        if not isinstance(out, tuple) or len(out) != 2:
            raise TypeError(f"{name} (has_aux=True) must return a pair (output, aux), got {out!r:.80}")
        out, aux = out
    if not isinstance(out, Value):
        raise TypeError(f"{name} must return a Value (the output f), got {type(out).__name__}")
    return out, aux
