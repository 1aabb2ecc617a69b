"""`mark`: the notebooks' exercises — compare a reader's answer with the right one and say why not."""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass
from typing import Literal

from ..engine.value import Value

__all__ = ["Precision", "Verdict", "mark"]

#: What a verdict can be: the answer is right, it is not (yet), or there is no answer yet.
Status = Literal["right", "not yet", "unanswered"]


@dataclass(frozen=True)
class Verdict:
    """The outcome of one exercise check; shown in a notebook as its message.

    Attributes:
        status: "right", "not yet" (answered, but wrong) or "unanswered" (still `...` or None).
        message: The reader is told, in whole sentences: "Not yet. Your answer 0.2 has the wrong sign."
    """

    status: Status
    message: str

    @property
    def right(self) -> bool:
        """True only when the answer was given and is right."""
        return self.status == "right"

    @property
    def answered(self) -> bool:
        """False while the answer is still the placeholder `...` (or None)."""
        return self.status != "unanswered"

    def __str__(self) -> str:
        return self.message

    def __repr__(self) -> str:
        return self.message


@dataclass(frozen=True)
class Precision:
    """How precisely a question asks for a number: exactly, to d decimals or to s significant figures.

    Attributes:
        decimals: Decimal places asked for ("3 decimals": 0.210 for 0.209987), or None.
        sig: Significant figures asked for ("3 significant figures": 0.000977 for 0.25⁵), or None.
        tol: An explicit largest |answer − expected| when neither is given (default 1e-6).
    """

    decimals: int | None = None
    sig: int | None = None
    tol: float = 1e-6

    def tolerance(self, expected: float) -> float:
        """The largest allowed |answer − expected|: half a unit of the last place asked for.

        A hair more than half (a relative 1e-9), so that the expected value rounded as asked,
        e.g. 0.000977 for 0.0009765625, is accepted despite floating-point error.
        """
        if self.decimals is not None:
            return 0.5 * 10.0 ** (-self.decimals) * (1 + 1e-9)
        if self.sig is not None:
            if expected == 0.0:
                return 0.0
            place = math.floor(math.log10(abs(expected))) - self.sig + 1
            return 0.5 * 10.0**place * (1 + 1e-9)
        return self.tol

    def words(self) -> str:
        """The precision as the question says it: "3 decimals", "3 significant figures", ""."""
        if self.decimals is not None:
            return f"{self.decimals} decimal{'s' if self.decimals != 1 else ''}"
        if self.sig is not None:
            return f"{self.sig} significant figure{'s' if self.sig != 1 else ''}"
        return ""

    def rounded(self, expected: float) -> float:
        """expected rounded as the question allows (itself when it asks for the exact number)."""
        if self.decimals is not None:
            return round(expected, self.decimals)
        if self.sig is not None and expected != 0.0:
            return round(expected, self.sig - 1 - math.floor(math.log10(abs(expected))))
        return expected


def _is_blank(x: object) -> bool:
    """An answer not given yet: the placeholder `...` or None."""
    return x is ... or x is None


def _plain(x: object) -> object:
    """A Value as its number, a numpy array or scalar as Python lists and numbers; anything else as is."""
    if isinstance(x, Value):
        return x.data
    tolist = getattr(x, "tolist", None)
    return tolist() if callable(tolist) else x


def _is_number(x: object) -> bool:
    return isinstance(x, numbers.Real) and not isinstance(x, bool)


def _kind(expected: object) -> str:
    """What kind of answer is wanted, for the 'not answered yet' message."""
    if isinstance(expected, bool):
        return "True or False"
    if _is_number(expected):
        return "a number"
    if isinstance(expected, str):
        return "a word, in quotes"
    if isinstance(expected, (list, tuple)):
        if expected and all(isinstance(row, (list, tuple)) for row in expected):
            return f"a list of {len(expected)} rows"
        return f"a list of {len(expected)}"
    return type(expected).__name__


def _subject(where: tuple[int, ...], shown: str) -> str:
    """Who is wrong: "your answer 0.2", "entry 2 of your list (0.2)", "the entry in row 1, column 3 (0.2)"."""
    if not where:
        return f"your answer {shown}"
    if len(where) == 1:
        return f"entry {where[0]} of your list ({shown})"
    if len(where) == 2:
        return f"the entry in row {where[0]}, column {where[1]} ({shown})"
    return f"the entry at position {', '.join(map(str, where))} ({shown})"


def _parses(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _wrong_number(a: float, e: float, precision: Precision, where: tuple[int, ...]) -> str | None:
    """None when a matches e within the precision asked for, else the reason, as a clause."""
    who = _subject(where, f"{a:g}")
    if not math.isfinite(a):
        return f"{who} is not a finite number"
    tol = precision.tolerance(e)
    if abs(a - e) <= tol:
        return None
    if a * e < 0:
        return f"{who} has the wrong sign"
    asked = precision.words()
    if asked and abs(a - e) <= max(20 * tol, 0.05 * abs(e)):
        return f"{who} is close, but not right to the {asked} the question asks for"
    return f"{who} is too {'large' if a > e else 'small'}"


def _compare(answer: object, expected: object, precision: Precision, where: tuple[int, ...]) -> str | None:
    """None when answer matches expected, else the reason it does not (without giving the answer away)."""
    answer, expected = _plain(answer), _plain(expected)
    if isinstance(expected, bool):
        if not isinstance(answer, bool):
            return f"{_subject(where, repr(answer))} should be True or False"
        return None if answer == expected else f"{_subject(where, str(answer))} is not right"
    if _is_number(expected):
        if isinstance(answer, str) and _parses(answer):
            return f"{_subject(where, repr(answer))} is text; write the number without quotes"
        if not _is_number(answer):
            return f"{_subject(where, repr(answer))} should be a number"
        return _wrong_number(float(answer), float(expected), precision, where)  # type: ignore[arg-type]
    if isinstance(expected, str):
        if not isinstance(answer, str):
            return f"{_subject(where, repr(answer))} should be a word in quotes"
        if answer.strip().casefold() == expected.strip().casefold():
            return None
        return f"{_subject(where, repr(answer))} is not the answer"
    if isinstance(expected, (list, tuple)):
        asked = f"{len(expected)} entr{'y' if len(expected) == 1 else 'ies'}"
        if not isinstance(answer, (list, tuple)):
            return f"{_subject(where, repr(answer))} should be a list of {asked}"
        if len(answer) != len(expected):
            given = f"{len(answer)} entr{'y' if len(answer) == 1 else 'ies'}"
            place = "your list" if not where else f"row {', '.join(map(str, where))} of your answer"
            return f"{place} has {given}, and the question asks for {asked}"
        for i, (a, e) in enumerate(zip(answer, expected), start=1):
            reason = _compare(a, e, precision, (*where, i))
            if reason is not None:
                return reason
        return None
    raise TypeError(
        f"expected must be a number, bool, str or a list/tuple of them, got {type(expected).__name__}: "
        f"{expected!r}"
    )


def _sentence(text: str) -> str:
    """text with a capital first letter and a full stop at the end."""
    text = text.strip()
    if not text:
        return text
    text = text[0].upper() + text[1:]
    return text if text[-1] in ".?!" else text + "."


def mark(
    answer: object,
    expected: object,
    *,
    tol: float | None = None,
    decimals: int | None = None,
    sig: int | None = None,
    why: str = "",
) -> Verdict:
    """Mark a reader's answer to an exercise: right, not yet (and why), or not answered yet.

    Numbers match to the precision the question asks for: `decimals=3` accepts anything within
    half a unit of the third decimal (0.210 for 0.209987), `sig=3` within half a unit of the third
    significant figure (0.000977 for 0.25⁵ = 0.0009765625), `tol` within an explicit distance
    (default 1e-6; 0 for a count). Words match ignoring case and surrounding spaces; lists and
    tuples (and lists of rows) match entry by entry. A `Value` counts as its number and a numpy
    array as its list. A wrong answer is never told the right one: the message says what is wrong
    with it (the sign, too large or too small, close but not as precise as asked, the wrong
    length), in whole sentences, then the hint `why`. An answer still left as `...` or None is not
    an error: the verdict says so, and the notebook runs on.

    Args:
        answer: What the reader wrote, or `...` / None while they have not answered.
        expected: The right answer: a number, bool, str, or a list/tuple of those.
        tol: The largest allowed |answer − expected|, a finite number ≥ 0 (not with decimals/sig).
        decimals: The number of decimal places the question asks for (an int ≥ 0).
        sig: The number of significant figures the question asks for (an int ≥ 1).
        why: A hint shown after the reason; it names the idea, not the computation.

    Returns:
        A Verdict whose message reads "Right.", "Not yet. …" or "Not answered yet: …".

    Raises:
        ValueError: If expected is itself blank (`...` or None), tol is negative or not finite, more
            than one of tol/decimals/sig is given, or decimals/sig is out of range.
        TypeError: If expected is of a kind that cannot be checked (say, a dict).

    Example:
        >>> mark(-0.197, -0.196612, decimals=3)
        Right.
        >>> mark(0.2, -0.196612, decimals=3, why="∂h0/∂w0 is the input x0")
        Not yet. Your answer 0.2 has the wrong sign. Hint: ∂h0/∂w0 is the input x0.
    """
    if _is_blank(expected):
        raise ValueError(f"expected must be the right answer, got {expected!r}")
    given = [name for name, v in (("tol", tol), ("decimals", decimals), ("sig", sig)) if v is not None]
    if len(given) > 1:
        raise ValueError(f"give one of tol, decimals and sig, not {' and '.join(given)}")
    if tol is not None and (not _is_number(tol) or not math.isfinite(float(tol)) or float(tol) < 0):
        raise ValueError(f"tol must be a finite number ≥ 0, got {tol!r}")
    if decimals is not None and (not isinstance(decimals, int) or isinstance(decimals, bool) or decimals < 0):
        raise ValueError(f"decimals must be an int ≥ 0, got {decimals!r}")
    if sig is not None and (not isinstance(sig, int) or isinstance(sig, bool) or sig < 1):
        raise ValueError(f"sig must be an int ≥ 1, got {sig!r}")
    precision = Precision(decimals, sig, 1e-6 if tol is None else float(tol))
    if _is_blank(answer):
        return Verdict(
            "unanswered", f"Not answered yet: replace ... with your answer ({_kind(_plain(expected))})."
        )
    reason = _compare(answer, expected, precision, ())
    if reason is None:
        return Verdict("right", "Right.")
    hint = f" Hint: {_sentence(why)}" if why.strip() else ""
    return Verdict("not yet", f"Not yet. {_sentence(reason)}{hint}")
