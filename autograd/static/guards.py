"""Guards: while fn is traced, every value it reads is a float that records what fn did with it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from ..engine.flags import watch_reads
from ..engine.value import Value
from .codegen import Guard

__all__ = ["Recorder", "watching"]


class Recorder:
    """While fn is traced: the values it reads (any Value's `.data`) and the guards they make."""

    def __init__(self) -> None:
        self.guards: list[Guard] = []
        self.read: list[Value] = []
        self.active = True

    def wrap(self, key: Value, v: float) -> float:
        """The number fn reads from key, as a float that records a guard when fn branches on it."""
        if not self.active:
            return v
        self.read.append(key)
        r = _Read(v)
        r.key, r.rec = key, self
        return r


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


@contextmanager
def watching() -> Iterator[Recorder]:
    """Record the guards of the values fn reads inside the block, in this thread only.

    The engine keeps a Value's number in a private field, which its operations read; your code
    reads `.data`, and `watch_reads` hands each such read to the recorder. So every Value fn
    reads is seen — an input, a parameter, a node, one outside the graph — and nothing else.
    """
    rec = Recorder()
    try:
        with watch_reads(rec.wrap):
            yield rec
    finally:
        rec.active = False
