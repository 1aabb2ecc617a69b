"""What to write instead: the fix for a formula Python cannot read (2x, x y, sin x, x²), with its column."""

from __future__ import annotations

import difflib
import itertools
import keyword
import re
from collections.abc import Iterable

__all__ = ["close_option", "juxtaposed", "missing_hint", "syntax_message", "typo_hint"]

_SUPERSCRIPTS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁻", "0123456789-")
_SUPER_RUN = re.compile(r"[⁰¹²³⁴⁵⁶⁷⁸⁹⁻]+")
#: Symbols from a maths text and the operator a formula writes for each.
_SYMBOLS = {"÷": "/", "·": "*", "⋅": "*", "∙": "*", "−": "-", "×": "*", "–": "-"}
_TOKEN = re.compile(
    r"(?P<number>(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)|(?P<name>[^\W\d]\w*)|(?P<op>\*\*|[-+*/^%(),])|(?P<space>\s+)"
)


#: A value written inside the formula's own argument ("x x=1") or an equation ("y = x*x").
_ASSIGNED = re.compile(r"(?:^|\s)([^\W\d]\w*)\s*=(?![=])")
#: Operators that need an operand on their left.
_BINARY = ("*", "/", "**", "%", "^")


def _tokens(text: str) -> tuple[list[tuple[str, str, int]], int | None]:
    """(kind, text, start) for each token, and where they stop: a character no token starts with, or None."""
    found: list[tuple[str, str, int]] = []
    position = 0
    while position < len(text):
        match = _TOKEN.match(text, position)
        if match is None or match.lastgroup is None:
            return found, position
        if match.lastgroup != "space":
            found.append((match.lastgroup, match.group(), position))
        position = match.end()
    return found, None


def _operand_end(kind: str, token: str) -> bool:
    return kind in ("number", "name") or token == ")"


def _operand_start(kind: str, token: str) -> bool:
    return kind in ("number", "name") or token == "("


def syntax_message(text: str, column: int | None, reason: str, functions: Iterable[str]) -> str:
    """The message for a formula Python's parser refused: what is wrong, where (1-based column), the fix.

    Args:
        text: The formula as read (stripped, "−" and "×" already read as "-" and "*").
        column: Python's column of the error, if it gave one.
        reason: Python's own words ("invalid syntax").
        functions: The names of the functions a formula may call.
    """
    superscript = _SUPER_RUN.search(text)
    if superscript:
        fixed = _SUPER_RUN.sub(lambda m: "**" + m.group().translate(_SUPERSCRIPTS), text)
        return (
            f"column {superscript.start() + 1}: {superscript.group()!r} is a superscript; "
            f"write a power with **: {fixed}"
        )
    symbol = next((i for i, c in enumerate(text) if c in _SYMBOLS), None)
    if symbol is not None:
        fixed = "".join(_SYMBOLS.get(c, c) for c in text)
        return f"column {symbol + 1}: write {_SYMBOLS[text[symbol]]} for {text[symbol]!r}: {fixed}"
    names = list(functions)
    allowed = f"numbers, variable names, + - * / **, ( ) and {', '.join(names)}"
    functions = set(names)
    assigned = _ASSIGNED.search(text)
    if assigned is not None and text[: assigned.start()].strip():  # "x x=1": the values inside the quotes
        formula, given = text[: assigned.start()].strip(), re.sub(r"\s*=\s*", "=", text[assigned.start() :])
        given = given.strip()
        what = "are values" if given.count("=") > 1 else "is a value"
        return (
            f"column {assigned.start(1) + 1}: {given} {what}, but the formula and the values are separate "
            f'arguments: quote the formula alone, "{formula}" {given}'
        )
    if assigned is not None:  # "y = x*x": an equation or an assignment
        return (
            f"column {text.index('=') + 1}: a formula has no `=`: write the expression alone and give each "
            'value as its own argument, e.g. "x*x" x=3'
        )
    tokens, stray = _tokens(text)
    word = next(
        ((token, start) for kind, token, start in tokens if kind == "name" and keyword.iskeyword(token)), None
    )
    if word is not None:  # import, lambda, if, …
        return (
            f"column {word[1] + 1}: {word[0]} is a word of Python, not of maths: a formula is read, never "
            f"run as Python; it holds {allowed}"
        )
    for (kind, token, start), (next_kind, next_token, next_start) in itertools.pairwise(tokens):
        touching = start + len(token) == next_start
        if kind == "number" and touching and (next_kind == "name" or next_token == "("):
            fixed = text[:next_start] + "*" + text[next_start:]
            return f"column {next_start + 1}: a * is missing after the number {token}: write {fixed}"
        if kind == "name" and token in functions and next_kind in ("number", "name"):
            fixed = f"{text[:start]}{token}({next_token}){text[next_start + len(next_token) :]}"
            return f"column {next_start + 1}: a function's argument goes in parentheses: write {fixed}"
        if _operand_end(kind, token) and _operand_start(next_kind, next_token) and not touching:
            fixed = f"{text[: start + len(token)]}*{text[next_start:]}"
            return (
                f"column {next_start + 1}: an operator is missing between {token} and {next_token}: "
                f"write {fixed} (or +, -, /; a function takes parentheses: sin(x))"
            )
        if touching and next_kind == "number" and (kind == "number" or next_token[0] == "."):  # 1..2, x.2
            return (
                f"column {next_start + 1}: {text[start : next_start + len(next_token)]} is not a number: "
                "a number has at most one point (2, 0.5, 1e-3)"
            )
        if next_token in _BINARY and kind == "op" and token != ")":
            return f"column {next_start + 1}: something is missing between `{token}` and `{next_token}`"
    if tokens and tokens[0][1] in _BINARY:
        return f"column 1: the formula starts with `{tokens[0][1]}`: something is missing before it"
    if stray is not None and reason.startswith("invalid"):  # Python's own reason when it has one (NUL)
        char = text[stray]
        what = "is not part of a number here (2, 0.5, 1e-3)" if char == "." else "cannot be part of a formula"
        return f"column {stray + 1}: {char!r} {what}; a formula holds {allowed}"
    if tokens and tokens[-1][0] == "op" and tokens[-1][1] not in (")",):
        kind, token, start = tokens[-1]
        return f"column {start + 1}: the formula ends with `{token}`: something is missing after it"
    where = column if column else len(text) + 1
    return f"column {where}: {reason}" + (
        f" (a formula holds {allowed})" if reason.startswith("invalid") else ""
    )


def close_option(word: str, options: Iterable[str]) -> str | None:
    """The option a mistyped one was meant to be (--stpes → --steps), or None."""
    name = word.split("=", 1)[0]
    match = difflib.get_close_matches(name, [o for o in options if o.startswith("--")], n=1, cutoff=0.6)
    return match[0] if match else None


def juxtaposed(text: str, end: int) -> str:
    """The fix for `2(x+1)` or `(x+1)(x-1)`, which Python reads as a call: a * at end (0-based)."""
    return f"a * is missing before the ( at column {end + 1}: write {text[:end]}*{text[end:]}"


def missing_hint(name: str, unused: list[str], exponent: str | None, functions: Iterable[str]) -> str:
    """More for "no value for the variable name": e**x, a value given under another name, sinx.

    Args:
        name: The variable with no value.
        unused: The names given a value that the formula does not use (Y for a formula in y).
        exponent: The exponent's text when the formula has name ** exponent.
        functions: The names of the functions a formula may call.
    """
    hints = []
    if name == "e":
        power = exponent or "x"
        written = power if re.fullmatch(r"[\w.]+", power) else f"({power})"
        hints.append(f"for Euler's number write exp({power}) instead of e**{written}")
    prefix = next((f for f in functions if name.startswith(f) and len(name) > len(f)), None)
    if prefix is not None:
        hints.append(f"{name} may be meant as {prefix}({name[len(prefix) :]})")
    for other in unused:
        same = " (names are case-sensitive)" if other.lower() == name.lower() else ""
        hints.append(f"{other} was given a value, but the formula never uses {other}{same}")
    return "; ".join(hints)


def typo_hint(message: str, options: Iterable[str]) -> str | None:
    """For argparse's "unrecognized arguments: --stpes": "did you mean --steps?", or None."""
    if not message.startswith("unrecognized arguments: "):
        return None
    options = list(options)
    for word in message.removeprefix("unrecognized arguments: ").split():
        match = close_option(word, options) if word.startswith("--") else None
        if match is not None:
            return f"unrecognized option {word}: did you mean {match}?"
    return None
