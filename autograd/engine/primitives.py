"""The table of primitives: each one's forward rule and local derivatives side by side, and STOP."""

from __future__ import annotations

import math
import operator
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from ..common.text import format_number

__all__ = ["PRIMITIVES", "STOP", "Primitive", "power"]


@dataclass(frozen=True)
class Primitive:
    """One differentiable operation on floats.

    Attributes:
        name: Short name recorded on every node the primitive makes ("mul").
        symbol: What a drawing puts inside the node ("×").
        formula: The function, written with x (and y) for the inputs ("x × y").
        forward: The forward rule on plain floats: forward(x) or forward(x, y).
        derivative: The local derivatives ∂out/∂input, one per input, as a function of
            the inputs and the output: derivative(x, out) or derivative(x, y, out).
        derivative_text: The same derivatives written out for display ("y", "x").
        doc: The primitive's docstring: f and f′ in one line ("f(x, y) = x · y; ∂f/∂x = y, ∂f/∂y = x").
        domain: Where the forward rule is defined, for error messages ("x ≠ 0").
        graph_derivative: The same local derivatives built from Values instead of floats, so
            that they are recorded and can be differentiated again (`grad(…, create_graph=True)`):
            graph_derivative(x, out) or graph_derivative(x, y, out) with Values x, y, out; a
            plain number in the result is a constant. None where `derivative` itself, written
            with + − × / only, already does this when given Values.
        code: For `autograd.trace`'s generated program (optional): the forward rule and then
            each local derivative as a Python expression in {x}, {y} and {out} that computes
            the very same float as `forward` and `derivative` ("{x} * {y}", "{y}", "{x}").
            Empty: the program calls `forward` and `derivative` instead.
        masks: The local derivative can be `STOP` (relu for x ≤ 0, and x⁰): a zero that passes
            nothing back. A traced program's numpy form, which cannot hold STOP, applies the rule
            itself for these rows.
        exponent: pow's constant exponent c (None for the other rows).
    """

    name: str
    symbol: str
    formula: str
    forward: Callable[..., float]
    derivative: Callable[..., tuple[float, ...]]
    derivative_text: tuple[str, ...]
    doc: str
    domain: str = "every real x"
    graph_derivative: Callable[..., tuple[Any, ...]] | None = None
    code: tuple[str, ...] = ()
    masks: bool = False
    exponent: float | None = None

    def __deepcopy__(self, memo: dict[int, object]) -> Primitive:
        return self  # a row of the table is shared, never copied

    def __reduce__(self) -> tuple[object, ...]:
        """Pickled as a reference to its row of the table (its functions are not picklable)."""
        return (power, (self.exponent,)) if self.exponent is not None else (_row, (self.name,))

    @property
    def arity(self) -> int:
        """How many inputs the primitive takes (1 or 2)."""
        return len(self.derivative_text)


_ONE_ONE = (1.0, 1.0)  # ∂(x + y)/∂x, ∂(x + y)/∂y: shared, so an add node allocates nothing for it
_MINUS_ONE = (-1.0,)
_ONE = (1.0,)


class _Stop(float):
    """The type of `STOP`: a zero whose product with anything is 0."""

    __slots__ = ()

    def __mul__(self, other: object) -> float:
        return 0.0

    __rmul__ = __mul__

    def __reduce__(self) -> tuple[object, ...]:
        return (_stop, ())


#: The local derivative of a primitive that is switched off: relu for x ≤ 0, and x⁰, which does
#: not depend on x. It is 0, and it stops the gradient altogether, as in PyTorch: STOP · g = 0
#: even for g = ∞ or nan, where the IEEE product 0 · ∞ would be nan. The chain rule's loop
#: multiplies local × upstream for every edge, and this is the one place the exception lives.
STOP = _Stop(0.0)
_STOP = (STOP,)


def _stop() -> float:
    """STOP itself (how a pickled or copied local derivative comes back)."""
    return STOP


def _reciprocal(x: float) -> float:
    """1/x, raising ZeroDivisionError at x = 0 (the engine adds which node it was)."""
    return 1.0 / x


def _relu(x: float) -> float:
    """max(0, x); a NaN input stays NaN, as in every other primitive."""
    return 0.0 if x <= 0.0 else x


#: The whole calculus of the engine: one row per primitive, its f and f′ side by side.
PRIMITIVES: dict[str, Primitive] = {
    p.name: p
    for p in (
        Primitive(
            name="add",
            doc="f(x, y) = x + y; ∂f/∂x = 1, ∂f/∂y = 1",
            symbol="+",
            formula="x + y",
            forward=operator.add,
            derivative=lambda x, y, out: _ONE_ONE,
            derivative_text=("1", "1"),
            code=("{x} + {y}", "1.0", "1.0"),
        ),
        Primitive(
            name="mul",
            doc="f(x, y) = x · y; ∂f/∂x = y, ∂f/∂y = x",
            symbol="×",
            formula="x × y",
            forward=operator.mul,
            derivative=lambda x, y, out: (y, x),
            derivative_text=("y", "x"),
            code=("{x} * {y}", "{y}", "{x}"),
        ),
        Primitive(
            name="neg",
            doc="f(x) = −x; f′(x) = −1",
            symbol="−",
            formula="−x",
            forward=operator.neg,
            derivative=lambda x, out: _MINUS_ONE,
            derivative_text=("−1",),
            code=("-{x}", "-1.0"),
        ),
        Primitive(
            name="exp",
            doc="f(x) = eˣ; f′(x) = eˣ = f(x)",
            symbol="exp",
            formula="exp(x)",
            forward=math.exp,  # raises OverflowError past x ≈ 709.78
            derivative=lambda x, out: (out,),
            derivative_text=("exp(x)",),
            code=("exp({x})", "{out}"),
            domain="x ≤ 709.78 (larger results overflow float64)",
        ),
        Primitive(
            name="reciprocal",
            doc="f(x) = 1/x; f′(x) = −1/x² = −f(x)²",
            symbol="1/·",  # not "1/x": x is often one of the inputs' names
            formula="1/x",
            forward=_reciprocal,
            derivative=lambda x, out: (-out * out,),
            derivative_text=("−1/x²",),
            code=("1.0 / {x}", "-{out} * {out}"),
            domain="x ≠ 0",
        ),
        Primitive(
            name="log",
            doc="f(x) = ln x; f′(x) = 1/x",
            symbol="log",
            formula="log(x)",
            forward=math.log,  # ValueError for x ≤ 0 (the engine names the node)
            derivative=lambda x, out: (1.0 / x,),
            derivative_text=("1/x",),
            code=("log({x})", "1.0 / {x}"),
            domain="x > 0",
        ),
        Primitive(
            name="relu",
            doc="f(x) = max(0, x); f′(x) = 1 if x > 0 else 0 (0 at the kink x = 0)",
            symbol="relu",
            formula="relu(x)",
            forward=_relu,
            derivative=lambda x, out: _STOP if x <= 0.0 else _ONE,  # nan: 1, passing nan on as PyTorch
            derivative_text=("1 if x > 0 else 0",),
            # a constant 1 or 0, as in PyTorch: the second derivative is 0 everywhere, the kink included
            graph_derivative=lambda x, out: _STOP if x._data <= 0.0 else _ONE,
            code=("(0.0 if {x} <= 0.0 else {x})", "(STOP if {x} <= 0.0 else 1.0)"),
            masks=True,
        ),
        Primitive(
            name="tanh",
            doc="f(x) = tanh x; f′(x) = 1 − tanh²x = 1 − f(x)²",
            symbol="tanh",
            formula="tanh(x)",
            forward=math.tanh,
            derivative=lambda x, out: (1.0 - out * out,),
            derivative_text=("1 − tanh²(x)",),
            code=("tanh({x})", "1.0 - {out} * {out}"),
        ),
        Primitive(
            name="sin",
            doc="f(x) = sin x; f′(x) = cos x",
            symbol="sin",
            formula="sin(x)",
            forward=math.sin,
            derivative=lambda x, out: (math.cos(x),),
            derivative_text=("cos(x)",),
            graph_derivative=lambda x, out: (x.cos(),),
            domain="finite x (sin and cos of ±∞ are undefined)",
        ),
        Primitive(
            name="cos",
            doc="f(x) = cos x; f′(x) = −sin x",
            symbol="cos",
            formula="cos(x)",
            forward=math.cos,
            derivative=lambda x, out: (-math.sin(x),),
            derivative_text=("−sin(x)",),
            graph_derivative=lambda x, out: (-x.sin(),),
            domain="finite x (sin and cos of ±∞ are undefined)",
        ),
    )
}


@lru_cache(maxsize=256)
def power(c: float) -> Primitive:
    """The primitive x ↦ xᶜ for one constant exponent c; f′(x) = c·xᶜ⁻¹.

    Each exponent gets its own row (cached), so a node needs no extra room to remember c.

    Args:
        c: The exponent, a finite float.

    Returns:
        A Primitive named "pow" whose formula and derivative text show c.
    """
    c_text = format_number(c)
    cm1_text = format_number(c - 1.0)

    def forward(x: float) -> float:
        if x == 0.0 and c < 0.0:
            raise ZeroDivisionError  # the engine's message says x ≠ 0 is needed, naming the node
        return math.pow(x, c)  # ValueError for a negative base and a fractional exponent

    def derivative(x: float, out: float) -> tuple[float, ...]:
        if c == 0.0:
            return _STOP  # x⁰ = 1 does not depend on x
        if x == 0.0:  # c·0^(c−1): 0 for c > 1, 1 for c = 1, unbounded for 0 < c < 1
            return (0.0,) if c > 1.0 else (1.0,) if c == 1.0 else (math.inf,)
        return (c * math.pow(x, c - 1.0),)

    def graph_derivative(x: Any, out: Any) -> tuple[Any, ...]:
        if c == 0.0:
            return _STOP
        if c == 1.0:
            return _ONE
        if x._data == 0.0 and c < 1.0:
            return (math.inf,)  # c·0^(c−1) is unbounded for 0 < c < 1, as `derivative` says
        return (c * (x if c == 2.0 else x ** (c - 1.0)),)

    domain = "every real x"
    if c < 0.0:
        domain = "x ≠ 0" if c.is_integer() else "x > 0"
    elif not c.is_integer():
        domain = "x ≥ 0"
    return Primitive(
        name="pow",
        symbol=f"^{c_text}",
        formula=f"x^{c_text}",
        forward=forward,
        derivative=derivative,
        derivative_text=(f"{c_text}·x^{cm1_text}",),
        doc=f"f(x) = x^{c_text}; f′(x) = {c_text}·x^{cm1_text}",
        domain=domain,
        graph_derivative=graph_derivative,
        masks=c == 0.0,
        exponent=c,
    )


def _row(name: str) -> Primitive:
    """The table's row called name (how a pickled primitive comes back)."""
    return PRIMITIVES[name]
