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


def _tokens(text: str) -> list[tuple[str, str, int]]:
    """(kind, text, start) for each token; stops at a character no formula token can start with."""
    found: list[tuple[str, str, int]] = []
    position = 0
    while position < len(text):
        match = _TOKEN.match(text, position)
        if match is None or match.lastgroup is None:
            break
        if match.lastgroup != "space":
            found.append((match.lastgroup, match.group(), position))
        position = match.end()
    return found


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
    functions = set(functions)
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
    tokens = _tokens(text)
    if any(kind == "name" and keyword.iskeyword(token) for kind, token, _ in tokens):
        tokens = []  # Python's own words (import, lambda, …): its message, not a guess
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
    if tokens and tokens[-1][0] == "op" and tokens[-1][1] not in (")",):
        kind, token, start = tokens[-1]
        return f"column {start + 1}: the formula ends with `{token}`: something is missing after it"
    where = column if column else len(text) + 1
    return f"column {where}: {reason}"


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
