"""`python -m autograd`: the lecture's sigmoid, forward and backward, as a table."""

from __future__ import annotations

import sys

from . import Value, topological_order


def main(argv: list[str] | None = None) -> int:
    """Print the h1…h6 table of f = 1/(exp(−(w·x + b)) + 1) at x = 1, w = 0, b = 0."""
    del argv
    x, w, b = Value(1.0, "x"), Value(0.0, "w"), Value(0.0, "b")
    f = 1 / ((-(w * x + b)).exp() + 1)
    f.backward()
    print("f(x; w, b) = 1/(exp(−(w·x + b)) + 1) at x = 1, w = 0, b = 0")
    print(f"{'node':<5} {'op':<11} {'value':>6} {'∂f/∂node':>9}")
    ops = [n for n in topological_order(f) if not n.is_leaf]
    for i, node in enumerate(ops, start=1):
        print(f"h{i:<4} {node.op:<11} {node.data:>6g} {node.grad:>9g}")
    print(f"∂f/∂w = {w.grad:g}, ∂f/∂x = {x.grad:g}, ∂f/∂b = {b.grad:g}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
