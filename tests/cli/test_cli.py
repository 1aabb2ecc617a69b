"""`python -m autograd` and `backproplab`, run as real subprocesses: output, files and exit codes."""

from __future__ import annotations

import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from autograd.cli.main import main, prog_name

SECTION_1_TABLE = [
    "h1    w × x     ∂h1/∂w = x = 1, ∂h1/∂x = w = 0  0      0.25",
    "h2    h1 + b    ∂h2/∂h1 = 1, ∂h2/∂b = 1         0      0.25",
    "h3    −h2       ∂h3/∂h2 = −1                    0      −0.25",
    "h4    exp(h3)   ∂h4/∂h3 = exp(h3) = 1           1      −0.25",
    "h5    h4 + 1    ∂h5/∂h4 = 1                     2      −0.25",
    "h6    1/h5      ∂h6/∂h5 = −1/h5² = −0.25        0.5    1",
]


def run(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run `python -m autograd ARGS` in cwd, with UTF-8 output."""
    environment = {**os.environ, "PYTHONIOENCODING": "utf-8", **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "autograd", *args],
        cwd=cwd,
        env=environment,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
    )


def svg_text(path: Path) -> set[str]:
    root = ET.fromstring(path.read_bytes())
    return {"".join(t.itertext()).strip() for t in root.iter("{http://www.w3.org/2000/svg}text")}


def test_no_arguments_runs_the_lecture_example(tmp_path: Path) -> None:
    result = run(cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    lines = result.stdout.splitlines()
    assert lines[0] == "f = 1/(exp(-(w*x+b))+1)   at x = 1, w = 0, b = 0"
    assert lines[1] == "f = 0.5"
    assert "h3 = −h2 = −0 = 0" in lines
    start = lines.index("Derivative table") + 4  # title, underline, column names, rule
    assert lines[start : start + 6] == SECTION_1_TABLE
    assert "∂f/∂w = 1 × (−0.25) × 1 × 1 × (−1) × 1 × 1 = 0.25" in lines
    assert "∂f/∂x = 1 × (−0.25) × 1 × 1 × (−1) × 1 × 0 = 0" in lines
    assert "∂f/∂b = 1 × (−0.25) × 1 × 1 × (−1) × 1 = 0.25" in lines
    assert lines[-1] == "Graph written to graph.svg"
    texts = svg_text(tmp_path / "graph.svg")
    assert {"h1", "h6", "w", "x", "b", "0.5", "−0.25", "∂f/∂w = 0.25"} <= texts


def test_make_demo_command_creates_the_output_directory(tmp_path: Path) -> None:
    result = run("-o", "demo-output/sigmoid.svg", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert SECTION_1_TABLE[0] in result.stdout.splitlines()
    assert "h6" in svg_text(tmp_path / "demo-output" / "sigmoid.svg")


def test_a_formula_with_values_and_steps(tmp_path: Path) -> None:
    """Worked example §3: f = (x + y)·z at x = −2, y = 5, z = −4; ∂f/∂x = ∂f/∂y = −4, ∂f/∂z = 3."""
    result = run("(x + y) * z", "x=-2", "y=5", "z=-4", "--steps", "-o", "out/f.png", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[:2] == ["f = (x + y) * z   at x = −2, y = 5, z = −4", "f = −12"]
    assert "h1 = x + y = (−2) + 5 = 3" in lines and "h2 = h1 × z = 3 × (−4) = −12" in lines
    for expected in ("∂f/∂x = 1 × (−4) × 1 = −4", "∂f/∂y = 1 × (−4) × 1 = −4", "∂f/∂z = 1 × 3 = 3"):
        assert expected in lines
    assert "step 2: h1, ∂f/∂h1 = −4" in lines
    assert "  ∂h1/∂x = 1; contribution (−4) × 1 = −4; ∂f/∂x so far = −4" in lines
    assert (tmp_path / "out" / "f.png").read_bytes().startswith(b"\x89PNG")


def test_values_override_the_lecture_defaults_and_precision(tmp_path: Path) -> None:
    result = run("w=2", "--precision", "3", "-o", "g.dot", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    # w·x + b = 2: h4 = e⁻² = 0.135, h5 = 1.135, −1/h5² = −0.776, σ(2) = 0.881, σ′(2) = σ(1 − σ) = 0.105
    assert "f = 0.881" in result.stdout
    assert "∂f/∂w = 1 × (−0.776) × 1 × 0.135 × (−1) × 1 × 1 = 0.105" in result.stdout
    assert "digraph" in (tmp_path / "g.dot").read_text(encoding="utf-8")


def test_a_formula_starting_with_minus_after_double_dash(tmp_path: Path) -> None:
    result = run("-o", "g.svg", "--", "-x*log(y)", "x=2", "y=1", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "f = −0" not in result.stdout and "f = 0" in result.stdout.splitlines()  # −2·ln 1 = −0 → 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["x + y", "x=1"], "no value for the variable 'y'; give one, e.g. y=1"),
        (["x", "x=1", "z=2"], "unknown variable 'z': the formula uses only x"),
        (["q=1"], "unknown variable 'q': the lecture formula"),
        (["x +* 2", "x=1"], "syntax error"),
        (["log(x)", "x=-1"], "log of -1.0 cannot be computed: log(x) needs x > 0"),
        (["1/x", "x=0"], "x ≠ 0"),
        (["__import__('os').system('echo hacked')"], "attribute access is not allowed"),
        (["x.real", "x=1"], "attribute access is not allowed"),
        (["[i for i in x]", "x=1"], "a list comprehension is not allowed"),
        (["10**10**10"], "too large for a float"),
        (["x" + "+x" * 600, "x=1"], "at most 1000 are accepted"),
        (["-" * 500 + "x", "x=1"], "put the options first, then --"),
        (["--", "-" * 500 + "x", "x=1"], "nested too deeply"),
        (["x", "x=1", "-o", "g.jpg"], "must end in .svg, .png, .pdf, .dot, .gv"),
        (["x", "x=abc"], "the value of x must be a number, got 'abc'"),
        (["x", "x=nan"], "the value of x must be a finite number"),
        (["x", "x=1", "x=2"], "x is given twice"),
        (["x", "y", "x=1"], "two formulas given"),
        (["exp(x)", "exp=1"], "exp is a function, not a variable"),
        (["--precision", "0"], "--precision must be from 1 to 17"),
        (["--bogus"], "unrecognized arguments: --bogus"),
        (["--bo\ngus"], "unrecognized arguments: --bo\\ngus"),  # the newline shown as \n, on one line
        (["1if x else 2", "x=1"], "if/else is not allowed in `1if x else 2`"),  # no SyntaxWarning line
        (["--max-nodes", "0"], "--max-nodes must be at least 1"),
        (["--layout-timeout", "-1"], "--layout-timeout must be a number of seconds > 0"),
    ],
)
def test_bad_input_gives_one_line_and_exit_status_2(tmp_path: Path, args: list[str], message: str) -> None:
    result = run(*args, cwd=tmp_path)
    assert result.returncode == 2
    assert result.stdout == ""
    assert len(result.stderr.splitlines()) == 1, result.stderr
    assert result.stderr.startswith("python -m autograd: error: ")
    assert message in result.stderr
    assert "hacked" not in result.stdout + result.stderr
    assert list(tmp_path.iterdir()) == []  # no picture written


def test_without_graphviz_the_tables_print_and_the_error_says_how_to_install(tmp_path: Path) -> None:
    empty = tmp_path / "empty-bin"
    empty.mkdir()
    result = run("-o", "g.svg", cwd=tmp_path, env={"PATH": str(empty)})
    assert result.returncode == 1
    assert SECTION_1_TABLE[5] in result.stdout.splitlines()
    assert len(result.stderr.splitlines()) == 1
    assert "apt-get install -y graphviz" in result.stderr and "brew install graphviz" in result.stderr
    assert not (tmp_path / "g.svg").exists()
    dot = run("-o", "g.dot", cwd=tmp_path, env={"PATH": str(empty)})
    assert dot.returncode == 0 and (tmp_path / "g.dot").exists()


def test_help_exits_0(tmp_path: Path) -> None:
    result = run("--help", cwd=tmp_path)
    assert result.returncode == 0
    assert "1/(exp(-(w*x+b))+1)" in result.stdout and "exit status" in result.stdout


def test_console_script_backproplab(tmp_path: Path) -> None:
    script = Path(sys.executable).with_name("backproplab")
    result = subprocess.run(
        [str(script), "x*x", "x=3", "-o", "sq.svg"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        encoding="utf-8",
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "∂f/∂x, summed over 2 paths:" in result.stdout and "  ∂f/∂x = 3 + 3 = 6" in result.stdout
    assert (tmp_path / "sq.svg").exists()


def test_main_in_process_returns_the_status(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["x", "x=1", "-o", str(tmp_path / "g.dot")]) == 0
    assert "f = 1" in capsys.readouterr().out
    assert main(["x.y", "x=1"]) == 2
    assert "attribute access" in capsys.readouterr().err


def test_too_many_paths_for_the_chain_still_gives_the_gradient(tmp_path: Path) -> None:
    """σ of a negative number is eˣ · 1/(eˣ + 1): x is used twice, so 11 nested σ(−σ(…)) give 2¹¹ paths."""
    formula = "sigmoid(-" * 11 + "x" + ")" * 11
    result = run("-o", "g.dot", "--", formula, "x=1", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    line = next(line for line in result.stdout.splitlines() if line.startswith("∂f/∂x = "))
    assert "x reaches the output along 2048 paths, more than max_paths=1000" in line


def test_errors_and_usage_use_the_name_it_was_started_as(tmp_path: Path) -> None:
    script = str(Path(sys.executable).with_name("backproplab"))
    bad = subprocess.run([script, "--bogus"], capture_output=True, text=True, encoding="utf-8", timeout=60)
    assert bad.returncode == 2 and bad.stderr.startswith("backproplab: error: unrecognized arguments")
    usage = subprocess.run([script, "--help"], capture_output=True, text=True, encoding="utf-8", timeout=60)
    assert usage.stdout.startswith("usage: backproplab ")
    assert run("--bogus", cwd=tmp_path).stderr.startswith("python -m autograd: error: ")
    assert prog_name("/usr/local/bin/backproplab") == "backproplab"
    assert prog_name("/venv/Scripts/backproplab.exe") == "backproplab"
    assert prog_name("/repo/autograd/__main__.py") == "python -m autograd"


def test_a_console_that_is_not_utf8_gets_ascii_and_the_graph_is_written(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "autograd", "-o", "g.svg", "--steps"],
        cwd=tmp_path,
        env={**os.environ, "PYTHONIOENCODING": "cp1252"},
        capture_output=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    out = result.stdout.decode("ascii")  # every byte is ASCII: no ∂, no ×, no −
    lines = out.splitlines()
    assert "h1    w * x     dh1/dw = x = 1, dh1/dx = w = 0  0      0.25" in lines
    assert "h6    1/h5      dh6/dh5 = -1/h5^2 = -0.25       0.5    1" in lines  # aligned in ASCII too
    assert "df/dw = 1 * (-0.25) * 1 * 1 * (-1) * 1 * 1 = 0.25" in lines
    assert "h1 = w * x = 0 * 1 = 0" in lines  # consistent: no cp1252 × here and * there
    assert "∂f/∂w = 0.25" in svg_text(tmp_path / "g.svg")  # the picture itself stays UTF-8
    bad = subprocess.run(
        [sys.executable, "-m", "autograd", "log(x)", "x=-1"],
        cwd=tmp_path,
        env={**os.environ, "PYTHONIOENCODING": "cp1252"},
        capture_output=True,
        timeout=60,
    )
    assert bad.returncode == 2 and len(bad.stderr.decode("cp1252").splitlines()) == 1


@pytest.mark.parametrize("encoding", ["cp1252", "ascii"])
def test_greek_names_on_a_console_that_is_not_utf8_are_spelled_out(tmp_path: Path, encoding: str) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "autograd", "-o", "g.dot", "α*β + Δ", "α=2", "β=3", "Δ=1"],
        cwd=tmp_path,
        env={**os.environ, "PYTHONIOENCODING": encoding},
        capture_output=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.isascii() and b"?" not in result.stdout  # never "f = ?*? at ? = 2"
    lines = result.stdout.decode("ascii").splitlines()
    assert lines[0] == "f = alpha*beta + Delta   at alpha = 2, beta = 3, Delta = 1"
    assert "df/dalpha = 1 * 1 * 3 = 3" in lines and "  along h2 <- h1 <- alpha" in lines
    table = lines[lines.index("Derivative table") + 2 :][:4]
    assert table[2] == "h1    alpha * beta  dh1/dalpha = beta = 3, dh1/dbeta = alpha = 2  6      1"
    assert table[0] == "node  function      local derivative(s)                           value  df/dnode"


def test_a_long_flat_sum_is_not_too_deep(tmp_path: Path) -> None:
    result = run("-o", "g.dot", "x" + "+x" * 101, "x=1.5", cwd=tmp_path)  # 102 terms
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[1] == "f = 153"
    total = [line for line in result.stdout.splitlines() if line.startswith("  ∂f/∂x = 1 + 1 + ")]
    assert len(total) == 1 and total[0].endswith(" = 102")


def test_max_nodes_option(tmp_path: Path) -> None:
    formula = "x" + "+x" * 349  # 350 nodes: one leaf and 349 additions
    refused = run("-o", "g.dot", formula, "x=1", cwd=tmp_path)
    assert refused.returncode == 1  # the tables are printed; only the picture is refused
    assert refused.stderr.splitlines() == [
        "python -m autograd: cannot draw 'g.dot': the graph has 350 nodes, more than --max-nodes 300; "
        "raise it (--max-nodes 350) or draw a smaller formula"
    ]
    assert not (tmp_path / "g.dot").exists()
    drawn = run("--max-nodes", "350", "-o", "g.dot", formula, "x=1", cwd=tmp_path)
    assert drawn.returncode == 0, drawn.stderr
    assert (tmp_path / "g.dot").read_text(encoding="utf-8").count(" -> ") == 2 * 349 + 1


def test_precision_keeps_the_significant_zeros_of_a_rounded_number(tmp_path: Path) -> None:
    result = run("--precision", "3", "-o", "g.dot", "log(x)", "x=3", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[1] == "f = 1.10"  # log 3 = 1.0986…, not the exact-looking 1.1
    exact = run("--precision", "3", "-o", "g.dot", "x*y", "x=0.5", "y=2.2", cwd=tmp_path)
    assert exact.stdout.splitlines()[1] == "f = 1.1"  # 0.5 × 2.2 is 1.1 itself


def test_printed_signs_can_be_pasted_back(tmp_path: Path) -> None:
    result = run("-o", "g.dot", "−2 × x + y", "x=−3", "y=0.5", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[1] == "f = 6.5"


def test_a_slow_layout_is_stopped_and_the_dot_source_written(tmp_path: Path) -> None:
    """x used 99 times: a fan-out `dot` lays out for many seconds; the limit stops it with one line."""
    result = run("--layout-timeout", "0.3", "x" + "+x" * 98, "x=1.5", cwd=tmp_path)
    assert result.returncode == 1
    [line] = result.stderr.splitlines()
    assert line.startswith("python -m autograd: Graphviz took more than 0.3 s to lay out 'graph.svg'")
    assert "the DOT source is in 'graph.dot': run `dot -Tsvg graph.dot -o graph.svg`" in line
    assert "Derivative table" in result.stdout  # everything but the picture was printed
    assert (tmp_path / "graph.dot").read_text(encoding="utf-8").startswith("digraph backproplab")
    assert not (tmp_path / "graph.svg").exists()


def test_the_player_may_be_named_htm_and_another_name_is_refused_naming_both(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    page = tmp_path / "lesson.htm"
    assert main(["x*x", "x=3", "-o", str(tmp_path / "g.dot"), "--html", str(page)]) == 0
    assert page.read_text(encoding="utf-8").lstrip().lower().startswith("<!doctype html>")
    capsys.readouterr()
    assert main(["x*x", "x=3", "-o", str(tmp_path / "g.dot"), "--html", "lesson.txt"]) == 2
    err = capsys.readouterr().err
    assert (
        err
        == "python -m autograd: error: --html needs a file name ending in .html or .htm, got 'lesson.txt'\n"
    )
