"""The two-moons demo: it writes a real PNG, prints what it did, and the full run reaches 100% accuracy."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from nn import data, demo, reference

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _is_png(path: Path) -> bool:
    data = path.read_bytes()
    return (
        len(data) > 1000
        and data.startswith(PNG_SIGNATURE)
        and b"IHDR" in data[:32]
        and data.endswith(b"IEND\xaeB`\x82")
    )


def test_short_run_writes_a_png(tmp_path: Path) -> None:
    out = tmp_path / "nested" / "dir" / "moons.png"
    result = demo.run(out, steps=3, progress=False)
    assert result.path == out and _is_png(out)
    assert result.history.epochs == 3 and len(result.model.parameters()) == 337
    # the accuracy it reports is the trained model's own, recomputed here with numpy's forward pass
    x, y01 = data.moons(100, noise=0.1, seed=demo.DEFAULT_SEED)
    scores = reference.predict(result.model, x).ravel()
    assert result.accuracy == float(np.mean((scores > 0) == (y01 == 1)))


def test_command_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "m.png"
    assert demo.main(["--out", str(out), "--steps", "2", "--seed", "3"]) == 0
    printed = capsys.readouterr().out
    assert f"decision boundary written to {out}" in printed
    assert "training accuracy after 2 steps:" in printed
    assert _is_png(out)


def test_progress_lines_without_tqdm(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setitem(sys.modules, "tqdm", None)
    monkeypatch.setitem(sys.modules, "tqdm.auto", None)
    demo.run(tmp_path / "m.png", steps=2)
    lines = capsys.readouterr().out.splitlines()
    assert [line.split()[:2] for line in lines] == [["step", "0"], ["step", "1"]]


def test_bad_command_line(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        demo.main(["--steps", "0"])
    assert "--steps must be ≥ 1, got 0" in capsys.readouterr().err


def test_bad_steps_are_named_steps(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="steps must be an int ≥ 1, got 0"):
        demo.run(tmp_path / "m.png", steps=0, progress=False)
    assert not (tmp_path / "m.png").exists()


def test_full_demo_reaches_100_percent(tmp_path: Path) -> None:
    """micrograd's result: 100 steps of full-batch SGD separate the 100 moons points completely."""
    result = demo.run(tmp_path / "moons.png", progress=False)
    assert result.accuracy == 1.0
    assert result.history.loss[-1] < 0.1 * result.history.loss[0]
    assert _is_png(result.path)


def test_importing_nn_loads_no_optional_dependency() -> None:
    code = (
        "import nn, sys; print(sorted(m for m in ('matplotlib', 'tqdm', 'ipywidgets') if m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


def test_demo_without_matplotlib_says_what_to_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "matplotlib.figure", None)
    with pytest.raises(ImportError, match="the demo draws with matplotlib: pip install matplotlib"):
        demo.run(tmp_path / "m.png", steps=1, progress=False)
    assert not (tmp_path / "m.png").exists()


def test_the_format_follows_the_extension(tmp_path: Path) -> None:
    """x.svg gets a real SVG (not PNG bytes under an .svg name), x.pdf a PDF."""
    svg = demo.run(tmp_path / "moons.svg", steps=1, progress=False).path
    assert svg.read_bytes().lstrip().startswith(b"<?xml") and b"<svg" in svg.read_bytes()
    assert demo.run(tmp_path / "moons.pdf", steps=1, progress=False).path.read_bytes().startswith(b"%PDF")


@pytest.mark.parametrize(
    ("out", "message"),
    [
        ("moons.jpg", "the file name must end in .png, .svg, .pdf"),
        ("moons", "(no extension)"),
        ("/proc/no-such-process/y.png", "cannot write the picture to '/proc/no-such-process/y.png'"),
        (".", "cannot tell the picture format"),
    ],
)
def test_a_bad_out_is_refused_before_any_training(
    out: str,
    message: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    def no_training(*args: object, **kwargs: object) -> None:
        raise AssertionError("training started before the output was checked")

    monkeypatch.setattr(demo, "fit", no_training)
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        demo.run(out, steps=1, progress=False)
    with pytest.raises(SystemExit) as exit_info:
        demo.main(["--out", out, "--steps", "1"])
    assert exit_info.value.code == 2
    captured = capsys.readouterr()
    assert captured.out == "" and message in captured.err
    assert list(tmp_path.iterdir()) == []  # nothing written, not even an empty file


def test_a_directory_is_not_a_picture(tmp_path: Path) -> None:
    (tmp_path / "d.png").mkdir()
    with pytest.raises(ValueError, match="cannot write the picture to .*it is a directory"):
        demo.check_out(tmp_path / "d.png")
