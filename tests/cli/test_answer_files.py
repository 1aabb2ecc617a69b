"""`check`'s answers files: the encodings Windows and editors write, the sheet's notation, and refusals."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from autograd import exercise

# exercise 7 at level 1 (default level 2 has other nodes): f = h4, ∂f/∂h4 = 1
LEVEL_1 = ["--seed", "7", "--level", "1"]
# its first line when only ∂f/∂h4 is answered: right so far, not finished (exit status 1)
ONE = "1 of 7 answers given, it is right; 6 missing: h3, c, h2, x, h1, w."


def _check(
    tmp_path: Path, data: bytes, *args: str, env: dict[str, str] | None = None
) -> tuple[int, str, str]:
    """Run `python -m autograd check answers.txt …` as a student would; (status, stdout, stderr)."""
    (tmp_path / "answers.txt").write_bytes(data)
    done = subprocess.run(
        [sys.executable, "-m", "autograd", "check", "answers.txt", *args],
        cwd=tmp_path,
        env={**os.environ, "PYTHONIOENCODING": "utf-8", **(env or {})},
        capture_output=True,
        timeout=60,
    )
    return done.returncode, done.stdout.decode("utf-8", "replace"), done.stderr.decode("utf-8", "replace")


@pytest.mark.parametrize(
    "data",
    [
        b"h4 = 1\n",
        "\ufeffh4 = 1\n".encode(),  # UTF-8 with a BOM (Notepad, PowerShell 7 with -Encoding utf8BOM)
        "h4 = 1\r\n".encode("utf-16"),  # what Windows PowerShell 5 writes with `echo "h4 = 1" > answers.txt`
        "h4 = 1\r\n".encode("utf-16-le"),  # UTF-16 without a byte-order mark
        '\ufeff{"h4": 1}'.encode(),
        '{"h4": 1}'.encode("utf-16"),
    ],
    ids=["utf-8", "utf-8-bom", "utf-16", "utf-16-no-bom", "json-bom", "json-utf-16"],
)
def test_the_encodings_students_write_are_read(tmp_path: Path, data: bytes) -> None:
    status, out, err = _check(tmp_path, data, *LEVEL_1)
    assert (status, err) == (1, "") and out.splitlines()[:2] == [ONE, "  ✓ ∂f/∂h4 = 1"]


def test_a_file_in_the_consoles_encoding_is_read_and_otherwise_refused_in_one_line(tmp_path: Path) -> None:
    data = "# réponse\nh4 = 1\n".encode("cp1252")
    status, out, err = _check(tmp_path, data, *LEVEL_1, env={"PYTHONIOENCODING": "cp1252"})
    assert (status, err) == (1, "") and out.startswith(ONE)
    status, out, err = _check(tmp_path, data, *LEVEL_1, env={"LC_ALL": "C.UTF-8"})
    assert status == 2 and out == ""
    assert err == (
        "python -m autograd check: error: answers.txt is not text in UTF-8 or UTF-16: byte 0xe9 on line 1 "
        "cannot be read; save the file as UTF-8 (in an editor: Save as, encoding UTF-8)\n"
    )


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b'{"h4": ' * 50_000, "answers.txt is not valid JSON: it is nested too deeply"),
        (
            b'{"h4": 1' + b"0" * 400 + b"}",
            "the answer for h4 is too large to be a gradient: an integer of 401",
        ),
        (b"h4 = 1" + b"0" * 400, "answers.txt, line 1: 10000000000000000000… is too large to be a gradient"),
        (b'{"h4": 1' + b"0" * 5000 + b"}", "answers.txt is not valid JSON: Exceeds the limit (4300 digits)"),
        (b"h4 = 1/0", "answers.txt, line 1: '1/0' is not a number (write 0.25, -1/8 or 1e-3)"),
        (b"h4 = inf", "answers.txt, line 1: 'inf' is not a finite number"),
        (b"h4 = 1\nh4 = 2\n", "answers.txt, line 2: h4 is answered twice (lines 1 and 2)"),
        (b"h\0\0\0", "answers.txt holds a NUL character"),
    ],
    ids=["deep-json", "400-digit-json", "400-digit-line", "5000-digit-json", "1/0", "inf", "twice", "nul"],
)
def test_what_cannot_be_read_is_refused_with_one_line_and_exit_2(
    tmp_path: Path, data: bytes, message: str
) -> None:
    status, out, err = _check(tmp_path, data, *LEVEL_1)
    assert status == 2 and out == "" and "Traceback" not in err
    assert err.startswith("python -m autograd check: error: ") and message in err and err.count("\n") == 1


def test_the_sheets_own_notation_and_fractions_are_marked(tmp_path: Path) -> None:
    key = exercise(7, 1).answers()
    lines = [f"∂f/∂{name} = {entry['grad']!r}" for name, entry in key.items()]
    lines[0] = "df/dw = 9"  # as a console without ∂ prints it; here wrong: the engine gives -9
    status, out, _ = _check(tmp_path, "\n".join(lines).encode(), *LEVEL_1)
    assert status == 1 and "✗ ∂f/∂w: you wrote 9, the engine gives −9 — the sign is flipped" in out
    assert key["h3"]["grad"] == -1.0 and key["h1"]["value"] == 3.0
    status, out, _ = _check(tmp_path, "h3 = −2/2\nh1 = -6 / 2\nvalue of h1 = 3\n".encode(), *LEVEL_1)
    assert status == 1 and out.startswith(
        "2 of 7 gradients given, all 3 right; 5 missing: h4, c, h2, x, w."
    ), out
    assert out.splitlines()[1:4] == ["  ✓ ∂f/∂h3 = −1", "  ✓ ∂f/∂h1 = −3", "  ✓ value of h1 = 3"]


def test_a_mismatch_of_level_or_seed_is_named(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = _check(tmp_path, b"c = 1\n", "--seed", "7")  # a level-1 node, checked at level 2
    assert status == 2 and err.endswith(
        "they are the nodes of exercise 7 at level 1, but no --level was given (so level 2): "
        "give --seed 7 --level 1\n"
    )
    status, _, err = _check(tmp_path, b"q = 1\n", "--seed", "7", "--level", "1")
    assert status == 2 and "is this the sheet of exercise 7, level 1? Give the --seed and --level" in err
    header = b"# exercise 7, level 1\nh4 = 1\nh3 =\n"  # the worksheet's template, one line filled in
    status, out, _ = _check(tmp_path, header)
    assert status == 1 and out.startswith(ONE)
    status, _, err = _check(tmp_path, header, "--level", "2")
    assert status == 2 and "the level does not match: answers.txt says `# exercise 7, level 1`, but " in err
    status, _, err = _check(tmp_path, header, "--seed", "8")
    assert (
        status == 2
        and "the seed does not match: answers.txt says `# exercise 7, level 1`, but --seed 8" in err
    )
    status, _, err = _check(tmp_path, b"h4 = 1\n")
    assert (
        status == 2 and "one of the arguments --seed --formula/-f is required (or a line `# exercise" in err
    )


def test_the_worksheets_own_template_is_a_file_check_reads(tmp_path: Path) -> None:
    sheet = exercise(7, 1).worksheet()
    template = sheet.split("```text\n")[1].split("```")[0]
    key = exercise(7, 1).answers()
    asked = [line.removesuffix(" =") for line in template.splitlines() if line.endswith(" =")]
    # what the sheet asks: the value of every node worked out (h1 … h4), then every gradient
    assert asked == [f"value of h{i}" for i in range(1, 5)] + ["h4", "h3", "c", "h2", "x", "h1", "w"]
    filled = template
    for name in asked:
        entry = key[name.removeprefix("value of ")]
        number = entry["value"] if name.startswith("value of ") else entry["grad"]
        filled = filled.replace(f"\n{name} =\n", f"\n{name} = {number!r}\n")
    status, out, _ = _check(tmp_path, filled.encode())
    assert status == 0 and out.splitlines()[0] == f"All {len(key) + 4} answers right."
    assert "  ✓ value of h4 = −9" in out.splitlines()
    assert "backproplab check answers.txt" in sheet


def test_standard_input_is_read_like_a_file(tmp_path: Path) -> None:
    """`type answers.txt | backproplab check - …`: the bytes of a UTF-16 file, through a pipe."""
    done = subprocess.run(
        [sys.executable, "-m", "autograd", "check", "-", *LEVEL_1],
        input="∂f/∂h4 = 1\r\n".encode("utf-16"),
        cwd=tmp_path,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
        capture_output=True,
        timeout=60,
    )
    assert done.returncode == 1 and done.stdout.decode().startswith(f"{ONE}\n  ✓ ∂f/∂h4 = 1")
