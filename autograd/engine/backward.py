"""The backward pass: the graph's nodes sorted topologically, and the chain rule as one loop over them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..common.text import short

if TYPE_CHECKING:
    from .value import Value

__all__ = ["backprop", "topological_order", "zero_grad"]


def topological_order(root: Value) -> list[Value]:
    """Every node of the graph that ends in root, each after all of its parents (root last).

    A depth-first search from root, written with a stack of its own instead of recursion, so a
    chain of a million operations is fine: a node is listed once all of its parents are, and
    parents are visited in operand order, so the same computation always gives the same order.
    On the stack, None marks the node beneath it as expanded: when the marker comes off, every
    parent pushed above it has been listed, and the node itself is next.

    Args:
        root: The node whose graph is listed.

    Returns:
        A list of distinct nodes, leaves and constants included; root itself is last.
    """
    if not hasattr(root, "local_grads"):
        raise TypeError(f"root must be a Value, got {type(root).__name__} {short(root)}")
    order: list[Value] = []
    visited: set[Value] = set()
    stack: list[Value | None] = [root]
    while stack:
        node = stack.pop()
        if node is None:  # the marker above a node whose parents have all been listed
            order.append(stack.pop())  # type: ignore[arg-type]
        elif node not in visited:
            visited.add(node)
            stack += (node, None)  # list node once everything pushed after it is done
            stack.extend(reversed(node.parents))  # the first operand on top: visited first
    return order


def backprop(root: Value) -> dict[Value, float]:
    """The chain rule: ∂root/∂node for every node of root's graph, as a dict; nothing is changed.

    ∂f/∂f = 1; then, for every node from the output back to the inputs, each parent receives
    ∂node/∂parent · ∂f/∂node. When a node's turn comes, every node that uses it has already
    passed its share back, so its ∂f/∂node is complete. `root.backward()`
    runs this loop and writes the result into `.grad`; the tables, steps, drawings, `grad`,
    explain and check all read it.
    """
    grads = {root: 1.0}
    for node in reversed(topological_order(root)):
        for parent, local in zip(node.parents, node.local_grads):
            grads[parent] = grads.get(parent, 0.0) + local * grads[node]
    return grads


def zero_grad(root: Value) -> None:
    """Set .grad = 0 on every node of the graph that ends in root, leaves included."""
    for node in topological_order(root):
        node.grad = 0.0
