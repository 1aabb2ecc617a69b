"""Graphs shared by several test files (imported as `graphs`; pytest puts tests/ on sys.path)."""

from __future__ import annotations

from autograd import Value


def lecture_sigmoid() -> tuple[Value, Value, Value, Value]:
    """Worked example §1, written naturally: f = 1/(exp(−(w·x + b)) + 1) at x = 1, w = 0, b = 0.

    Returns:
        (f, x, w, b).
    """
    x, w, b = Value(1.0, "x"), Value(0.0, "w"), Value(0.0, "b")
    return 1 / ((-(w * x + b)).exp() + 1), x, w, b
