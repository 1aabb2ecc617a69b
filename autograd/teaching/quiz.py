"""`check`: mark the answer to exercise "NN.k" of the notebooks; the right answers stay out of sight."""

from __future__ import annotations

from .bank_capstone import CAPSTONE
from .bank_early import EARLY
from .bank_late import LATE
from .marking import Verdict
from .questions import CodeQuestion, Question

__all__ = ["QUESTIONS", "check", "question"]

#: Every notebook exercise, by key "NN.k" (notebook NN, exercise k).
QUESTIONS: dict[str, Question | CodeQuestion] = {q.key: q for q in (*EARLY, *LATE, *CAPSTONE)}


def question(key: str) -> Question | CodeQuestion:
    """The exercise called key ("01.2"), with its hint, precision and classic wrong answers.

    Raises:
        KeyError: If there is no such exercise, naming the ones there are.
    """
    if key not in QUESTIONS:
        raise KeyError(f"no exercise {key!r}; the exercises are {', '.join(QUESTIONS)}")
    return QUESTIONS[key]


def check(key: str, answer: object) -> Verdict:
    """Mark the answer to exercise key: "Right.", "Not yet. …" (why, never the answer) or "Not answered yet".

    The right answer is worked out here, by the engine, so the notebook's exercise cell holds only
    the question's answer line; the precision is the one the question asks for.

    Example:
        >>> check("01.1", ...)
        Not answered yet: replace ... with your answer (a number).
        >>> print(check("01.1", 5).message.split(" Hint:")[0])
        Not yet. Your answer 5 is too large.
    """
    return question(key).check(answer)
