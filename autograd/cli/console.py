"""Writing to a console: the output's symbols as it can show them (ASCII spellings where it cannot)."""

from __future__ import annotations

import codecs
import re
import sys
import unicodedata
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
        "✓": "ok",
        "✗": "wrong",
        "—": "--",
        "←": "<-",
        "↦": "|->",
        "′": "'",
        "″": "''",
        "±": "+/-",
        "≈": "~",
        "∇": "grad ",
        "§": "section ",
    }
)

_GREEK = re.compile(r"GREEK (SMALL|CAPITAL) LETTER (\w+(?: \w+)*)$")


def ascii_spelling(char: str) -> str:
    """One character the console cannot show, spelled in ASCII: never "?".

    The symbols of the output by the table above; Greek letters by name (α → alpha, Δ → Delta);
    accented and sub- or superscript letters and digits by their plain form (é → e, ₁ → 1); anything
    else by its code point (\\u5b66).
    """
    if char in _SPELLINGS:
        return _SPELLINGS[char]
    plain = "".join(c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c))
    if plain and plain.isascii() and plain.isprintable():
        return plain
    match = _GREEK.match(unicodedata.name(plain if len(plain) == 1 else char, ""))
    if match:
        word = match.group(2).lower().replace(" ", "_")
        return word if match.group(1) == "SMALL" else word.capitalize()
    return char.encode("ascii", "backslashreplace").decode("ascii")


def _spell_unencodable(error: UnicodeError) -> tuple[str, int]:
    """The codec error handler "backproplab-ascii": what the console cannot encode, in ASCII spellings."""
    if not isinstance(error, UnicodeEncodeError):
        raise error
    bad = error.object[error.start : error.end]
    return "".join(ascii_spelling(c) for c in bad), error.end


_SPELLINGS = {chr(k): v for k, v in ASCII.items() if isinstance(v, str)}
codecs.register_error("backproplab-ascii", _spell_unencodable)


def one_line(text: str) -> str:
    """An error message on one line: newlines and other control characters written as escapes."""
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


def printable(text: str, stream: object) -> str:
    """text as the stream's encoding can write it: unchanged on a UTF-8 console, else in ASCII spellings.

    A console that cannot show ∂ gets ASCII for every symbol (not × here and * there), so the
    output stays consistent and can be pasted back as a formula; any other character it cannot
    show is spelled out too (`ascii_spelling`: α → alpha), never written as "?".
    """
    encoding = getattr(stream, "encoding", None) or "utf-8"
    try:
        "∂−×²".encode(encoding)
        return text.encode(encoding, "backproplab-ascii").decode(encoding)
    except UnicodeEncodeError:
        return text.translate(ASCII).encode(encoding, "backproplab-ascii").decode(encoding)
    except LookupError:  # an encoding Python does not know: plain ASCII is safe
        return text.translate(ASCII).encode("ascii", "backproplab-ascii").decode("ascii")


def say(text: str = "", stream: IO[str] | None = None) -> None:
    """Print one piece of output (to stdout unless told), in ASCII spellings if the console needs them."""
    out = sys.stdout if stream is None else stream
    print(printable(text, out), file=out)


def columns(lines: list[list[str]], stream: object) -> str:
    """A table (a header line, then rows of cells) aligned as the stream shows it.

    Each cell is spelled for the console first (`printable`), then padded, so the columns stay
    aligned when an ASCII spelling is longer than its symbol (h5² → h5^2, α → alpha).
    """
    cells = [[printable(cell, stream) for cell in line] for line in lines]
    widths = [max(map(len, column)) for column in zip(*cells)]
    text = ["  ".join(cell.ljust(w) for cell, w in zip(line, widths)).rstrip() for line in cells]
    text.insert(1, printable("  ".join("─" * w for w in widths), stream))
    return "\n".join(text)
