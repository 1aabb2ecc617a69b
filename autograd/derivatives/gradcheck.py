"""`gradcheck`: compare backward()'s gradients with central finite differences."""

from __future__ import annotations

import math
from collections.abc import Callable

from ..common.checks import Number, to_float
from ..common.text import short
from ..engine.value import Value

__all__ = ["GradcheckError", "gradcheck"]


class GradcheckError(AssertionError):
    """Raised when backward() and finite differences disagree beyond the tolerance."""


def _number(x: object, role: str) -> float:
    """x as a float: TypeError for a non-number, ValueError (not OverflowError) past the float range."""
    try:
        return to_float(x, role)
    except OverflowError as exc:
        raise ValueError(str(exc)) from None


def _check_tolerance(name: str, x: float, *, positive: bool) -> float:
    """Check a tolerance argument: finite and > 0 (eps) or ≥ 0 (atol, rtol)."""
    x = _number(x, name)
    if not math.isfinite(x) or x < 0.0 or (positive and x == 0.0):
        allowed = "a finite number > 0" if positive else "a finite number ≥ 0"
        raise ValueError(f"{name} must be {allowed}, got {x!r}")
    return x


def gradcheck(
    f: Callable[..., Value],
    *values: Value | Number,
    eps: float = 1e-6,
    atol: float = 1e-5,
    rtol: float = 1e-4,
    backward: Callable[[Value], object] | None = None,
) -> bool:
    """Check f's gradients from backward() against central differences.

    For each input xᵢ the numerical estimate is ∂f/∂xᵢ ≈ (f(…, xᵢ + ε, …) − f(…, xᵢ − ε, …)) / 2ε,
    and it must agree with backward()'s value: |analytic − numeric| ≤ atol + rtol·|numeric|.
    f is evaluated on fresh leaves, so the gradients of the Values passed in are left alone.

    Args:
        f: A function of len(values) Values returning one Value.
        *values: The point to check at: Values (their .data and .label are used) or numbers.
        eps: The finite-difference step ε (> 0).
        atol: Absolute tolerance (≥ 0).
        rtol: Relative tolerance (≥ 0).
        backward: The backward pass to check, a function of the output that fills the inputs'
            `.grad` (default: `Value.backward`); pass your own engine's to test it.

    Returns:
        True when every input agrees.

    Raises:
        GradcheckError: naming the worst input, both gradients and their difference.
        TypeError: if f is not callable, an input is not a real number or f does not return a Value.
        ValueError: if there is no input; if an input, eps, atol or rtol is out of range (10**400
            included); or if f fails at x ± eps although it works at x (the finite-difference step
            left f's domain: exp past 709.78, 1/relu(x) near 0, log near 0).
    """
    if not callable(f):
        raise TypeError(f"f must be a function of Values, got {type(f).__name__} {short(f)}")
    if not values:
        raise ValueError("gradcheck needs at least one input value to differentiate")
    eps = _check_tolerance("eps", eps, positive=True)
    atol = _check_tolerance("atol", atol, positive=False)
    rtol = _check_tolerance("rtol", rtol, positive=False)
    point = [v.data if isinstance(v, Value) else _number(v, "input") for v in values]
    names = [v.label if isinstance(v, Value) and v.label else f"input {i}" for i, v in enumerate(values)]

    def leaves_at(xs: list[float]) -> list[Value]:
        """Fresh leaves holding xs, labelled like the inputs."""
        return [Value(x, label=name) for x, name in zip(xs, names)]

    def evaluate(leaves: list[Value]) -> Value:
        """f(*leaves), checked to be a Value."""
        out = f(*leaves)
        if not isinstance(out, Value):
            raise TypeError(f"f must return a Value, got {type(out).__name__} {short(out)}")
        return out

    if backward is not None and not callable(backward):
        raise TypeError(f"backward must be a function of the output Value, got {type(backward).__name__}")
    leaves = leaves_at(point)
    out = evaluate(leaves)
    if backward is None:
        out.backward()
    else:
        backward(out)

    def evaluate_near(xs: list[float], i: int, sign: str) -> float:
        """f at the point moved by ±ε along input i; ValueError if that step left f's domain."""
        try:
            return evaluate(leaves_at(xs)).data
        except (ArithmeticError, ValueError) as exc:
            raise ValueError(
                f"the finite-difference step left f's domain: f fails at {names[i]} = {point[i]!r} {sign} "
                f"eps = {xs[i]!r} ({type(exc).__name__}: {exc}); check at a point farther than eps = {eps:g} "
                f"from the edge of f's domain, or pass a smaller eps"
            ) from exc

    def numeric_grad(i: int) -> float:
        """(f(…, xᵢ + ε, …) − f(…, xᵢ − ε, …)) / 2ε."""
        up, down = list(point), list(point)
        up[i] += eps
        down[i] -= eps
        return (evaluate_near(up, i, "+") - evaluate_near(down, i, "−")) / (2.0 * eps)

    def excess(analytic: float, numeric: float) -> float:
        """How far |analytic − numeric| exceeds the tolerance (NaN counts as infinitely far)."""
        over = abs(analytic - numeric) - (atol + rtol * abs(numeric))
        return math.inf if math.isnan(over) else over

    checks = [(leaves[i].grad, numeric_grad(i), i) for i in range(len(point))]
    analytic, numeric, i = max(checks, key=lambda c: excess(c[0], c[1]))
    if excess(analytic, numeric) > 0.0:
        raise GradcheckError(
            f"gradient mismatch at {names[i]} = {point[i]!r}: backward gives {analytic:.10g}, "
            f"finite differences give {numeric:.10g}, difference {abs(analytic - numeric):.3g} "
            f"(allowed {atol:g} + {rtol:g}·|numeric| = {atol + rtol * abs(numeric):.3g})"
        )
    return True
