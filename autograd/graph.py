"""The graph as a whole: its nodes in topological order, and the chain rule over them in its textbook form."""

from __future__ import annotations

from .checks import short
from .tape import graph_entries, is_leaf_input
from .value import Node, Value, node_at

__all__ = ["backprop", "contribution", "topological_order", "zero_grad"]


def topological_order(root: Value) -> list[Value]:
    """Every node of the graph that ends in root, each after all of its parents (leaves first).

    The tape already has that order: nodes are listed as they were made (older tapes first),
    each leaf just before the first node that uses it.

    Args:
        root: The node whose graph is listed.

    Returns:
        A list of distinct nodes; root itself is last.
    """
    if not isinstance(root, Value):
        raise TypeError(f"root must be a Value, got {type(root).__name__} {short(root)}")
    if not isinstance(root, Node):
        return [root]
    order: list[Value] = []
    listed: set[int] = set()  # ids of the leaves already listed
    entries = graph_entries(root.tape, root.index)
    for t in sorted(entries, key=lambda t: t.serial):
        for i in entries[t]:
            for p in (t.a[i], t.b[i]):
                if is_leaf_input(p) and id(p) not in listed:
                    listed.add(id(p))
                    order.append(p)  # type: ignore[arg-type]
            order.append(node_at(t, i))
    order[-1] = root
    return order


def backprop(root: Value) -> dict[Value, float]:
    """The chain rule in its textbook form: ∂root/∂node for every node of root's graph.

    ∂f/∂f = 1; then, for every node from the output back to the inputs, each parent receives
    ∂f/∂node · ∂node/∂parent. When a node's turn comes, every node that uses it has already
    passed its share back, so its ∂f/∂node is complete.

    `backward()` is this loop written out over the tape (`Tape.backprop`), writing the results
    into `.grad`; this one returns them, a dict from node to ∂root/∂node, and changes nothing.
    A property test holds the two equal bit for bit. `table`, `chain`, `draw` and
    `backward_steps` use this one.
    """
    grads = {root: 1.0}  # ∂f/∂f = 1
    for node in reversed(topological_order(root)):
        for parent, local in zip(node.parents, node.local_grads):
            grads[parent] = grads.get(parent, 0.0) + contribution(node, local, grads[node])
    return grads


def contribution(node: Value, local: float, upstream: float) -> float:
    """What flows back along one edge of node: ∂f/∂node · ∂node/∂parent = upstream · local.

    The one exception to the product, as in PyTorch: a primitive that `masks` (relu when it is
    off, x⁰) passes nothing back through a zero local derivative, not even an infinite ∂f/∂node
    (where 0 · ∞ would give nan).
    """
    c = local * upstream
    if c != c and local == 0.0 and node.primitive is not None and node.primitive.masks:
        return 0.0
    return c


def zero_grad(root: Value) -> None:
    """Set .grad = 0 on every node of the graph that ends in root, leaves included."""
    for node in topological_order(root):
        node.grad = 0.0
