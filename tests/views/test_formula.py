"""formula_text: a graph written back as the formula it was built from, with only the parentheses it needs."""

from __future__ import annotations

from autograd import Value
from autograd.views.formula import formula_text
from autograd.views.graph_view import GraphView


def formula(f: Value, limit: int = 80) -> str | None:
    view = GraphView(f)
    return formula_text(view.order, view.names, limit)


def test_formulas_come_back_as_written() -> None:
    x, y, z = Value(1.0, "x"), Value(2.0, "y"), Value(3.0, "z")
    w, b = Value(0.0, "w"), Value(0.0, "b")
    assert formula(1 / ((-(w * x + b)).exp() + 1)) == "1/(exp(−(w × x + b)) + 1)"
    assert formula((x + y) * z) == "(x + y) × z"
    assert formula(x * x + x) == "x × x + x"
    assert formula(x - y * z) == "x − y × z"
    assert formula(x - (y + z)) == "x − (y + z)"
    assert formula(x / (y + z)) == "x/(y + z)"
    assert formula((x - y) ** 2) == "(x − y)^2"
    assert formula(x * -y) == "x × (−y)"
    assert formula((x * y).tanh() - 1.0) == "tanh(x × y) − 1"
    assert formula(2 * x + (-3.0) * y) == "2 × x + (−3) × y"
    assert formula(x) == "x"


def test_a_formula_too_long_for_a_heading_is_none() -> None:
    total = sum((Value(float(i), f"a{i}") for i in range(30)), Value(0.0, "c"))
    assert formula(total) is None
    assert formula(total, limit=1000) == " + ".join(["c", *(f"a{i}" for i in range(30))])
