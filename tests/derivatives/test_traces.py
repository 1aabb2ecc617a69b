"""Worked example §9: Baydin et al.'s forward (Table 2) and reverse (Table 3) traces, row by row, exactly."""

from __future__ import annotations

import math

import pytest

from autograd import Value, adjoint_trace, evaluation_trace
from autograd.derivatives.traces import trace_names


def survey_example() -> tuple[Value, Value, Value]:
    """f(x₁, x₂) = ln x₁ + x₁·x₂ − sin x₂ at (2, 5), computed in the survey's order v₁ … v₅."""
    x1, x2 = Value(2.0, "x1"), Value(5.0, "x2")
    v1 = x1.log()
    v2 = x1 * x2
    v3 = x2.sin()
    v4 = v1 + v2
    v5 = v4 - v3  # recorded as v4 + (−v3): two nodes
    return v5, x1, x2


def test_forward_trace_is_table_2_row_by_row() -> None:
    y, x1, x2 = survey_example()
    rows = evaluation_trace(y, [x1, x2], wrt=x1)
    got = [(r.name, r.primal, r.value, r.tangent, r.tangent_value) for r in rows]
    assert got == [
        ("v₋₁", "x₁", 2.0, "ẋ₁", 1.0),
        ("v₀", "x₂", 5.0, "ẋ₂", 0.0),
        ("v₁", "log(v₋₁)", 0.6931471805599453, "1/v₋₁·v̇₋₁", 0.5),
        ("v₂", "v₋₁ × v₀", 10.0, "v₀·v̇₋₁ + v₋₁·v̇₀", 5.0),
        ("v₃", "sin(v₀)", -0.9589242746631385, "cos(v₀)·v̇₀", 0.0),
        ("v₄", "v₁ + v₂", 10.693147180559945, "v̇₁ + v̇₂", 5.5),
        # the survey's one row v₅ = v₄ − v₃ is two here: a − b is recorded as a + (−b)
        ("v₅", "−v₃", 0.9589242746631385, "−v̇₃", 0.0),
        ("v₆", "v₄ + v₅", 11.652071455223084, "v̇₄ + v̇₅", 5.5),
    ]
    assert rows[-1].node is y


def test_tangents_with_respect_to_x2() -> None:
    y, x1, x2 = survey_example()
    rows = evaluation_trace(y, [x1, x2], wrt=x2)
    assert [r.tangent_value for r in rows] == [
        0.0,
        1.0,
        0.0,
        2.0,
        math.cos(5.0),
        2.0,
        -math.cos(5.0),
        1.7163378145367738,
    ]


def test_adjoint_column_is_one_backward_sweep() -> None:
    y, x1, x2 = survey_example()
    rows = evaluation_trace(y, [x1, x2], wrt=x1)
    assert [r.adjoint for r in rows] == [5.5, 1.7163378145367738, 1.0, 1.0, -1.0, 1.0, 1.0, 1.0]


def test_reverse_trace_is_table_3_row_by_row() -> None:
    y, x1, x2 = survey_example()
    rows = [(r.name, r.text, r.value) for r in adjoint_trace(y, [x1, x2])]
    assert rows == [
        ("v₆", "v̄₆ = ȳ = 1", 1.0),
        ("v₄", "v̄₄ = v̄₆", 1.0),
        ("v₅", "v̄₅ = v̄₆", 1.0),  # the extra row of a − b = a + (−b)
        ("v₃", "v̄₃ = −v̄₅", -1.0),
        ("v₁", "v̄₁ = v̄₄", 1.0),
        ("v₂", "v̄₂ = v̄₄", 1.0),
        ("v₀", "v̄₀ = v̄₃·cos(v₀)", -0.28366218546322625),
        ("v₋₁", "v̄₋₁ = v̄₂·v₀", 5.0),
        ("v₀", "v̄₀ = v̄₀ + v̄₂·v₋₁", 1.7163378145367738),
        ("v₋₁", "v̄₋₁ = v̄₋₁ + v̄₁·1/v₋₁", 5.5),
    ]
    assert x1.grad == 0.0 and x2.grad == 0.0  # .grad untouched


def test_names_for_more_inputs_and_constants() -> None:
    a, b, c = Value(1.0), Value(2.0), Value(3.0)
    f = (a + b) * c + 1
    names = trace_names(f, [a, b, c])
    assert [names[v] for v in (a, b, c)] == ["v₋₂", "v₋₁", "v₀"]
    assert names[f] == "v₃" and names[f.parents[1]] == "1"


def test_bad_input() -> None:
    y, x1, x2 = survey_example()
    with pytest.raises(ValueError, match="wrt must be one of inputs"):
        evaluation_trace(y, [x1], wrt=x2)
    with pytest.raises(ValueError, match=r"inputs\[0\] .* not a leaf"):
        adjoint_trace(y, [y])
