"""Forward mode: derivatives carried forward with the values, one input direction per sweep."""

from __future__ import annotations

import numbers
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from ..common.text import describe
from ..engine.backward import backprop, topological_order
from ..engine.value import Value
from ..views.numbers import DEFAULT_PRECISION, check_precision, format_value, operand_text
from ..views.steps import derivative_texts, function_text, node_names

__all__ = [
    "CostTable",
    "ModeCost",
    "TangentStep",
    "TangentTerm",
    "check_input",
    "check_numbers",
    "check_output",
    "cost_table",
    "forward_mode_steps",
    "graph_order",
    "jvp",
    "tangent_sweep",
]


def check_input(x: object, role: str = "input") -> Value:
    """Return x if it is a leaf made with Value(…); raise naming it otherwise.

    Derivatives are taken with respect to leaves: an operation's output is computed from
    other nodes, and a constant such as the 1 in x + 1 is no variable.
    """
    if not isinstance(x, Value):
        raise TypeError(f"{role} must be a Value made with Value(…), got {type(x).__name__} {x!r:.60}")
    if x.is_constant:
        raise ValueError(
            f"{role} {describe(x)} is a constant recorded by an expression, not a leaf made with Value(…): "
            "derivatives are taken with respect to leaves"
        )
    if not x.is_leaf:
        raise ValueError(
            f"{role} {describe(x)} is an operation's output, not a leaf of the graph: derivatives are "
            "taken with respect to leaves made with Value(…)"
        )
    return x


def check_output(y: object, role: str = "output") -> Value:
    """Return y if it is a Value; raise TypeError naming what it is otherwise."""
    if not isinstance(y, Value):
        raise TypeError(
            f"{role} must be a Value (build it from Values, e.g. x * w + b), got {type(y).__name__} {y!r:.60}"
        )
    return y


def graph_order(outputs: Sequence[Value]) -> list[Value]:
    """Every node of the graphs ending in outputs, each after its parents (a merged topological order)."""
    order: list[Value] = []
    seen: set[Value] = set()
    for out in outputs:
        for node in topological_order(out):
            if node not in seen:
                seen.add(node)
                order.append(node)
    return order


def tangent_sweep(root: Value | Sequence[Value], seeds: Mapping[Value, float]) -> dict[Value, float]:
    """One forward-mode sweep: the tangent ṅ of every node of root's graph, in topological order.

    A leaf's tangent is its seed (0 if it has none), a constant's is 0, and an operation
    node's is the chain rule summed over its inputs: ṅ = Σₚ ∂n/∂p · ṗ, using the local
    derivatives ∂n/∂p the forward pass recorded. With the seed 1 on one leaf x and 0
    elsewhere, ṅ = ∂n/∂x for every node n at once: the derivatives of everything with
    respect to one input. `.grad` is neither read nor changed.

    Args:
        root: The output node, or several outputs (their graphs are swept together).
        seeds: ẋ for some leaves, e.g. {w: 1.0}; leaves outside the graph are allowed (their
            tangent reaches nothing).

    Returns:
        A dict from every node of the graph (leaves included) to its tangent.

    Raises:
        TypeError, ValueError: For a seed on something that is not a leaf, or a seed that is
            not a real number.
    """
    outputs = [root] if isinstance(root, Value) else list(root)
    for out in outputs:
        check_output(out, "root")
    if not isinstance(seeds, Mapping):
        raise TypeError(
            f"seeds must be a dict from leaf to number, e.g. {{x: 1.0}}, got {type(seeds).__name__}"
        )
    seed_of: dict[Value, float] = {}
    for leaf, seed in seeds.items():
        check_input(leaf, "a seeded node")
        seed_of[leaf] = _real(seed, f"the seed of {describe(leaf)}")
    dot: dict[Value, float] = {}
    for node in graph_order(outputs):
        if node.is_leaf:
            dot[node] = 0.0 if node.is_constant else seed_of.get(node, 0.0)
            continue
        total = 0.0
        for parent, local in zip(node.parents, node.local_grads):
            total += local * dot[parent]  # ṅ += ∂n/∂p · ṗ
        dot[node] = total
    return dot


def _real(x: object, role: str) -> float:
    """x as a float if it is a real number (not bool), else TypeError naming it."""
    if isinstance(x, bool) or not isinstance(x, numbers.Real):
        raise TypeError(f"{role} must be a real number, got {type(x).__name__} {x!r:.60}")
    return float(x)


# ---- step-through ---------------------------------------------------------------------------


@dataclass(frozen=True)
class TangentTerm:
    """One input's share of a tangent step: ∂n/∂p · ∂p/∂x.

    Attributes:
        parent: The input p.
        name: Its name.
        formula: The local derivative ∂n/∂p written out ("1/x").
        local: ∂n/∂p.
        tangent: ∂p/∂x, known from an earlier step.
        product: local × tangent.
    """

    parent: Value
    name: str
    formula: str
    local: float
    tangent: float
    product: float


@dataclass(frozen=True)
class TangentStep:
    """One operation node of a forward-mode sweep: its tangent from its inputs' tangents.

    Attributes:
        index: 1 for the first operation node, then 2, 3, … in topological order.
        node: The node n.
        name: Its name (h1, h2, … or its label, as in `forward_steps`).
        wrt: The name of the input x the sweep differentiates by.
        function: The node's function with its inputs' names ("h1 + b").
        value: The node's value.
        terms: One TangentTerm per input that is not a constant, in operand order.
        tangent: ∂n/∂x, the sum of the terms.
        precision: Significant digits used to write numbers (None: all).
    """

    index: int
    node: Value
    name: str
    wrt: str
    function: str
    value: float
    terms: tuple[TangentTerm, ...]
    tangent: float
    precision: int | None = DEFAULT_PRECISION

    def text(self) -> str:
        """The step as one line: "step 3: h3 = −h2 = 0; ∂h3/∂w = ∂h3/∂h2·∂h2/∂w = (−1) × 1 = −1"."""
        p, me, x = self.precision, self.name, self.wrt
        head = f"step {self.index}: {me} = {self.function} = {format_value(self.value, p)}; ∂{me}/∂{x}"
        if not self.terms:
            return f"{head} = 0 (its inputs are constants)"
        symbols = " + ".join(f"∂{me}/∂{t.name}·∂{t.name}/∂{x}" for t in self.terms)
        numbers_ = " + ".join(
            f"{operand_text(t.local, p)} × {operand_text(t.tangent, p)}" for t in self.terms
        )
        return f"{head} = {symbols} = {numbers_} = {format_value(self.tangent, p)}"

    def __str__(self) -> str:
        return self.text()


def forward_mode_steps(
    root: Value, wrt: Value, precision: int | None = DEFAULT_PRECISION
) -> list[TangentStep]:
    """A forward-mode sweep written out: ∂n/∂wrt for every operation node, in topological order.

    The counterpart of `backward_steps`: where the backward pass starts from ∂f/∂f = 1 and
    carries ∂f/∂n back to every input, this starts from ∂wrt/∂wrt = 1 (every other leaf 0)
    and carries ∂n/∂wrt forward: ∂n/∂wrt = Σₚ ∂n/∂p · ∂p/∂wrt, the sum over n's inputs. The
    last step's tangent is ∂f/∂wrt. One sweep gives the derivative with respect to one input;
    `.grad` is neither read nor changed.

    Args:
        root: The output node f.
        wrt: The leaf to differentiate by (a leaf not in the graph gives tangents of 0).
        precision: Significant digits for the text (None: all); the numbers kept are exact.

    Returns:
        One TangentStep per operation node, root last.

    Raises:
        TypeError: If root is not a Value.
        ValueError: If wrt is not a leaf (an operation's output or a constant).
    """
    check_output(root, "root")
    check_input(wrt, "wrt")
    precision = check_precision(precision)
    dot = tangent_sweep(root, {wrt: 1.0})
    names = node_names(root, precision)
    x = names.get(wrt) or wrt.label or "x"
    steps: list[TangentStep] = []
    for node in topological_order(root):
        if node.is_leaf:
            continue
        formulas = derivative_texts(node, names)
        terms = tuple(
            TangentTerm(parent, names[parent], formula, local, dot[parent], local * dot[parent])
            for parent, formula, local in zip(node.parents, formulas, node.local_grads)
            if not parent.is_constant
        )
        steps.append(
            TangentStep(
                len(steps) + 1,
                node,
                names[node],
                x,
                function_text(node, names),
                node.data,
                terms,
                dot[node],
                precision,
            )
        )
    return steps


# ---- jvp ------------------------------------------------------------------------------------


def jvp(f: Callable[..., Value], primals: Sequence[float], tangents: Sequence[float]) -> tuple[float, float]:
    """f's value and its directional derivative ∇f · v at the primals, by one forward-mode sweep.

    As in JAX's `jax.jvp` and PyTorch's `torch.func.jvp`: f is called once with one leaf per
    primal, and the tangent sweep (see `tangent_sweep`) is seeded with v, each leaf's ẋᵢ = vᵢ, so
    the output's tangent is ḟ = Σᵢ ∂f/∂xᵢ · vᵢ. This is forward mode on the recorded graph —
    the same numbers dual numbers (x + ẋε with ε² = 0) would carry, computed from the local
    derivatives the forward pass stored. With v = eᵢ (1 at i, 0 elsewhere) it is ∂f/∂xᵢ.

    Args:
        f: A function of Values returning one Value, e.g. lambda x, y: x * y.sin().
        primals: The point, one real number per argument of f.
        tangents: The direction v, one real number per primal.

    Returns:
        (f(primals), ∇f · v), two floats.

    Raises:
        TypeError: If f is not callable, a primal or tangent is not a real number, or f
            returns something other than a Value.
        ValueError: If the two lists differ in length.
    """
    if not callable(f):
        raise TypeError(f"f must be a function of Values, got {type(f).__name__} {f!r:.60}")
    xs = check_numbers(primals, "primals")
    vs = check_numbers(tangents, "tangents")
    if len(vs) != len(xs):
        raise ValueError(
            f"tangents has {len(vs)} entries but primals has {len(xs)}: give one tangent per primal, "
            f"e.g. tangents={[1.0] + [0.0] * (len(xs) - 1)} for ∂f/∂x₁"
        )
    leaves = [Value(x) for x in xs]
    out = check_output(f(*leaves), "the value f returns")
    dot = tangent_sweep(out, dict(zip(leaves, vs)))
    return out.data, dot[out]


def check_numbers(xs: object, role: str) -> list[float]:
    """A list or tuple of real numbers as floats, or TypeError naming the bad entry."""
    if isinstance(xs, str) or not isinstance(xs, Iterable):
        raise TypeError(f"{role} must be a list or tuple of real numbers, got {type(xs).__name__} {xs!r:.60}")
    return [_real(x, f"{role}[{i}]") for i, x in enumerate(xs)]


# ---- the cost of each mode ------------------------------------------------------------------


@dataclass(frozen=True)
class ModeCost:
    """What one mode did to get the whole Jacobian.

    Attributes:
        mode: "forward" or "reverse".
        sweeps: How many passes over the graph (forward: one per input; reverse: one per output).
        node_visits: Operation nodes processed, summed over the sweeps.
        edge_visits: Multiply-adds (one per edge, ∂n/∂p times a tangent or an adjoint), summed.
        jacobian: jacobian[k][i] = ∂output k/∂input i, as this mode computed it.
    """

    mode: str
    sweeps: int
    node_visits: int
    edge_visits: int
    jacobian: tuple[tuple[float, ...], ...]


@dataclass(frozen=True)
class CostTable:
    """Forward and reverse mode side by side for one graph of n inputs and m outputs.

    Attributes:
        n_inputs: n, the leaves differentiated by.
        n_outputs: m, the outputs differentiated.
        n_nodes: Operation nodes in the graph (all outputs together).
        forward: n tangent sweeps over the whole graph.
        reverse: m backward sweeps, each over one output's graph.
    """

    n_inputs: int
    n_outputs: int
    n_nodes: int
    forward: ModeCost
    reverse: ModeCost

    def text(self) -> str:
        """The table as text, one row per mode."""
        rows = [("mode", "sweeps", "node visits", "multiply-adds")]
        for c in (self.forward, self.reverse):
            rows.append((c.mode, str(c.sweeps), str(c.node_visits), str(c.edge_visits)))
        widths = [max(len(r[i]) for r in rows) for i in range(4)]
        lines = [
            f"{self.n_inputs} input{'s' * (self.n_inputs != 1)}, "
            f"{self.n_outputs} output{'s' * (self.n_outputs != 1)}, "
            f"{self.n_nodes} operation nodes"
        ]
        lines += ["  ".join(cell.ljust(w) for cell, w in zip(r, widths)).rstrip() for r in rows]
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.text()


def cost_table(outputs: Value | Sequence[Value], inputs: Sequence[Value]) -> CostTable:
    """Compute the Jacobian both ways and count what each mode visits on this graph.

    Forward mode runs one tangent sweep per input over the whole graph (n sweeps); reverse
    mode runs one backward sweep per output over that output's graph (m sweeps). The counts
    are of the sweeps actually run here, and both Jacobians are returned, so a test can check
    they agree. For a loss (m = 1) of many parameters, reverse mode needs one sweep where
    forward mode needs one per parameter: why training uses backpropagation.

    Args:
        outputs: One output Value or a list of them.
        inputs: The leaves to differentiate by.

    Returns:
        A CostTable.
    """
    outs = [outputs] if isinstance(outputs, Value) else list(outputs)
    if not outs:
        raise ValueError("outputs is empty: give at least one output Value")
    for out in outs:
        check_output(out)
    xs = [check_input(x) for x in inputs]
    order = graph_order(outs)
    ops = [node for node in order if not node.is_leaf]
    edges = sum(len(node.parents) for node in ops)
    forward_columns = [tangent_sweep(outs, {x: 1.0}) for x in xs]  # one sweep per input
    forward_jac = tuple(tuple(col[out] for col in forward_columns) for out in outs)
    reverse_rows = []
    reverse_nodes = reverse_edges = 0
    for out in outs:  # one sweep per output, over its own graph
        sweep = topological_order(out)
        reverse_nodes += sum(1 for node in sweep if not node.is_leaf)
        reverse_edges += sum(len(node.parents) for node in sweep)
        adjoint = backprop(out)
        reverse_rows.append(tuple(adjoint.get(x, 0.0) for x in xs))
    return CostTable(
        n_inputs=len(xs),
        n_outputs=len(outs),
        n_nodes=len(ops),
        forward=ModeCost("forward", len(xs), len(xs) * len(ops), len(xs) * edges, forward_jac),
        reverse=ModeCost("reverse", len(outs), reverse_nodes, reverse_edges, tuple(reverse_rows)),
    )
