"""The code and table exercises of notebooks 07 and 10: hidden cases, right and classic wrong solutions."""

from __future__ import annotations

import math
from collections.abc import Callable

from ..derivatives.forward import tangent_sweep
from ..engine.backward import backprop, topological_order, zero_grad
from ..engine.value import Value
from ..views.steps import node_names
from .answers import check_answers
from .exercises import exercise
from .marking import Verdict, _is_blank, _sentence
from .questions import CodeQuestion

__all__ = [
    "SHEET",
    "backward_forwards",
    "backward_no_minus",
    "backward_right",
    "backward_unswapped",
    "judge_backward",
    "TableQuestion",
    "forward_right",
    "forward_reversed",
    "forward_one_parent",
    "judge_table",
    "judge_tangents",
    "sheet_key",
    "which_engines_are_right",
]


def _cases() -> list[tuple[str, Value, Value]]:
    """Graphs for the forward-mode exercise: (description, root, the input seeded)."""
    cases = []
    a = Value(3.0, "a")
    cases.append(("q = a·a + a at a = 3", a * a + a, a))
    x, y = Value(0.5, "x"), Value(-2.0, "y")
    cases.append(("f = exp(x·y) + x at (0.5, −2), seeded at y", (x * y).exp() + x, y))
    u = Value(1.5, "u")
    h = u.tanh()
    cases.append(("g = tanh(u)·tanh(u) / u at u = 1.5", h * h / u, u))
    return cases


def judge_tangents(tangents: Callable[..., object]) -> str | None:
    for text, root, seeded in _cases():
        given = tangents(root, seeded)
        if not isinstance(given, dict):
            return f"your function returned {given!r}, and a dict node → tangent was asked for"
        right = tangent_sweep(root, {seeded: 1.0})
        for node in topological_order(root):
            if node.is_constant:
                continue
            value = given.get(node)
            if not isinstance(value, (int, float)) or abs(value - right[node]) > 1e-9 * (
                1 + abs(right[node])
            ):
                name = node_names(root)[node]
                return f"on {text} your tangent of {name} is {value!r}, which is not ∂{name}/∂{seeded.label}"
    return None


def forward_right(root: Value, x: Value) -> dict[Value, float]:
    tangent: dict[Value, float] = {}
    for node in topological_order(root):
        if node.is_leaf:
            tangent[node] = 1.0 if node is x else 0.0
        else:
            tangent[node] = sum(local * tangent[p] for p, local in zip(node.parents, node.local_grads))
    return tangent


def forward_reversed(root: Value, x: Value) -> dict[Value, float]:
    tangent: dict[Value, float] = {}
    for node in reversed(topological_order(root)):
        if node.is_leaf:
            tangent[node] = 1.0 if node is x else 0.0
        else:
            tangent[node] = sum(
                local * tangent.get(p, 0.0) for p, local in zip(node.parents, node.local_grads)
            )
    return tangent


def forward_one_parent(root: Value, x: Value) -> dict[Value, float]:
    tangent: dict[Value, float] = {}
    for node in topological_order(root):
        if node.is_leaf:
            tangent[node] = 1.0 if node is x else 0.0
        else:
            for p, local in dict(zip(node.parents, node.local_grads)).items():
                tangent[node] = tangent.get(node, 0.0) + local * tangent[p]
    return tangent


def _engine_right(root: Value) -> None:
    zero_grad(root)
    root.grad = 1.0
    for node in reversed(topological_order(root)):
        for parent, local in zip(node.parents, node.local_grads):
            parent.grad += local * node.grad


def _engine_recursive(root: Value) -> None:
    zero_grad(root)
    root.grad = 1.0
    seen: set[Value] = set()

    def visit(node: Value) -> None:
        if node in seen:
            return
        seen.add(node)
        for parent, local in zip(node.parents, node.local_grads):
            parent.grad += local * node.grad
        for parent in node.parents:
            visit(parent)

    visit(root)


def _engine_assign(root: Value) -> None:
    zero_grad(root)
    root.grad = 1.0
    for node in reversed(topological_order(root)):
        for parent, local in zip(node.parents, node.local_grads):
            parent.grad = local * node.grad


def _engine_set(root: Value) -> None:
    zero_grad(root)
    root.grad = 1.0
    for node in reversed(topological_order(root)):
        for parent, local in dict(zip(node.parents, node.local_grads)).items():
            parent.grad += local * node.grad


def which_engines_are_right() -> list[bool]:
    """On g(a) = (a·2 + 1)·a at a = 3: does each wrong engine of notebook 10 still get ∂g/∂a?"""
    verdicts = []
    for engine in (_engine_recursive, _engine_assign, _engine_set):
        a, b = Value(3.0, "a"), Value(3.0, "a")
        engine((a * 2 + 1) * a)
        _engine_right((b * 2 + 1) * b)
        verdicts.append(a.grad == b.grad)
    return verdicts


#: The practice sheet of notebook 10's exercise: its seed and level.
SHEET = (4, 2)


class TableQuestion(CodeQuestion):
    """A filled-in table for a generated practice sheet, name → ∂f/∂node, marked by `check_answers`.

    `right` and each wrong answer are functions of no arguments returning the table, since the
    sheet is generated when asked for.
    """

    def check(self, answer: object) -> Verdict:
        """Mark the table: right when every entry agrees to three or four significant digits."""
        if _is_blank(answer):
            return Verdict(
                "unanswered", "Not answered yet: replace ... with your table (a dict name → ∂f/∂node)."
            )
        reason = self.judge(answer)  # type: ignore[arg-type]
        if reason is None:
            return Verdict("right", "Right.")
        return Verdict("not yet", f"Not yet. {_sentence(reason)} Hint: {_sentence(self.hint)}")


def judge_table(table: object) -> str | None:
    if not isinstance(table, dict):
        return f"your answer {table!r} is not a table: a dict name → ∂f/∂node was asked for"
    sheet = exercise(*SHEET)
    names = {name for name in sheet.answers()}
    missing = sorted(names - set(table), key=lambda n: (len(n), n))
    if missing:
        return f"your table has no entry for {', '.join(missing)}"
    report = check_answers(sheet.root, {name: table[name] for name in names})
    first = report.first_wrong
    if first is None:
        return None
    slip = f", and it looks like this slip: {first.slip.text.rstrip('.')}" if first.slip else ""
    return f"∂f/∂{first.name} is the first wrong entry in backward order (the rows after it inherit it){slip}"


def sheet_key() -> dict[str, float]:
    return {name: row["grad"] for name, row in exercise(*SHEET).answers().items()}


# ---- 10.3: a backward pass by hand, each local derivative from its rule ---------------------------


def _backward_cases() -> list[tuple[str, Value]]:
    """Graphs of add, mul, neg, exp and reciprocal for the backward-pass exercise: (description, root)."""
    a, b = Value(1.5, "a"), Value(-0.5, "b")
    c = Value(2.0, "c")
    d, e = Value(0.25, "d"), Value(-1.25, "e")
    return [
        ("(a·b + a)·exp(b) at a = 1.5, b = −0.5", (a * b + a) * b.exp()),
        ("1/(c·c + 1) − c at c = 2", 1 / (c * c + 1) - c),
        ("exp(−d·e)·d + e·e at d = 0.25, e = −1.25", (-(d * e)).exp() * d + e * e),
    ]


def judge_backward(backward: Callable[..., object]) -> str | None:
    for text, root in _backward_cases():
        right = backprop(root)
        for node in topological_order(root):  # the rule, not the recorded numbers, must give the answer
            node.local_grads = tuple(math.nan for _ in node.local_grads)
        given = backward(root)
        if not isinstance(given, dict):
            return f"your function returned {given!r}, and a dict node → ∂f/∂node was asked for"
        names = node_names(root)
        for node in topological_order(root):
            value = given.get(node)
            if isinstance(value, float) and math.isnan(value):
                return f"on {text} your ∂f/∂{names[node]} is nan: compute each local derivative from its rule"
            if not isinstance(value, (int, float)) or abs(value - right[node]) > 1e-9 * (
                1 + abs(right[node])
            ):
                return f"on {text} your {value!r} for {names[node]} is not ∂f/∂{names[node]}"
    return None


def _local_by_rule(node: Value, swap: bool = True, minus: bool = True) -> list[float]:
    xs = [p.data for p in node.parents]
    rules = {
        "add": lambda: [1.0, 1.0],
        "mul": lambda: [xs[1], xs[0]] if swap else [xs[0], xs[1]],
        "neg": lambda: [-1.0],
        "exp": lambda: [node.data],
        "reciprocal": lambda: [(-1.0 if minus else 1.0) / xs[0] ** 2],
    }
    return rules[node.op]() if node.op else []


def _backward_with(local: Callable[[Value], list[float]], order: str = "reversed") -> Callable[..., object]:
    def backward(root: Value) -> dict[Value, float]:
        grads = {root: 1.0}
        nodes = topological_order(root)
        for node in reversed(nodes) if order == "reversed" else nodes:
            for parent, d in zip(node.parents, local(node)):
                grads[parent] = grads.get(parent, 0.0) + d * grads.get(node, 0.0)
        return grads

    return backward


backward_right = _backward_with(_local_by_rule)
backward_unswapped = _backward_with(lambda node: _local_by_rule(node, swap=False))
backward_no_minus = _backward_with(lambda node: _local_by_rule(node, minus=False))
backward_forwards = _backward_with(_local_by_rule, order="forwards")
