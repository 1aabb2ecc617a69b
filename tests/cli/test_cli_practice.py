"""`python -m autograd exercise` and `check`: sheets, keys, marking, exit codes, and formulas still first."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from autograd import exercise
from autograd.cli.main import main


def test_exercise_prints_the_sheet_and_the_key(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["exercise", "--seed", "1", "--level", "1"]) == 0
    assert capsys.readouterr().out == exercise(1, 1).worksheet()
    assert main(["exercise", "--seed", "1", "--level", "1", "--key", "--format", "latex"]) == 0
    assert capsys.readouterr().out == exercise(1, 1).key("latex")


def test_a_sheet_without_a_seed_names_its_seed(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["exercise"]) == 0
    title = capsys.readouterr().out.splitlines()[0]
    seed = int(title.removeprefix("# Exercise ").split(",")[0])
    assert exercise(seed).worksheet().splitlines()[0] == title


def test_the_key_file_checks_out_and_a_wrong_answer_is_named(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    key, sheet = tmp_path / "key.json", tmp_path / "sheet.html"
    assert main(["exercise", "--seed", "7", "--level", "3", "--format", "html", "-o", str(sheet),
                 "--answers-json", str(key)]) == 0  # fmt: skip
    assert sheet.read_text(encoding="utf-8") == exercise(7, 3).worksheet("html")
    assert main(["check", str(key), "--seed", "7", "--level", "3"]) == 0
    assert "All 22 answers right." in capsys.readouterr().out.splitlines()
    answers = json.loads(key.read_text(encoding="utf-8"))
    answers["h9"]["grad"] = -1.0  # the output's gradient, sign flipped
    key.write_text(json.dumps(answers), encoding="utf-8")
    assert main(["check", str(key), "--seed", "7", "--level", "3"]) == 1
    out = capsys.readouterr().out
    assert "the first wrong is ∂f/∂h9" in out


def test_check_a_formula_from_a_text_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    answers = tmp_path / "answers.txt"
    answers.write_text("# a*a + a at a = 3\nh1 = 1\na = 6\n", encoding="utf-8")
    assert main(["check", str(answers), "--formula", "a*a + a", "a=3"]) == 1
    out = capsys.readouterr().out
    assert "✗ ∂f/∂a: you wrote 6, the engine gives 7 — the use by h2 is left out of the sum" in out
    answers.write_text("h2: 1\nh1: 1\na: 7\n", encoding="utf-8")
    assert main(["check", str(answers), "-f", "a*a + a", "a=3"]) == 0


@pytest.mark.parametrize(
    ("args", "content", "message"),
    [
        (["--seed", "1"], '{"h99": 1}', "unknown node name 'h99' in answers"),
        (["--seed", "1"], '{"h1": "x"}', "the answer for h1 must be a number"),
        (["--seed", "1"], "{not json", "is not valid JSON"),
        (["--seed", "1"], "h1 = one", "'one' is not a number"),
        (["--seed", "1"], "h1", "expected `name = number`"),
        ([], '{"h1": 1}', "one of the arguments --seed --formula/-f is required"),
        (["-f", "a*a"], '{"a": 1}', "no value for the variable 'a'"),
    ],
)
def test_check_errors_exit_2_with_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], content: str, message: str
) -> None:
    answers = tmp_path / "answers"
    answers.write_text(content, encoding="utf-8")
    assert main(["check", str(answers), *args]) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1


def test_a_formula_named_exercise_goes_after_double_dash(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "argv", ["/x/autograd/__main__.py"])  # as `python -m autograd` starts it
    assert main(["exercise", "exercise=2"]) == 2
    assert "put -- before it: python -m autograd -- exercise exercise=1" in capsys.readouterr().err
    assert main(["-o", str(tmp_path / "g.dot"), "--", "exercise * 3", "exercise=2"]) == 0
    assert capsys.readouterr().out.splitlines()[1] == "f = 6"
    assert main(["(check)", "check=2", "-o", str(tmp_path / "g.dot")]) == 0  # not the first word: a formula


def test_the_real_command_runs_the_subcommand(tmp_path: Path) -> None:
    environment = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    done = subprocess.run(
        [sys.executable, "-m", "autograd", "exercise", "--seed", "1", "--level", "1"],
        cwd=tmp_path, capture_output=True, text=True, env=environment, check=False, encoding="utf-8",
    )  # fmt: skip
    assert done.returncode == 0 and done.stdout == exercise(1, 1).worksheet()


@pytest.mark.parametrize("encoding", ["cp1252", "ascii"])
def test_exercise_and_check_on_a_console_that_is_not_utf8(tmp_path: Path, encoding: str) -> None:
    env = {**os.environ, "PYTHONIOENCODING": encoding}
    run = [sys.executable, "-m", "autograd"]
    sheet = subprocess.run(
        [*run, "exercise", "--seed", "7"], cwd=tmp_path, env=env, capture_output=True, timeout=60
    )
    assert sheet.returncode == 0, sheet.stderr
    text = sheet.stdout.decode(encoding)
    assert "∂" not in text and "df/d" in text  # ASCII spellings, not a UnicodeEncodeError traceback
    key = subprocess.run(
        [*run, "exercise", "--seed", "7", "--key"], cwd=tmp_path, env=env, capture_output=True, timeout=60
    )
    assert key.returncode == 0, key.stderr
    title = key.stdout.decode("ascii").splitlines()[0]  # every byte ASCII, and no "?" for the dash
    assert title.endswith("each node used once -- answer key")
    assert b"?" not in sheet.stdout + key.stdout
    answers = tmp_path / "answers.json"
    assert (
        main(["exercise", "--seed", "7", "--answers-json", str(answers), "-o", str(tmp_path / "s.txt")]) == 0
    )
    marked = subprocess.run(
        [*run, "check", str(answers), "--seed", "7"], cwd=tmp_path, env=env, capture_output=True, timeout=60
    )
    assert marked.returncode == 0, marked.stderr
    assert b"Traceback" not in marked.stdout + marked.stderr and b"?" not in marked.stdout
    assert "  ok df/dh4 = 1" in marked.stdout.decode("ascii").splitlines()
    (tmp_path / "wrong.txt").write_text("h4 = 2\n", encoding="utf-8")
    wrong = subprocess.run(
        [*run, "check", "wrong.txt", "--seed", "7"], cwd=tmp_path, env=env, capture_output=True, timeout=60
    )
    assert wrong.returncode == 1 and b"?" not in wrong.stdout
    assert "  wrong df/dh4: you wrote 2, the engine gives 1" in wrong.stdout.decode("ascii").splitlines()
    usage = subprocess.run([*run, "check", "--help"], cwd=tmp_path, env=env, capture_output=True, timeout=60)
    assert usage.returncode == 0 and b"?" not in usage.stdout and usage.stdout.isascii()
    missing = subprocess.run(
        [*run, "check", "nowhere.json", "--seed", "7"], cwd=tmp_path, env=env, capture_output=True, timeout=60
    )
    assert missing.returncode == 2 and b"Traceback" not in missing.stderr


def test_a_half_filled_sheet_is_not_all_right(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    answers = tmp_path / "answers.txt"
    answers.write_text(
        "# exercise 986878, level 2\nh4 = 1\nh3 = -1\nh2 =\nh1 =\nc =\nw =\nx =\n", encoding="utf-8"
    )
    assert main(["check", str(answers)]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "2 of 7 answers given, both right; 5 missing: h2, h1, c, w, x."
    answers.write_text("# exercise 986878, level 2\nh4 = 1\nh3 = -1\nh2 = -0.0183\nh1 = -0.0183\n"
                       "c = 0.0366\nw = -0.0366\nx = 0.0733\n", encoding="utf-8")  # fmt: skip
    assert main(["check", str(answers)]) == 0
    assert capsys.readouterr().out.splitlines()[0] == "All 7 answers right."
