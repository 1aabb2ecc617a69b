"""`python -m autograd` (or `backproplab`): a formula's forward pass, derivative table, chain rule, graph."""

from __future__ import annotations

import argparse
import math
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any, NoReturn

from ..drawings.graphviz import INSTALL_HINT, MAX_NODES, check_format, draw
from ..drawings.player import save_html
from ..engine.backward import backprop, topological_order
from ..engine.value import Value
from ..views.chains import chain
from ..views.numbers import format_value
from ..views.steps import backward_steps, forward_steps
from ..views.tables import table
from .console import columns, one_line, printable, say
from .expr import FUNCTIONS, PASTED, ExpressionError, parse
from .hints import typo_hint
from .practice import SUBCOMMANDS
from .practice import main as practice_main

#: The lecture's example, run when no formula is given: the sigmoid neuron of worked example §1.
LECTURE_FORMULA = "1/(exp(-(w*x+b))+1)"
LECTURE_VALUES = {"x": 1.0, "w": 0.0, "b": 0.0}

DESCRIPTION = """\
Build the computation graph of a formula, then print its forward pass, its derivative table
(h1, h2, … as in the lecture notes) and the chain rule for every variable, and draw the graph
with the value and the gradient on every edge.

A formula may use numbers, variable names, + - * / **, unary minus and exp, log, tanh, relu,
sigmoid, sin, cos. It is parsed, never evaluated as Python."""

#: The --help examples: (arguments after the program's name, what they do).
_EXAMPLES = (
    ("", "the lecture's 1/(exp(-(w*x+b))+1) at x=1, w=0, b=0"),
    ('"(x + y) * z" x=-2 y=5 z=-4 -o out/f.png', ""),
    ('--steps -- "-x * log(y)" x=2 y=3', "(options first; -- before a formula that starts with -)"),
)
_PRACTICE = (
    ("exercise --seed 7 --level 2", "a worksheet with a blank table (--key: the answers)"),
    ("check answers.txt", "mark a filled-in table (the worksheet says how)"),
)


def epilog(prog: str) -> str:
    """The end of --help, its examples spelled with the name the program was started as."""

    def lines(examples: tuple[tuple[str, str], ...]) -> list[str]:
        width = max(len(f"{prog} {args}") for args, _ in examples) + 2
        return [f"  {f'{prog} {args}'.strip():{width}}{what}".rstrip() for args, what in examples]

    return "\n".join(
        [
            "examples:",
            *lines(_EXAMPLES),
            "",
            "exit status: 0 done, 2 a bad formula, value or option, 1 the graph could not be written",
            "",
            f"practice (see `{prog} exercise --help` and `{prog} check --help`):",
            *lines(_PRACTICE),
            "  (a formula that starts with the word exercise or check goes after --)",
        ]
    )


#: The name in usage and error lines when started as `python -m autograd` (else the command's own name).
MODULE_PROG = "python -m autograd"

#: Seconds Graphviz may spend laying out a picture before the program stops waiting (--layout-timeout).
LAYOUT_TIMEOUT = 10.0

#: Past this many edges, `dot` is asked to spend less effort on crossings, which keeps a variable used
#: dozens of times (a wide fan-out) from taking minutes; smaller graphs are laid out as usual.
BUSY_EDGES = 50


def prog_name(argv0: str) -> str:
    """The program's name as it was started: `backproplab`, or `python -m autograd` for the module."""
    name = Path(argv0).name
    if not name or name in ("__main__.py", "-c", "-m") or name.startswith("python"):
        return MODULE_PROG
    return name.removesuffix(".exe")


_ASSIGNMENT = re.compile(r"^\s*([^\W\d]\w*)\s*=(?!=)(.*)$")


class UsageError(Exception):
    """A mistake on the command line: reported in one line, exit status 2."""


class _Parser(argparse.ArgumentParser):
    """argparse, but its errors become UsageError (one line) instead of a usage dump and exit."""

    def error(self, message: str) -> NoReturn:
        typo = typo_hint(message, self._option_string_actions)
        if typo is not None:
            raise UsageError(typo)
        if "unrecognized arguments: -" in message or "expected one argument" in message:
            message += " (put the options first, then -- before a formula that starts with -)"
        raise UsageError(message)

    def _print_message(self, message: str, file: Any = None) -> None:
        """--help and --version text, in ASCII spellings if the console needs them."""
        if message:
            out = sys.stdout if file is None else file
            out.write(printable(message, out))


def _parser(prog: str = MODULE_PROG) -> _Parser:
    parser = _Parser(
        prog=prog,
        description=DESCRIPTION,
        epilog=epilog(prog),
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
        "--html",
        metavar="PATH",
        help="also write the lecture player, one offline HTML page that steps through the graph",
    )
    parser.add_argument(
        "--steps", action="store_true", help="also print the backward pass one node at a time"
    )
    parser.add_argument(
        "--precision",
        type=int,
        default=6,
        metavar="N",
        help="significant digits shown (1–17, default 6); a rounded number keeps its zeros: 1.10",
    )
    parser.add_argument(
        "--max-nodes",
        type=int,
        default=MAX_NODES,
        metavar="N",
        help=f"draw graphs of up to N nodes (default {MAX_NODES}; bigger pictures are unreadable)",
    )
    parser.add_argument(
        "--layout-timeout",
        type=float,
        default=LAYOUT_TIMEOUT,
        metavar="SECONDS",
        help=f"stop waiting for Graphviz's layout after this long and write the .dot instead "
        f"(default {LAYOUT_TIMEOUT:g})",
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
        name, text = match.group(1), match.group(2).strip().translate(PASTED)  # "x=−2" as printed
        if _ASSIGNMENT.match(text.split(maxsplit=1)[-1]) and len(text.split()) > 1:  # "x=1 y=2" in quotes
            pairs = " ".join(re.sub(r"\s*=\s*", "=", item).split())
            raise UsageError(f"{item!r:.60} holds several values in one argument; give each its own: {pairs}")
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


def run(argv: list[str], prog: str = MODULE_PROG) -> int:
    """Do the work of main(); UsageError and ExpressionError propagate."""
    args = _parser(prog).parse_args(argv)
    if not 1 <= args.precision <= 17:
        raise UsageError(f"--precision must be from 1 to 17, got {args.precision}")
    if args.max_nodes < 1:
        raise UsageError(f"--max-nodes must be at least 1, got {args.max_nodes}")
    if not (math.isfinite(args.layout_timeout) and args.layout_timeout > 0):
        raise UsageError(f"--layout-timeout must be a number of seconds > 0, got {args.layout_timeout}")
    output = Path(args.output)
    try:
        check_format(output)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    if args.html is not None and Path(args.html).suffix.lower() not in (".html", ".htm"):
        raise UsageError(f"--html needs a file name ending in .html or .htm, got {args.html!r}")
    formula, values = _split(args.items)
    spaced = next((item for item in args.items if re.search(r"\s=|=\s", item)), None)
    if formula is None and spaced is not None:  # "x = 1": a value, or a formula meant with its value?
        name = spaced.split("=", 1)[0].strip()  # every argument is a value: there is no formula
        raise UsageError(
            f"{spaced!r:.60} is read as a value, and with no formula it would set {name} in the lecture "
            f"formula {LECTURE_FORMULA}; give a formula first and each value as its own argument: "
            f'{prog} "{name}*{name}" {name}={values[name]:g} (or {name}={values[name]:g} without spaces '
            "for the lecture formula)"
        )
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
    say(f"f = {formula}" + (f"   at {at}" if at else ""))
    say(f"f = {format_value(root.data, p)}")
    if not root.is_leaf:
        say(_heading("Forward pass"))
        for forward in forward_steps(root, p):
            say(str(forward))
        say(_heading("Derivative table"))
        derivatives = table(root, p)
        say(columns([derivatives.header(), *derivatives.cells()], sys.stdout))
    if names:
        say(_heading("Chain rule"))
        for name in names:
            leaf = expression.inputs[name]
            try:
                say(str(chain(root, leaf, p)))
            except ValueError as exc:  # too many paths to write out: say so, and give the sum
                say(f"∂f/∂{name} = {format_value(backprop(root)[leaf], p)} ({exc})")
    if args.steps and not root.is_leaf:
        say(_heading("Backward pass, one node at a time"))
        for backward in backward_steps(root, p):
            say(str(backward))
    sys.stdout.flush()
    problem = _write_graph(root, output, formula, args)
    if problem:
        say(f"{prog}: {one_line(problem)}", sys.stderr)
        return 1
    say(f"\nGraph written to {output}")
    if args.html is not None:
        try:
            player = save_html(
                root,
                args.html,
                precision=min(p, 4),
                title=f"f = {formula}",
                layout_timeout=args.layout_timeout,
            )
        except (OSError, ValueError, RuntimeError) as exc:
            say(f"{prog}: --html: {one_line(str(exc))}", sys.stderr)
            return 1
        say(f"Lecture player written to {player}")
    return 0


def _write_graph(root: Value, output: Path, formula: str, args: argparse.Namespace) -> str | None:
    """Draw the graph into output; return None, or what went wrong (the tables are printed already).

    Pictures are made by Graphviz's `dot` under a time limit (--layout-timeout): when the layout
    takes longer, the DOT source is written beside the picture instead, so nothing is lost.
    """
    size = len(topological_order(root))
    if size > args.max_nodes:
        return (
            f"cannot draw {str(output)!r}: the graph has {size} nodes, more than --max-nodes "
            f"{args.max_nodes}; raise it (--max-nodes {size}) or draw a smaller formula"
        )
    source = draw(root, precision=min(args.precision, 4), title=f"f = {formula}", max_nodes=size).source
    fmt = check_format(output)
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        if fmt in ("dot", "gv"):
            output.write_text(source, encoding="utf-8")
            return None
        edges = source.count(" -> ")
        effort = ["-Gmclimit=0.1", "-Gnslimit=1"] if edges > BUSY_EDGES else []
        try:
            done = subprocess.run(
                ["dot", f"-T{fmt}", *effort],
                input=source.encode("utf-8"),
                capture_output=True,
                timeout=args.layout_timeout,
                check=False,
            )
        except FileNotFoundError:
            return f"cannot write {str(output)!r}: {INSTALL_HINT}"
        except subprocess.TimeoutExpired:
            fallback = output.with_suffix(".dot")
            fallback.write_text(source, encoding="utf-8")
            return (
                f"Graphviz took more than {args.layout_timeout:g} s to lay out {str(output)!r} "
                f"({size} nodes, {edges} edges), so it was stopped; the DOT source is in {str(fallback)!r}: "
                f"run `dot -T{fmt} {fallback} -o {output}` to wait for it, or raise --layout-timeout"
            )
        if done.returncode != 0:
            reason = done.stderr.decode("utf-8", "replace").strip() or f"exit status {done.returncode}"
            return f"cannot write {str(output)!r}: Graphviz's dot failed: {reason}"
        output.write_bytes(done.stdout)
    except OSError as exc:
        return f"cannot write {str(output)!r}: {exc.strerror or exc}"
    return None


def main(argv: list[str] | None = None, prog: str | None = None) -> int:
    """Run the command line; return the exit status (0 done, 1 graph not written, 2 bad input).

    Args:
        argv: The arguments (default: sys.argv[1:]).
        prog: The name for usage and error lines (default: the name it was started as, from sys.argv[0]).
    """
    if argv is None:
        argv = sys.argv[1:]
    if prog is None:
        prog = prog_name(sys.argv[0] if sys.argv else "")
    if argv and argv[0] in SUBCOMMANDS:  # `exercise` or `check`; a formula named so goes after --
        return practice_main(argv, prog)
    try:
        return run(argv, prog)
    except (UsageError, ExpressionError) as exc:
        say(f"{prog}: error: {one_line(str(exc))}", sys.stderr)
        return 2
    except SystemExit as exc:  # --help, which argparse ends with exit(0)
        return exc.code if isinstance(exc.code, int) else 0
    except BrokenPipeError:  # the reader went away (`| head`): stop quietly, as Unix tools do
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 1
