"""The straight-line Python program a traced graph compiles to: forward lines, then backward lines."""

from __future__ import annotations

import keyword
import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .ops import Primitive
from .value import Value

__all__ = ["Guard", "Program", "generate"]

#: Local names the generator makes itself (h3, dh3, …), which a label must not take.
_OWN_NAME = re.compile(r"^(d?h\d+|[pi]\d+|dp\d+|ok|n)$")
#: What a program may call: math's functions for one sample, numpy's across a batch.
_SCALAR_NAMES: dict[str, Any] = {
    "exp": math.exp,
    "log": math.log,
    "tanh": math.tanh,
    "copysign": math.copysign,
}
#: numpy forms of the templates that use a Python conditional (a program across a batch).
_NUMPY_CODE = {"relu": ("maximum({x}, 0.0)", "greater({x}, 0.0) * 1.0")}


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


def _literal(c: float, constants: dict[str, float]) -> str:
    if math.isfinite(c):
        return repr(c)
    name = f"c{len(constants)}"
    constants[name] = c
    return name


def _atomic(expr: str) -> bool:
    return re.fullmatch(r"-?[\w.]+", expr) is not None


def _times(da: str, g: str) -> str:
    """The contribution da · g, with a derivative of ±1 (or a gradient of 1) folded away."""
    if da == "1.0":
        return g
    if g == "1.0":
        return da
    if da == "-1.0":
        return f"-{g}" if _atomic(g) else f"-({g})"
    return f"{da if _atomic(da) else f'({da})'} * {g}"


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
    constants: dict[str, float] = {}
    names: dict[Value, str] = {}
    used: set[str] = set(_SCALAR_NAMES) | set(_numpy_names()) | {"scale"}
    input_set = set(map(id, inputs))
    stats = {"nodes": 0, "constants": 0, "folded": 0, "dead": 0}

    def claim(label: str, fallback: str) -> str:
        ok = label.isidentifier() and not keyword.iskeyword(label) and not _OWN_NAME.match(label)
        chosen = label if ok and label not in used and f"d{label}" not in used else fallback
        used.update((chosen, f"d{chosen}"))
        return chosen

    for v, nm in zip(inputs, input_names):
        names[v] = claim(nm, f"i{len(names)}")
    for j, p in enumerate(params):
        names[p] = claim(p.label, f"p{j}")

    # Which nodes depend on an input (a batch program computes them per sample), which lead to a
    # parameter (only those need a gradient), which are made of constants alone (folded).
    batched: set[Value] = set(inputs)
    live: set[Value] = set(params)
    folded: dict[Value, str] = {}
    forward: list[str] = []
    funcs: dict[str, Any] = {}
    count = 0
    for v in order:
        if v in names:
            continue
        if v.is_leaf:  # a constant recorded by an expression, or a leaf read without being a parameter
            if v.is_constant:
                folded[v] = _literal(v.data, constants)
                stats["constants"] += 1
                continue
            raise ValueError(f"the leaf {v!r} is neither an input nor a parameter of the trace")
        parents = v.parents
        if all(p in folded for p in parents):  # made of constants only: its traced value is final
            folded[v] = _literal(v.data, constants)
            stats["folded"] += 1
            continue
        count += 1
        names[v] = f"h{count}"
        if any(p in batched for p in parents):
            batched.add(v)
        if any(p in live for p in parents):
            live.add(v)
        forward.append(f"    {names[v]} = {_forward_code(v, parents, names, folded, funcs, batch)}")
    stats["nodes"] = count

    def ref(v: Value | float) -> str:
        if isinstance(v, Value):
            return folded.get(v) or names[v]
        return _literal(float(v), constants)

    holds: list[str] = []  # each guard as a condition that holds when the trace is still valid
    for gd in guards:
        left = ref(gd.left)
        if gd.op == "same":
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

    backward = _backward(
        grad_order or order, root, names, folded, live, batched, set(params), input_set, batch, stats
    )
    grads = [f"d{names[p]}" for p in params]
    outs = [ref(root)] + grads + [ref(a) for a in aux]
    args = (["n", "scale"] if batch else []) + [names[v] for v in inputs] + [names[p] for p in params] + grads
    head = f"def {name}({', '.join(args)}):"
    body = forward + guard_lines + backward + [f"    return {', '.join(outs)}{',' if len(outs) == 1 else ''}"]
    source = "\n".join([head, *body]) + "\n"
    namespace: dict[str, Any] = dict(_numpy_names() if batch else _SCALAR_NAMES)
    namespace.update(constants)
    namespace.update(funcs)
    exec(compile(source, f"<autograd.trace {name}>", "exec"), namespace)
    return Program(source, namespace[name], len(forward) + len(backward), stats)


def _forward_code(
    v: Value,
    parents: tuple[Value, ...],
    names: dict[Value, str],
    folded: dict[Value, str],
    funcs: dict[str, Any],
    batch: bool,
) -> str:
    prim = v.primitive
    if prim is None:
        raise ValueError(f"cannot compile {v!r}: it has no primitive")
    args = [folded.get(p) or names[p] for p in parents]
    code = _NUMPY_CODE.get(prim.name, prim.code) if batch else prim.code
    if code:
        return _fill(code[0], args, names[v])
    f = _function(prim, funcs, batch)
    return f"{f}({', '.join(args)})"


def _fill(template: str, args: list[str], out: str) -> str:
    wrapped = [a if _atomic(a) and not a.startswith("-") else f"({a})" for a in args]
    return template.format(x=wrapped[0], y=wrapped[1] if len(wrapped) > 1 else "", out=out)


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


def _derivative_code(v: Value, k: int, names: dict[Value, str], folded: dict[Value, str], batch: bool) -> str:
    prim = v.primitive
    if prim is None:
        raise ValueError(f"cannot compile {v!r}: it has no primitive")
    args = [folded.get(p) or names[p] for p in v.parents]
    code = _NUMPY_CODE.get(prim.name, prim.code) if batch else prim.code
    if code:
        return _fill(code[1 + k], args, names[v])
    return f"{prim.name}_{id(prim):x}_d{k}({', '.join([*args, names[v]])})"


def _backward(
    order: Sequence[Value],
    root: Value,
    names: dict[Value, str],
    folded: dict[Value, str],
    live: set[Value],
    batched: set[Value],
    params: set[Value],
    inputs: set[int],
    batch: bool,
    stats: dict[str, int],
) -> list[str]:
    """The chain rule, node by node from the output back, in backward()'s order of additions."""
    if root not in live:
        return []
    contributions: dict[Value, int] = {}
    for v in order:
        if v in live and not v.is_leaf:
            for p in v.parents:
                if p in live:
                    contributions[p] = contributions.get(p, 0) + 1
    grad: dict[Value, str] = {root: "full(n, scale)" if batch and root in batched else "1.0"}
    lines: list[str] = []
    if root in params:  # f is a leaf itself: ∂f/∂f = 1
        return [f"    d{names[root]} += 1.0"]
    if batch and root in batched:
        lines.append(f"    d{names[root]} = {grad[root]}")
        grad[root] = f"d{names[root]}"
    seen: dict[Value, int] = {}
    for v in reversed(order):
        if v.is_leaf or v not in grad:
            if not v.is_leaf and v not in live:
                stats["dead"] += 1
            continue
        g = grad[v]
        for k, p in enumerate(v.parents):
            if p not in live:
                continue
            da = _derivative_code(v, k, names, folded, batch)
            if batch and v in batched and p not in batched:  # one number for the whole batch: sum
                if da == "1.0":
                    c = f"sum_({g})"
                elif not _uses_batched(v, k, batched):
                    c = f"{da if _atomic(da) else f'({da})'} * sum_({g})"
                else:
                    c = f"dot({da}, {g})"
            else:
                c = _times(da, g)
            seen[p] = seen.get(p, 0) + 1
            target = f"d{names[p]}"
            if p in params:
                lines.append(f"    {target} += {c}")
            elif contributions[p] == 1 and _atomic(c) and not c.startswith("-"):
                grad[p] = c  # its only contribution is another node's gradient: no line needed
            elif seen[p] == 1:
                lines.append(f"    {target} = {c}")
                grad[p] = target
            else:
                lines.append(f"    {target} += {c}")
    return lines


def _uses_batched(v: Value, k: int, batched: set[Value]) -> bool:
    """Whether the k-th local derivative of v may differ between samples."""
    prim = v.primitive
    code = prim.code if prim is not None else ()
    if prim is not None and prim.name == "add":
        return False
    if prim is not None and prim.name == "neg":
        return False
    if prim is not None and prim.name == "mul" and code:
        return v.parents[1 - k] in batched
    return v in batched


def _numpy_names() -> dict[str, Any]:
    def all_(n: int, *conditions: Any) -> Any:
        ok = np.ones(n, dtype=bool)
        for c in conditions:
            ok &= c
        return ok

    return {
        "exp": np.exp,
        "log": np.log,
        "tanh": np.tanh,
        "copysign": np.copysign,
        "maximum": np.maximum,
        "greater": np.greater,
        "dot": np.dot,
        "sum_": np.sum,
        "full": np.full,
        "all_": all_,
        "logical_not": np.logical_not,
    }
