"""Practice sheets: a random graph of the primitives from a seed, a blank table to fill in, its answer key."""

from __future__ import annotations

import html
import random
from collections.abc import Callable
from dataclasses import dataclass

from ..engine.backward import backprop, topological_order
from ..engine.value import Value
from ..views.latex import latex_function, latex_name, latex_number, partial
from ..views.numbers import format_value
from ..views.steps import function_text, node_names
from .explain import Explanation, explain

__all__ = ["FORMATS", "LEVELS", "Exercise", "exercise"]

#: The difficulty levels: what the graph looks like.
LEVELS = {
    1: "one chain: each node feeds the next, inputs join along the way",
    2: "a tree: several inputs combined, each node used once",
    3: "shared sub-expressions: some node is used more than once, so its gradient is a sum",
}

#: The formats a worksheet or key can be written in.
FORMATS = ("markdown", "latex", "html")

_LEAF_NAMES = ("x", "w", "b", "y", "z", "a", "c")
_LEAF_VALUES = (-3.0, -2.0, -1.0, -0.5, 0.5, 1.0, 2.0, 3.0)
_CONSTANTS = (2.0, 3.0, -1.0, 0.5)
_SIZES = {1: (3, 5), 2: (4, 7), 3: (5, 8)}  # operation nodes, at least and at most

# The unary steps, each with the condition on its input that keeps the numbers tame.
_UNARY: dict[str, tuple[Callable[[float], bool], Callable[[Value], Value]]] = {
    "neg": (lambda v: True, lambda h: -h),
    "exp": (lambda v: v <= 2.0, lambda h: h.exp()),
    "log": (lambda v: v > 0.0, lambda h: h.log()),
    "tanh": (lambda v: True, lambda h: h.tanh()),
    "relu": (lambda v: v != 0.0, lambda h: h.relu()),
    "reciprocal": (lambda v: abs(v) >= 0.5, lambda h: 1 / h),
    "square": (lambda v: abs(v) <= 4.0, lambda h: h**2),
}
_BINARY: dict[str, Callable[[Value, Value], Value]] = {
    "add": lambda p, q: p + q,
    "mul": lambda p, q: p * q,
}


class _Rejected(Exception):
    """The random graph broke a rule (a number too large, a kink hit): draw again."""


def _unary(rng: random.Random, h: Value) -> Value:
    """A random unary step that is defined and tame at h."""
    allowed = [step for name, (ok, step) in _UNARY.items() if ok(h.data)]
    return rng.choice(allowed)(h)


def _build(rng: random.Random, level: int) -> Value:
    """One random graph of the given level (may raise _Rejected)."""
    names = list(_LEAF_NAMES)
    rng.shuffle(names)

    def leaf() -> Value:
        return Value(rng.choice(_LEAF_VALUES), names.pop())

    low, high = _SIZES[level]
    if level == 1:
        h = leaf()
        for _ in range(rng.randint(low, high)):
            choice = rng.random()
            if choice < 0.35 and len(names) > 4:
                h = rng.choice(list(_BINARY.values()))(h, leaf())
            elif choice < 0.5:
                c = rng.choice(_CONSTANTS)
                h = h * c if rng.random() < 0.5 else h + c
            else:
                h = _unary(rng, h)
        return h
    pool = [leaf() for _ in range(3 if level == 2 else 2)]
    made: list[Value] = []
    shared = False
    while len(pool) > 1 or len(made) < low:
        if len(made) >= high + 2:
            raise _Rejected
        if level == 3 and made and not shared and rng.random() < 0.5:
            reused = rng.choice(made)  # a node used a second time: its gradient becomes a sum
            if reused not in pool:
                pool.append(reused)
                shared = True
        if len(pool) >= 2 and rng.random() < 0.7:
            i, j = rng.sample(range(len(pool)), 2)
            p, q = pool[i], pool[j]
            pool = [v for k, v in enumerate(pool) if k not in (i, j)]
            h = rng.choice(list(_BINARY.values()))(p, q)
        else:
            h = _unary(rng, pool.pop(rng.randrange(len(pool))))
        made.append(h)
        pool.append(h)
    if level == 3 and not shared:
        raise _Rejected
    return pool[0]


def _acceptable(root: Value, level: int) -> bool:
    """Tame numbers, no relu kink, the right size, and every input and operation reached."""
    order = topological_order(root)
    ops = [n for n in order if not n.is_leaf]
    low, high = _SIZES[level]
    if not low <= len(ops) <= high + 2:
        return False
    grads = backprop(root)
    for node in order:
        if not abs(node.data) <= 100.0 or not abs(grads.get(node, 0.0)) <= 1000.0:
            return False
        if node.op == "relu" and node.parents[0].data == 0.0:
            return False
        if node.is_leaf and not node.is_constant and grads.get(node, 0.0) == 0.0:
            return False  # an input the output does not feel (a relu switched off): a sheet of zeros
    return True


@dataclass(frozen=True)
class Exercise:
    """One practice sheet: a graph, the blank table, and the answer key.

    Attributes:
        seed: The seed it was drawn from (the same seed and level give the same sheet).
        level: 1, 2 or 3 (see LEVELS).
        root: The output f.
        inputs: The input leaves, by name.
    """

    seed: int
    level: int
    root: Value

    @property
    def inputs(self) -> dict[str, Value]:
        """The input leaves by name, in topological order."""
        return {n.label: n for n in topological_order(self.root) if n.is_leaf and not n.is_constant}

    def nodes(self) -> list[Value]:
        """The rows of the sheet: inputs and operation nodes in topological order (constants left out)."""
        return [n for n in topological_order(self.root) if not n.is_constant]

    def answers(self) -> dict[str, dict[str, float]]:
        """The key as `check_answers` takes it: name → {"value": …, "grad": ∂f/∂node}."""
        names, grads = node_names(self.root), backprop(self.root)
        return {names[n]: {"value": n.data, "grad": grads.get(n, 0.0)} for n in self.nodes()}

    def title(self) -> str:
        """ "Exercise 7, level 2: a tree …"."""
        return f"Exercise {self.seed}, level {self.level}: {LEVELS[self.level]}"

    def _rows(self, filled: bool) -> list[tuple[Value, str, str, str, str]]:
        """(node, name, function, value, gradient) per row, blank where the student writes."""
        names, grads = node_names(self.root), backprop(self.root)
        rows = []
        for n in self.nodes():
            function = "input" if n.is_leaf else function_text(n, names)
            value = format_value(n.data, None if n.is_leaf else 6) if (filled or n.is_leaf) else ""
            grad = format_value(grads.get(n, 0.0), 6) if filled else ""
            rows.append((n, names[n], function, value, grad))
        return rows

    def _intro(self) -> list[str]:
        names = node_names(self.root)
        at = ", ".join(f"{name} = {format_value(v.data, None)}" for name, v in self.inputs.items())
        return [
            f"Inputs: {at}. The output is f = {names[self.root]}.",
            f"Fill in every node's value (forward pass), then ∂f/∂node "
            f"(backward, from ∂f/∂{names[self.root]} = 1).",
        ]

    def hand_in(self) -> tuple[str, list[str]]:
        """How the sheet is marked: a sentence, and the lines of the answers file to fill in.

        The file's first line names the sheet (`# exercise 7, level 2`), so `check` finds the seed
        and level itself and says so when they are given wrongly; then what the sheet asks for, for
        the student to complete: a `value of name =` line per node worked out (forward order), and
        a `name =` line per row for ∂f/∂name (backward order).
        """
        names = node_names(self.root)
        template = [f"# exercise {self.seed}, level {self.level}"]
        template += ["# the forward pass: the value of each node"]
        template += [f"value of {names[n]} =" for n in self.nodes() if not n.is_leaf]
        template += ["# the backward pass: the gradient of f for each node, from the output down"]
        template += [f"{names[n]} =" for n in reversed(self.nodes())]
        text = (
            "To have it marked, save the lines below as answers.txt, write each value and each ∂f/∂node "
            "after its `=` (a decimal or a fraction such as -1/8) and run `backproplab check answers.txt`; "
            "its first line tells `check` the seed and the level."
        )
        return text, template

    def worksheet(self, format: str = "markdown") -> str:
        """The sheet with a blank table, in "markdown", "latex" (a whole document) or "html"."""
        return self._render(_check_format(format), filled=False)

    def key(self, format: str = "markdown") -> str:
        """The answer key: the table filled in, and ∂f/∂node as a sum over its uses for every row."""
        return self._render(_check_format(format), filled=True)

    def _render(self, format: str, filled: bool) -> str:
        title = self.title() + (" — answer key" if filled else "")
        rows = self._rows(filled)
        working = [explain(self.root, n) for n in reversed(self.nodes())] if filled else []
        if format == "markdown":
            lines = [
                f"# {title}",
                "",
                *self._intro(),
                "",
                "| node | function | value | ∂f/∂node |",
                "|---|---|---|---|",
            ]
            lines += [f"| {name} | {fn} | {v} | {g} |" for _, name, fn, v, g in rows]
            if working:
                lines += ["", "Each gradient as the sum over the node's uses (backward order):", ""]
                lines += [f"- {e.equation()}" for e in working]
            if not filled:
                text, template = self.hand_in()
                lines += ["", text, "", "```text", *template, "```"]
            return "\n".join(lines) + "\n"
        if format == "html":
            body = "".join(
                "<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in (name, fn, v, g)) + "</tr>"
                for _, name, fn, v, g in rows
            )
            parts = [f"<h2>{html.escape(title)}</h2>", *(f"<p>{html.escape(p)}</p>" for p in self._intro())]
            parts.append(
                "<table><thead><tr><th>node</th><th>function</th><th>value</th><th>∂f/∂node</th></tr></thead>"
                f"<tbody>{body}</tbody></table>"
            )
            if working:
                items = "".join(f"<li>{html.escape(e.equation())}</li>" for e in working)
                parts.append(f"<p>Each gradient as the sum over the node's uses:</p><ul>{items}</ul>")
            if not filled:
                text, template = self.hand_in()
                parts += [f"<p>{html.escape(text)}</p>", f"<pre>{html.escape(chr(10).join(template))}</pre>"]
            return "\n".join(parts) + "\n"
        return self._latex(title, filled, working)

    def _latex(self, title: str, filled: bool, working: list[Explanation]) -> str:
        names, grads = node_names(self.root), backprop(self.root)
        at = ", ".join(
            f"${latex_name(name)} = {latex_number(v.data, None)}$" for name, v in self.inputs.items()
        )
        out = latex_name(names[self.root])
        d_node = partial("f", r"\mathrm{node}")
        lines = [
            r"\documentclass{article}",
            r"\usepackage{amsmath}",
            r"\begin{document}",
            rf"\section*{{Exercise {self.seed}, level {self.level}{' (answer key)' if filled else ''}}}",
            rf"Inputs: {at}. The output is $f = {out}$. Work out every node's value, then "
            rf"${d_node}$ for every row, starting from ${partial('f', out)} = 1$.",
            "",
            r"\begin{tabular}{llll}",
            rf"node & function & value & ${d_node}$ \\",
            r"\hline",
        ]
        for n, name, _, _, _ in self._rows(filled):
            function = "input" if n.is_leaf else f"${latex_function(n, names)}$"
            value = f"${latex_number(n.data, None if n.is_leaf else 6)}$" if (filled or n.is_leaf) else ""
            grad = f"${latex_number(grads.get(n, 0.0), 6)}$" if filled else ""
            lines.append(rf"${latex_name(name)}$ & {function} & {value} & {grad} \\")
        lines.append(r"\end{tabular}")
        for e in working:
            lines.append(e.to_latex())
        if not filled:
            template = self.hand_in()[1]
            lines += [
                "",
                r"To have it marked, save the lines below as answers.txt, write each value and each "
                rf"${d_node}$ after its = (a decimal or a fraction such as $-1/8$) and run "
                r"\texttt{backproplab check answers.txt}.",
                r"\begin{verbatim}",
                *template,
                r"\end{verbatim}",
            ]
        lines.append(r"\end{document}")
        return "\n".join(lines) + "\n"


def _check_format(format: object) -> str:
    if format not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}, got {format!r}")
    return str(format)


def exercise(seed: int, level: int = 2) -> Exercise:
    """A practice graph drawn from a seed: the same seed and level always give the same sheet.

    The graph mixes the primitives (add, mul, neg, exp, log, tanh, relu, 1/x, x²) on inputs
    such as x = 2, w = −0.5; every value stays within ±100 and every gradient within ±1000,
    and relu is never asked at its kink. Level 1 is one chain, level 2 a tree of several
    inputs, level 3 has a node used more than once (its gradient is a sum over its uses).

    Args:
        seed: Any int.
        level: 1, 2 or 3.

    Returns:
        An Exercise: `.worksheet(format)`, `.key(format)` and `.answers()` for check_answers.
    """
    if isinstance(seed, bool) or not isinstance(seed, int):
        raise TypeError(f"seed must be an int, got {type(seed).__name__} {seed!r:.40}")
    if level not in LEVELS or isinstance(level, bool):
        raise ValueError(f"level must be 1, 2 or 3, got {level!r}")
    rng = random.Random(f"backproplab exercise {seed} level {level}")  # private: global random untouched
    for _ in range(1000):
        try:
            root = _build(rng, level)
        except (_Rejected, ArithmeticError, ValueError):
            continue
        if _acceptable(root, level):
            return Exercise(seed, level, root)
    raise RuntimeError(f"no acceptable graph found for seed {seed}, level {level}")  # pragma: no cover
