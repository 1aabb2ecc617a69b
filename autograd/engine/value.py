"""`Value`: one number in a graph, and how each operation on Values records a node of it."""

from __future__ import annotations

import math

from ..common import failures
from ..common.checks import Number, check_label, to_float
from ..common.text import describe
from .backward import backprop
from .flags import AnomalyError, flags
from .primitives import PRIMITIVES, Primitive, power

__all__ = ["Constant", "Value"]

ADD, MUL, NEG, EXP, RECIPROCAL, LOG, RELU, TANH, SIN, COS = (
    PRIMITIVES[name]
    for name in ("add", "mul", "neg", "exp", "reciprocal", "log", "relu", "tanh", "sin", "cos")
)

_new = object.__new__


class Value:
    """A number in a computation graph: its value, its gradient, and how it was made.

    `Value(2.0, label="w")` makes a leaf: a number you set and whose gradient you read. Every
    operation on Values records a new Value, a node of the graph, that remembers its
    `primitive` (its row of the table), its `parents` (the inputs, in operand order) and
    their `local_grads` ∂node/∂parent, computed as floats in the forward pass. `backward()`
    then applies the chain rule: ∂f/∂parent += ∂f/∂node · ∂node/∂parent.

    Args:
        data: The value: an int, float or numpy real scalar (bool and everything else is
            refused with TypeError).
        label: A name shown in tables, drawings and error messages.

    Attributes:
        primitive: The primitive that made this node (a row of `PRIMITIVES`), None for a leaf.
        parents: The inputs in operand order, () for a leaf; `a + a` lists `a` twice.
        local_grads: ∂self/∂parent for each entry of `parents`, floats from the forward pass.
    """

    __slots__ = ("_data", "_grad", "_label", "primitive", "parents", "local_grads")

    #: True only for a plain number an expression recorded, such as the 1 in `x + 1` (a `Constant`).
    is_constant = False

    def __init__(self, data: Number, label: str = "") -> None:
        self._data = to_float(data)
        self._grad = 0.0
        self._label = check_label(label)
        self.primitive: Primitive | None = None
        self.parents: tuple[Value, ...] = ()
        self.local_grads: tuple[float, ...] = ()
        if flags.anomaly and not math.isfinite(self._data):
            raise AnomalyError(f"{describe(self)} is made with a non-finite value {self._data!r}")

    @property
    def data(self) -> float:
        """The number this Value holds (set it to any real number)."""
        hook = flags.on_read  # set while autograd.trace watches what your code reads
        return self._data if hook is None else hook(self, self._data)

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
        return "" if self.primitive is None else self.primitive.name

    @property
    def is_leaf(self) -> bool:
        """True for a Value made by hand or a constant, False for an operation's output."""
        return self.primitive is None

    # ---- the primitives: each records one node ------------------------------------------------

    def __add__(self, other: Value | Number) -> Value:
        """x + y: ∂/∂x = 1, ∂/∂y = 1."""
        return _record(ADD, (self, _operand(other)))

    def __radd__(self, other: Number) -> Value:
        return _record(ADD, (_operand(other), self))

    def __mul__(self, other: Value | Number) -> Value:
        """x × y: ∂/∂x = y, ∂/∂y = x."""
        return _record(MUL, (self, _operand(other)))

    def __rmul__(self, other: Number) -> Value:
        return _record(MUL, (_operand(other), self))

    def __neg__(self) -> Value:
        """−x: ∂/∂x = −1."""
        return _record(NEG, (self,))

    def exp(self) -> Value:
        """eˣ: ∂/∂x = eˣ."""
        return _record(EXP, (self,))

    def reciprocal(self) -> Value:
        """1/x for x ≠ 0: ∂/∂x = −1/x²."""
        return _record(RECIPROCAL, (self,))

    def log(self) -> Value:
        """ln x for x > 0: ∂/∂x = 1/x."""
        return _record(LOG, (self,))

    def relu(self) -> Value:
        """max(0, x): ∂/∂x = 1 for x > 0, 0 for x ≤ 0."""
        return _record(RELU, (self,))

    def tanh(self) -> Value:
        """tanh x: ∂/∂x = 1 − tanh²x."""
        return _record(TANH, (self,))

    def sin(self) -> Value:
        """sin x: ∂/∂x = cos x."""
        return _record(SIN, (self,))

    def cos(self) -> Value:
        """cos x: ∂/∂x = −sin x."""
        return _record(COS, (self,))

    def __pow__(self, exponent: object) -> Value:
        """xᶜ for a plain number c: ∂/∂x = c·xᶜ⁻¹."""
        if isinstance(exponent, Value):
            raise TypeError(
                f"the exponent of ** must be a plain number, not a Value ({describe(exponent)}); "
                "for a Value exponent y write (y * x.log()).exp()"
            )
        c = to_float(exponent, "exponent")
        if not math.isfinite(c):
            raise ValueError(
                f"the exponent c of x ** c must be finite, got c = {c!r} (x is {describe(self)})"
            )
        return _record(power(c), (self,))

    # ---- composed from the primitives: no rule of their own, the chain rule gives theirs --------

    def __pos__(self) -> Value:
        return self

    def __sub__(self, other: Value | Number) -> Value:
        """x − y = x + (−y); a plain number is negated on the spot."""
        if isinstance(other, Value):
            return self + -other
        return self + -to_float(other, "operand")

    def __rsub__(self, other: Number) -> Value:
        """c − x = c + (−x)."""
        return to_float(other, "operand") + -self

    def __truediv__(self, other: Value | Number) -> Value:
        """x / y = x · (1/y); dividing by a plain number c multiplies by the constant 1/c."""
        if isinstance(other, Value):
            return self * other.reciprocal()
        c = to_float(other, "divisor")
        if c == 0.0:
            raise ZeroDivisionError(f"division by zero: {describe(self)} / 0 (the divisor must be ≠ 0)")
        return self * (1.0 / c)

    def __rtruediv__(self, other: Number) -> Value:
        """c / x = c · (1/x); `1 / x` is the reciprocal alone, with no × 1 node."""
        c = to_float(other, "operand")
        inverse = self.reciprocal()
        return inverse if c == 1.0 else c * inverse

    def __rpow__(self, base: Number) -> Value:
        """cˣ = exp(x · ln c) for a plain number c > 0."""
        c = to_float(base, "base")
        if not c > 0.0:
            raise ValueError(f"c ** x needs a base c > 0, got c = {c!r} (x is {describe(self)})")
        return (self * math.log(c)).exp()

    def sigmoid(self) -> Value:
        """σ(x) = 1/(1 + e⁻ˣ), composed from neg, exp, add and reciprocal: σ′ = σ(1 − σ).

        For x ≥ 0 this is 1/(exp(−x) + 1), the four nodes of the lecture notes; for x < 0 it
        is eˣ · 1/(eˣ + 1), so that exp never overflows (σ(−1000) = 0, σ(1000) = 1).
        """
        if self.data >= 0.0:  # a branch on the value: autograd.trace guards it
            return 1 / ((-self).exp() + 1)
        e = self.exp()
        return e / (e + 1)

    # ---- the backward pass ----------------------------------------------------------------------

    def backward(self) -> None:
        """Fill in .grad = ∂self/∂node on every node of the graph that ends in self.

        The gradients are those of `autograd.backprop(self)`, the chain rule's one loop over
        the graph in topological order (see backward.py). Every node of the graph gets this
        backward's gradient, except a leaf you made, which adds it to its .grad: a second call
        adds the same gradients once more, as in PyTorch. `autograd.zero_grad(root)` (or an
        optimiser's `zero_grad()`) starts afresh.

        Raises:
            AnomalyError: Inside `detect_anomaly()`, a gradient is not finite (nothing is written).
        """
        grads = backprop(self)
        if flags.anomaly:
            for node, g in grads.items():  # the output first, then back towards the inputs
                if not math.isfinite(g):
                    raise AnomalyError(f"backward: the gradient of {describe(node)} is {g!r}")
        for node, g in grads.items():
            if node.primitive is None and not node.is_constant:
                node._grad += g  # a leaf you made: gradients add up over backward() calls
            else:
                node._grad = g

    def __float__(self) -> float:
        raise TypeError(
            f"{describe(self)} is a Value, not a float: math.exp(v) or float(v) would take its number "
            "out of the graph, and the gradient would silently be lost. Stay in the graph with the "
            "Value's own methods (v.exp(), v.log(), v.tanh(), …), or read the plain number as v.data."
        )

    def __bool__(self) -> bool:
        raise TypeError(
            f"{describe(self)} is a Value, not a truth value: instead of `if v:` write `if v.data != 0:`"
        )

    def _compare(self, other: object) -> bool:
        raise TypeError(f"{describe(self)} is a Value: compare its number instead, as in `if v.data > 0:`")

    __lt__ = __le__ = __gt__ = __ge__ = _compare

    def __repr__(self) -> str:
        parts = [f"label={self._label!r}"] if self._label else []
        parts += [f"data={self._data!r}", f"grad={self._grad!r}"]
        if self.primitive is not None:
            parts.append(f"op={self.primitive.name!r}")
        return f"Value({', '.join(parts)})"


class Constant(Value):
    """A plain number that an expression recorded, such as the 1 in `x + 1`: a leaf that is no parameter.

    It has no parents, so nothing flows back past it; its .grad, ∂f/∂c, is recomputed by each
    backward() rather than added up. The engine makes these; you never need to.
    """

    __slots__ = ()
    is_constant = True

    def __init__(self, c: Number) -> None:
        self._data = to_float(c, "operand")
        self._grad = 0.0
        self._label = ""
        self.primitive = None
        self.parents = ()
        self.local_grads = ()


def _operand(x: Value | Number) -> Value:
    """An operand as a Value: a plain number becomes a `Constant`."""
    return x if isinstance(x, Value) else Constant(x)


def _record(prim: Primitive, parents: tuple[Value, ...]) -> Value:
    """One operation's forward pass: its value and local derivatives from the table, kept in a new node.

    Inside `no_grad()` only the value is computed, and the result is a plain leaf.
    """
    first = parents[0]
    xs = (first._data,) if len(parents) == 1 else (first._data, parents[1]._data)
    if not flags.grad_enabled:
        out = failures.value(prim, xs, first)
        if flags.anomaly and not math.isfinite(out):
            raise AnomalyError(f"forward: {prim.name} of {', '.join(map(repr, xs))} is {out!r} (in no_grad)")
        return Value(out)
    try:
        out = prim.forward(*xs)
        local = prim.derivative(*xs, out)
    except (ArithmeticError, ValueError):  # the usual path skips the checks; on an error,
        failures.evaluate(prim, xs, first)  # raises it again with a message naming the node
        raise
    node = _new(Value)
    node._data, node._grad, node._label = out, 0.0, ""
    node.primitive, node.parents, node.local_grads = prim, parents, local
    if flags.anomaly and not (math.isfinite(out) and all(map(math.isfinite, local))):
        inputs = ", ".join(f"{describe(p)} = {p._data!r}" for p in parents)
        raise AnomalyError(
            f"forward: {describe(node)} computed {prim.formula} = {out!r} "
            f"with local derivatives {local!r} from {inputs}"
        )
    return node
