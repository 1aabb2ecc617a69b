"""The tape: each operation recorded as one entry in a few plain lists, and the chain rule as one loop.

This module knows nothing of `Value`. An entry's input is one of three things:

- an `int` ≥ 0: an earlier entry of the same tape;
- an `int` < 0: an entry of an older tape, found through `Tape.linked` (plain numbers, so that
  Python's garbage collector has nothing more to walk);
- anything else: a leaf, an object with a `_grad` float that backward adds to.
"""

from __future__ import annotations

import itertools
import threading
from copy import deepcopy
from typing import Protocol, TypeAlias

from .ops import Primitive

__all__ = ["Input", "LeafSlot", "Tape", "backward", "graph_entries", "is_leaf_input"]

_serials = itertools.count(1)


class LeafSlot(Protocol):
    """What the tape needs of a leaf: a gradient to add to (a `Leaf` keeps it in `_grad`)."""

    _grad: float


#: An input of an entry: an earlier entry, an entry of an older tape (< 0), or a leaf.
Input: TypeAlias = "int | LeafSlot"

#: A link to entry j of the k-th tape in `links` is −1 − (k·2⁴⁰ + j): k = q >> 40, j = q & _ENTRY.
_SHIFT = 40
_ENTRY = (1 << _SHIFT) - 1


class Tape:
    """The record of operations, one entry per node: a Wengert list in parallel plain lists.

    Entry i holds, in a column each:

    - `value[i]`: the number computed in the forward pass;
    - `op[i]`: the primitive that computed it, or None for a constant such as the 1 in x + 1;
    - `a[i]`, `b[i]`: its inputs (see the module docstring), None where there is none;
    - `da[i]`, `db[i]`: the local derivatives ∂entry/∂a and ∂entry/∂b.

    Every entry comes after its inputs, so walking the tape backwards is a reverse topological
    order and `backprop` is one loop. `grad[i]` keeps ∂f/∂entry from the latest backward through
    the tape (None where it did not reach); `labels` the names given to entries. A tape refers
    only to older tapes (smaller `serial`), so a graph spread over several tapes is
    differentiated newest tape first.

    `links` are the older tapes its entries use (kept alive by it), `older` is True once there is
    one: a new graph then starts on a new tape (see `modes.choose_tape`). `open` is True while a
    thread records on the tape as its current one: only that thread appends to it. A closed tape
    can still grow, under `lock` (any thread may append), when an operation's newest input lives
    on it.
    """

    __slots__ = (
        "serial", "value", "op", "a", "b", "da", "db", "grad", "labels", "links", "_link_of", "open",
        "older", "__weakref__",
    )  # fmt: skip

    lock = threading.Lock()  # for appends to closed tapes, which any thread may make

    def __init__(self) -> None:
        self.serial = next(_serials)
        self.value: list[float] = []
        self.op: list[Primitive | None] = []
        self.a: list[Input | None] = []
        self.b: list[Input | None] = []
        self.da: list[float] = []
        self.db: list[float] = []
        self.grad: list[float | None] = []
        self.labels: dict[int, str] = {}
        self.links: list[Tape] = []
        self._link_of: dict[Tape, int] = {}
        self.open = False
        self.older = False

    def __len__(self) -> int:
        return len(self.value)

    def __repr__(self) -> str:
        return f"<Tape {self.serial}: {len(self.value)} entries>"

    _COLUMNS = ("value", "op", "a", "b", "da", "db", "grad", "labels", "links", "_link_of", "older")

    def __deepcopy__(self, memo: dict[int, object]) -> Tape:
        """A copy is a new, closed tape, with a serial newer than the copies of the tapes it refers to."""
        copy = Tape()
        memo[id(self)] = copy
        for column in self._COLUMNS:
            setattr(copy, column, deepcopy(getattr(self, column), memo))
        copy.serial = next(_serials)  # last: after the older tapes' copies took theirs
        return copy

    def __getstate__(self) -> dict[str, object]:
        return {column: getattr(self, column) for column in self._COLUMNS}

    def __setstate__(self, state: dict[str, object]) -> None:
        """An unpickled tape is closed, with a serial newer than the tapes it refers to (unpickled first)."""
        for column, content in state.items():
            setattr(self, column, content)
        self.open = False
        self.serial = next(_serials)

    def link(self, tape: Tape, index: int) -> int:
        """The input that stands for entry `index` of an older tape (a negative int)."""
        k = self._link_of.get(tape)
        if k is None:
            k = self._link_of[tape] = len(self.links)
            self.links.append(tape)
            self.older = True
        return -1 - ((k << _SHIFT) | index)

    def linked(self, p: int) -> tuple[Tape, int]:
        """The older tape and the entry that the input p < 0 stands for."""
        q = -1 - p
        return self.links[q >> _SHIFT], q & _ENTRY

    def append(
        self, value: float, op: Primitive | None, a: Input | None, b: Input | None, da: float, db: float
    ) -> int:
        """Add an entry (one element to each column) and return its index."""
        i = len(self.value)
        self.value.append(value)
        self.op.append(op)
        self.a.append(a)
        self.b.append(b)
        self.da.append(da)
        self.db.append(db)
        return i

    def backprop(self, seeds: dict[int, float], older: dict[Tape, dict[int, float]]) -> None:
        """The chain rule over this tape, backwards from the entries in seeds (∂f/∂entry each).

        This is `autograd.backprop`'s loop — for each node, newest first, and each of its inputs:
        ∂f/∂input += ∂f/∂node · ∂node/∂input — unrolled over the tape's lists. Leaves get the
        gradient added to their `_grad`; entries of older tapes collect theirs in `older`.
        """
        top = max(seeds)
        grad: list[float | None] = [None] * (top + 1)  # None: not on a path to the output
        for i, seed in seeds.items():
            grad[i] = seed
        op, a, b, da, db, links = self.op, self.a, self.b, self.da, self.db, self.links
        for i in range(top, -1, -1):
            g = grad[i]
            if g is None:
                continue
            p = a[i]
            if p is None:  # a constant: nothing to pass on
                continue
            c = da[i] * g  # ∂f/∂a += ∂f/∂node · ∂node/∂a
            if c != c and da[i] == 0.0 and op[i].masks:  # type: ignore[union-attr]
                c = 0.0  # relu at x ≤ 0 passes nothing back, not even ∞ (as PyTorch): not 0 · ∞ = nan
            if p.__class__ is int:
                if p >= 0:
                    q = grad[p]
                    grad[p] = 0.0 + c if q is None else q + c  # 0.0 + c: −0.0 → 0.0
                else:  # an older tape's entry: its gradient waits for that tape's turn
                    q = -1 - p
                    _pass_on(older, links[q >> _SHIFT], q & _ENTRY, c)
            else:
                p._grad += c  # type: ignore[union-attr]
            p = b[i]  # the same for the second input, written out (a loop over two inputs is slower)
            if p is None:
                continue
            c = db[i] * g  # ∂f/∂b += ∂f/∂node · ∂node/∂b
            if p.__class__ is int:
                if p >= 0:
                    q = grad[p]
                    grad[p] = 0.0 + c if q is None else q + c
                else:
                    q = -1 - p
                    _pass_on(older, links[q >> _SHIFT], q & _ENTRY, c)
            else:
                p._grad += c  # type: ignore[union-attr]
        self.grad = grad


def is_leaf_input(p: Input | None) -> bool:
    """True for an input that is a leaf: neither an entry of this or an older tape (an int), nor absent."""
    return p is not None and p.__class__ is not int


def _pass_on(older: dict[Tape, dict[int, float]], tape: Tape, index: int, c: float) -> None:
    """Add the contribution c to ∂f/∂entry for entry `index` of an older tape."""
    seeds = older.get(tape)
    if seeds is None:
        seeds = older[tape] = {}
    q = seeds.get(index)
    seeds[index] = 0.0 + c if q is None else q + c


def backward(tape: Tape, index: int) -> None:
    """∂f/∂entry for every entry of the graph that ends in entry `index` of `tape`, seeded with 1.

    Each tape's turn comes after every newer tape that uses it has passed its gradients on.
    """
    pending: dict[Tape, dict[int, float]] = {tape: {index: 1.0}}
    while pending:
        t = max(pending, key=lambda t: t.serial)
        t.backprop(pending.pop(t), pending)


def graph_entries(tape: Tape, index: int) -> dict[Tape, list[int]]:
    """The entries of the graph that ends in entry `index` of `tape`, per tape, each list in order."""
    marked: dict[Tape, list[int]] = {}
    pending: dict[Tape, set[int]] = {tape: {index}}
    while pending:  # newest tape first: a tape refers only to older ones
        t = max(pending, key=lambda t: t.serial)
        starts = pending.pop(t)
        marks = bytearray(max(starts) + 1)
        for i in starts:
            marks[i] = 1
        for i in range(len(marks) - 1, -1, -1):
            if marks[i]:
                for p in (t.a[i], t.b[i]):
                    if p.__class__ is int:
                        if p >= 0:
                            marks[p] = 1
                        else:
                            other, j = t.linked(p)
                            pending.setdefault(other, set()).add(j)
        marked[t] = [i for i in range(len(marks)) if marks[i]]
    return marked
