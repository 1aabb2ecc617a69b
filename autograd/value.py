"""`Value`: one float in a dynamic computation graph, and `backward()`, the chain rule in one loop."""

from __future__ import annotations

import gc
import math
import numbers
import reprlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from .ops import PRIMITIVES, Primitive, format_number, power

__all__ = [
    "AnomalyError",
    "Constant",
    "Number",
    "Value",
    "describe",
    "detect_anomaly",
    "pause_gc",
    "topological_order",
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

_anomaly = False  # switched on only inside `with detect_anomaly():`
_short = reprlib.Repr()
_short.maxstring = 40
_short.maxother = 40


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


def describe(node: Value) -> str:
    """Name a node for a message: "node 'w'", "an unlabelled add node" or "the constant 2"."""
    if node.label:
        kind = "leaf" if node._op is None else node._op.name
        return f"node {node.label!r} ({kind})"
    if isinstance(node, Constant):
        return f"the constant {format_number(node.data)}"
    if node._op is None:
        return f"an unlabelled leaf with value {node.data!r}"
    return f"an unlabelled {node._op.name} node"


def _binary_operation(prim: Primitive) -> Callable[[Value, Value | Number], Value]:
    """Make the function that records prim(a, b) as a new node; `Value.__add__` is one of these.

    A plain number b becomes a Constant. The node's value and its two local derivatives come
    from prim's row in the table (`prim.forward`, `prim.derivative`); both are looked up once,
    here, and `a + b` then costs a single Python call (plus the derivative rule's).
    """
    forward = prim.forward
    derivative = prim.derivative

    def record(a: Value, b: Value | Number) -> Value:
        if not isinstance(b, Value):
            b = _lift(b)
        x = a.data
        y = b.data
        out = forward(x, y)
        node: Value = _new(Value)
        node.data = out
        node.grad = 0.0
        node.label = ""
        node._op = prim
        node._a = a
        node._b = b
        node._da, node._db = derivative(x, y, out)
        if _anomaly:
            _check_forward(prim, node)
        return node

    record.__name__ = record.__qualname__ = f"_{prim.name}"
    record.__doc__ = f"Record the node {prim.formula} ({prim.name}) for x = a, y = b."
    return record


_add = _binary_operation(ADD)  # a + b
_mul = _binary_operation(MUL)  # a × b


class Value:
    """A scalar in a computation graph: its value, its gradient and how it was made.

    A leaf is made by hand, `Value(2.0, label="w")`; every operation on Values makes a new
    node that remembers its primitive (`op`), its inputs (`parents`, in operand order) and
    the local derivatives ∂self/∂parent (`local_grads`), computed as floats in the forward
    pass. `backward()` then applies the chain rule: ∂f/∂parent += ∂f/∂self · ∂self/∂parent.

    Args:
        data: The value: an int, float or numpy real scalar (bool and everything else is
            refused with TypeError).
        label: A name shown in tables, drawings and error messages.
    """

    # Every primitive has one or two inputs, so a node keeps them in two slots rather than
    # a tuple: about 120 bytes a node, and no reference cycles for the garbage collector.
    __slots__ = ("data", "grad", "label", "_op", "_a", "_b", "_da", "_db")

    data: float
    grad: float
    label: str
    _op: Primitive | None
    _a: Value | None
    _b: Value | None
    _da: float
    _db: float

    def __init__(self, data: Number, label: str = "") -> None:
        if type(label) is not str:
            raise TypeError(f"label must be a str, got {type(label).__name__} {_short.repr(label)}")
        self.data = _to_float(data)
        self.grad = 0.0
        self.label = label
        self._op = None
        self._a = self._b = None
        self._da = self._db = 0.0
        if _anomaly and not math.isfinite(self.data):
            raise AnomalyError(f"{describe(self)} is made with a non-finite value {self.data!r}")

    # ---- read-only graph structure ---------------------------------------------------------

    @property
    def op(self) -> str:
        """The primitive's name ("mul", "exp", …); "" for a leaf."""
        return "" if self._op is None else self._op.name

    @property
    def primitive(self) -> Primitive | None:
        """The primitive that made this node (its row in `autograd.ops`), None for a leaf."""
        return self._op

    @property
    def parents(self) -> tuple[Value, ...]:
        """The inputs in operand order; `a + a` lists `a` twice."""
        if self._a is None:
            return ()
        if self._b is None:
            return (self._a,)
        return (self._a, self._b)

    @property
    def local_grads(self) -> tuple[float, ...]:
        """∂self/∂parent for each entry of `parents`, computed in the forward pass."""
        return (self._da, self._db)[: len(self.parents)]

    @property
    def is_leaf(self) -> bool:
        """True for a Value made by hand or a constant, False for an operation's output."""
        return self._op is None

    @property
    def is_constant(self) -> bool:
        """True for a plain number that an expression wrapped, such as the 1 in `x + 1`."""
        return isinstance(self, Constant)

    # ---- arithmetic: each method records one primitive, or a short composition ----------

    __add__ = _add  # self + other: one add node
    __mul__ = _mul  # self × other: one mul node

    def __radd__(self, other: Number) -> Value:
        return _add(_lift(other), self)

    def __rmul__(self, other: Number) -> Value:
        return _mul(_lift(other), self)

    def __neg__(self) -> Value:
        return _unary(NEG, self)

    def __pos__(self) -> Value:
        return self

    def __sub__(self, other: Value | Number) -> Value:
        """x − y = x + (−y); a plain number is negated on the spot."""
        if isinstance(other, Value):
            return _add(self, _unary(NEG, other))
        return _add(self, Constant(-_to_float(other, "operand")))

    def __rsub__(self, other: Number) -> Value:
        return _add(_lift(other), _unary(NEG, self))

    def __truediv__(self, other: Value | Number) -> Value:
        """x / y = x · (1/y); dividing by a plain number c multiplies by the constant 1/c."""
        if isinstance(other, Value):
            return _mul(self, _unary(RECIPROCAL, other))
        c = _to_float(other, "divisor")
        if c == 0.0:
            raise ZeroDivisionError(f"division by zero: {describe(self)} / 0 (the divisor must be ≠ 0)")
        return _mul(self, Constant(1.0 / c))

    def __rtruediv__(self, other: Number) -> Value:
        """c / x = c · (1/x); `1 / x` is the reciprocal alone, with no × 1 node."""
        c = _to_float(other, "operand")
        inverse = _unary(RECIPROCAL, self)
        return inverse if c == 1.0 else _mul(Constant(c), inverse)

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
        return _unary(EXP, _mul(self, Constant(math.log(c))))

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

        Nodes are visited in reverse topological order (found without recursion, so a chain of
        a million operations is fine), and each pushes its gradient to its parents:
        ∂f/∂parent += ∂f/∂node · ∂node/∂parent.

        Calling it again: intermediate nodes are recomputed from zero, while leaves accumulate,
        as in PyTorch — a second call adds the same gradient to every leaf once more. Use
        `autograd.zero_grad(root)` (or an optimiser's `zero_grad()`) to start afresh.
        """
        order = topological_order(self)
        for node in order:  # intermediate gradients are recomputed, never accumulated
            if node._op is not None:
                node.grad = 0.0
        self.grad += 1.0  # ∂f/∂f = 1
        for node in reversed(order):  # the chain rule
            g = node.grad
            if _anomaly and not math.isfinite(g):
                raise AnomalyError(f"backward: the gradient of {describe(node)} is {g!r}")
            a = node._a
            if a is not None:
                a.grad += node._da * g
                b = node._b
                if b is not None:
                    b.grad += node._db * g

    # ---- conversions -----------------------------------------------------------------------

    def __float__(self) -> float:
        return self.data

    def __repr__(self) -> str:
        parts = [f"label={self.label!r}"] if self.label else []
        parts += [f"data={self.data!r}", f"grad={self.grad!r}"]
        if self._op is not None:
            parts.append(f"op={self._op.name!r}")
        return f"Value({', '.join(parts)})"


class Constant(Value):
    """A plain number that an expression wrapped into the graph, such as the 1 in `x + 1`."""

    __slots__ = ()


def _lift(x: Value | Number) -> Value:
    """Return x if it is a Value, else wrap the number as a Constant."""
    if isinstance(x, Value):
        return x
    return Constant(_to_float(x, "operand"))


_new = object.__new__


def _unary(prim: Primitive, a: Value) -> Value:
    """Make the node prim(a), with its local derivative."""
    x = a.data
    try:
        out = prim.forward(x)
    except (ArithmeticError, ValueError) as exc:
        raise type(exc)(
            f"{prim.name} of {x!r} cannot be computed: {prim.formula} needs {prim.domain}; "
            f"its input is {describe(a)}"
        ) from None
    # The same fields as record() in _binary_operation sets, written out in both places on
    # purpose: a shared helper would add a Python call to every node (~5% on the deep chain).
    node: Value = _new(Value)
    node.data = out
    node.grad = 0.0
    node.label = ""
    node._op = prim
    node._a = a
    node._b = None
    (node._da,) = prim.derivative(x, out)
    node._db = 0.0
    if _anomaly:
        _check_forward(prim, node)
    return node


def _check_forward(prim: Primitive, node: Value) -> None:
    """Inside detect_anomaly(): raise if the new node's value or local derivatives are not finite."""
    if math.isfinite(node.data) and all(map(math.isfinite, node.local_grads)):
        return
    inputs = ", ".join(f"{describe(p)} = {p.data!r}" for p in node.parents)
    raise AnomalyError(
        f"forward: {describe(node)} computed {prim.formula} = {node.data!r} "
        f"with local derivatives {node.local_grads!r} from {inputs}"
    )


def topological_order(root: Value) -> list[Value]:
    """Every node of the graph that ends in root, each after all of its parents (leaves first).

    Depth-first search with an explicit stack instead of recursion, so depth is unlimited:
    the stack holds the path from root to the node being explored; a node is listed (and
    popped) once none of its parents is left unseen. The stack holds only nodes, so the
    walk allocates nothing per node but its entry in `seen` and in the result.

    Args:
        root: The node whose graph is listed.

    Returns:
        A list of distinct nodes; root is last.
    """
    if not isinstance(root, Value):
        raise TypeError(f"root must be a Value, got {type(root).__name__} {_short.repr(root)}")
    order: list[Value] = []
    seen = {root}
    path = [root]  # the nodes being explored, each one a parent of the one below it
    while path:
        node = path[-1]
        a = node._a
        if a is not None and a not in seen:  # go down to a parent not seen yet
            seen.add(a)
            path.append(a)
            continue
        b = node._b
        if b is not None and b not in seen:
            seen.add(b)
            path.append(b)
            continue
        order.append(path.pop())  # every parent is listed: list the node itself
    return order


def zero_grad(root: Value) -> None:
    """Set .grad = 0 on every node of the graph that ends in root, leaves included."""
    for node in topological_order(root):
        node.grad = 0.0


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
    """Opt-in speed-up: switch off Python's cyclic garbage collector inside the block.

    backproplab's graphs contain no reference cycles, so each node is freed as soon as the last
    reference to it goes; the cyclic collector finds nothing to free in them, yet while a large
    graph grows it keeps walking every node (roughly once per 25% of growth). Inside
    `with autograd.pause_gc():` it does not run, which saves that time on big graphs. The
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
