"""Recording modes: a thread records on its tape, records nothing (`no_grad`), or records and checks."""

from __future__ import annotations

import gc
import math
import threading
import weakref
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from typing import Any, Protocol

from .checks import Named, describe
from .ops import Primitive
from .tape import Tape, backward, graph_entries, is_leaf_input

__all__ = [
    "AnomalyError",
    "detect_anomaly",
    "enable_grad",
    "is_anomaly_enabled",
    "is_grad_enabled",
    "no_grad",
    "pause_gc",
    "start_new_tape",
    "state",
    "watch_reads",
]


def _no_tape() -> Tape | None:
    return None


class _Recording(threading.local):
    """One thread's recording state (class attributes are the defaults every thread starts with).

    Attributes:
        tape: A weak reference to the tape this thread records on: a tape lives only while a
            node on it does, so a forward pass nobody differentiates is freed with its result.
        fast: The same reference, or `_no_tape` inside `no_grad()` and `detect_anomaly()`: the
            fast path records only on `fast`, so those modes send every operation down the
            careful path, which knows about them.
        grad_enabled: False inside `no_grad()`.
        anomaly: True inside `detect_anomaly()`.
        on_read: Inside `watch_reads(hook)`, reading a node's `.data` returns hook(node, value).
    """

    tape: Callable[[], Tape | None] = staticmethod(_no_tape)
    fast: Callable[[], Tape | None] = staticmethod(_no_tape)
    grad_enabled = True
    anomaly = False
    on_read: Callable[[Any, float], float] | None = None


state = _Recording()


def current_tape() -> Tape:
    """The tape this thread records on; a new one if it has none."""
    t = state.tape()
    if t is None:
        t = Tape()
        t.open = True
        state.tape = weakref.ref(t)
        _set_fast()
    return t


def choose_tape(tapes: list[Tape], full: int) -> Tape:
    """The tape a new node goes on, given the tapes of the nodes among its inputs.

    - No node among its inputs (leaves and numbers: a new graph starts): this thread's current
      tape, or a new one if the current one refers to older tapes — else each rollover would
      chain every earlier tape to the result the user still holds.
    - The newest input's tape is this thread's, or one that backward() closed: that tape, so a
      node carried across training steps (a running average) keeps only its own tape alive.
    - It is full (`full` entries), or another thread still records on it: this thread's tape,
      or a new one if that is older (a tape refers only to older ones).
    """
    mine = state.tape()
    if not tapes:
        if mine is not None and mine.older:
            finish(mine)
        return current_tape()
    t = max(tapes, key=lambda t: t.serial)
    if t is mine or not (t.open or len(t) >= full):
        return t
    if mine is not None and mine.serial < t.serial:
        finish(mine)
    return current_tape()


def finish(t: Tape) -> None:
    """Close tape t if this thread records on it: the next operation starts a new tape."""
    if state.tape() is t:
        t.open = False
        state.tape = state.fast = _no_tape


def start_new_tape() -> None:
    """Close this thread's tape, if it has one: its next operation starts a new tape.

    Two recordings of the same computation then lay out their tapes alike, so their
    topological orders list the nodes in the same order (`autograd.trace` compares them).
    """
    t = state.tape()
    if t is not None:
        finish(t)


def _set_fast() -> None:
    state.fast = state.tape if state.grad_enabled and not state.anomaly else _no_tape


@contextmanager
def _switch(name: str, on: bool) -> Iterator[None]:
    previous = getattr(state, name)
    setattr(state, name, on)
    _set_fast()
    try:
        yield
    finally:
        setattr(state, name, previous)
        _set_fast()


def no_grad() -> AbstractContextManager[None]:
    """Inside `with autograd.no_grad():` operations compute their values and record nothing.

    Each result is a plain leaf with no parents, so evaluating a model, scoring a validation set
    or plotting a decision boundary builds no graph and keeps no memory (PyTorch's `no_grad`).
    The setting is this thread's alone and is restored on leaving the block.
    """
    return _switch("grad_enabled", False)


def enable_grad() -> AbstractContextManager[None]:
    """Inside `with autograd.enable_grad():` operations are recorded again, even within `no_grad()`."""
    return _switch("grad_enabled", True)


def is_grad_enabled() -> bool:
    """True unless this thread is inside `no_grad()`."""
    return state.grad_enabled


class AnomalyError(FloatingPointError):
    """Raised inside `detect_anomaly()` at the first value or gradient that is not finite."""


class _Checked(Named, Protocol):
    """What the forward check reads of a new node (a Value has all of it)."""

    @property
    def local_grads(self) -> tuple[float, ...]: ...
    @property
    def parents(self) -> Sequence[_Checked]: ...
    @property
    def primitive(self) -> Primitive | None: ...


def check_forward(node: _Checked) -> None:
    """Inside detect_anomaly(): raise if a new node's value or local derivatives are not finite."""
    if math.isfinite(node.data) and all(map(math.isfinite, node.local_grads)):
        return
    formula = node.primitive.formula if node.primitive is not None else "a constant"
    inputs = ", ".join(f"{describe(p)} = {p.data!r}" for p in node.parents)
    raise AnomalyError(
        f"forward: {describe(node)} computed {formula} = {node.data!r} "
        f"with local derivatives {node.local_grads!r} from {inputs}"
    )


def checked_backward(tape: Tape, index: int, name: Callable[[Tape, int], str]) -> None:
    """backward() inside detect_anomaly(): the chain rule, then a check of every gradient it wrote."""
    entries = graph_entries(tape, index)
    before = nonfinite_leaves(entries)  # not this backward's doing
    backward(tape, index)
    check_gradients(entries, name, before)


def _leaves(entries: dict[Tape, list[int]]) -> Iterator[Any]:
    """The leaves the graph's entries use (the inputs that are not entries of a tape)."""
    for t, indices in entries.items():
        for i in indices:
            for p in (t.a[i], t.b[i]):
                if is_leaf_input(p):
                    yield p


def nonfinite_leaves(entries: dict[Tape, list[int]]) -> set[int]:
    """The ids of the graph's leaves whose .grad is already not finite (before a backward())."""
    return {id(p) for p in _leaves(entries) if not math.isfinite(p._grad)}


def check_gradients(
    entries: dict[Tape, list[int]],
    name: Callable[[Tape, int], str],
    before: set[int] = frozenset(),  # type: ignore[assignment]
) -> None:
    """After backward() inside detect_anomaly(): raise at the first non-finite gradient, output first.

    Args:
        entries: The graph's entries per tape (`tape.graph_entries`).
        name: Names entry i of tape t for the message.
        before: Leaves (ids) whose .grad was not finite before this backward(): not its doing.
    """
    for t in sorted(entries, key=lambda t: -t.serial):
        for i in reversed(entries[t]):
            g = t.grad[i] if i < len(t.grad) else None
            if g is not None and not math.isfinite(g):
                raise AnomalyError(f"backward: the gradient of {name(t, i)} is {g!r}")
    for p in _leaves(entries):
        if id(p) not in before and not math.isfinite(p._grad):
            raise AnomalyError(f"backward: the gradient of {describe(p)} is {p._grad!r}")


def detect_anomaly() -> AbstractContextManager[None]:
    """Inside this block, stop at the first node whose value or gradient is not finite.

    By default a NaN or infinity flows on through the graph, as in IEEE arithmetic. Inside
    `with autograd.detect_anomaly():` every new node is checked, and so is every gradient of a
    `backward()`; the first non-finite one raises AnomalyError naming the node and its op. The
    checks cost time, so they are off unless asked for. The setting is this thread's alone and
    is restored on leaving the block.
    """
    return _switch("anomaly", True)


def is_anomaly_enabled() -> bool:
    """True inside `with detect_anomaly():` (PyTorch's torch.is_anomaly_enabled)."""
    return state.anomaly


@contextmanager
def watch_reads(hook: Callable[[Any, float], float]) -> Iterator[None]:
    """Inside this block, reading a node's `.data` returns hook(node, value): how `autograd.trace` sees
    which values the traced function reads (its guards). This thread's setting alone."""
    previous, state.on_read = state.on_read, hook
    try:
        yield
    finally:
        state.on_read = previous


@contextmanager
def pause_gc() -> Iterator[None]:
    """Opt-in: switch off Python's cyclic garbage collector inside the block.

    backproplab's graphs contain no reference cycles and live in a few lists per tape, so the
    cyclic collector has little to do with them; your own code may still make many objects
    that it walks. Inside `with autograd.pause_gc():` it does not run. The collector's previous
    state is restored on leaving the block, also when an exception is raised; nothing changes
    unless you ask for it. The setting is process-wide: other threads see the collector paused
    too, and your own reference cycles made inside the block are reclaimed once it runs again.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
