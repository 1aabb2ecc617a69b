"""Higher-order derivatives: gradients as graphs of their own (grad with create_graph), and the Hessian."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Literal, overload

from ..engine.backward import backprop, topological_order
from ..engine.primitives import STOP, Primitive
from ..engine.value import Constant, Value
from .forward import check_input, check_numbers, check_output

__all__ = ["grad", "hessian"]

#: A derivative under construction: a plain float while it is a constant, else a recorded Value.
Term = float | Value


@overload
def grad(
    output: Value, inputs: Value | Sequence[Value], create_graph: Literal[False] = ...
) -> list[float]: ...


@overload
def grad(output: Value, inputs: Value | Sequence[Value], create_graph: Literal[True]) -> list[Value]: ...


@overload
def grad(output: Value, inputs: Value | Sequence[Value], create_graph: bool) -> list[float] | list[Value]: ...


def grad(
    output: Value, inputs: Value | Sequence[Value], create_graph: bool = False
) -> list[float] | list[Value]:
    """∂output/∂input for each input, as PyTorch's `torch.autograd.grad`, leaving every `.grad` alone.

    Without create_graph the gradients are floats, exactly those one fresh backward() would
    leave in `.grad`. With create_graph=True the same backward sweep runs on Values: each
    local derivative comes from its primitive's `graph_derivative` rule (∂(x·y)/∂x = y is the
    node y itself, ∂ sin x/∂x = cos x a new cos node, …) and every product and sum is recorded,
    so each gradient is a Value with a graph of its own that can be drawn, tabulated or
    differentiated again: grad(grad(f, [x], create_graph=True)[0], [x]) is f″(x).

    A gradient may be a node that is already there: ∂(x·y)/∂x is the node y itself and ∂eˣ/∂x
    the node eˣ (nothing new is recorded for 1 · y). Relabelling or changing such a gradient
    changes that node.

    An input the output does not depend on gets 0.0 (PyTorch's materialize_grads=True), and a
    gradient that is a plain number, such as ∂(x + y²)/∂x = 1, comes back under create_graph
    as a constant Value (`is_constant`), whose own derivatives are all 0.

    relu's derivative is the constant 1 for x > 0 and 0 for x ≤ 0, as in PyTorch: at the kink
    x = 0 the first derivative is taken to be 0, and the second derivative is 0 everywhere.
    A power x^c with 0 < c < 1 at x = 0 has an unbounded derivative: it is recorded as the
    constant ∞, as backward() gives.

    Args:
        output: The Value to differentiate.
        inputs: The leaves to differentiate by (a list, or one Value).
        create_graph: Record the gradients as Values (True) or return floats (False).

    Returns:
        One gradient per input, in the order given.

    Raises:
        TypeError: If output is not a Value or create_graph is not a bool.
        ValueError: If an input is not a leaf made with Value(…) (an operation's output or a
            constant).
    """
    check_output(output)
    if type(create_graph) is not bool:
        raise TypeError(
            f"create_graph must be True or False, got {type(create_graph).__name__} {create_graph!r}"
        )
    xs = [inputs] if isinstance(inputs, Value) else list(inputs)
    for i, x in enumerate(xs):
        check_input(x, f"inputs[{i}]")
    if not create_graph:
        adjoint = backprop(output)
        return [adjoint.get(x, 0.0) for x in xs]
    terms = _graph_adjoints(output)
    return [t if isinstance(t, Value) else Constant(t) for t in (terms.get(x, 0.0) for x in xs)]


def _graph_adjoints(output: Value) -> dict[Value, Term]:
    """The backward sweep on Values: ∂output/∂node for every node, a recorded Value (a float if constant)."""
    adjoint: dict[Value, Term] = {output: 1.0}
    for node in reversed(topological_order(output)):
        prim = node.primitive
        g = adjoint.get(node)
        if prim is None or g is None:
            continue
        parents = node.parents
        for parent, local in zip(parents, local_derivatives(prim, parents, node)):
            if parent.is_constant:
                continue
            contribution = _times(local, g)  # ∂f/∂p += ∂n/∂p · ∂f/∂n
            previous = adjoint.get(parent)
            adjoint[parent] = contribution if previous is None else previous + contribution
    return adjoint


def local_derivatives(prim: Primitive, parents: Sequence[Value], node: Value) -> tuple[Term, ...]:
    """∂node/∂parent for each parent, built from Values by the primitive's rule (floats where constant)."""
    rule = prim.graph_derivative or prim.derivative
    terms: tuple[Term, ...] = rule(*parents, node)
    return terms


def _times(a: Term, b: Term) -> Term:
    """a · b, recording a node only when needed: 1 · b is b, −1 · b is −b, two floats stay a float.

    A local derivative `STOP` (relu switched off) multiplies from the left, so that STOP · b is
    the number 0 whatever b is, as in backward().
    """
    if not isinstance(a, Value):
        a, b = b, a
    if not isinstance(a, Value):
        return a * b  # two constants
    if not isinstance(b, Value):
        if b == 1.0:
            return a
        if b == -1.0:
            return -a
        if b is STOP:
            return STOP * a
    return a * b


def hessian(f: Callable[..., Value], primals: Sequence[float]) -> list[list[float]]:
    """The matrix of second derivatives Hᵢⱼ = ∂²f/∂xᵢ∂xⱼ at the primals.

    Reverse over reverse: grad(f, xs, create_graph=True) records ∂f/∂xᵢ as Values, then one
    more backward sweep through each of them gives row i. n inputs cost n + 1 sweeps.

    Args:
        f: A function of Values returning one Value, e.g. lambda w, b: (w * 2 + b - 1) ** 2.
        primals: The point, one real number per argument of f.

    Returns:
        H as a list of n lists of n floats (symmetric, up to rounding).

    Raises:
        TypeError: If f is not callable, a primal is not a real number, or f returns
            something other than a Value.
    """
    if not callable(f):
        raise TypeError(f"f must be a function of Values, got {type(f).__name__} {f!r:.60}")
    xs = [Value(x) for x in check_numbers(primals, "primals")]
    out = check_output(f(*xs), "the value f returns")
    first = grad(out, xs, create_graph=True)
    return [grad(g, xs) for g in first]
