"""Parse the LaTeX the library writes: structure checked here, every math part by matplotlib's mathtext."""

from __future__ import annotations

import re

from matplotlib.mathtext import MathTextParser

_PARSER = MathTextParser("path")
_MATH = re.compile(r"\\\[(.*?)\\\]|(?<!\\)\$(.*?)(?<!\\)\$", re.S)


def math_parts(text: str) -> list[str]:
    """The contents of every $…$ and \\[…\\] in text."""
    return [m.group(1) if m.group(1) is not None else m.group(2) for m in _MATH.finditer(text)]


def check_latex(text: str) -> list[str]:
    """Check LaTeX text and return its math parts.

    Checks: ASCII only (a plain pdflatex needs no inputenc), braces balanced outside escapes,
    every \\begin{env} closed by its \\end{env} in order, each row of a tabular with as many
    cells as the column spec, and every math part accepted by mathtext (which raises ValueError
    on an unknown command, a missing argument or an unbalanced group).
    """
    assert text.isascii(), [c for c in text if not c.isascii()][:5]
    unescaped = re.sub(r"\\[{}$&%#_\\ ]", "", text)
    depth = 0
    for ch in unescaped:
        depth += {"{": 1, "}": -1}.get(ch, 0)
        assert depth >= 0, "a } closes nothing"
    assert depth == 0, "an unclosed {"
    stack: list[str] = []
    for kind, env in re.findall(r"\\(begin|end)\{(\w+\*?)\}", text):
        if kind == "begin":
            stack.append(env)
        else:
            assert stack and stack.pop() == env, f"\\end{{{env}}} closes the wrong environment"
    assert not stack, f"unclosed environments {stack}"
    for spec, body in re.findall(r"\\begin\{tabular\}\{(\w+)\}(.*?)\\end\{tabular\}", text, re.S):
        rows = [r for r in re.split(r"\\\\\s*\n?", body.replace(r"\hline", "")) if r.strip()]
        for row in rows:
            cells = re.split(r"(?<!\\)&", row)
            assert len(cells) == len(spec), f"{len(cells)} cells in a {len(spec)}-column row: {row!r}"
    parts = math_parts(text)
    for part in parts:
        _PARSER.parse(f"${part}$")  # raises ValueError if mathtext cannot parse it
    return parts
