"""What `check_answers` gives back: a `CheckReport` of one `Mark` per answer, each with its `Slip`s."""

from __future__ import annotations

from dataclasses import dataclass

from ..engine.value import Value
from ..views.numbers import format_value

__all__ = ["CheckReport", "Mark", "Slip"]


@dataclass(frozen=True)
class Slip:
    """A classic mistake that explains a wrong number exactly.

    Attributes:
        kind: One of "carried over", "sign flip", "consumer left out", "only one term",
            "input for output", "wrong operand", "doubled".
        text: What went wrong, in a sentence.
    """

    kind: str
    text: str


@dataclass(frozen=True)
class Mark:
    """One answer marked.

    Attributes:
        node: The node answered for.
        name: Its name, as in `table()`.
        quantity: "grad" (∂f/∂node) or "value".
        given: The student's number.
        expected: The engine's number.
        ok: Whether they agree within the tolerance.
        slips: The classic slips that give exactly the student's number (empty when ok or unexplained).
    """

    node: Value
    name: str
    quantity: str
    given: float
    expected: float
    ok: bool
    slips: tuple[Slip, ...] = ()

    @property
    def slip(self) -> Slip | None:
        """The most likely slip, or None."""
        return self.slips[0] if self.slips else None

    def symbol(self, output: str) -> str:
        """ "∂f/∂h3" or "value of h3"."""
        return f"∂{output}/∂{self.name}" if self.quantity == "grad" else f"value of {self.name}"


class CheckReport:
    """The marked table: `.ok`, `.first_wrong`, `.marks`; print it for the whole verdict.

    Attributes:
        marks: Gradient answers in backward order (output first), then value answers in forward order.
        output: What the output is called ("f").
        missing: Names of nodes with no gradient answer (constants not counted), backward order.
        precision: Significant digits shown.
    """

    def __init__(self, marks: list[Mark], output: str, missing: list[str], precision: int | None) -> None:
        self.marks = marks
        self.output = output
        self.missing = missing
        self.precision = precision

    @property
    def ok(self) -> bool:
        """True when every answer given agrees with the engine."""
        return all(m.ok for m in self.marks)

    @property
    def wrong(self) -> list[Mark]:
        """The wrong answers, in the order of `.marks`."""
        return [m for m in self.marks if not m.ok]

    @property
    def first_wrong(self) -> Mark | None:
        """The first wrong gradient in backward order — where the error entered; later ones may inherit it.

        When every gradient is right but a value is wrong, the first wrong value in forward order.
        """
        wrong = self.wrong
        return wrong[0] if wrong else None

    def line(self, mark: Mark) -> str:
        """One answer's verdict."""
        p, symbol = self.precision, mark.symbol(self.output)
        if mark.ok:
            return f"✓ {symbol} = {format_value(mark.given, p)}"
        given, expected = format_value(mark.given, p), format_value(mark.expected, p)
        text = f"✗ {symbol}: you wrote {given}, the engine gives {expected}"
        if mark.slip is not None:
            text += f" — {mark.slip.text}"
        return text

    def __str__(self) -> str:
        n, wrong = len(self.marks), len(self.wrong)
        first = self.first_wrong
        if first is None and self.missing:  # right so far, but not finished: say so first
            grads = sum(m.quantity == "grad" for m in self.marks)
            given = f"{grads} of {grads + len(self.missing)} " + ("answers" if grads == n else "gradients")
            right = "it is right" if n == 1 else "both right" if n == 2 else f"all {n} right"
            head = f"{given} given, {right}; {len(self.missing)} missing: {', '.join(self.missing)}."
        elif first is None:
            head = "The 1 answer is right." if n == 1 else f"All {n} answers right."
        elif n == 1:
            head = f"The 1 answer, {first.symbol(self.output)}, is wrong."
        else:
            head = f"{n - wrong} of {n} answers right; the first wrong is {first.symbol(self.output)}"
            head += " (backward order: where the error entered)." if first.quantity == "grad" else "."
        lines = [head, *(f"  {self.line(m)}" for m in self.marks)]
        if self.missing and first is not None:
            lines.append(f"  (no answer for {', '.join(self.missing)})")
        return "\n".join(lines)

    def __repr__(self) -> str:
        return f"<CheckReport ok={self.ok}>\n{self}"
