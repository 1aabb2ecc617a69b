"""The neurons of an MLP's graph: which nodes belong to which neuron or layer, and to which sample.

nn's modules label their parameters "layer0.neuron3.w1", "layer0.neuron3.b" (a lone nn.Layer:
"neuron3.w1"). A neuron's nodes are found from them: the products wᵢ·xᵢ and the sum that starts
at b are the neuron's, and so is its activation — relu or tanh, or the nodes sigmoid is
composed of (−, exp, + 1, 1/· for z ≥ 0; exp, + 1, 1/·, × for z < 0). Everything else (inputs,
a loss) is drawn as in `draw`. The network's evaluations (one per sample of a loss taken over
several) are told apart by what connects them (`find_samples`); grouping.py draws the boxes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..engine.value import Value
from ..views.graph_view import GraphView

__all__ = ["Group", "find_groups", "find_samples"]

_PARAMETER = re.compile(r"^(?:(layer\d+)\.)?(neuron\d+)\.(?:w\d+|b)$")
_PARTIAL = {"neg", "exp", "exp+1", "expz", "expz+1", "1/expz+1"}  # inside a sigmoid, not finished yet


@dataclass
class Group:
    """One neuron or layer of the grouped drawing.

    Attributes:
        key: "layer1.neuron3" (neuron) or "layer1" (layer).
        nodes: Its operation nodes, in topological order.
        parameters: Its weights and biases.
        activations: The activation of each neuron in it ("relu", "tanh", "sigmoid", "linear").
        outputs: Its nodes whose values leave it (or the graph's output), each with the neuron it belongs to.
    """

    key: str
    nodes: list[Value] = field(default_factory=list)
    parameters: list[Value] = field(default_factory=list)
    activations: dict[str, str] = field(default_factory=dict)
    outputs: list[tuple[str, Value]] = field(default_factory=list)

    @property
    def name(self) -> str:
        """The box's name as drawings write it: "layer1 · neuron3"."""
        return self.key.replace(".", " · ")


def find_groups(view: GraphView, level: str) -> tuple[dict[Value, str], dict[str, Group]]:
    """Which neuron or layer each operation node and parameter belongs to.

    Args:
        view: The graph's facts.
        level: "neuron" or "layer".

    Returns:
        (the key of every grouped node, the groups by key, layer by layer and neuron by neuron).

    Raises:
        ValueError: When no parameter is labelled the way nn labels them, or (for "layer")
            the parameters carry no layer.
    """
    neuron_of: dict[Value, str] = {}
    for node in view.order:
        match = _PARAMETER.match(node.label) if node.is_leaf and node.label else None
        if match:
            neuron_of[node] = f"{match[1]}.{match[2]}" if match[1] else match[2]
    leaves = [view.names[n] for n in view.order if n.is_leaf and not n.is_constant][:4]
    if not neuron_of:
        raise ValueError(
            f"group={level!r} applies to graphs built by nn.Layer or nn.MLP, whose parameters are labelled "
            f"like 'layer0.neuron3.w1'; no leaf of this graph is (its leaves include "
            f"{', '.join(map(repr, leaves)) or 'none'}): draw it with group=None"
        )
    if level == "layer" and not any(key.startswith("layer") for key in neuron_of.values()):
        example = next(iter(neuron_of)).label
        raise ValueError(
            f"group='layer' needs an nn.MLP's parameters, labelled like 'layer0.neuron3.w1'; this graph's "
            f"are labelled like {example!r} (one nn.Layer): use group='neuron'"
        )
    role: dict[Value, str] = {}
    for node in view.ops:
        key, kind = _classify(node, neuron_of, role)
        if key is not None:
            neuron_of[node], role[node] = key, kind
    # a sigmoid's first nodes with no finished activation after them (a softmax's exp, say) are
    # not the neuron's
    finished: set[Value] = set()
    for node in reversed(view.ops):
        if role.get(node) == "act" or (node in finished and node in role):
            finished.update(p for p in node.parents if role.get(p) in _PARTIAL)
    for node in [n for n, r in role.items() if r in _PARTIAL and n not in finished]:
        del neuron_of[node], role[node]

    group_of: dict[Value, str] = {}
    groups: dict[str, Group] = {}
    for node in view.order:
        if node not in neuron_of:
            continue
        neuron = neuron_of[node]
        key = neuron if level == "neuron" else neuron.split(".")[0]
        group_of[node] = key
        group = groups.setdefault(key, Group(key))
        if node.is_leaf:
            group.parameters.append(node)
            continue
        group.nodes.append(node)
        short = neuron.split(".")[-1]
        if role[node] == "act":
            group.activations[short] = _activation_name(node)
        else:
            group.activations.setdefault(short, "linear")
    consumers: dict[Value, list[Value]] = {}
    for node in view.ops:
        for parent in node.parents:
            consumers.setdefault(parent, []).append(node)
    for node in view.ops:
        key = group_of.get(node)
        if key is None:
            continue
        if node is view.root or any(group_of.get(c) != key for c in consumers.get(node, [])):
            groups[key].outputs.append((neuron_of[node].split(".")[-1], node))
    return group_of, dict(sorted(groups.items(), key=lambda item: _numbers(item[0])))


def _numbers(key: str) -> tuple[int, ...]:
    """A group's place: layer0.neuron3 → (0, 3), so layers and neurons come in the network's order."""
    return tuple(int(d) for d in re.findall(r"\d+", key))


def _classify(node: Value, neuron_of: dict[Value, str], role: dict[Value, str]) -> tuple[str | None, str]:
    """The neuron an operation node belongs to and its part in it ("mul", "sum", "act", …), or (None, "")."""
    parameter_keys = {neuron_of[p] for p in node.parents if p.is_leaf and p in neuron_of}
    if parameter_keys and all(p.is_leaf and p in neuron_of for p in node.parents):
        return None, ""  # w·w, relu(w): a penalty on the parameters, not the neuron's own work
    if parameter_keys:  # w·x, or b + w·x: the neuron of the parameter
        if len(parameter_keys) > 1:
            return None, ""
        return parameter_keys.pop(), "mul" if node.op == "mul" else "sum"
    inner = [p for p in node.parents if not p.is_constant]
    keys = {neuron_of.get(p) for p in inner}
    if len(keys) != 1 or None in keys:
        return None, ""
    key = keys.pop()
    roles = [role[p] for p in inner]
    constants = len(node.parents) - len(inner)
    op = node.op
    if op == "add" and not constants and all(r in ("mul", "sum") for r in roles):
        return key, "sum"
    if len(roles) == 1:
        step = {
            ("relu", "sum"): "act",
            ("tanh", "sum"): "act",
            ("neg", "sum"): "neg",  # σ(z) = 1/(exp(−z) + 1) for z ≥ 0
            ("exp", "neg"): "exp",
            ("reciprocal", "exp+1"): "act",
            ("exp", "sum"): "expz",  # σ(z) = exp(z) · 1/(exp(z) + 1) for z < 0
            ("reciprocal", "expz+1"): "1/expz+1",
        }.get((op or "", roles[0]))
        if step is not None and (constants == 0) == (step != "exp+1"):
            return key, step
        if op == "add" and constants == 1 and roles[0] in ("exp", "expz"):
            return key, roles[0] + "+1"
    if op == "mul" and sorted(roles) == ["1/expz+1", "expz"]:
        return key, "act"
    return None, ""


def _activation_name(node: Value) -> str:
    return node.op if node.op in ("relu", "tanh") else "sigmoid"


def find_samples(view: GraphView, group_of: dict[Value, str], groups: dict[str, Group]) -> dict[Value, int]:
    """Which sample (1, 2, …) each value leaving a box was computed for, in the graph's order.

    One evaluation of the network is what its nodes connect: a node, the nodes it uses inside the
    network and the inputs it reads (parameters aside: every sample shares them). When that does
    not tell each neuron's evaluations apart (a lone layer fed plain numbers shares nothing), the
    k-th evaluation of every neuron, in the graph's order, is sample k.

    Returns:
        The sample of every output of every group; all 1 when the network was evaluated once.
    """
    leader: dict[Value, Value] = {}

    def find(node: Value) -> Value:
        root = node
        while root in leader:
            root = leader[root]
        while node is not root:  # shorten the path for the next look-up
            leader[node], node = root, leader[node]
        return root

    for node in view.ops:
        if node in group_of:
            for parent in node.parents:
                if not (parent.is_leaf and parent in group_of):
                    a, b = find(parent), find(node)
                    if a is not b:
                        leader[a] = b
    number: dict[Value, int] = {}
    for node in view.ops:
        if node in group_of:
            number.setdefault(find(node), len(number) + 1)
    by_neuron: dict[tuple[str, str], list[Value]] = {}
    for key, group in groups.items():
        for neuron, node in group.outputs:
            by_neuron.setdefault((key, neuron), []).append(node)
    found = {node: number[find(node)] for nodes in by_neuron.values() for node in nodes}
    every = list(range(1, len(number) + 1))
    if all(sorted(found[n] for n in nodes) == every for nodes in by_neuron.values()):
        return found
    return {node: k for nodes in by_neuron.values() for k, node in enumerate(nodes, 1)}
