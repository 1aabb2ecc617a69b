"""Every formula mistake says what to write instead, with its column; a mistyped option names the option."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from autograd.cli.expr import ExpressionError, parse
from autograd.cli.main import main

CASES = [
    ("2x", {"x": 1}, "syntax error at column 2: a * is missing after the number 2: write 2*x"),
    ("3.5x + 1", {"x": 1}, "column 4: a * is missing after the number 3.5: write 3.5*x + 1"),
    ("x y", {"x": 1, "y": 2}, "syntax error at column 3: an operator is missing between x and y: write x*y"),
    ("sin x", {"x": 1}, "column 5: a function's argument goes in parentheses: write sin(x)"),
    ("exp 2 + x", {"x": 1}, "a function's argument goes in parentheses: write exp(2) + x"),
    ("x + ", {"x": 1}, "syntax error at column 3: the formula ends with `+`: something is missing after it"),
    ("x²", {"x": 1}, "syntax error at column 2: '²' is a superscript; write a power with **: x**2"),
    ("x⁻¹ + y", {"x": 1, "y": 1}, "'⁻¹' is a superscript; write a power with **: x**-1 + y"),
    ("x ÷ 2", {"x": 1}, "syntax error at column 3: write / for '÷': x / 2"),
    ("2(x+1)", {"x": 1}, "a * is missing before the ( at column 2: write 2*(x+1)"),
    ("(x+1)(x-1)", {"x": 1}, "a * is missing before the ( at column 6: write (x+1)*(x-1)"),
    ("x +* y", {"x": 1, "y": 1}, "syntax error at column 4: something is missing between `+` and `*`"),
    ("*x", {"x": 1}, "column 1: the formula starts with `*`: something is missing before it"),
    ("x..2", {"x": 1}, "column 2: '.' is not part of a number here (2, 0.5, 1e-3); a formula holds numbers,"),
    ("1..2 + x", {"x": 1}, "column 3: 1..2 is not a number: a number has at most one point (2, 0.5, 1e-3)"),
    ("x.2", {"x": 1}, "column 2: x.2 is not a number"),
    (
        "x; y",
        {"x": 1, "y": 1},
        "column 2: ';' cannot be part of a formula; a formula holds numbers, variable",
    ),
    (
        "x x=1",
        {"x": 1},
        "column 3: x=1 is a value, but the formula and the values are separate arguments: "
        'quote the formula alone, "x" x=1',
    ),
    ("x*y x=1 y = 2", {"x": 1, "y": 1}, "x=1 y=2 are values, but the formula and the values are separate"),
    ("y = x*x", {"x": 1}, "column 3: a formula has no `=`: write the expression alone and give each value"),
    (
        "e**x",
        {"x": 1},
        "the variable 'e'; give one, e.g. e=1; for Euler's number write exp(x) instead of e**x",
    ),
    ("e**(2*x)", {"x": 1}, "for Euler's number write exp(2*x) instead of e**(2*x)"),
    (
        "x*y",
        {"x": 1, "Y": 2},
        "y=1; Y was given a value, but the formula never uses Y (names are case-sensitive)",
    ),
    ("sinx", {"x": 1}, "sinx may be meant as sin(x); x was given a value, but the formula never uses x"),
]


@pytest.mark.parametrize(("formula", "values", "message"), CASES)
def test_a_mistake_says_what_to_write_instead(formula: str, values: dict[str, float], message: str) -> None:
    with pytest.raises(ExpressionError) as caught:
        parse(formula, values)
    assert message in str(caught.value) and "\n" not in str(caught.value)


def test_pythons_own_words_are_named_as_python_not_maths() -> None:
    with pytest.raises(ExpressionError) as caught:
        parse("import os", {})
    assert str(caught.value) == (
        "syntax error at column 1: import is a word of Python, not of maths: a formula is read, never run "
        "as Python; it holds numbers, variable names, + - * / **, ( ) and "
        "exp, log, tanh, relu, sigmoid, sin, cos"
    )
    with pytest.raises(ExpressionError, match=r"^syntax error at column 3: if is a word of Python"):
        parse("x if y", {"x": 1, "y": 2})


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["x = 1"], "'x = 1' is read as a value, and with no formula it would set x in the lecture formula "
                    '1/(exp(-(w*x+b))+1); give a formula first and each value as its own argument: '
                    'backproplab "x*x" x=1 (or x=1 without spaces for the lecture formula)'),
        (["x=1 w=2"], "'x=1 w=2' holds several values in one argument; give each its own: x=1 w=2"),
        (["x x=1"], 'the formula and the values are separate arguments: quote the formula alone, "x" x=1'),
    ],
)  # fmt: skip
def test_formula_and_values_in_one_argument_are_told_apart(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    assert main([*argv, "-o", str(tmp_path / "g.dot")], prog="backproplab") == 2
    assert not (tmp_path / "g.dot").exists()  # nothing was run
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1 and err.startswith("backproplab: error: ")


def test_a_spaced_value_after_a_formula_is_still_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["x*y", "x = 1", "y= 2", "-o", str(tmp_path / "g.dot")]) == 0
    assert capsys.readouterr().out.splitlines()[:2] == ["f = x*y   at x = 1, y = 2", "f = 2"]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--stpes", "x", "x=1"], "unrecognized option --stpes: did you mean --steps?"),
        (["x", "x=1", "--preccision", "3"], "unrecognized option --preccision: did you mean --precision?"),
        (
            ["check", "a.txt", "--seed", "1", "--levle", "2"],
            "unrecognized option --levle: did you mean --level?",
        ),
        (["exercise", "--sed", "1"], "unrecognized option --sed: did you mean --seed?"),
    ],
)
def test_a_mistyped_option_is_named(
    capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    assert main(argv, prog="backproplab") == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1 and "put the options first" not in err


def test_help_names_the_program_as_it_was_started(tmp_path: Path) -> None:
    script = Path(sys.executable).with_name("backproplab")
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    usage = subprocess.run([str(script), "--help"], capture_output=True, text=True, env=env, timeout=60)
    assert usage.returncode == 0 and "python -m autograd" not in usage.stdout
    assert "  backproplab exercise --seed 7 --level 2  a worksheet" in usage.stdout
    module = subprocess.run(
        [sys.executable, "-m", "autograd", "--help"], capture_output=True, text=True, env=env, timeout=60
    )
    assert "  python -m autograd check answers.txt" in module.stdout and "backproplab" not in module.stdout
