"""`check_answers(f, answers)`: mark a hand-worked table against the engine, naming the classic slips."""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable, Mapping
from typing import Any

from ..common.text import describe, rounding
from ..engine.backward import backprop, topological_order
from ..engine.value import Value
from ..views.numbers import DEFAULT_PRECISION
from ..views.steps import function_text, node_names, output_symbol
from .explain import consumer_edges
from .report import CheckReport, Mark, Slip

__all__ = ["CheckReport", "Mark", "Slip", "check_answers"]

#: What an answer may hold besides a bare gradient.
ANSWER_KEYS = ("grad", "value")


def _number(x: object, where: str) -> float:
    """A student's number as a float, or a clear error."""
    if isinstance(x, bool) or not isinstance(x, numbers.Real):
        raise TypeError(
            f"the answer for {where} must be a number (or a dict with 'grad' and/or 'value'), "
            f"got {type(x).__name__} {x!r:.40}"
        )
    try:
        value = float(x)
    except OverflowError:  # an int such as 10**400
        digits = math.floor(math.log10(abs(x))) + 1
        size = f"an integer of {digits} digits" if isinstance(x, numbers.Integral) else "a number past 1e308"
        raise ValueError(
            f"the answer for {where} is too large to be a gradient: {size} (a float goes up to about 1.8e308)"
        ) from None
    if not math.isfinite(value):
        raise ValueError(f"the answer for {where} must be a finite number, got {x!r}")
    return value


def _named(key: str, output: str) -> str:
    """The node a key in the sheet's own notation names: "∂f/∂h4" (or "df/dh4") → "h4"."""
    key = key.strip().replace(" ", "")
    for d in ("∂", "d"):
        if key.startswith(f"{d}{output}/{d}") and len(key) > len(output) + 3:
            return key[len(output) + 3 :]
    return key


def _resolve(
    answers: Mapping[Any, object], root: Value, names: dict[Value, str]
) -> dict[Value, dict[str, float]]:
    """Map each key of answers (a name or a node) to its node, and each answer to {"grad": …, "value": …}."""
    if not isinstance(answers, Mapping):
        raise TypeError(f"answers must be a dict of node name → number, got {type(answers).__name__}")
    if not answers:
        raise ValueError("answers is empty: give at least one node name → gradient")
    by_name: dict[str, list[Value]] = {}
    for node, name in names.items():
        by_name.setdefault(name, []).append(node)
    known = ", ".join(n for n, nodes in by_name.items() if not nodes[0].is_constant)
    resolved: dict[Value, dict[str, float]] = {}
    for key, answer in answers.items():
        if isinstance(key, Value):
            if key not in names:
                raise ValueError(
                    f"{describe(key)} in answers is not part of the graph that ends in {describe(root)}"
                )
            node = key
        elif isinstance(key, str):
            nodes = by_name.get(key.strip(), []) or by_name.get(_named(key, output_symbol(root)), [])
            if not nodes:
                raise ValueError(f"unknown node name {key!r:.40} in answers; the nodes are {known}")
            if len(nodes) > 1:
                raise ValueError(f"{len(nodes)} nodes are called {key!r}; give the Value itself as the key")
            node = nodes[0]
        else:
            raise TypeError(
                f"a key of answers must be a node name (str) or a Value, got {type(key).__name__}"
            )
        where = names[node]
        if node in resolved:
            raise ValueError(f"{where} is answered twice (two keys name the same node)")
        if isinstance(answer, Mapping):
            extra = [k for k in answer if k not in ANSWER_KEYS]
            if extra or not answer:
                raise ValueError(
                    f"the answer for {where} may have the keys 'grad' and 'value', "
                    f"got {sorted(map(str, answer))}"
                )
            resolved[node] = {k: _number(v, f"{where} ({k})") for k, v in answer.items()}
        else:
            resolved[node] = {"grad": _number(answer, where)}
    return resolved


def check_answers(
    root: Value,
    answers: Mapping[Any, object],
    *,
    rtol: float = 1e-3,
    atol: float = 1e-6,
    precision: int | None = DEFAULT_PRECISION,
) -> CheckReport:
    """Mark a hand-worked table against the engine, and say which classic slip explains a wrong number.

    An answer agrees when |given − engine| ≤ atol + rtol·|engine| (defaults allow three or four
    significant digits). For a wrong ∂f/∂node the checker tries the classic slips, each with
    the student's own ∂f/∂consumer where given: an error carried over from a consumer, a sign
    flip, a consumer left out of the sum, only one term kept (`=` instead of `+=`), a local
    derivative from the input instead of the output (exp′(x) taken as x), the wrong operand of
    a product, and a doubled count (gradients not zeroed between two backward passes).

    Args:
        root: The output f.
        answers: Node name (as in `table(f)`: "h1", "w", or as the sheet writes it: "∂f/∂h1",
            "df/dh1") or the node itself → ∂f/∂node, or →
            {"grad": ∂f/∂node, "value": the node's value} (either key may be left out).
        rtol: Relative tolerance.
        atol: Absolute tolerance.
        precision: Significant digits in the report.

    Returns:
        A CheckReport with `.ok`, `.first_wrong` and one Mark per answer.

    Raises:
        TypeError: A key that is neither a name nor a Value, or an answer that is not a number.
        ValueError: An unknown name, a node of another graph, a non-finite number (or an int too
            large for a float), empty answers.
    """
    if not isinstance(root, Value):
        raise TypeError(f"root must be a Value, got {type(root).__name__}")
    tolerances: tuple[tuple[str, object], ...] = (("rtol", rtol), ("atol", atol))
    for name, tol in tolerances:
        try:
            ok = not isinstance(tol, bool) and isinstance(tol, numbers.Real) and 0.0 <= float(tol) < math.inf
        except OverflowError:  # an int such as 10**400
            ok = False
        if not ok:
            raise ValueError(f"{name} must be a finite number ≥ 0, got {tol!r:.40}")
    names = node_names(root)
    resolved = _resolve(answers, root, names)
    grads = backprop(root)
    edges = consumer_edges(root)
    order = topological_order(root)

    def close(a: float, b: float, rounded: float = 0.0) -> bool:
        return abs(a - b) <= atol + rtol * abs(b) + rounded

    # ∂f/∂node as the student has it: their answer where given, else what their answers above imply;
    # and where each wrong number came from: the node whose answer first went wrong (None: no error)
    # (slack: how far the student's own rounding may move theirs, e.g. ±0.00005 for 0.0183)
    theirs: dict[Value, float] = {}
    origin: dict[Value, Value | None] = {}
    slack: dict[Value, float] = {}
    for node in reversed(order):
        uses = edges.get(node, [])
        implied = 1.0 if node == root else math.fsum(theirs[c] * c.local_grads[s] for c, s in uses)
        implied_slack = math.fsum(slack[c] * abs(c.local_grads[s]) for c, s in uses)
        upstream_error = next((origin[c] for c, _ in uses if origin[c] is not None), None)
        if "grad" not in resolved.get(node, {}):
            theirs[node], origin[node], slack[node] = implied, upstream_error, implied_slack
            continue
        theirs[node] = given = resolved[node]["grad"]
        slack[node] = rounding(given)
        if close(given, grads.get(node, 0.0)):
            origin[node] = None
        elif upstream_error is not None and close(given, implied, implied_slack + slack[node]):
            origin[node] = upstream_error
        else:
            origin[node] = node

    marks: list[Mark] = []
    for node in reversed(order):
        if node in resolved and "grad" in resolved[node]:
            given, expected = resolved[node]["grad"], grads.get(node, 0.0)
            ok = close(given, expected)
            slips = (
                () if ok else _slips(node, given, expected, root, grads, theirs, origin, edges, names, close)
            )
            marks.append(Mark(node, names[node], "grad", given, expected, ok, slips))
    for node in order:
        if node in resolved and "value" in resolved[node]:
            given, expected = resolved[node]["value"], node.data
            ok = close(given, expected)
            slips = ()
            if not ok and expected != 0.0 and close(given, -expected):
                slips = (Slip("sign flip", "the sign is flipped"),)
            marks.append(Mark(node, names[node], "value", given, expected, ok, slips))
    missing = [names[n] for n in reversed(order) if not n.is_constant and "grad" not in resolved.get(n, {})]
    return CheckReport(marks, output_symbol(root), missing, precision)


def _slips(
    node: Value,
    given: float,
    expected: float,
    root: Value,
    grads: dict[Value, float],
    theirs: dict[Value, float],
    origin: dict[Value, Value | None],
    edges: dict[Value, list[tuple[Value, int]]],
    names: dict[Value, str],
    near: Callable[[float, float], bool],
) -> tuple[Slip, ...]:
    """Every classic slip that gives exactly the student's number for ∂f/∂node."""
    if node == root:
        return ()
    me, f = names[node], output_symbol(root)
    uses = edges.get(node, [])
    # ∂f/∂consumer as the student has it (their answer where given), and the terms it makes
    upstream = [theirs[c] for c, _ in uses]
    terms = [u * c.local_grads[slot] for u, (c, slot) in zip(upstream, uses)]
    slips: list[Slip] = []

    def use_name(i: int) -> str:
        c, slot = uses[i]
        twice = sum(p == node for p in c.parents) > 1
        return f"{names[c]}" + (f" ({('1st', '2nd')[slot]} operand)" if twice else "")

    total = math.fsum(terms)
    source = origin[node]  # where the error entered, found allowing for the student's rounding
    if source is not None and source != node:
        entered = f"∂{f}/∂{names[source]}"
        slips.append(Slip("carried over", f"it follows from your {entered}: the error entered there"))
    if expected != 0.0 and near(given, -expected):
        slips.append(Slip("sign flip", "the sign is flipped (a −1 lost or doubled, e.g. in a subtraction)"))
    if len(uses) >= 2:
        for i in range(len(uses)):
            if near(given, total - terms[i]) and not near(terms[i], 0.0):
                slips.append(
                    Slip(
                        "consumer left out",
                        f"the use by {use_name(i)} is left out of the sum over {me}'s {len(uses)} uses",
                    )
                )
        if len(uses) >= 3:
            for i in range(len(uses)):
                if near(given, terms[i]):
                    slips.append(
                        Slip(
                            "only one term",
                            f"only the use by {use_name(i)} is counted: `=` instead of `+=` "
                            f"overwrote the other {len(uses) - 1} terms",
                        )
                    )
    for i, (c, slot) in enumerate(uses):
        for kind, local, why in _wrong_locals(c, slot, names):
            if not near(local, c.local_grads[slot]) and near(given, total - terms[i] + upstream[i] * local):
                slips.append(Slip(kind, f"∂{names[c]}/∂{me} {why}"))
    if expected != 0.0 and near(given, 2.0 * expected):
        slips.append(
            Slip("doubled", "twice the gradient: backward ran twice without zeroing the gradients in between")
        )
    return tuple(slips)


def _wrong_locals(consumer: Value, slot: int, names: dict[Value, str]) -> list[tuple[str, float, str]]:
    """The wrong local derivatives a student classically uses for one edge: (kind, value, explanation)."""
    prim = consumer.primitive
    if prim is None:
        return []
    inputs = [p.data for p in consumer.parents]
    out = consumer.data
    wrong: list[tuple[str, float, str]] = []
    if prim.arity == 1:
        x = inputs[0]
        f = function_text(consumer, names)
        for kind, args, why in (
            ("input for output", (x, x), f"was taken with the input {names[consumer.parents[0]]} "
             f"where the output {names[consumer]} = {f} belongs"),
            ("output for input", (out, out), f"was taken with the output {names[consumer]} = {f} "
             f"where the input {names[consumer.parents[0]]} belongs"),
        ):  # fmt: skip
            try:
                (local,) = prim.derivative(*args)
            except (ArithmeticError, ValueError):
                continue
            if math.isfinite(local):
                wrong.append((kind, local, why))
    elif prim.name == "mul":
        own, other = names[consumer.parents[slot]], names[consumer.parents[1 - slot]]
        wrong.append(("wrong operand", inputs[slot], f"is {other} (the other factor), not {own} itself"))
    return wrong
