"""`mark`: the notebooks' exercises — compare a reader's answer with the right one and say why not."""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass
from typing import Literal

from ..engine.value import Value

__all__ = ["Verdict", "mark"]

#: What a verdict can be: the answer is right, it is not (yet), or there is no answer yet.
Status = Literal["right", "not yet", "unanswered"]


@dataclass(frozen=True)
class Verdict:
    """The outcome of one exercise check; shown in a notebook as its one-line message.

    Attributes:
        status: "right", "not yet" (answered, but wrong) or "unanswered" (still `...` or None).
        message: The sentence shown to the reader, e.g. "not yet, because the sign is wrong".
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
        return f"a list of {len(expected)}"
    return type(expected).__name__


def _compare(answer: object, expected: object, tol: float, where: str) -> str | None:
    """None when answer matches expected, else the reason it does not (without giving the answer away)."""
    answer, expected = _plain(answer), _plain(expected)
    if isinstance(expected, bool):
        if not isinstance(answer, bool):
            return f"{where}should be True or False, not {answer!r}"
        return None if answer == expected else f"{where}{answer} is not right"
    if _is_number(expected):
        if not _is_number(answer):
            return f"{where}should be a number, not {answer!r}"
        a, e = float(answer), float(expected)  # type: ignore[arg-type]
        if not math.isfinite(a):
            return f"{where}{a} is not a finite number"
        if abs(a - e) <= tol:
            return None
        if a * e < 0:
            return f"{where}{a:g} has the wrong sign"
        bigger = "too large" if a > e else "too small"
        return f"{where}{a:g} is {bigger} (off by more than the tolerance {tol:g})"
    if isinstance(expected, str):
        if not isinstance(answer, str):
            return f"{where}should be a word (text in quotes), not {answer!r}"
        if answer.strip().casefold() == expected.strip().casefold():
            return None
        return f"{where}{answer!r} is not the answer"
    if isinstance(expected, (list, tuple)):
        if not isinstance(answer, (list, tuple)):
            return f"{where}should be a list of {len(expected)}, not {answer!r}"
        if len(answer) != len(expected):
            return f"{where}has {len(answer)} entries; {len(expected)} were asked for"
        for i, (a, e) in enumerate(zip(answer, expected)):
            reason = _compare(a, e, tol, f"entry {i} ")
            if reason is not None:
                return f"{where}{reason}" if where else reason
        return None
    raise TypeError(
        f"expected must be a number, bool, str or a list/tuple of them, got {type(expected).__name__}: "
        f"{expected!r}"
    )


def mark(answer: object, expected: object, *, tol: float = 1e-6, why: str = "") -> Verdict:
    """Mark a reader's answer to an exercise: right, not yet (and why), or not answered yet.

    Numbers match when |answer − expected| ≤ tol; words match ignoring case and surrounding spaces;
    lists and tuples match entry by entry. A `Value` counts as its number and a numpy array as its
    list. A wrong answer is never told the right one: the message says what is wrong with it (the
    sign, too large or too small, the wrong length) and then `why`, the hint. An answer still left as
    `...` or None is not an error: the verdict says so, and the notebook runs on.

    Args:
        answer: What the reader wrote, or `...` / None while they have not answered.
        expected: The right answer: a number, bool, str, or a list/tuple of those.
        tol: The largest allowed |answer − expected| for numbers, a finite number ≥ 0.
        why: A hint shown after "not yet, because …", e.g. "∂h0/∂w0 = x0, so the sign follows x0".

    Returns:
        A Verdict whose message reads "right", "not yet, because …" or "not answered yet: …".

    Raises:
        ValueError: If expected is itself blank (`...` or None) or tol is negative or not finite.
        TypeError: If expected is of a kind that cannot be checked (say, a dict).

    Example:
        >>> mark(-0.2, -0.196612, tol=0.01)
        right
        >>> mark(0.2, -0.196612, tol=0.01, why="∂h0/∂w0 = x0 = −1")
        not yet, because 0.2 has the wrong sign — ∂h0/∂w0 = x0 = −1
    """
    if _is_blank(expected):
        raise ValueError(f"expected must be the right answer, got {expected!r}")
    if not _is_number(tol) or not math.isfinite(float(tol)) or float(tol) < 0:
        raise ValueError(f"tol must be a finite number ≥ 0, got {tol!r}")
    if _is_blank(answer):
        plain = _plain(expected)
        return Verdict("unanswered", f"not answered yet: replace ... with your answer ({_kind(plain)})")
    reason = _compare(answer, expected, float(tol), "")
    if reason is None:
        return Verdict("right", "right")
    hint = f" — {why}" if why else ""
    return Verdict("not yet", f"not yet, because {reason}{hint}")
