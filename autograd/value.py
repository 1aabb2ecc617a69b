"""`Value`: one float in a graph recorded on a tape, and `backward()`, the chain rule in one loop."""

from __future__ import annotations

import gc
import itertools
import math
import numbers
import reprlib
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from copy import deepcopy
from typing import TYPE_CHECKING

from .ops import PRIMITIVES, Primitive, format_number, power

__all__ = [
    "AnomalyError",
    "Leaf",
    "Node",
    "Number",
    "Tape",
    "Value",
    "describe",
    "detect_anomaly",
    "is_anomaly_enabled",
    "pause_gc",
    "topological_order",
    "watch_reads",
    "zero_grad",
]

#: What may stand beside a Value in an expression: a plain real number.
Number = int | float | numbers.Real

ADD = PRIMITIVES["add"]
MUL = PRIMITIVES["mul"]
NEG = PRIMITIVES["neg"]
EXP = PRIMITIVES["exp"]
RECIPROCAL = PRIMITIVES["reciprocal"]
LOG = PRIMITIVES["log"]
RELU = PRIMITIVES["relu"]
TANH = PRIMITIVES["tanh"]

#: Once a tape passes this many entries, the next operation starts a new tape (see `Tape`).
TAPE_LENGTH = 1 << 16

_anomaly = False  # switched on only inside `with detect_anomaly():`
_on_read: Callable[[Value, float], float] | None = None  # see watch_reads (autograd.static)
_short = reprlib.Repr()
_short.maxstring = 40
_short.maxother = 40
_serials = itertools.count(1)
_state = threading.local()  # _state.tape: the tape this thread is recording on (None: start one)
_new = object.__new__


class AnomalyError(FloatingPointError):
    """Raised inside `detect_anomaly()` at the first value or gradient that is not finite."""


def _to_float(x: object, role: str = "data") -> float:
    """Check that x is a real number (not bool) and return it as a float."""
    t = type(x)
    if t is float:
        return x  # type: ignore[return-value]
    if t is not bool and isinstance(x, numbers.Real):
        try:
            return float(x)
        except OverflowError:
            raise OverflowError(
                f"{role} {_short.repr(x)} is too large for a float64 (|x| must be below 1.8e308)"
            ) from None
    raise TypeError(
        f"{role} must be a real number (int, float or numpy real scalar), got {t.__name__} {_short.repr(x)}"
    )


def _check_label(label: object) -> str:
    """Return label if it is a str, else raise TypeError naming it."""
    if type(label) is not str:
        raise TypeError(f"label must be a str, got {type(label).__name__} {_short.repr(label)}")
    return label


class Tape:
    """The record of the operations a thread performs, one entry per node: a Wengert list.

    Entry i holds, in a column each (plain lists, so that appending and reading are fast):

    - `value[i]`: the number computed in the forward pass;
    - `op[i]`: the primitive that computed it, or None for a constant such as the 1 in x + 1;
    - `a[i]`, `b[i]`: its inputs: an int is an earlier entry of this tape, a `Leaf` is
      itself, a `Node` is an entry of an older tape; None where there is no such input;
    - `da[i]`, `db[i]`: the local derivatives ∂entry/∂a and ∂entry/∂b.

    Every entry comes after its inputs, so walking the tape backwards is a reverse
    topological order, and `backward()` is one loop over it. `grad[i]` keeps ∂f/∂entry from
    the latest `backward()` through the tape (None where it did not reach), `labels` the
    labels given to nodes. A tape refers only to older tapes (smaller `serial`).

    A thread records on one tape until `backward()` is called on one of its nodes or it
    passes `TAPE_LENGTH` entries; the next operation then starts a new tape. A tape lives while
    its thread records on it, and then as long as a Node on it (or on a newer tape that uses
    it) does: the whole tape, even if that Node's graph is a small part of it. Nodes are handles,
    (tape, index); the graph itself is the columns, which hold only numbers, primitives and
    leaves, so Python's cyclic garbage collector has almost nothing to walk.
    """

    __slots__ = ("serial", "value", "op", "a", "b", "da", "db", "grad", "labels", "__weakref__")

    def __init__(self) -> None:
        self.serial = next(_serials)
        self.value: list[float] = []
        self.op: list[Primitive | None] = []
        self.a: list[int | Value | None] = []
        self.b: list[int | Value | None] = []
        self.da: list[float] = []
        self.db: list[float] = []
        self.grad: list[float | None] = []
        self.labels: dict[int, str] = {}

    def __len__(self) -> int:
        return len(self.value)

    def __deepcopy__(self, memo: dict[int, object]) -> Tape:
        """A copy is a new tape, with a serial of its own (tapes are ordered by serial)."""
        copy = Tape()
        memo[id(self)] = copy
        for column in ("value", "op", "a", "b", "da", "db", "grad", "labels"):
            setattr(copy, column, deepcopy(getattr(self, column), memo))
        return copy

    def __repr__(self) -> str:
        return f"<Tape {self.serial}: {len(self.value)} entries>"

    def append(
        self,
        value: float,
        op: Primitive | None,
        a: int | Value | None,
        b: int | Value | None,
        da: float,
        db: float,
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

    def constant(self, c: float) -> int:
        """Record the plain number c as a constant entry and return its index."""
        return self.append(c, None, None, None, 0.0, 0.0)

    def node(self, i: int) -> Node:
        """A handle on entry i."""
        node: Node = _new(Node)
        node._t = self
        node._i = i
        return node


def _recording_tape() -> Tape:
    """The tape this thread records on, started if there is none."""
    t: Tape | None = getattr(_state, "tape", None)
    if t is None:
        t = _state.tape = Tape()
    return t


class _NewerTape(Exception):
    """An operand lives on a tape newer than the one being recorded on (another thread's)."""


def _other_operand(t: Tape, v: object) -> tuple[int | Value, float]:
    """An operand that is not a Node of tape t or a Leaf: a Node of an older tape, a leaf of a
    subclass of Value, or a number.

    Returns what the tape records as the input and its value. A plain number becomes a
    constant entry of t.
    """
    if isinstance(v, Node):
        if v._t.serial > t.serial:
            raise _NewerTape
        return v, v._t.value[v._i]
    if isinstance(v, Value):
        return v, v.data
    c = _to_float(v, "operand")
    return t.constant(c), c


def _resolve(t: Tape, v: object) -> tuple[int | Value, float]:
    """What tape t records for the operand v, and v's value (the slow, general path)."""
    if v.__class__ is Node and v._t is t:
        return v._i, t.value[v._i]
    return _other_operand(t, v)


def describe(node: Value) -> str:
    """Name a node for a message: "node 'w'", "an unlabelled add node" or "the constant 2"."""
    if node.label:
        kind = node.op or ("constant" if node.is_constant else "leaf")
        return f"node {node.label!r} ({kind})"
    if node.is_constant:
        return f"the constant {format_number(node.data)}"
    if node.is_leaf:
        return f"an unlabelled leaf with value {node.data!r}"
    return f"an unlabelled {node.op} node"


def _binary_operation(prim: Primitive) -> Callable[[Value | Number, Value | Number], Node]:
    """Make the function that records prim(a, b) on the tape; `Value.__add__` is one of these.

    The node's value and its two local derivatives come from prim's row in the table
    (`prim.forward`, `prim.derivative`); both are looked up once, here. Each operand is an
    earlier entry of the tape, a leaf, a node of an older tape, or a plain number (which
    becomes a constant entry).
    """
    forward = prim.forward
    derivative = prim.derivative

    def record(a: Value | Number, b: Value | Number) -> Node:
        try:
            t = _state.tape
        except AttributeError:  # the first operation in this thread
            t = None
        if t is None:
            t = _recording_tape()
        value = t.value
        try:
            # Written out rather than calling _resolve twice: this is the hot path.
            if a.__class__ is Node and a._t is t:
                pa: int | Value = a._i
                x = value[pa]
            elif a.__class__ is Leaf:
                pa = a
                x = a.data
            else:
                pa, x = _other_operand(t, a)
            if b.__class__ is Node and b._t is t:
                pb: int | Value = b._i
                y = value[pb]
            elif b.__class__ is Leaf:
                pb = b
                y = b.data
            else:
                pb, y = _other_operand(t, b)
        except _NewerTape:  # keep tapes ordered: record on a new tape, newer than the operand's
            _state.tape = None
            return record(a, b)
        out = forward(x, y)
        da, db = derivative(x, y, out)
        # Tape.append written out: a call per node would cost about 5% of a deep chain.
        i = len(value)
        value.append(out)
        t.op.append(prim)
        t.a.append(pa)
        t.b.append(pb)
        t.da.append(da)
        t.db.append(db)
        if i >= TAPE_LENGTH:
            _state.tape = None
        node: Node = _new(Node)
        node._t = t
        node._i = i
        if _anomaly:
            _check_forward(node)
        return node

    record.__name__ = record.__qualname__ = f"_{prim.name}"
    record.__doc__ = f"Record the node {prim.formula} ({prim.name}) for x = a, y = b."
    return record


_add = _binary_operation(ADD)  # a + b
_mul = _binary_operation(MUL)  # a × b


def _unary(prim: Primitive, a: Value) -> Node:
    """Record the node prim(a), with its local derivative."""
    t = _recording_tape()
    try:
        pa, x = _resolve(t, a)
    except _NewerTape:
        _state.tape = None
        t = _recording_tape()
        pa, x = _resolve(t, a)
    try:
        out = prim.forward(x)
    except (ArithmeticError, ValueError) as exc:
        raise type(exc)(
            f"{prim.name} of {x!r} cannot be computed: {prim.formula} needs {prim.domain}; "
            f"its input is {describe(a)}"
        ) from None
    (da,) = prim.derivative(x, out)
    i = t.append(out, prim, pa, None, da, 0.0)
    if i >= TAPE_LENGTH:
        _state.tape = None
    node = t.node(i)
    if _anomaly:
        _check_forward(node)
    return node


class Value:
    """A scalar in a computation graph: its value, its gradient and how it was made.

    `Value(2.0, label="w")` makes a leaf (a `Leaf`): a number you set and whose gradient you
    read. Every operation on Values records a new node (a `Node`) that remembers its
    primitive (`op`), its inputs (`parents`, in operand order) and the local derivatives
    ∂self/∂parent (`local_grads`), computed as floats in the forward pass. `backward()` then
    applies the chain rule: ∂f/∂parent += ∂f/∂node · ∂node/∂parent.

    Args:
        data: The value: an int, float or numpy real scalar (bool and everything else is
            refused with TypeError).
        label: A name shown in tables, drawings and error messages.
    """

    if not TYPE_CHECKING:  # a Value has no slots of its own (mypy reads the fields below)
        __slots__ = ()

    # A slot in a Leaf; in a Node, a property that reads and writes the tape.
    data: float  #: the number this Value holds
    grad: float  #: ∂f/∂self, filled in by f.backward()
    label: str  #: a name shown in tables, drawings and error messages

    def __new__(cls, data: Number = 0.0, label: str = "") -> Value:
        # Value(…) makes a Leaf; the defaults let copy and pickle call cls.__new__(cls).
        return _new(Leaf if cls is Value else cls)

    def __init__(self, data: Number, label: str = "") -> None:
        self.label = _check_label(label)
        self.data = _to_float(data)
        self.grad = 0.0
        if _anomaly and not math.isfinite(self.data):
            raise AnomalyError(f"{describe(self)} is made with a non-finite value {self.data!r}")

    # ---- read-only graph structure (a leaf's; Node overrides them) -------------------------

    @property
    def op(self) -> str:
        """The primitive's name ("mul", "exp", …); "" for a leaf or a constant."""
        return ""

    @property
    def primitive(self) -> Primitive | None:
        """The primitive that made this node (its row in `autograd.ops`), None for a leaf."""
        return None

    @property
    def parents(self) -> tuple[Value, ...]:
        """The inputs in operand order; `a + a` lists `a` twice."""
        return ()

    @property
    def local_grads(self) -> tuple[float, ...]:
        """∂self/∂parent for each entry of `parents`, computed in the forward pass."""
        return ()

    @property
    def is_leaf(self) -> bool:
        """True for a Value made by hand or a constant, False for an operation's output."""
        return True

    @property
    def is_constant(self) -> bool:
        """True for a plain number that an expression recorded, such as the 1 in `x + 1`.

        A constant is a leaf of the graph but no parameter: like an intermediate node, its
        .grad is recomputed by each backward() rather than accumulated.
        """
        return False

    # ---- arithmetic: each method records one primitive, or a short composition ----------

    __add__ = _add  # self + other: one add node
    __mul__ = _mul  # self × other: one mul node

    def __radd__(self, other: Number) -> Value:
        return _add(other, self)

    def __rmul__(self, other: Number) -> Value:
        return _mul(other, self)

    def __neg__(self) -> Value:
        return _unary(NEG, self)

    def __pos__(self) -> Value:
        return self

    def __sub__(self, other: Value | Number) -> Value:
        """x − y = x + (−y); a plain number is negated on the spot."""
        if isinstance(other, Value):
            return _add(self, _unary(NEG, other))
        return _add(self, -_to_float(other, "operand"))

    def __rsub__(self, other: Number) -> Value:
        return _add(_to_float(other, "operand"), _unary(NEG, self))

    def __truediv__(self, other: Value | Number) -> Value:
        """x / y = x · (1/y); dividing by a plain number c multiplies by the constant 1/c."""
        if isinstance(other, Value):
            return _mul(self, _unary(RECIPROCAL, other))
        c = _to_float(other, "divisor")
        if c == 0.0:
            raise ZeroDivisionError(f"division by zero: {describe(self)} / 0 (the divisor must be ≠ 0)")
        return _mul(self, 1.0 / c)

    def __rtruediv__(self, other: Number) -> Value:
        """c / x = c · (1/x); `1 / x` is the reciprocal alone, with no × 1 node."""
        c = _to_float(other, "operand")
        inverse = _unary(RECIPROCAL, self)
        return inverse if c == 1.0 else _mul(c, inverse)

    def __pow__(self, exponent: object) -> Value:
        """xᶜ for a plain number c: ∂/∂x = c·xᶜ⁻¹."""
        if isinstance(exponent, Value):
            raise TypeError(
                "the exponent of ** must be a plain number, not a Value; for a Value exponent y "
                "write (y * x.log()).exp()"
            )
        c = _to_float(exponent, "exponent")
        if not math.isfinite(c):
            raise ValueError(f"the exponent must be finite, got {c!r}")
        return _unary(power(c), self)

    def __rpow__(self, base: Number) -> Value:
        """cˣ = exp(x · ln c) for a plain number c > 0."""
        c = _to_float(base, "base")
        if not c > 0.0:
            raise ValueError(f"c ** x needs a base c > 0, got c = {c!r}")
        return _unary(EXP, _mul(self, math.log(c)))

    def exp(self) -> Value:
        """eˣ: ∂/∂x = eˣ."""
        return _unary(EXP, self)

    def log(self) -> Value:
        """ln x for x > 0: ∂/∂x = 1/x."""
        return _unary(LOG, self)

    def relu(self) -> Value:
        """max(0, x): ∂/∂x = 1 for x > 0, 0 for x ≤ 0."""
        return _unary(RELU, self)

    def tanh(self) -> Value:
        """tanh x: ∂/∂x = 1 − tanh²x."""
        return _unary(TANH, self)

    def reciprocal(self) -> Value:
        """1/x for x ≠ 0: ∂/∂x = −1/x²."""
        return _unary(RECIPROCAL, self)

    def sigmoid(self) -> Value:
        """σ(x) = 1/(1 + e⁻ˣ), composed from neg, exp, add and reciprocal: σ′ = σ(1 − σ).

        For x ≥ 0 this is 1/(exp(−x) + 1), the four nodes of the lecture notes; for x < 0 it
        is eˣ · 1/(eˣ + 1), so that exp never overflows (σ(−1000) = 0, σ(1000) = 1).
        """
        if self.data >= 0.0:
            return 1 / ((-self).exp() + 1)
        e = self.exp()
        return e / (e + 1)

    # ---- gradients -------------------------------------------------------------------------

    def backward(self) -> None:
        """Fill in ∂self/∂node for every node of the graph that ends in self.

        The tape already lists the nodes in the order they were made, each after its inputs,
        so the walk is one loop backwards over it (no recursion, so a chain of a million
        operations is fine). Each node pushes its gradient to its inputs:
        ∂f/∂parent += ∂f/∂node · ∂node/∂parent.

        Calling it again: intermediate nodes are recomputed from zero, while leaves accumulate,
        as in PyTorch — a second call adds the same gradient to every leaf once more. Use
        `autograd.zero_grad(root)` (or an optimiser's `zero_grad()`) to start afresh.
        """
        self.grad += 1.0  # a leaf on its own: ∂f/∂f = 1 (Node.backward does the real work)

    # ---- conversions -----------------------------------------------------------------------

    def __float__(self) -> float:
        return self.data

    def __repr__(self) -> str:
        parts = [f"label={self.label!r}"] if self.label else []
        parts += [f"data={self.data!r}", f"grad={self.grad!r}"]
        if self.op:
            parts.append(f"op={self.op!r}")
        return f"Value({', '.join(parts)})"


class Leaf(Value):
    """A Value made by hand, `Value(2.0, label="w")`: it keeps its own data, grad and label."""

    __slots__ = ("data", "grad", "label")


class Node(Value):
    """An operation's output: a handle on its entry in a tape, (tape, index).

    Its value, gradient and label live in the tape; two handles on the same entry (the one
    an operation returned and one from `parents` or `topological_order`) are equal.
    """

    __slots__ = ("_t", "_i")

    _t: Tape
    _i: int

    def __init__(self, *args: object, **kwargs: object) -> None:
        raise TypeError("a Node is made by an operation on Values; make a leaf with Value(x)")

    @property
    def tape(self) -> Tape:
        """The tape this node is recorded on."""
        return self._t

    @property
    def index(self) -> int:
        """This node's entry in its tape: `tape.value[index]`, `tape.op[index]`, …."""
        return self._i

    @property
    def data(self) -> float:
        """The value computed in the forward pass."""
        if _on_read is not None:  # autograd.static: a trace is watching which values are read
            return _on_read(self, self._t.value[self._i])
        return self._t.value[self._i]

    @data.setter
    def data(self, x: Number) -> None:
        self._t.value[self._i] = _to_float(x)

    @property
    def grad(self) -> float:
        """∂f/∂self from the latest backward() through this node's tape (0 where it did not reach)."""
        grads = self._t.grad
        i = self._i
        g = grads[i] if i < len(grads) else None
        return 0.0 if g is None else g

    @grad.setter
    def grad(self, g: Number) -> None:
        grads = self._t.grad
        if len(grads) <= self._i:
            grads.extend([None] * (self._i + 1 - len(grads)))
        grads[self._i] = _to_float(g, "grad")

    @property
    def label(self) -> str:
        """A name shown in tables, drawings and error messages ("" if none)."""
        return self._t.labels.get(self._i, "")

    @label.setter
    def label(self, label: str) -> None:
        if _check_label(label):
            self._t.labels[self._i] = label
        else:
            self._t.labels.pop(self._i, None)

    @property
    def op(self) -> str:
        prim = self._t.op[self._i]
        return "" if prim is None else prim.name

    @property
    def primitive(self) -> Primitive | None:
        return self._t.op[self._i]

    @property
    def parents(self) -> tuple[Value, ...]:
        t = self._t
        return tuple(_input(t, p) for p in (t.a[self._i], t.b[self._i]) if p is not None)

    @property
    def local_grads(self) -> tuple[float, ...]:
        t, i = self._t, self._i
        inputs = (t.a[i] is not None) + (t.b[i] is not None)
        return (t.da[i], t.db[i])[:inputs]

    @property
    def is_leaf(self) -> bool:
        return self._t.op[self._i] is None

    @property
    def is_constant(self) -> bool:
        return self._t.op[self._i] is None

    def __eq__(self, other: object) -> bool:
        return other.__class__ is Node and other._t is self._t and other._i == self._i

    def __hash__(self) -> int:
        return hash((id(self._t), self._i))

    def backward(self) -> None:
        t = self._t
        if getattr(_state, "tape", None) is t:
            _state.tape = None  # the graph is finished: the next operation starts a new tape
        pending = {t: {self._i: 1.0}}  # tape → {entry: ∂f/∂entry arriving from newer tapes}
        while pending:  # newest tape first: a tape refers only to older ones
            tape = max(pending, key=_serial)
            _backprop(tape, pending.pop(tape), pending)


def _serial(tape: Tape) -> int:
    return tape.serial


def _input(t: Tape, p: int | Value) -> Value:
    """The Value an entry of tape t records as an input: an earlier entry, a leaf or another tape's node."""
    return t.node(p) if isinstance(p, int) else p


def _backprop(t: Tape, seeds: dict[int, float], pending: dict[Tape, dict[int, float]]) -> None:
    """The chain rule over one tape, from the entries in seeds (with their ∂f/∂entry) backwards.

    Gradients reaching a leaf are added to its .grad; those reaching a node of an older tape
    are added to `pending`, for that tape's turn.
    """
    top = max(seeds)
    grad: list[float | None] = [None] * (top + 1)  # None: not (yet) on a path to the output
    for i, seed in seeds.items():
        grad[i] = seed
    waiting = len(seeds)  # entries below i with a gradient still to pass on
    a, b, da, db = t.a, t.b, t.da, t.db
    for i in range(top, -1, -1):  # the chain rule, one entry at a time
        g = grad[i]
        if g is None:  # not part of this graph
            if not waiting:
                break  # and nothing below is
            continue
        waiting -= 1
        if _anomaly and not math.isfinite(g):
            raise AnomalyError(f"backward: the gradient of {describe(t.node(i))} is {g!r}")
        p = a[i]
        if p is None:  # a constant: nothing to pass on
            continue
        c = da[i] * g  # ∂f/∂a += ∂f/∂node · ∂node/∂a
        if p.__class__ is int:
            q = grad[p]
            if q is None:
                grad[p] = 0.0 + c  # from zero, as replay_backward does (−0.0 becomes 0.0)
                waiting += 1
            else:
                grad[p] = q + c
        elif p.__class__ is Node:
            _pass_on(pending, p, c)
        else:  # a leaf
            p.grad += c  # type: ignore[union-attr]
        p = b[i]  # the same for the second input (written out: a loop over two inputs is slower)
        if p is None:
            continue
        c = db[i] * g  # ∂f/∂b += ∂f/∂node · ∂node/∂b
        if p.__class__ is int:
            q = grad[p]
            if q is None:
                grad[p] = 0.0 + c  # from zero, as replay_backward does (−0.0 becomes 0.0)
                waiting += 1
            else:
                grad[p] = q + c
        elif p.__class__ is Node:
            _pass_on(pending, p, c)
        else:  # a leaf
            p.grad += c  # type: ignore[union-attr]
    t.grad = grad
    if _anomaly:
        _check_leaf_gradients(t, grad)


def _check_leaf_gradients(t: Tape, grad: list[float | None]) -> None:
    """Inside detect_anomaly(): raise if a leaf that backward() reached on tape t has a non-finite .grad."""
    for i, g in enumerate(grad):
        if g is not None:
            for p in (t.a[i], t.b[i]):
                if isinstance(p, Value) and not isinstance(p, Node) and not math.isfinite(p.grad):
                    raise AnomalyError(f"backward: the gradient of {describe(p)} is {p.grad!r}")


def _pass_on(pending: dict[Tape, dict[int, float]], node: Node, c: float) -> None:
    """Add the contribution c to ∂f/∂node, for a node of an older tape."""
    seeds = pending.setdefault(node._t, {})
    q = seeds.get(node._i)
    seeds[node._i] = (0.0 if q is None else q) + c


def _check_forward(node: Node) -> None:
    """Inside detect_anomaly(): raise if the new node's value or local derivatives are not finite."""
    if math.isfinite(node.data) and all(map(math.isfinite, node.local_grads)):
        return
    prim = node.primitive
    formula = prim.formula if prim is not None else "a constant"
    inputs = ", ".join(f"{describe(p)} = {p.data!r}" for p in node.parents)
    raise AnomalyError(
        f"forward: {describe(node)} computed {formula} = {node.data!r} "
        f"with local derivatives {node.local_grads!r} from {inputs}"
    )


def topological_order(root: Value) -> list[Value]:
    """Every node of the graph that ends in root, each after all of its parents (leaves first).

    The tape already has that order: the nodes are listed as they were made (older tapes
    first), each leaf just before the first node that uses it. Finding which entries belong
    to root's graph is one backward sweep over the tape, marking the inputs of marked entries.

    Args:
        root: The node whose graph is listed.

    Returns:
        A list of distinct nodes; root itself is last.
    """
    if not isinstance(root, Value):
        raise TypeError(f"root must be a Value, got {type(root).__name__} {_short.repr(root)}")
    if not isinstance(root, Node):
        return [root]
    marked: dict[Tape, bytearray] = {}
    pending: dict[Tape, set[int]] = {root._t: {root._i}}
    while pending:  # newest tape first, as in backward()
        tape = max(pending, key=_serial)
        starts = pending.pop(tape)
        marks = bytearray(max(starts) + 1)
        for i in starts:
            marks[i] = 1
        for i in range(len(marks) - 1, -1, -1):
            if marks[i]:
                for p in (tape.a[i], tape.b[i]):
                    if p.__class__ is int:
                        marks[p] = 1
                    elif isinstance(p, Node):
                        pending.setdefault(p._t, set()).add(p._i)
        marked[tape] = marks
    order: list[Value] = []
    listed: set[int] = set()  # ids of the leaves already listed
    for tape in sorted(marked, key=_serial):
        marks = marked[tape]
        for i in range(len(marks)):
            if marks[i]:
                for p in (tape.a[i], tape.b[i]):
                    if isinstance(p, Value) and not isinstance(p, Node) and id(p) not in listed:
                        listed.add(id(p))
                        order.append(p)
                order.append(tape.node(i))
    order[-1] = root
    return order


def zero_grad(root: Value) -> None:
    """Set .grad = 0 on every node of the graph that ends in root, leaves included."""
    for node in topological_order(root):
        node.grad = 0.0


def is_anomaly_enabled() -> bool:
    """True inside `with detect_anomaly():` (PyTorch's torch.is_anomaly_enabled)."""
    return _anomaly


@contextmanager
def watch_reads(hook: Callable[[Value, float], float]) -> Iterator[None]:
    """Inside this block, reading a Node's .data returns hook(node, value) (for autograd.trace)."""
    global _on_read
    previous, _on_read = _on_read, hook
    try:
        yield
    finally:
        _on_read = previous


@contextmanager
def detect_anomaly() -> Iterator[None]:
    """Inside this block, stop at the first node whose value or gradient is not finite.

    By default a NaN or infinity flows on through the graph, as in IEEE arithmetic. Inside
    `with autograd.detect_anomaly():` every new node is checked, and so is every gradient
    during `backward()`; the first non-finite one raises AnomalyError naming the node and its
    op. The check costs time, so it is off unless asked for; leaving the block restores the
    previous setting.
    """
    global _anomaly
    previous = _anomaly
    _anomaly = True
    try:
        yield
    finally:
        _anomaly = previous


@contextmanager
def pause_gc() -> Iterator[None]:
    """Opt-in: switch off Python's cyclic garbage collector inside the block.

    backproplab's graphs contain no reference cycles and live in a few lists per tape, so
    the cyclic collector has little to do with them; your own code may still make many
    objects that it walks. Inside `with autograd.pause_gc():` it does not run. The
    collector's previous state is restored on leaving the block, also when an exception is
    raised; nothing changes unless you ask for it.

    Your own reference cycles made inside the block are reclaimed later, once the collector runs
    again. The setting is process-wide: other threads see the collector paused too.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
