"""The `exercise` and `check` subcommands of `python -m autograd` (`backproplab`): practice and marking."""

from __future__ import annotations

import argparse
import json
import math
import random
import re
import sys
from pathlib import Path
from typing import Any, NoReturn

from ..engine.value import Value
from ..teaching.answers import check_answers
from ..teaching.exercises import FORMATS, LEVELS, exercise
from .console import printable, say
from .expr import ExpressionError, parse

#: The words that start a subcommand instead of a formula.
SUBCOMMANDS = ("exercise", "check")

_HINT = (
    "to differentiate a formula that starts with the word {word}, put -- before it: {prog} -- {word} {word}=1"
)

_LINE = re.compile(r"^\s*([^\s=:]+)\s*[=:]\s*(.+?)\s*$")


class PracticeError(Exception):
    """A mistake on the command line or in an answers file: one line, exit status 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        prog, word = self.prog.rsplit(" ", 1)
        raise PracticeError(f"{message} ({_HINT.format(prog=prog, word=word)})")

    def _print_message(self, message: str, file: Any = None) -> None:
        """--help text, in ASCII spellings if the console needs them."""
        if message:
            out = sys.stdout if file is None else file
            out.write(printable(message, out))


def _exercise_parser(prog: str) -> _Parser:
    parser = _Parser(
        prog=f"{prog} exercise",
        description="Print a practice sheet: a random graph with a blank table, or its answer key.",
        epilog="The same --seed and --level always give the same sheet.",
    )
    parser.add_argument("--seed", type=int, default=None, help="which sheet (default: a new random one)")
    parser.add_argument(
        "--level", type=int, default=2, choices=sorted(LEVELS), help="1 one chain, 2 a tree, 3 shared nodes"
    )
    parser.add_argument("--format", default="markdown", choices=FORMATS, help="default: markdown")
    parser.add_argument("--key", action="store_true", help="print the answer key instead of the sheet")
    parser.add_argument(
        "--answers-json", metavar="FILE", help="also write the key as JSON, the format `check` reads"
    )
    parser.add_argument("-o", "--output", metavar="FILE", help="write the sheet here instead of printing it")
    return parser


def _check_parser(prog: str) -> _Parser:
    parser = _Parser(
        prog=f"{prog} check",
        description=(
            "Mark a hand-worked table. ANSWERS is a JSON file {name: gradient or {grad, value}} or a text "
            "file with one `name = gradient` per line (- reads standard input)."
        ),
        epilog=(
            "examples:\n"
            f"  {prog} check answers.json --seed 7 --level 2\n"
            f'  {prog} check answers.txt --formula "a*a + a" a=3\n\n'
            "exit status: 0 every answer right, 1 some wrong, 2 bad input"
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("answers", metavar="ANSWERS")
    parser.add_argument("values", nargs="*", metavar="name=value", help="the formula's variables")
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--seed", type=int, help="the exercise the answers are for")
    group.add_argument("--formula", "-f", metavar="EXPR", help="the formula the answers are for")
    parser.add_argument(
        "--level", type=int, default=2, choices=sorted(LEVELS), help="with --seed (default 2)"
    )
    parser.add_argument("--rtol", type=float, default=1e-3, help="relative tolerance (default 1e-3)")
    return parser


def read_answers(text: str, source: str) -> dict[str, object]:
    """Answers from JSON ({"h1": 0.25} or {"h1": {"grad": 0.25, "value": 0}}) or `name = number` lines."""
    stripped = text.strip()
    if stripped.startswith("{"):
        try:
            data = json.loads(stripped)
        except json.JSONDecodeError as exc:
            raise PracticeError(f"{source} is not valid JSON: {exc}") from None
        if not isinstance(data, dict):
            raise PracticeError(f"{source} must hold a JSON object of name → answer")
        return data
    answers: dict[str, object] = {}
    for number, line in enumerate(text.splitlines(), 1):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        match = _LINE.match(line)
        if match is None:
            raise PracticeError(f"{source}, line {number}: expected `name = number`, got {line!r:.60}")
        name, value = match.groups()
        try:
            answers[name] = float(value.replace("−", "-"))
        except ValueError:
            raise PracticeError(f"{source}, line {number}: {value!r:.40} is not a number") from None
    if not answers:
        raise PracticeError(f"{source} holds no answers")
    return answers


def _values(items: list[str]) -> dict[str, float]:
    values: dict[str, float] = {}
    for item in items:
        name, eq, text = item.partition("=")
        if not eq:
            raise PracticeError(f"expected name=value after the answers file, got {item!r:.40}")
        try:
            values[name.strip()] = float(text)
        except ValueError:
            raise PracticeError(f"the value of {name.strip()} must be a number, got {text!r:.40}") from None
    return values


def run_exercise(argv: list[str], prog: str = "python -m autograd") -> int:
    """`exercise`: print (or write) a worksheet or its key."""
    args = _exercise_parser(prog).parse_args(argv)
    seed = args.seed if args.seed is not None else random.SystemRandom().randrange(1_000_000)
    sheet = exercise(seed, args.level)
    text = sheet.key(args.format) if args.key else sheet.worksheet(args.format)
    if args.answers_json:
        Path(args.answers_json).write_text(json.dumps(sheet.answers(), indent=2) + "\n", encoding="utf-8")
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8")
        say(
            f"{'Answer key' if args.key else 'Worksheet'} for exercise {seed}, level {args.level}: "
            f"{args.output}"
        )
    else:
        sys.stdout.write(printable(text, sys.stdout))
    return 0


def run_check(argv: list[str], prog: str = "python -m autograd") -> int:
    """`check`: mark an answers file against an exercise or a formula; 0 all right, 1 some wrong."""
    args = _check_parser(prog).parse_intermixed_args(argv)
    if not (math.isfinite(args.rtol) and args.rtol >= 0.0):
        raise PracticeError(f"--rtol must be a finite number ≥ 0, got {args.rtol}")
    if args.answers == "-":
        text, source = sys.stdin.read(), "standard input"
    else:
        try:
            text, source = Path(args.answers).read_text(encoding="utf-8"), args.answers
        except OSError as exc:
            raise PracticeError(f"cannot read {args.answers!r}: {exc.strerror or exc}") from None
    answers = read_answers(text, source)
    root: Value
    if args.seed is not None:
        if args.values:
            raise PracticeError("name=value pairs go with --formula, not with --seed")
        root = exercise(args.seed, args.level).root
    else:
        root = parse(args.formula, _values(args.values)).root
    try:
        report = check_answers(root, answers, rtol=args.rtol)
    except (TypeError, ValueError) as exc:
        raise PracticeError(str(exc)) from None
    say(str(report))
    return 0 if report.ok else 1


def main(argv: list[str], prog: str = "python -m autograd") -> int:
    """Run a subcommand (argv[0] is one of SUBCOMMANDS); return the exit status.

    prog is the name the program was started as, for usage and error lines ("backproplab").
    """
    command, rest = argv[0], argv[1:]
    try:
        return run_exercise(rest, prog) if command == "exercise" else run_check(rest, prog)
    except (PracticeError, ExpressionError, OSError) as exc:
        say(f"{prog} {command}: error: {exc}", sys.stderr)
        return 2
    except SystemExit as exc:  # --help
        return exc.code if isinstance(exc.code, int) else 0
