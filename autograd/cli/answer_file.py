"""A student's answers file for `check`: its encoding, its JSON or `name = number` lines, its sheet line."""

from __future__ import annotations

import codecs
import json
import locale
import math
import re
from collections.abc import Iterable
from fractions import Fraction

__all__ = [
    "MAX_BYTES",
    "PracticeError",
    "console_encodings",
    "decode",
    "number",
    "read_answers",
    "sheet_named",
]

#: The largest answers file read: a table of a few dozen lines is a few kilobytes.
MAX_BYTES = 1_000_000

_LINE = re.compile(r"^\s*(value\s+of\s+)?([^\s=:]+)\s*[=:]\s*(.*?)\s*$", re.IGNORECASE)
_SHEET = re.compile(r"exercise\s+(-?\d{1,18})\s*,\s*level\s+(\d)", re.IGNORECASE)
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


class PracticeError(Exception):
    """A mistake on the command line or in an answers file: one line, exit status 2."""


def _is_utf8(encoding: str) -> bool:
    return codecs.lookup(encoding).name in ("utf-8", "ascii")


def decode(data: bytes, source: str, console: Iterable[str | None] = ()) -> str:
    """An answers file's text: UTF-8 (with or without a BOM), UTF-16 or UTF-32, or the console's encoding.

    UTF-16 is what Windows PowerShell 5 writes with `echo … > answers.txt`; a file saved by a
    Windows editor in its "ANSI" encoding is read in the console's encoding (cp1252 and the like)
    when that is not UTF-8. Anything else is refused with one line saying how to save it.
    """
    if len(data) > MAX_BYTES:
        raise PracticeError(f"{source} is {len(data):,} bytes; an answers file is a few lines (at most 1 MB)")
    encoding = next((name for bom, name in _BOMS if data.startswith(bom)), None)
    if encoding is None and b"\0" in data[:2] and len(data) % 2 == 0:  # UTF-16 without a byte-order mark
        encoding = "utf-16-le" if data[1:2] == b"\0" else "utf-16-be"
    tried = [encoding] if encoding else ["utf-8"]
    for name in console:
        try:
            if encoding is None and name and not _is_utf8(name) and codecs.lookup(name).name not in tried:
                tried.append(codecs.lookup(name).name)
        except LookupError:
            continue
    problem: UnicodeDecodeError | None = None
    for name in tried:
        try:
            text = data.decode(name)
        except UnicodeDecodeError as exc:
            problem = problem or exc
            continue
        if "\0" in text:
            raise PracticeError(f"{source} holds a NUL character: it is not a text file of answers")
        return text
    start = problem.start if problem is not None else 0
    line = data[:start].count(b"\n") + 1
    names = " or ".join(["UTF-8", "UTF-16", *tried[1:]]) if encoding is None else tried[0]
    raise PracticeError(
        f"{source} is not text in {names}: byte 0x{data[start]:02x} on line {line} cannot be read; "
        "save the file as UTF-8 (in an editor: Save as, encoding UTF-8)"
    )


def console_encodings(*streams: object) -> list[str | None]:
    """The encodings a file from this console may be in: the streams', then the locale's."""
    return [getattr(s, "encoding", None) for s in streams] + [locale.getpreferredencoding(False)]


def number(text: str) -> float:
    """A number as a student writes it: 0.25, −0.25, 1e-3, or a fraction -1/8; ValueError if not."""
    plain = re.sub(r"\s*/\s*", "/", text.strip().replace("−", "-"))
    try:
        value = float(plain)
    except ValueError:
        try:
            value = float(Fraction(plain))
        except (ValueError, ZeroDivisionError):
            raise ValueError(f"{text!r:.40} is not a number (write 0.25, -1/8 or 1e-3)") from None
        except OverflowError:
            raise ValueError(f"{text:.20}… is too large to be a gradient") from None
    if not math.isfinite(value):
        if plain.lower().lstrip("+-") in ("inf", "infinity", "nan"):
            raise ValueError(f"{text!r:.40} is not a finite number")
        raise ValueError(f"{text:.20}… is too large to be a gradient (a float goes up to about 1.8e308)")
    return value


def read_answers(text: str, source: str) -> dict[str, object]:
    """Answers from JSON or from lines.

    JSON: {"h1": 0.25} or {"h1": {"grad": 0.25, "value": 0}}. Lines: `name = gradient` (or
    `name: gradient`), the name as the table or the sheet writes it (`h4`, `∂f/∂h4`), the number
    a decimal or a fraction (`-1/8`); `value of h4 = 2` gives a value; `#` starts a comment, and a
    line left blank after its `=` is not answered yet.
    """
    text = text.lstrip("\ufeff")
    stripped = text.strip()
    if stripped.startswith("{"):
        try:
            data = json.loads(stripped)
        except RecursionError:
            raise PracticeError(f"{source} is not valid JSON: it is nested too deeply") from None
        except ValueError as exc:  # JSONDecodeError, or an integer of more than 4300 digits
            raise PracticeError(f"{source} is not valid JSON: {str(exc).splitlines()[0]}") from None
        if not isinstance(data, dict):
            raise PracticeError(f"{source} must hold a JSON object of name → answer")
        return data
    answers: dict[str, dict[str, float]] = {}
    seen: dict[tuple[str, str], int] = {}
    for row, line in enumerate(text.splitlines(), 1):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        match = _LINE.match(line)
        if match is None:
            raise PracticeError(f"{source}, line {row}: expected `name = number`, got {line!r:.60}")
        value_of, name, value = match.groups()
        if not value:
            continue  # a row of the template not filled in yet
        quantity = "value" if value_of else "grad"
        if (name, quantity) in seen:
            raise PracticeError(
                f"{source}, line {row}: {name} is answered twice (lines {seen[name, quantity]} and {row})"
            )
        seen[name, quantity] = row
        try:
            answers.setdefault(name, {})[quantity] = number(value)
        except ValueError as exc:
            raise PracticeError(f"{source}, line {row}: {exc}") from None
    if not answers:
        raise PracticeError(f"{source} holds no answers")
    return {name: (e["grad"] if list(e) == ["grad"] else e) for name, e in answers.items()}


def sheet_named(text: str) -> tuple[int, int] | None:
    """The (seed, level) a comment line such as `# exercise 7, level 2` names, or None."""
    for line in text.splitlines():
        comment = line.partition("#")[2]
        match = _SHEET.search(comment)
        if match:
            return int(match.group(1)), int(match.group(2))
    return None
