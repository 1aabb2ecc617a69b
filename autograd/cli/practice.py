"""The `exercise` and `check` subcommands of `python -m autograd` (`backproplab`): practice and marking."""

from __future__ import annotations

import argparse
import json
import math
import random
import sys
from pathlib import Path
from typing import Any, NoReturn

from ..engine.value import Value
from ..teaching.answers import check_answers
from ..teaching.exercises import FORMATS, LEVELS, exercise
from .answer_file import PracticeError, console_encodings, decode, read_answers, sheet_named
from .console import one_line, printable, say
from .expr import ExpressionError, parse
from .hints import typo_hint

#: The words that start a subcommand instead of a formula.
SUBCOMMANDS = ("exercise", "check")

_HINT = (
    "to differentiate a formula that starts with the word {word}, put -- before it: {prog} -- {word} {word}=1"
)


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        typo = typo_hint(message, self._option_string_actions)
        if typo is not None:
            raise PracticeError(typo)
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
            "file with one `name = gradient` per line, such as `h4 = 1`, `∂f/∂h4 = 1` or `h2 = -1/8` "
            "(- reads standard input); UTF-8, UTF-16 or the console's encoding."
        ),
        epilog=(
            "examples:\n"
            f"  {prog} check answers.json --seed 7 --level 2\n"
            f'  {prog} check answers.txt --formula "a*a + a" a=3\n\n'
            "exit status: 0 every answer given and right, 1 some wrong or missing, 2 bad input"
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("answers", metavar="ANSWERS")
    parser.add_argument("values", nargs="*", metavar="name=value", help="the formula's variables")
    group = parser.add_mutually_exclusive_group()
    group.add_argument(
        "--seed",
        type=int,
        help="the exercise the answers are for (default: the file's `# exercise N, level L`)",
    )
    group.add_argument("--formula", "-f", metavar="EXPR", help="the formula the answers are for")
    parser.add_argument(
        "--level", type=int, choices=sorted(LEVELS), help="with --seed (default: the file's level, else 2)"
    )
    parser.add_argument("--rtol", type=float, default=1e-3, help="relative tolerance (default 1e-3)")
    return parser


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


def _sheet(
    seed: int | None, level: int | None, named: tuple[int, int] | None, source: str
) -> tuple[int, int]:
    """The exercise to mark against: --seed and --level, else the file's `# exercise N, level L`."""
    if named is not None:
        line = f"`# exercise {named[0]}, level {named[1]}`"
        if seed is not None and seed != named[0]:
            raise PracticeError(
                f"the seed does not match: {source} says {line}, but --seed {seed} was given; "
                f"leave --seed out, or give --seed {named[0]}"
            )
        if level is not None and level != named[1]:
            raise PracticeError(
                f"the level does not match: {source} says {line}, but --level {level} was given; "
                f"leave --level out, or give --level {named[1]}"
            )
        if named[1] not in LEVELS:
            raise PracticeError(f"{source} says {line}, but the levels are 1, 2 and 3")
        return named
    if seed is None:
        raise PracticeError(
            "one of the arguments --seed --formula/-f is required "
            "(or a line `# exercise N, level L` in the answers file, as the worksheet shows)"
        )
    return seed, 2 if level is None else level


def _other_level(seed: int, level: int, answers: dict[str, object], told: str) -> str:
    """For an unknown node name: the level of the same seed the answers do fit, or a hint to check both."""
    for other in sorted(LEVELS):
        if other != level:
            try:
                check_answers(exercise(seed, other).root, answers)
            except (TypeError, ValueError):
                continue
            return (
                f" — they are the nodes of exercise {seed} at level {other}, but {told}: "
                f"give --seed {seed} --level {other}"
            )
    return (
        f" — is this the sheet of exercise {seed}, level {level}? Give the --seed and --level of "
        "the sheet's title (`# Exercise N, level L`)"
    )


def run_check(argv: list[str], prog: str = "python -m autograd") -> int:
    """`check`: mark an answers file against an exercise or a formula; 0 all given and right, else 1."""
    args = _check_parser(prog).parse_intermixed_args(argv)
    if not (math.isfinite(args.rtol) and args.rtol >= 0.0):
        raise PracticeError(f"--rtol must be a finite number ≥ 0, got {args.rtol}")
    if args.answers == "-":
        stdin = getattr(sys.stdin, "buffer", None)
        data = stdin.read() if stdin is not None else sys.stdin.read().encode("utf-8")
        source = "standard input"
    else:
        try:
            data, source = Path(args.answers).read_bytes(), args.answers
        except OSError as exc:
            raise PracticeError(f"cannot read {args.answers!r}: {exc.strerror or exc}") from None
    text = decode(data, source, console_encodings(sys.stdin, sys.stdout))
    answers = read_answers(text, source)
    root: Value
    if args.formula is not None:
        if args.level is not None:
            raise PracticeError("--level goes with --seed, not with --formula")
        root = parse(args.formula, _values(args.values)).root
    else:
        if args.values:
            raise PracticeError("name=value pairs go with --formula, not with --seed")
        seed, level = _sheet(args.seed, args.level, sheet_named(text), source)
        root = exercise(seed, level).root
    try:
        report = check_answers(root, answers, rtol=args.rtol)
    except (TypeError, ValueError) as exc:
        message = str(exc)
        if args.formula is None and message.startswith("unknown node name"):
            if args.level is not None:
                told = f"--level {level} was given"
            elif sheet_named(text) is not None:
                told = f"{source} says level {level}"
            else:
                told = f"no --level was given (so level {level})"
            message += _other_level(seed, level, answers, told)
        raise PracticeError(message) from None
    say(str(report))
    return 0 if report.ok and not report.missing else 1  # missing answers are not all right


def main(argv: list[str], prog: str = "python -m autograd") -> int:
    """Run a subcommand (argv[0] is one of SUBCOMMANDS); return the exit status.

    prog is the name the program was started as, for usage and error lines ("backproplab").
    """
    command, rest = argv[0], argv[1:]
    try:
        return run_exercise(rest, prog) if command == "exercise" else run_check(rest, prog)
    except (PracticeError, ExpressionError, OSError) as exc:
        say(f"{prog} {command}: error: {one_line(str(exc))}", sys.stderr)
        return 2
    except SystemExit as exc:  # --help
        return exc.code if isinstance(exc.code, int) else 0
