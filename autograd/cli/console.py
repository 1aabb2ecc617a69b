"""Writing to a console: the output's symbols as it can show them (ASCII spellings where it cannot)."""

from __future__ import annotations

import sys
from typing import IO

#: ASCII spellings for a console that cannot show the output's symbols (PYTHONIOENCODING=cp1252, a
#: Windows code page): ∂f/∂x → df/dx, × → *, − → -, and so on.
ASCII = str.maketrans(
    {
        "∂": "d",
        "×": "*",
        "−": "-",
        "–": "-",
        "·": "*",
        "²": "^2",
        "≠": "!=",
        "≤": "<=",
        "≥": ">=",
        "…": "...",
        "─": "-",
        "═": "=",
        "→": "->",
        "∞": "inf",
        "ε": "eps",
        "σ": "sigma",
        "√": "sqrt",
    }
)


def printable(text: str, stream: object) -> str:
    """text as the stream's encoding can write it: unchanged on a UTF-8 console, else in ASCII spellings.

    A console that cannot show ∂ gets ASCII for every symbol (not × here and * there), so the
    output stays consistent and can be pasted back as a formula.
    """
    encoding = getattr(stream, "encoding", None) or "utf-8"
    try:
        "∂−×²".encode(encoding)
        return text.encode(encoding, "replace").decode(encoding)
    except UnicodeEncodeError:
        return text.translate(ASCII).encode(encoding, "replace").decode(encoding)
    except LookupError:  # an encoding Python does not know: plain ASCII is safe
        return text.translate(ASCII).encode("ascii", "replace").decode("ascii")


def say(text: str = "", stream: IO[str] | None = None) -> None:
    """Print one piece of output (to stdout unless told), in ASCII spellings if the console needs them."""
    out = sys.stdout if stream is None else stream
    print(printable(text, out), file=out)
