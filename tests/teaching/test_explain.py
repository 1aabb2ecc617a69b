"""explain(f, node): ∂f/∂node as the sum over the node's uses, on hand-worked numbers and random graphs."""

from __future__ import annotations

import math

import pytest
from graphs import lecture_sigmoid
from hypothesis import given, settings
from hypothesis import strategies as st

from autograd import Value, explain, topological_order, zero_grad


def test_a_times_a_plus_a_at_3() -> None:
    """The issue's example: ∂f/∂a = 1·3 + 1·3 + 1 = 7 (two uses in h1 = a × a, one in f = h1 + a)."""
    a = Value(3.0, "a")
    f = a * a + a
    e = explain(f, a)
    assert e.equation() == "∂f/∂a = 1·3 + 1·3 + 1 = 7"
    assert str(e).splitlines() == [
        "a is used 3 times, so ∂f/∂a is the sum of one term per use:",
        "  h1 = a × a, 1st operand: ∂f/∂h1 · ∂h1/∂a = 1·3 = 3   (∂h1/∂a = a = 3)",
        "  h1 = a × a, 2nd operand: ∂f/∂h1 · ∂h1/∂a = 1·3 = 3   (∂h1/∂a = a = 3)",
        "  h2 = h1 + a (the output): ∂h2/∂a = 1",
        "∂f/∂a = 1·3 + 1·3 + 1 = 7",
    ]
    assert [t.product for t in e.terms] == [3.0, 3.0, 1.0] and e.grad == 7.0
    assert a.grad == 0.0  # explain() does not run backward()
    f.backward()
    assert a.grad == e.grad
    assert "**∂f/∂a = 1·3 + 1·3 + 1 = 7**" in e.to_markdown()
    assert "<b>∂f/∂a = 1·3 + 1·3 + 1 = 7</b>" in e._repr_html_()
    f.label = "q"
    assert explain(f, a).equation() == "∂q/∂a = 1·3 + 1·3 + 1 = 7"


def test_worked_example_1_node_by_node() -> None:
    f, x, w, b = lecture_sigmoid()
    assert explain(f, w).equation() == "∂f/∂w = 0.25·1 = 0.25"
    assert explain(f, x).equation() == "∂f/∂x = 0.25·0 = 0"
    assert explain(f, b).equation() == "∂f/∂b = 0.25·1 = 0.25"
    h5 = f.parents[0]
    h3 = h5.parents[0].parents[0]
    assert explain(f, h3).equation() == "∂f/∂h3 = (−0.25)·1 = −0.25"
    assert explain(f, h5).equation() == "∂f/∂h5 = ∂h6/∂h5 = −0.25"
    assert explain(f, f).equation() == "∂f/∂h6 = 1" and explain(f, f).grad == 1.0


def test_worked_example_2_neuron() -> None:
    """§2: ∂y/∂x0 = 0.196612 × w0 = 0.393224 and ∂y/∂w0 = 0.196612 × x0 = −0.196612."""
    w0, x0, w1, x1, w2 = (Value(v, n) for v, n in [(2, "w0"), (-1, "x0"), (-3, "w1"), (-2, "x1"), (-3, "w2")])
    y = (w0 * x0 + w1 * x1 + w2).sigmoid()
    assert explain(y, x0).equation() == "∂f/∂x0 = 0.196612·2 = 0.393224"
    assert explain(y, w0).equation() == "∂f/∂w0 = 0.196612·(−1) = −0.196612"


def test_errors_name_the_bad_argument() -> None:
    a, other = Value(1.0, "a"), Value(2.0, "other")
    with pytest.raises(ValueError, match="not part of the graph"):
        explain(a * 2, other)
    with pytest.raises(TypeError, match="node must be a Value, got float"):
        explain(a * 2, 1.0)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="precision"):
        explain(a * 2, a, precision=0)


_STEPS = st.lists(
    st.tuples(
        st.sampled_from(["add", "mul", "tanh", "exp", "neg", "square"]),
        st.integers(0, 99),
        st.integers(0, 99),
    ),
    min_size=1,
    max_size=12,
)


def _apply(op: str, p: Value, q: Value) -> Value:
    if op == "add":
        return p + q
    if op == "mul":
        return p * q
    if op == "tanh":
        return p.tanh()
    if op == "exp":
        return (p * 0.1).exp()
    return -p if op == "neg" else p**2


@settings(max_examples=60, deadline=None)
@given(st.lists(st.floats(-2, 2), min_size=1, max_size=3), _STEPS)
def test_the_terms_add_up_to_backwards_gradient_on_random_graphs(
    xs: list[float], steps: list[tuple[str, int, int]]
) -> None:
    leaves = [Value(x, f"x{i}") for i, x in enumerate(xs)]
    pool: list[Value] = list(leaves)
    for op, i, j in steps:
        p, q = pool[i % len(pool)], pool[j % len(pool)]
        pool.append(_apply(op, p, q))
    root = pool[-1]
    zero_grad(root)
    root.backward()
    for node in topological_order(root):
        e = explain(root, node)
        if node == root:
            assert e.grad == 1.0 and not e.terms
            continue
        assert e.grad == node.grad  # the same float as backward()
        assert math.isclose(math.fsum(t.product for t in e.terms), node.grad, rel_tol=1e-12, abs_tol=1e-12)
        uses = sum(sum(p == node for p in c.parents) for c in topological_order(root))
        assert len(e.terms) == uses
