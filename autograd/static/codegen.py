"""The straight-line Python program a traced graph compiles to: forward lines, then backward lines."""

from __future__ import annotations

import keyword
import math
import re
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..engine.primitives import STOP, Primitive
from ..engine.value import Value

__all__ = ["Guard", "Program", "generate"]

#: Local names the generator makes itself (h3, dh3, …), which a label must not take.
_OWN_NAME = re.compile(r"^(d?h\d+|[pi]\d+|dp\d+|ok|n)$")


def _masked_rows(local: Any, upstream: Any) -> Any:
    """`STOP`'s rule across a batch, where numpy cannot hold STOP: a masking row's local 0 passes 0."""
    with np.errstate(invalid="ignore"):
        return np.where(np.asarray(local) == 0.0, 0.0, np.multiply(local, upstream))


#: What a program may call: math's functions for one sample, numpy's across a batch.
_SCALAR_NAMES: dict[str, Any] = {
    "STOP": STOP,  # relu's local derivative when it is off: STOP · g = 0
    "exp": math.exp,
    "log": math.log,
    "tanh": math.tanh,
    "copysign": math.copysign,
}
#: numpy forms of the templates that use a Python conditional (a program across a batch).
_NUMPY_CODE = {"relu": ("maximum({x}, 0.0)", "greater({x}, 0.0) * 1.0")}
#: A masking rule across a batch in one numpy call: relu passes nothing back where x ≤ 0, else g.
_NUMPY_GATE = {"relu": "where(less_equal({x}, 0.0), 0.0, {g})"}


@dataclass(frozen=True)
class Guard:
    """A condition the trace saw hold: `left op right` was `outcome` (left, right: Values or numbers)."""

    left: Value | float
    op: str  # one of < <= > >= == != ; "same": left is exactly the number right (same sign of zero)
    right: Value | float
    outcome: bool


@dataclass
class Program:
    """A compiled replay: `function(*inputs, *params, *param_grads)` → (output, *param_grads, *aux).

    In a batch program the first arguments are the number of samples n and the seed ∂f/∂f of
    each sample (1/N for a mean over N), and the inputs are arrays of n values. A guard that
    fails makes the function return None (a batch program: (None, mask of the samples whose
    guards hold)).
    """

    source: str
    function: Callable[..., Any]
    lines: int
    stats: dict[str, int] = field(default_factory=dict)


_ULPS = 8 * sys.float_info.epsilon  # how far numpy and math may disagree on one node, relatively


def _computed(v: Value | float) -> bool:
    """True for a node an operation made (its number is computed, not set)."""
    return isinstance(v, Value) and not v.is_leaf


def _literal(c: float, constants: dict[str, float]) -> str:
    if math.isfinite(c):
        return repr(c)
    name = f"c{len(constants)}"
    constants[name] = c
    return name


def _times(da: str, g: str) -> str:
    """The contribution da · g, with a derivative of ±1 (or a gradient of 1) folded away."""
    if da == "1.0":
        return g
    if g == "1.0":
        return da
    if da == "-1.0":
        return f"-{_wrap(g)}"
    return f"{_wrap(da)} * {g}"


def generate(
    order: Sequence[Value],
    root: Value,
    inputs: Sequence[Value],
    input_names: Sequence[str],
    params: Sequence[Value],
    aux: Sequence[Value] = (),
    guards: Sequence[Guard] = (),
    grad_order: Sequence[Value] | None = None,
    batch: bool = False,
    name: str = "replay",
) -> Program:
    """Write and compile the program that recomputes `order` and backpropagates from root.

    Args:
        order: Every node to compute, each after its parents (leaves and constants included).
        root: The output f; the backward pass seeds ∂f/∂f = 1 (1/n per sample in a batch).
        inputs: The leaves that stand for the program's inputs (no gradient is computed for them).
        input_names: A name for each input.
        params: The leaves whose gradients the program adds to (its grad arguments).
        aux: Further nodes whose values the program returns.
        guards: Conditions checked after the forward pass.
        grad_order: root's own graph in topological order (the backward pass walks it backwards,
            as `backward()` does); default `order`.
        batch: Write the numpy program that runs one sample's graph over a batch.
        name: The function's name.
    """
    g = _Graph(order, inputs, params)
    constants: dict[str, float] = {}
    used: set[str] = set(_SCALAR_NAMES) | set(_numpy_names()) | {"scale"}
    stats = {"nodes": 0, "constants": 0, "folded": 0, "dead": 0}

    def claim(label: str, fallback: str) -> str:
        ok = label.isidentifier() and not keyword.iskeyword(label) and not _OWN_NAME.match(label)
        chosen = label if ok and label not in used and f"d{label}" not in used else fallback
        used.update((chosen, f"d{chosen}"))
        return chosen

    input_vars = [claim(nm, f"i{j}") for j, nm in enumerate(input_names)]
    param_vars = [claim(p.label, f"p{j}") for j, p in enumerate(params)]
    for k, var in zip(g.input_at, input_vars):
        g.ref[k] = var
    for k, var in zip(g.param_at, param_vars):
        g.ref[k] = var

    # Which nodes depend on an input (a batch program computes them per sample), which lead to a
    # parameter (only those need a gradient), which are made of constants alone (folded).
    funcs: dict[str, Any] = {}
    forward: list[str] = []
    for i, v in enumerate(g.nodes):
        if g.ref[i]:
            continue
        if g.prims[i] is None:  # a constant recorded by an expression (or a stray leaf)
            if not v.is_constant:
                raise ValueError(f"the leaf {v!r} is neither an input nor a parameter of the trace")
            g.ref[i], g.folded[i] = _literal(v.data, constants), True
            stats["constants"] += 1
            continue
        parents = g.parents[i]
        if all(g.folded[p] for p in parents):  # made of constants only: its traced value is final
            g.ref[i], g.folded[i] = _literal(v.data, constants), True
            stats["folded"] += 1
            continue
        stats["nodes"] += 1
        g.ref[i] = f"h{stats['nodes']}"
        g.batched[i] = any(g.batched[p] for p in parents)
        g.live[i] = any(g.live[p] for p in parents)
        forward.append(f"    {g.ref[i]} = {_code(g, i, 0, funcs, batch)}")

    def ref(v: Value | float) -> str:
        return g.ref[g.index[v]] if isinstance(v, Value) else _literal(float(v), constants)

    holds: list[str] = []  # each guard as a condition that holds when the trace is still valid
    for gd in guards:
        left = ref(gd.left)
        if gd.op == "same" and batch and _computed(gd.left) and math.isfinite(float(gd.right)):
            # numpy's tanh, exp, … may differ from math's in the last bit: a node's number is the
            # same when it is within a few units in the last place, so its own row is accepted
            cond = f"abs({left} - {ref(gd.right)}) <= {_ULPS * abs(float(gd.right))!r}"
        elif gd.op == "same":
            cond = f"{left} == {ref(gd.right)}"
            if float(gd.right) == 0.0 and not batch:  # 0.0 and −0.0 compare equal
                cond += f" and copysign(1.0, {left}) == {math.copysign(1.0, float(gd.right))!r}"
        else:
            cond = f"{left} {gd.op} {ref(gd.right)}"
        if not gd.outcome:
            cond = f"logical_not({cond})" if batch else f"not ({cond})"
        holds.append(cond)
    guard_lines: list[str] = []
    if holds and not batch:
        fails = " or ".join(c[5:-1] if c.startswith("not (") else f"not ({c})" for c in holds)
        guard_lines = [f"    if {fails}:", "        return None"]
    elif holds:
        guard_lines = [
            f"    ok = all_(n, {', '.join(holds)})",
            "    if not ok.all():",
            "        return None, ok",
        ]

    walk = [g.index[v] for v in grad_order] if grad_order is not None else list(range(len(g.nodes)))
    backward = _backward(g, walk, g.index[root], funcs, batch, stats)
    grads = [f"d{var}" for var in param_vars]
    outs = [ref(root), *grads, *(ref(a) for a in aux)]
    args = (["n", "scale"] if batch else []) + input_vars + param_vars + grads
    head = f"def {name}({', '.join(args)}):"
    body = forward + guard_lines + backward + [f"    return {', '.join(outs)}{',' if len(outs) == 1 else ''}"]
    source = "\n".join([head, *body]) + "\n"
    namespace: dict[str, Any] = dict(_numpy_names() if batch else _SCALAR_NAMES)
    namespace.update(constants)
    namespace.update(funcs)
    exec(compile(source, f"<autograd.trace {name}>", "exec"), namespace)
    return Program(source, namespace[name], len(forward) + len(backward), stats)


class _Graph:
    """The nodes to compile, numbered: parents as numbers, and per node what the generator learns."""

    def __init__(self, order: Sequence[Value], inputs: Sequence[Value], params: Sequence[Value]) -> None:
        listed = set(order)
        unused = [v for v in [*inputs, *params] if v not in listed]  # still arguments of the program
        self.nodes = [*unused, *order]
        self.index = {v: i for i, v in enumerate(self.nodes)}
        self.prims = [v.primitive for v in self.nodes]
        self.parents = [
            () if prim is None else tuple(self.index[p] for p in v.parents)
            for v, prim in zip(self.nodes, self.prims)
        ]
        n = len(self.nodes)
        self.ref: list[str] = [""] * n  # the variable (or literal) holding each node's value
        self.folded = [False] * n
        self.input_at = [self.index[v] for v in inputs]
        self.param_at = [self.index[v] for v in params]
        self.batched = [False] * n
        self.live = [False] * n  # its gradient reaches a parameter
        self.is_param = [False] * n
        for k in self.input_at:
            self.batched[k] = True
        for k in self.param_at:
            self.live[k] = self.is_param[k] = True


def _wrap(expr: str) -> str:
    """expr as an operand: a name or a positive number as it is, anything else in parentheses."""
    return expr if expr.isidentifier() or (expr[:1].isdigit() and _NUMBER.fullmatch(expr)) else f"({expr})"


_NUMBER = re.compile(r"[0-9.]+(e[-+]?[0-9]+)?")


def _code(g: _Graph, i: int, k: int, funcs: dict[str, Any], batch: bool) -> str:
    """Node i's forward rule (k = 0), or its local derivative with respect to input k − 1."""
    prim = g.prims[i]
    if prim is None:
        raise ValueError(f"cannot compile {g.nodes[i]!r}: it has no primitive")
    args = [_wrap(g.ref[p]) for p in g.parents[i]]
    code = _NUMPY_CODE.get(prim.name, prim.code) if batch else prim.code
    if code:
        return code[k].format(x=args[0], y=args[1] if len(args) > 1 else "", out=g.ref[i])
    f = _function(prim, funcs, batch)
    if k == 0:
        return f"{f}({', '.join(args)})"
    return f"{f}_d{k - 1}({', '.join([*args, g.ref[i]])})"


def _function(prim: Primitive, funcs: dict[str, Any], batch: bool) -> str:
    """The name under which a primitive without code is called; its derivatives are `{name}_d{k}`."""
    name = f"{prim.name}_{id(prim):x}"
    if name not in funcs:
        fwd, der = prim.forward, prim.derivative
        ders = [_component(der, k) for k in range(prim.arity)]
        if batch:
            funcs[name] = _vectorise(fwd)
            for k, d in enumerate(ders):
                funcs[f"{name}_d{k}"] = _vectorise(d)
        else:
            funcs[name] = fwd
            for k, d in enumerate(ders):
                funcs[f"{name}_d{k}"] = d
    return name


def _component(der: Callable[..., tuple[float, ...]], k: int) -> Callable[..., float]:
    """The k-th local derivative alone, as a function."""
    return lambda *a: der(*a)[k]


def _vectorise(f: Callable[..., float]) -> Callable[..., Any]:
    def apply(*args: Any) -> Any:
        if not any(isinstance(a, np.ndarray) for a in args):
            return f(*args)
        return np.vectorize(f, otypes=[np.float64])(*args)

    return apply


def _backward(
    g: _Graph, walk: list[int], root: int, funcs: dict[str, Any], batch: bool, stats: dict[str, int]
) -> list[str]:
    """The chain rule, node by node from the output back, in backward()'s order of additions."""
    if not g.live[root]:
        return []
    # ∂mean/∂f of this group of rows: 1 for one sample; its share n/N of the batch when batched
    seed = "n * scale" if batch else "1.0"
    if g.is_param[root]:  # f is a leaf itself: ∂f/∂f = 1
        return [f"    d{g.ref[root]} += {seed}"]
    contributions = [0] * len(g.nodes)
    for i in walk:
        if g.live[i]:
            for p in g.parents[i]:
                contributions[p] += g.live[p]
    grad: dict[int, str] = {root: "1.0"}
    lines: list[str] = []
    if batch:  # one 1/N per row, or (f the same for every row) the group's share n/N at once
        lines.append(f"    d{g.ref[root]} = {'full(n, scale)' if g.batched[root] else seed}")
        grad[root] = f"d{g.ref[root]}"
    seen = [0] * len(g.nodes)
    for i in reversed(walk):
        if g.prims[i] is None:
            continue
        if i not in grad:
            stats["dead"] += not g.live[i] and not g.folded[i]
            continue
        d = grad[i]
        prim = g.prims[i]
        for k, p in enumerate(g.parents[i]):
            if not g.live[p]:
                continue
            da = _code(g, i, k + 1, funcs, batch)
            if batch and g.batched[i] and not g.batched[p]:  # one number for the whole batch: sum
                if da == "1.0":
                    c = f"sum_({d})"
                elif not _uses_batched(g, i, k):
                    c = f"{_wrap(da)} * sum_({d})"
                else:
                    c = f"dot({da}, {d})"
            elif batch and prim is not None and prim.masks and da not in ("1.0", "-1.0"):
                gate = _NUMPY_GATE.get(prim.name)
                c = gate.format(x=g.ref[p], g=d) if gate else f"masked({da}, {d})"
            else:
                c = _times(da, d)
            seen[p] += 1
            target = f"d{g.ref[p]}"
            if g.is_param[p]:
                lines.append(f"    {target} += {c}")
            elif contributions[p] == 1 and c.isidentifier():
                grad[p] = c  # its only contribution is another node's gradient: no line needed
            elif seen[p] == 1:  # across a batch, a copy of another node's array: += must not change it
                lines.append(
                    f"    {target} = {c} * 1.0" if batch and c.isidentifier() else f"    {target} = {c}"
                )
                grad[p] = target
            else:
                lines.append(f"    {target} += {c}")
    return lines


def _uses_batched(g: _Graph, i: int, k: int) -> bool:
    """Whether node i's local derivative with respect to input k may differ between samples."""
    prim = g.prims[i]
    name = prim.name if prim is not None else ""
    if name in ("add", "neg"):
        return False
    if name == "mul":
        return g.batched[g.parents[i][1 - k]]
    return g.batched[i]


def _numpy_names() -> dict[str, Any]:
    def all_(n: int, *conditions: Any) -> Any:
        ok = np.ones(n, dtype=bool)
        for c in conditions:
            ok &= c
        return ok

    return {
        "masked": _masked_rows,
        "exp": np.exp,
        "log": np.log,
        "tanh": np.tanh,
        "copysign": np.copysign,
        "maximum": np.maximum,
        "greater": np.greater,
        "where": np.where,
        "less_equal": np.less_equal,
        "dot": np.dot,
        "sum_": np.add.reduce,  # np.sum without its wrapper: the same sums
        "full": np.full,
        "all_": all_,
        "logical_not": np.logical_not,
    }
