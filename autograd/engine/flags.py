"""The recording flags, one set per thread: record, record nothing (`no_grad`), or record and check."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import Any

__all__ = [
    "AnomalyError",
    "detect_anomaly",
    "enable_grad",
    "flags",
    "is_anomaly_enabled",
    "is_grad_enabled",
    "no_grad",
    "watch_reads",
]


class _Flags(threading.local):
    """One thread's flags (the class attributes are the defaults every thread starts with).

    Attributes:
        grad_enabled: False inside `no_grad()`: operations compute values and record no parents.
        anomaly: True inside `detect_anomaly()`: every value and gradient is checked.
        on_read: Inside `watch_reads(hook)`, reading any Value's `.data` returns hook(value, x).
    """

    grad_enabled = True
    anomaly = False
    on_read: Callable[[Any, float], float] | None = None


flags = _Flags()


@contextmanager
def _setting(name: str, value: object) -> Iterator[None]:
    """Set one of this thread's flags inside the block; the previous setting comes back on leaving."""
    previous = getattr(flags, name)
    setattr(flags, name, value)
    try:
        yield
    finally:
        setattr(flags, name, previous)


def no_grad() -> AbstractContextManager[None]:
    """Inside `with autograd.no_grad():` operations compute their values and record nothing.

    Each result is a plain leaf with no parents, so evaluating a model, scoring a validation set
    or plotting a decision boundary builds no graph and keeps no memory (PyTorch's `no_grad`).
    The setting is this thread's alone and is restored on leaving the block.
    """
    return _setting("grad_enabled", False)


def enable_grad() -> AbstractContextManager[None]:
    """Inside `with autograd.enable_grad():` operations are recorded again, even within `no_grad()`."""
    return _setting("grad_enabled", True)


def is_grad_enabled() -> bool:
    """True unless this thread is inside `no_grad()`."""
    return flags.grad_enabled


class AnomalyError(FloatingPointError):
    """Raised inside `detect_anomaly()` at the first value or gradient that is not finite."""


def detect_anomaly() -> AbstractContextManager[None]:
    """Inside this block, stop at the first node whose value or gradient is not finite.

    By default a NaN or infinity flows on through the graph, as in IEEE arithmetic. Inside
    `with autograd.detect_anomaly():` every new node is checked, and so is every gradient of a
    `backward()`; the first non-finite one raises AnomalyError naming the node and its op. The
    checks cost time, so they are off unless asked for. The setting is this thread's alone and
    is restored on leaving the block.
    """
    return _setting("anomaly", True)


def is_anomaly_enabled() -> bool:
    """True inside `with detect_anomaly():` (PyTorch's torch.is_anomaly_enabled)."""
    return flags.anomaly


def watch_reads(hook: Callable[[Any, float], float]) -> AbstractContextManager[None]:
    """Inside this block, reading a Value's `.data` in this thread returns hook(value, number).

    This is how `autograd.trace` sees which numbers the traced function reads (its guards). An
    operation reads its operands' private field, not `.data`, so the hook sees the reads of your
    code and the engine's own branches on a value (sigmoid's sign), which a trace must guard too.
    """
    return _setting("on_read", hook)
