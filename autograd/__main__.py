"""`python -m autograd` (or `backproplab`): a formula's forward pass, derivative table, chain rule, graph."""

from __future__ import annotations

import argparse
import math
import os
import re
import sys
from pathlib import Path
from typing import NoReturn

from .cli_practice import SUBCOMMANDS
from .cli_practice import main as practice_main
from .drawing import GraphvizNotFoundError, check_format, render
from .expr import FUNCTIONS, ExpressionError, parse
from .steps import backward_steps, format_value, forward_steps, fresh_gradients
from .tables import chain, table

#: The lecture's example, run when no formula is given: the sigmoid neuron of worked example §1.
LECTURE_FORMULA = "1/(exp(-(w*x+b))+1)"
LECTURE_VALUES = {"x": 1.0, "w": 0.0, "b": 0.0}

DESCRIPTION = """\
Build the computation graph of a formula, then print its forward pass, its derivative table
(h1, h2, … as in the lecture notes) and the chain rule for every variable, and draw the graph
with the value and the gradient on every edge.

A formula may use numbers, variable names, + - * / **, unary minus and exp, log, tanh, relu,
sigmoid. It is parsed, never evaluated as Python."""

EPILOG = """\
examples:
  python -m autograd                                  the lecture's 1/(exp(-(w*x+b))+1) at x=1, w=0, b=0
  python -m autograd "(x + y) * z" x=-2 y=5 z=-4 -o out/f.png
  python -m autograd --steps -- "-x * log(y)" x=2 y=3   (options first, then -- before a formula
                                                       that starts with -)

exit status: 0 done, 2 a bad formula, value or option, 1 the graph could not be written

practice (see `python -m autograd exercise --help` and `check --help`):
  python -m autograd exercise --seed 7 --level 2       a worksheet with a blank table (--key: the answers)
  python -m autograd check answers.json --seed 7       mark a filled-in table
  (a formula that starts with the word exercise or check goes after --)"""

_ASSIGNMENT = re.compile(r"^\s*([^\W\d]\w*)\s*=(?!=)(.*)$")


class UsageError(Exception):
    """A mistake on the command line: reported in one line, exit status 2."""


class _Parser(argparse.ArgumentParser):
    """argparse, but its errors become UsageError (one line) instead of a usage dump and exit."""

    def error(self, message: str) -> NoReturn:
        if "unrecognized arguments: -" in message or "expected one argument" in message:
            message += " (put the options first, then -- before a formula that starts with -)"
        raise UsageError(message)


def _parser() -> _Parser:
    parser = _Parser(
        prog="python -m autograd",
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "items",
        nargs="*",
        metavar="EXPR [name=value ...]",
        help=f"the formula, then a value for each variable (default: {LECTURE_FORMULA} at x=1 w=0 b=0)",
    )
    parser.add_argument(
        "-o",
        "--output",
        default="graph.svg",
        metavar="FILE",
        help="where to draw the graph; .svg, .png, .pdf (need Graphviz) or .dot (default: graph.svg)",
    )
    parser.add_argument(
        "--steps", action="store_true", help="also print the backward pass one node at a time"
    )
    parser.add_argument(
        "--precision", type=int, default=6, metavar="N", help="significant digits shown (1–17, default 6)"
    )
    return parser


def _split(items: list[str]) -> tuple[str | None, dict[str, float]]:
    """Separate the formula from the name=value pairs and read the values."""
    formula: str | None = None
    values: dict[str, float] = {}
    for item in items:
        match = _ASSIGNMENT.match(item)
        if match is None:
            if formula is not None:
                raise UsageError(
                    f"two formulas given, {formula!r:.60} and {item!r:.60}; "
                    "give one formula, then name=value pairs"
                )
            formula = item
            continue
        name, text = match.group(1), match.group(2).strip()
        if name in FUNCTIONS:
            raise UsageError(f"{name} is a function, not a variable; pick another name")
        if name in values:
            raise UsageError(f"{name} is given twice")
        try:
            number = float(text)
        except ValueError:
            raise UsageError(f"the value of {name} must be a number, got {text!r:.40}") from None
        if not math.isfinite(number):
            raise UsageError(f"the value of {name} must be a finite number, got {text!r:.40}")
        values[name] = number
    return formula, values


def _heading(text: str) -> str:
    return f"\n{text}\n{'=' * len(text)}"


def run(argv: list[str]) -> int:
    """Do the work of main(); UsageError and ExpressionError propagate."""
    args = _parser().parse_args(argv)
    if not 1 <= args.precision <= 17:
        raise UsageError(f"--precision must be from 1 to 17, got {args.precision}")
    output = Path(args.output)
    try:
        check_format(output)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    formula, values = _split(args.items)
    if formula is None:
        formula = LECTURE_FORMULA
        unknown = [name for name in values if name not in LECTURE_VALUES]
        if unknown:
            raise UsageError(
                f"unknown variable {unknown[0]!r}: the lecture formula {LECTURE_FORMULA} uses only x, w, b"
            )
        values = {**LECTURE_VALUES, **values}
    expression = parse(formula, values)
    root, p = expression.root, args.precision
    names = list(values)  # in the order given; parse() refused any name the formula does not use

    at = ", ".join(f"{n} = {format_value(values[n], None)}" for n in names)
    print(f"f = {formula}" + (f"   at {at}" if at else ""))
    print(f"f = {format_value(root.data, p)}")
    if not root.is_leaf:
        print(_heading("Forward pass"))
        for forward in forward_steps(root, p):
            print(forward)
        print(_heading("Derivative table"))
        print(table(root, p))
    if names:
        print(_heading("Chain rule"))
        for name in names:
            leaf = expression.inputs[name]
            try:
                print(chain(root, leaf, p))
            except ValueError as exc:  # too many paths to write out: say so, and give the sum
                print(f"∂f/∂{name} = {format_value(fresh_gradients(root)[leaf], p)} ({exc})")
    if args.steps and not root.is_leaf:
        print(_heading("Backward pass, one node at a time"))
        for backward in backward_steps(root, p):
            print(backward)
    sys.stdout.flush()
    try:
        written = render(root, output, precision=min(p, 4), title=f"f = {formula}")
    except (GraphvizNotFoundError, OSError, ValueError) as exc:
        print(f"python -m autograd: cannot write {str(output)!r}: {exc}", file=sys.stderr)
        return 1
    print(f"\nGraph written to {written}")
    return 0


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit status (0 done, 1 graph not written, 2 bad input)."""
    if argv is None:
        argv = sys.argv[1:]
    if argv and argv[0] in SUBCOMMANDS:  # `exercise` or `check`; a formula named so goes after --
        return practice_main(argv)
    try:
        return run(argv)
    except (UsageError, ExpressionError) as exc:
        print(f"python -m autograd: error: {exc}", file=sys.stderr)
        return 2
    except SystemExit as exc:  # --help, which argparse ends with exit(0)
        return exc.code if isinstance(exc.code, int) else 0
    except BrokenPipeError:  # the reader went away (`| head`): stop quietly, as Unix tools do
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 1


if __name__ == "__main__":
    sys.exit(main())
