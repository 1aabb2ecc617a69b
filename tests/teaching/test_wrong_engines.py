"""The classic backprop bugs as small engines: check_answers and gradcheck(backward=…) catch each one."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from autograd import GradcheckError, Value, check_answers, gradcheck, topological_order, zero_grad


def right(root: Value) -> None:
    """Reverse topological order, += into every operand."""
    zero_grad(root)
    root.grad = 1.0
    for node in reversed(topological_order(root)):
        for parent, local in zip(node.parents, node.local_grads):
            parent.grad += local * node.grad


def recursive_without_order(root: Value) -> None:
    """Depth first from the output: a node passes its gradient on before all its uses have added in."""
    zero_grad(root)
    root.grad = 1.0
    seen: set[Value] = set()

    def visit(node: Value) -> None:
        if node in seen:
            return
        seen.add(node)
        for parent, local in zip(node.parents, node.local_grads):
            parent.grad += local * node.grad
        for parent in node.parents:
            visit(parent)

    visit(root)


def assign_instead_of_add(root: Value) -> None:
    """`=` instead of `+=`: the last use overwrites the others."""
    zero_grad(root)
    root.grad = 1.0
    for node in reversed(topological_order(root)):
        for parent, local in zip(node.parents, node.local_grads):
            parent.grad = local * node.grad


def children_in_a_set(root: Value) -> None:
    """Operands kept in a set (a dict here): a × a sends its gradient to a once, not twice."""
    zero_grad(root)
    root.grad = 1.0
    for node in reversed(topological_order(root)):
        for parent, local in dict(zip(node.parents, node.local_grads)).items():
            parent.grad += local * node.grad


def f(a: Value) -> Value:
    """u = a·a, f = u + u·u: f = a² + a⁴, ∂f/∂a = 2a + 4a³ = 114 at a = 3."""
    u = a * a
    return u + u * u


def run(engine: Callable[[Value], None]) -> tuple[Value, dict[Value, float]]:
    a = Value(3.0, "a")
    out = f(a)
    engine(out)
    return out, {node: node.grad for node in topological_order(out) if not node.is_constant}


def test_the_right_engine_passes_both_checks() -> None:
    out, grads = run(right)
    assert grads[out.parents[0].parents[0]] == 114.0
    assert check_answers(out, grads).ok
    assert gradcheck(f, Value(3.0, "a"), backward=right)


@pytest.mark.parametrize(
    ("engine", "gives", "first", "slip"),
    [
        (recursive_without_order, 6.0, "a", None),
        (assign_instead_of_add, 27.0, "h1", "only one term"),
        (children_in_a_set, 30.0, "h1", "consumer left out"),
    ],
)
def test_each_wrong_engine_is_caught(
    engine: Callable[[Value], None], gives: float, first: str, slip: str | None
) -> None:
    out, grads = run(engine)
    a = out.parents[0].parents[0]
    assert grads[a] == gives  # instead of 114
    report = check_answers(out, grads)
    assert not report.ok
    mark = report.first_wrong
    assert mark is not None and mark.name == first
    assert (mark.slip.kind if mark.slip else None) == slip
    with pytest.raises(GradcheckError, match="gradient mismatch at a = 3.0"):
        gradcheck(f, Value(3.0, "a"), backward=engine)


def test_gradcheck_refuses_a_backward_that_is_not_callable() -> None:
    with pytest.raises(TypeError, match="backward must be a function"):
        gradcheck(f, 3.0, backward=1)  # type: ignore[arg-type]
