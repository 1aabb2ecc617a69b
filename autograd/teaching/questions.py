"""The notebooks' exercises as data: what is asked, how precisely, the hint, and the classic wrong answers."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from .marking import Precision, Verdict, _is_blank, _sentence, mark

__all__ = ["CodeQuestion", "Question"]


@dataclass(frozen=True)
class Question:
    """One exercise whose answer is a value: a number, a word, True/False or a list of them.

    The right answer is computed when the question is checked (by the engine, or by a closed form
    where the engine's room cannot reach the library that the notebook uses), never typed into the
    notebook's exercise cell.

    Attributes:
        key: "NN.k": notebook NN, exercise k.
        asks: What is asked, in a few words (for docs/exercises.md).
        expected: A function of no arguments returning the right answer.
        hint: Shown after a wrong answer; it names the idea, never the computation.
        right: The right answer as a student writes it, worked out by hand.
        wrong: Classic wrong answers, each with the belief behind it; each must be marked "not yet".
        decimals: Decimal places the question asks for, or None.
        sig: Significant figures the question asks for, or None.
        tol: The largest allowed distance when neither is given (0: exactly; 1e-6 by default).
    """

    key: str
    asks: str
    expected: Callable[[], object]
    hint: str
    right: object
    wrong: tuple[tuple[object, str], ...]
    decimals: int | None = None
    sig: int | None = None
    tol: float | None = None

    def check(self, answer: object) -> Verdict:
        """Mark answer against the expected one, to the precision the question asks for."""
        return mark(
            answer, self.expected(), tol=self.tol, decimals=self.decimals, sig=self.sig, why=self.hint
        )

    def rounded(self) -> object:
        """The right answer rounded as the question allows (entry by entry for a list)."""

        precision = Precision(self.decimals, self.sig)

        def cut(x: object) -> object:
            if isinstance(x, (list, tuple)):
                return [cut(v) for v in x]
            if isinstance(x, float):
                return precision.rounded(x)
            return x

        return cut(self.right)


@dataclass(frozen=True)
class CodeQuestion:
    """One exercise whose answer is a function the student writes, run on cases the student has not seen.

    Attributes:
        key: "NN.k".
        asks: What is asked, in a few words.
        judge: Runs the student's function; returns None when every case is right, else the reason
            (a clause naming the case, never the expected number).
        hint: Shown after a wrong answer; the idea, not the code.
        right: A right solution.
        wrong: Classic wrong solutions, each with the slip it makes; each must be marked "not yet".
    """

    key: str
    asks: str
    judge: Callable[[Callable[..., object]], str | None]
    hint: str
    right: Callable[..., object]
    wrong: tuple[tuple[Callable[..., object], str], ...] = field(default=())

    def check(self, answer: object) -> Verdict:
        """Run answer on the hidden cases and say right, or what went wrong."""
        if _is_blank(answer):
            return Verdict("unanswered", "Not answered yet: replace ... with your function (a def).")
        if not callable(answer):
            return Verdict(
                "not yet", f"Not yet. Your answer {answer!r} should be a function, written with def."
            )
        try:
            reason = self.judge(answer)
        except Exception as error:  # the student's code failed: say how, and carry on
            reason = f"your function raised {type(error).__name__}: {error}"
        if reason is None:
            return Verdict("right", "Right.")
        return Verdict("not yet", f"Not yet. {_sentence(reason)} Hint: {_sentence(self.hint)}")
