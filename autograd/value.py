"""`Value`: one float in a graph, the operators that record each operation on the tape, and `backward()`."""

from __future__ import annotations

import math
from collections.abc import Callable
from contextlib import nullcontext
from typing import TYPE_CHECKING

from .checks import Number, check_label, describe, to_float
from .composed import Composed
from .modes import AnomalyError, check_forward, checked_backward, choose_tape, finish, state
from .ops import PRIMITIVES, Primitive, power
from .tape import Input, Tape, backward

__all__ = ["Leaf", "Node", "Value", "describe"]

ADD, MUL, NEG, EXP, RECIPROCAL, LOG, RELU, TANH, SIN, COS = (
    PRIMITIVES[name]
    for name in ("add", "mul", "neg", "exp", "reciprocal", "log", "relu", "tanh", "sin", "cos")
)

_new = object.__new__

#: Once a tape holds this many entries it is full: the thread's next operation starts a new tape.
TAPE_LENGTH = 1 << 16


# ---- recording: how an operation becomes an entry of the tape --------------------------------


def _record(prim: Primitive, *operands: object) -> Value:
    """Record prim(operands) as a new node and return it: the plain form of recording.

    Each operand is a Value or a plain number (which becomes a constant entry). The node goes
    on the tape of its newest input, or on this thread's current tape if its inputs are leaves
    and numbers; inside `no_grad()` nothing is recorded and the result is a plain leaf.
    """
    xs = [v.data if isinstance(v, Value) else to_float(v, "operand") for v in operands]
    first = operands[0] if isinstance(operands[0], Value) else None  # named in an error message
    if not state.grad_enabled:  # no_grad(): the value alone, as a plain leaf
        out = prim.value(xs, first)
        if state.anomaly and not math.isfinite(out):
            raise AnomalyError(f"forward: {prim.name} of {', '.join(map(repr, xs))} is {out!r} (in no_grad)")
        return Value(out)
    out, local = prim.evaluate(xs, first)
    t = choose_tape([v._t for v in operands if v.__class__ is Node], TAPE_LENGTH)
    with nullcontext() if t.open else Tape.lock:  # a closed tape may take entries from any thread
        inputs = [_input(t, v, x) for v, x in zip(operands, xs)]
        if len(inputs) == 1:  # a unary primitive: no second input
            i = t.append(out, prim, inputs[0], None, local[0], 0.0)
        else:
            i = t.append(out, prim, inputs[0], inputs[1], local[0], local[1])
    if i >= TAPE_LENGTH:
        finish(t)
    node = node_at(t, i)
    if state.anomaly:
        check_forward(node)
    return node


def _binary(prim: Primitive) -> Callable[[object, object], Value]:
    """The fast path for x + y and x × y: `_record` written out for the common operands.

    Operands that are entries of this thread's current tape or of a full, older one, leaves or
    floats are recorded here, as `_record` would; anything else (a node of another tape, an int,
    no tape yet, `no_grad()`, `detect_anomaly()`) goes to `_record`.
    """
    forward, derivative = prim.forward, prim.derivative

    def record(a: object, b: object) -> Value:
        t = state.fast()
        if t is None:
            return _record(prim, a, b)
        value = t.value
        if a.__class__ is Node:
            ta = a._t
            if ta is t:
                pa: Input | None = a._i
                x = value[pa]  # type: ignore[index]
            elif ta.serial < t.serial and len(ta.value) >= TAPE_LENGTH:  # a full, older tape
                pa, x = t.link(ta, a._i), ta.value[a._i]
            else:
                return _record(prim, a, b)
        elif a.__class__ is Leaf:
            pa, x = a, a._data
        elif a.__class__ is float:
            pa, x = None, a
        else:
            return _record(prim, a, b)
        if b.__class__ is Node:
            tb = b._t
            if tb is t:
                pb: Input | None = b._i
                y = value[pb]  # type: ignore[index]
            elif tb.serial < t.serial and len(tb.value) >= TAPE_LENGTH:
                pb, y = t.link(tb, b._i), tb.value[b._i]
            else:
                return _record(prim, a, b)
        elif b.__class__ is Leaf:
            pb, y = b, b._data
        elif b.__class__ is float:
            pb, y = None, b
        else:
            return _record(prim, a, b)
        if t.older and a.__class__ is not Node and b.__class__ is not Node:
            return _record(prim, a, b)  # a new graph: `choose_tape` starts it on a fresh tape
        if pa is None:
            pa = t.append(x, None, None, None, 0.0, 0.0)  # a constant entry
        if pb is None:
            pb = t.append(y, None, None, None, 0.0, 0.0)
        out = forward(x, y)
        da, db = derivative(x, y, out)
        i = len(value)  # t.append(out, prim, pa, pb, da, db), written out
        value.append(out)
        t.op.append(prim)
        t.a.append(pa)
        t.b.append(pb)
        t.da.append(da)
        t.db.append(db)
        if i >= TAPE_LENGTH:
            finish(t)
        node: Node = _new(Node)
        node._t = t
        node._i = i
        return node

    record.__name__ = record.__qualname__ = f"_{prim.name}"
    return record


def _unary(prim: Primitive) -> Callable[[object], Value]:
    """The fast path for a one-input primitive (exp, relu, …), written out like `_binary`.

    An operand that is not an entry of the current tape or a leaf, and any value where the
    primitive fails (log of 0, …), go to `_record`, which records it or raises the named error.
    """
    forward, derivative = prim.forward, prim.derivative

    def record(a: object) -> Value:
        t = state.fast()
        if t is None:
            return _record(prim, a)
        if a.__class__ is Node:
            ta = a._t
            if ta is t:
                pa: Input = a._i
                x = t.value[pa]  # type: ignore[index]
            elif ta.serial < t.serial and len(ta.value) >= TAPE_LENGTH:  # a full, older tape
                pa, x = t.link(ta, a._i), ta.value[a._i]
            else:
                return _record(prim, a)
        elif a.__class__ is Leaf and not t.older:
            pa, x = a, a._data
        else:
            return _record(prim, a)
        try:
            out = forward(x)
            (da,) = derivative(x, out)
        except (ArithmeticError, ValueError):
            return _record(prim, a)
        i = t.append(out, prim, pa, None, da, 0.0)
        if i >= TAPE_LENGTH:
            finish(t)
        node: Node = _new(Node)
        node._t = t
        node._i = i
        return node

    record.__name__ = record.__qualname__ = f"_{prim.name}"
    return record


_add = _binary(ADD)  # a + b
_mul = _binary(MUL)  # a × b
_neg, _exp, _log = _unary(NEG), _unary(EXP), _unary(LOG)
_relu, _tanh, _reciprocal = _unary(RELU), _unary(TANH), _unary(RECIPROCAL)
_sin, _cos = _unary(SIN), _unary(COS)


# ---- Value, and its two kinds: Leaf and Node ---------------------------------------------------


class Value(Composed):
    """A scalar in a computation graph: its value, its gradient and how it was made.

    `Value(2.0, label="w")` makes a leaf (a `Leaf`): a number you set and whose gradient you
    read. Every operation on Values records a new node (a `Node`) that remembers its primitive
    (`op`), its inputs (`parents`, in operand order) and the local derivatives ∂self/∂parent
    (`local_grads`), computed as floats in the forward pass. `backward()` then applies the
    chain rule: ∂f/∂parent += ∂f/∂node · ∂node/∂parent.

    Args:
        data: The value: an int, float or numpy real scalar (bool and everything else is
            refused with TypeError).
        label: A name shown in tables, drawings and error messages.
    """

    if not TYPE_CHECKING:  # a Value has no slots of its own (mypy reads the fields below)
        __slots__ = ()

    _data: float
    _grad: float
    _label: str

    def __new__(cls, data: Number = 0.0, label: str = "") -> Value:
        # Value(…) makes a Leaf; the defaults let copy and pickle call cls.__new__(cls).
        return _new(Leaf if cls is Value else cls)

    def __init__(self, data: Number, label: str = "") -> None:
        self.label = label
        self.data = data
        self.grad = 0.0
        if state.anomaly and not math.isfinite(self.data):
            raise AnomalyError(f"{describe(self)} is made with a non-finite value {self.data!r}")

    @property
    def data(self) -> float:
        """The number this Value holds (set it to any real number)."""
        return self._data

    @data.setter
    def data(self, x: Number) -> None:
        self._data = to_float(x)

    @property
    def grad(self) -> float:
        """∂f/∂self, filled in by f.backward(); a leaf's is added to by every backward()."""
        return self._grad

    @grad.setter
    def grad(self, g: Number) -> None:
        self._grad = to_float(g, "grad")

    @property
    def label(self) -> str:
        """A name shown in tables, drawings and error messages ("" if none)."""
        return self._label

    @label.setter
    def label(self, label: str) -> None:
        self._label = check_label(label)

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

    __add__ = _add  # self + other: the fast path itself (a method around it would cost a call a node)

    def __radd__(self, other: Number) -> Value:
        return _add(other, self)

    __mul__ = _mul  # self × other

    def __rmul__(self, other: Number) -> Value:
        return _mul(other, self)

    def __neg__(self) -> Value:
        return _neg(self)

    def __pos__(self) -> Value:
        return self

    def __pow__(self, exponent: object) -> Value:
        """xᶜ for a plain number c: ∂/∂x = c·xᶜ⁻¹."""
        if isinstance(exponent, Value):
            raise TypeError(
                "the exponent of ** must be a plain number, not a Value; for a Value exponent y "
                "write (y * x.log()).exp()"
            )
        c = to_float(exponent, "exponent")
        if not math.isfinite(c):
            raise ValueError(
                f"the exponent c of x ** c must be finite, got c = {c!r} (x is {describe(self)})"
            )
        return _record(power(c), self)

    def exp(self) -> Value:
        """eˣ: ∂/∂x = eˣ."""
        return _exp(self)

    def log(self) -> Value:
        """ln x for x > 0: ∂/∂x = 1/x."""
        return _log(self)

    def relu(self) -> Value:
        """max(0, x): ∂/∂x = 1 for x > 0, 0 for x ≤ 0."""
        return _relu(self)

    def tanh(self) -> Value:
        """tanh x: ∂/∂x = 1 − tanh²x."""
        return _tanh(self)

    def sin(self) -> Value:
        """sin x: ∂/∂x = cos x."""
        return _sin(self)

    def cos(self) -> Value:
        """cos x: ∂/∂x = −sin x."""
        return _cos(self)

    def reciprocal(self) -> Value:
        """1/x for x ≠ 0: ∂/∂x = −1/x²."""
        return _reciprocal(self)

    def backward(self) -> None:
        """Fill in ∂self/∂node for every node of the graph that ends in self.

        This is the chain rule of `autograd.backprop` — ∂f/∂f = 1, then for every node, newest
        first: ∂f/∂parent += ∂f/∂node · ∂node/∂parent — run over the tape, where the nodes are
        already listed in the order they were made (see `Tape.backprop`). No recursion, so a
        chain of a million operations is fine.

        Calling it again: intermediate nodes are recomputed from zero, while leaves accumulate,
        as in PyTorch — a second call adds the same gradient to every leaf once more. Use
        `autograd.zero_grad(root)` (or an optimiser's `zero_grad()`) to start afresh.
        """
        self.grad += 1.0  # a leaf on its own: ∂f/∂f = 1 (Node.backward does the real work)

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

    __slots__ = ("_data", "_grad", "_label")


class Node(Value):
    """An operation's output: a handle on its entry in a tape, (tape, index).

    Its value, gradient and label live in the tape; two handles on the same entry (the one an
    operation returned and one from `parents` or `topological_order`) are equal.
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
        hook = state.on_read  # autograd.trace watches which values fn reads (modes.watch_reads)
        if hook is not None:
            return hook(self, self._t.value[self._i])
        return self._t.value[self._i]

    @data.setter
    def data(self, x: Number) -> None:
        self._t.value[self._i] = to_float(x)

    @property
    def grad(self) -> float:
        """∂f/∂self from the latest backward() through this node's tape (0 where it did not reach)."""
        grads, i = self._t.grad, self._i
        g = grads[i] if i < len(grads) else None
        return 0.0 if g is None else g

    @grad.setter
    def grad(self, g: Number) -> None:
        grads = self._t.grad
        if len(grads) <= self._i:
            grads.extend([None] * (self._i + 1 - len(grads)))
        grads[self._i] = to_float(g, "grad")

    @property
    def label(self) -> str:
        """A name shown in tables, drawings and error messages ("" if none)."""
        return self._t.labels.get(self._i, "")

    @label.setter
    def label(self, label: str) -> None:
        if check_label(label):
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
        t, i = self._t, self._i
        return tuple(_value_of(t, p) for p in (t.a[i], t.b[i]) if p is not None)

    @property
    def local_grads(self) -> tuple[float, ...]:
        t, i = self._t, self._i
        inputs = (t.a[i] is not None) + (t.b[i] is not None)
        return (t.da[i], t.db[i])[:inputs]

    @property
    def is_leaf(self) -> bool:
        return self._t.op[self._i] is None

    is_constant = is_leaf  # a node with no primitive is a constant entry

    def __eq__(self, other: object) -> bool:
        return other.__class__ is Node and other._t is self._t and other._i == self._i

    def __hash__(self) -> int:
        return hash((id(self._t), self._i))

    def backward(self) -> None:
        finish(self._t)  # the graph is complete: the thread's next operation starts a new tape
        if state.anomaly:
            checked_backward(self._t, self._i, lambda t, i: describe(node_at(t, i)))
        else:
            backward(self._t, self._i)


def node_at(t: Tape, i: int) -> Node:
    """A handle on entry i of tape t."""
    node: Node = _new(Node)
    node._t = t
    node._i = i
    return node


def _value_of(t: Tape, p: Input) -> Value:
    """The Value an input of tape t stands for: an earlier entry, an older tape's entry, or a leaf."""
    if p.__class__ is int:
        return node_at(t, p) if p >= 0 else node_at(*t.linked(p))
    return p  # type: ignore[return-value]


def _input(t: Tape, v: object, x: float) -> Input:
    """What tape t records for the operand v (with value x); a plain number becomes a constant entry."""
    if v.__class__ is Node:
        return v._i if v._t is t else t.link(v._t, v._i)
    if isinstance(v, Value):
        return v  # a leaf
    return t.append(x, None, None, None, 0.0, 0.0)
