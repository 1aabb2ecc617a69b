"""LaTeX for tables, chains and explanations: node names, numbers and each primitive's formulas."""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

from ..engine.primitives import Primitive
from ..engine.value import Value
from .numbers import DEFAULT_PRECISION, format_value

__all__ = ["FORMULAS", "latex_derivative", "latex_function", "latex_name", "latex_number", "partial"]

#: Each primitive's function and local derivatives in LaTeX, with {x} and {y} for the operands
#: (the LaTeX twin of `formula` and `derivative_text` in ops.py; pow is handled apart because its
#: exponent varies). tests/test_latex.py checks that every primitive has a row here.
FORMULAS: dict[str, tuple[str, tuple[str, ...]]] = {
    "add": ("{x} + {y}", ("1", "1")),
    "mul": (r"{x} \times {y}", ("{y}", "{x}")),
    "neg": ("-{x}", ("-1",)),
    "exp": (r"\exp({x})", (r"\exp({x})",)),
    "reciprocal": (r"\frac{{1}}{{{x}}}", (r"-\frac{{1}}{{{x}^{{2}}}}",)),
    "log": (r"\log({x})", (r"\frac{{1}}{{{x}}}",)),
    "relu": (r"\operatorname{{relu}}({x})", (r"[{x} > 0]",)),
    "tanh": (r"\tanh({x})", (r"1 - \tanh^{{2}}({x})",)),
    "sin": (r"\sin({x})", (r"\cos({x})",)),
    "cos": (r"\cos({x})", (r"-\sin({x})",)),
}

# How a character of a free-form label is written inside \text{…} (the result is pure ASCII).
_TEXT_SPECIAL = {
    "\\": "/", "{": r"\{", "}": r"\}", "_": r"\_", "#": r"\#", "$": r"\$", "%": r"\%", "&": r"\&",
    "^": r"\^{}", "~": r"\~{}", "−": "-", "′": "'",
}  # fmt: skip
_SIMPLE = re.compile(r"^([A-Za-z]+?)(\d*)(′*)$")
_NUMBER = re.compile(r"^(\()?([−-]?)(\d+(?:\.\d+)?|∞)(?:e([−+-]?\d+))?(\))?$")
_GREEK = {
    "α": "alpha", "β": "beta", "γ": "gamma", "δ": "delta", "ε": "epsilon", "η": "eta", "θ": "theta",
    "λ": "lambda", "μ": "mu", "σ": "sigma", "τ": "tau", "φ": "phi", "ω": "omega",
}  # fmt: skip


def _text(raw: str) -> str:
    """A free-form label as \\text{…}, special characters escaped and anything non-ASCII as U+XXXX."""
    out = []
    for ch in raw:
        if ch in _TEXT_SPECIAL:
            out.append(_TEXT_SPECIAL[ch])
        elif ch.isascii():
            out.append(ch)
        else:
            out.append(f"U+{ord(ch):04X}")
    return rf"\text{{{''.join(out)}}}"


def _constant(name: str) -> str | None:
    """A constant's name (its number as node_names writes it: "2", "(−1)", "1e−7", "∞") in math mode, or None.

    Only a whole number in that form counts: any other label, even one starting with a digit,
    "(" or "−" ("50%", "(a & b)", "−x"), is text and escaped like every other.
    """
    match = _NUMBER.match(name)
    if match is None or (match.group(1) is None) != (match.group(5) is None):
        return None
    _, sign, digits, exponent, close = match.groups()
    text = r"\infty" if digits == "∞" else digits
    if exponent is not None:
        text = rf"{digits} \times 10^{{{exponent.replace('−', '-').lstrip('+')}}}"
    text = ("-" if sign else "") + text
    return f"({text})" if close else text


def latex_name(name: str) -> str:
    """A node's name in math mode: "h1" → "h_{1}", "w" → "w", "h1′" → "h_{1}'", "loss" → "\\mathrm{loss}".

    A constant's name is its number ("(−1)" → "(-1)"); anything that is not a name or a number is
    written as \\text{…} with LaTeX's special characters escaped ("50%" → "\\text{50\\%}").
    """
    number = _constant(name)
    if number is not None:
        return number
    match = _SIMPLE.match(name)
    if match is not None:
        stem, digits, primes = match.groups()
        stem = stem if len(stem) == 1 else rf"\mathrm{{{stem}}}"
        return stem + (f"_{{{digits}}}" if digits else "") + "'" * len(primes)
    if name in _GREEK:
        return f"\\{_GREEK[name]}"
    return _text(name)


def latex_number(x: float, precision: int | None = DEFAULT_PRECISION, *, operand: bool = False) -> str:
    """A number in math mode: 0.25 → "0.25", −0.25 → "-0.25" ("(-0.25)" as an operand), 1e−07 → "10^{-7}"."""
    text = format_value(x, precision).replace("−", "-")
    if not math.isfinite(x):
        text = r"\mathrm{nan}" if math.isnan(x) else (r"\infty" if x > 0 else r"-\infty")
    mantissa, e, exponent = text.partition("e")
    if e:
        text = rf"{mantissa} \times 10^{{{exponent}}}"
    return f"({text})" if operand and text.startswith("-") else text


def partial(of: str, wrt: str) -> str:
    """∂of/∂wrt as a LaTeX fraction, with both names already in LaTeX."""
    return rf"\frac{{\partial {of}}}{{\partial {wrt}}}"


def _fill(template: str, operands: Sequence[str]) -> str:
    """Put the operands into a template; an operand in parentheses loses them inside a call's own."""
    x = operands[0]
    y = operands[1] if len(operands) > 1 else ""
    if "({x})" in template and x.startswith("(") and x.endswith(")"):
        x = x[1:-1]
    return template.format(x=x, y=y)


def _power_formulas(prim: Primitive) -> tuple[str, tuple[str, ...]]:
    """x^c and c·x^(c−1) for a pow primitive, read from its formula text "x^2"."""
    c = float(prim.formula.removeprefix("x^").replace("−", "-"))
    c_text = latex_number(c, None).replace("{", "{{").replace("}", "}}")
    cm1_text = latex_number(c - 1.0, None).replace("{", "{{").replace("}", "}}")
    return "{x}^{{" + c_text + "}}", (c_text + r" \cdot {x}^{{" + cm1_text + "}}",)


def _formulas(node: Value) -> tuple[str, tuple[str, ...]] | None:
    """The LaTeX templates of a node's primitive (None for a leaf)."""
    prim = node.primitive
    if prim is None:
        return None
    if prim.name == "pow":
        return _power_formulas(prim)
    if prim.name not in FORMULAS:
        return _text(prim.name) + "({x})", tuple(_text(d) for d in prim.derivative_text)
    return FORMULAS[prim.name]


def latex_function(node: Value, names: dict[Value, str]) -> str:
    """The node's function in LaTeX with its inputs' names: "w \\times x", "\\exp(h_{3})"."""
    formulas = _formulas(node)
    if formulas is None:
        return latex_name(names[node])
    return _fill(formulas[0], [latex_name(names[p]) for p in node.parents])


def latex_derivative(node: Value, slot: int, names: dict[Value, str]) -> str:
    """A local derivative of the node in LaTeX, with the inputs' names: "x", "-\\frac{1}{h_{5}^{2}}"."""
    formulas = _formulas(node)
    if formulas is None:
        return "1"
    return _fill(formulas[1][slot], [latex_name(names[p]) for p in node.parents])
