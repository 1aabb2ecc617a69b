"""Guards: while fn is traced, every value it reads is a float that records what fn did with it."""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from .checks import Number
from .codegen import Guard
from .modes import watch_reads
from .value import Leaf, Value

__all__ = ["Recorder", "watched_leaf", "watching"]

_LEAF_DATA: Any = Value.__dict__["data"]  # the property through which a Leaf keeps its value


class Recorder:
    """While fn is traced: the guards made by the values it reads, in one thread."""

    def __init__(self, engine: set[Any] | None) -> None:
        self.thread = threading.get_ident()
        self.engine = engine  # code objects of the engine's own reads (None: calibrating)
        self.guards: list[Guard] = []
        self.read: list[Value] = []
        self.codes: set[Any] = set()
        self.active = True

    def wrap(self, key: Value, v: float, caller: Any) -> float:
        if not self.active or threading.get_ident() != self.thread:
            return v
        if self.engine is None:
            self.codes.add(caller)
            return v
        if caller in self.engine:  # an operation reading its operand: no branch of fn's
            return v
        self.read.append(key)
        r = _Read(v)
        r.key, r.rec = key, self
        return r


_recorder: Recorder | None = None
_engine: set[Any] | None = None  # code objects of the engine's own reads of operands


def _plain(x: object) -> object:
    return float.__float__(x) if isinstance(x, float) else x


class _Read(float):
    """A value fn read during tracing: comparing or computing with it records a guard."""

    key: Value
    rec: Recorder

    def _guard(self, op: str, other: object, outcome: object) -> None:
        if self.rec.active and outcome is not NotImplemented:
            right = other.key if isinstance(other, _Read) and other.rec is self.rec else _plain(other)
            if isinstance(right, (Value, float, int)):
                self.rec.guards.append(Guard(self.key, op, right, bool(outcome)))

    def _use(self) -> float:
        """fn computes with the number itself: the trace is valid only while it stays the same."""
        v = float.__float__(self)
        if self.rec.active:
            self.rec.guards.append(Guard(self.key, "same", v, True))
        return v

    def __bool__(self) -> bool:
        self._guard("!=", 0.0, float.__float__(self) != 0.0)
        return float.__float__(self) != 0.0

    def __hash__(self) -> int:
        return hash(self._use())


def _comparison(op: str, name: str) -> Callable[[_Read, object], Any]:
    base = getattr(float, name)

    def compare(self: _Read, other: object) -> Any:
        outcome = base(self, _plain(other))
        self._guard(op, other, outcome)
        return outcome

    return compare


def _arithmetic(name: str) -> Callable[..., Any]:
    base = getattr(float, name)

    def compute(self: _Read, *others: object) -> Any:
        return base(self._use(), *map(_plain, others))

    return compute


for _op, _name in (
    ("<", "__lt__"),
    ("<=", "__le__"),
    (">", "__gt__"),
    (">=", "__ge__"),
    ("==", "__eq__"),
    ("!=", "__ne__"),
):
    setattr(_Read, _name, _comparison(_op, _name))
_USES = "add radd sub rsub mul rmul truediv rtruediv floordiv rfloordiv mod rmod divmod rdivmod pow rpow"
for _name in (_USES + " neg pos abs float int round trunc floor ceil").split():
    _name = f"__{_name}__"
    setattr(_Read, _name, _arithmetic(_name))


class _Watched(Leaf):
    """A leaf whose value reads are seen while fn is traced (inputs, and parameters during a trace)."""

    __slots__ = ()

    @property
    def data(self) -> float:
        v: float = _LEAF_DATA.__get__(self, Leaf)
        rec = _recorder
        if rec is None:
            return v
        return rec.wrap(self, v, sys._getframe(1).f_code)

    @data.setter
    def data(self, x: Number) -> None:
        _LEAF_DATA.__set__(self, x)  # checked as for any leaf


def _on_node_read(node: Value, v: float) -> float:
    rec = _recorder
    return v if rec is None else rec.wrap(node, v, sys._getframe(2).f_code)


def _calibrate() -> set[Any]:
    """The code objects through which the engine itself reads an operand's value."""
    global _recorder
    rec = _recorder = Recorder(None)
    try:
        with watch_reads(_on_node_read):
            a, b = _Watched(0.5), _Watched(2.0)
            for x in (a, a * 1.0):
                for y in (b, b * 1.0, 3.0):
                    _ = (x + y, x * y, x - y, x / y, y + x, y * x, y - x, y / x)
                _ = (-x, x.exp(), x.log(), x.relu(), x.tanh(), x.reciprocal(), x**2, 2**x, 1 / x, 2 / x)
    finally:
        _recorder = None
    return rec.codes


def watched_leaf(x: float) -> Value:
    """A leaf whose reads a trace sees (an input of the traced function)."""
    return _Watched(x)


@contextmanager
def watching(leaves: Sequence[Value]) -> Iterator[Recorder]:
    """Record the guards of the values read inside the block: of every Node, of watched leaves, of leaves.

    The leaves (fn's parameters) are watched by giving them, for the block, a subclass of Leaf whose
    .data property reports reads; their class is put back on leaving, also on an exception.
    """
    global _recorder, _engine
    if _engine is None:
        _engine = _calibrate()
    rec = Recorder(_engine)
    swapped = [v for v in leaves if type(v) is Leaf]
    try:
        for v in swapped:
            v.__class__ = _Watched
        _recorder = rec
        with watch_reads(_on_node_read):
            yield rec
    finally:
        rec.active = False
        _recorder = None
        for v in swapped:
            v.__class__ = Leaf
