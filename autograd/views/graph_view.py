"""One graph's facts, computed once: order, names, values, local derivatives, gradients and the steps."""

from __future__ import annotations

from functools import cached_property

from ..engine.backward import backprop, topological_order
from ..engine.value import Value
from .numbers import DEFAULT_PRECISION, check_precision
from .steps import (
    BackwardStep,
    ForwardStep,
    forward_steps_in_order,
    names_in_order,
    output_symbol,
    steps_backward,
)

__all__ = ["GraphView"]


class GraphView:
    """Everything the drawings, tables and steppers show about one graph, each fact computed once.

    The topological order is walked once; the gradients and the step texts are computed the
    first time they are asked for. Nothing in the graph is changed.

    Args:
        root: The output node f.
        precision: Significant digits of the numbers in names of constants and in step texts
            (1–17, or None for every digit).
        output: What to call the output in ∂output/∂node; None: its label, or "f".

    Attributes:
        root: The output node.
        precision: The precision the names and texts use.
        order: Every node, inputs before the nodes that use them, root last.
        index: Each node's position in `order`.
        ops: The operation nodes in order (h1, h2, … are their 1-based positions here).
        names: Each node's name (h1, w, the constant's number, …), as `node_names` gives.
        output: What ∂·/∂node calls the output ("f" unless root has a label).
    """

    def __init__(
        self, root: Value, precision: int | None = DEFAULT_PRECISION, output: str | None = None
    ) -> None:
        if not isinstance(root, Value):
            raise TypeError(f"root must be a Value, got {type(root).__name__} {root!r:.60}")
        self.root = root
        self.precision = check_precision(precision)
        self.order: list[Value] = topological_order(root)
        self.index: dict[Value, int] = {node: i for i, node in enumerate(self.order)}
        self.ops: list[Value] = [node for node in self.order if not node.is_leaf]
        self.names: dict[Value, str] = names_in_order(self.order, self.precision)
        self.output: str = output or output_symbol(root)

    def __len__(self) -> int:
        return len(self.order)

    @cached_property
    def local_grads(self) -> dict[Value, tuple[float, ...]]:
        """∂node/∂input for each operation node, one number per input in operand order."""
        return {node: tuple(node.local_grads) for node in self.ops}

    @cached_property
    def grads(self) -> dict[Value, float]:
        """∂f/∂node for every node, exactly as one fresh backward() computes them."""
        return backprop(self.root)

    @cached_property
    def forward(self) -> list[ForwardStep]:
        """The forward pass, one step per operation node (see `forward_steps`)."""
        return forward_steps_in_order(self.order, self.names, self.precision)

    @cached_property
    def backward(self) -> list[BackwardStep]:
        """The backward pass, one step per operation node from the output down (see `backward_steps`)."""
        return list(steps_backward(self.order, self.names, self.grads, self.output, self.precision))
