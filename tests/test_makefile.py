"""The Makefile's promises to a newcomer: a light `make demo` that says how to go on; the doc targets."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _dry_run(target: str) -> list[str]:
    """The commands `make TARGET` would run, without running them."""
    if shutil.which("make") is None:
        pytest.fail("make is not installed")
    done = subprocess.run(
        ["make", "--no-print-directory", "-n", target],
        cwd=ROOT,
        env={
            k: v for k, v in os.environ.items() if not k.startswith("MAKE")
        },  # not as a sub-make of `make test`
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.splitlines()


def test_make_demo_ends_by_saying_how_to_use_the_cli_and_the_notebooks() -> None:
    commands = _dry_run("demo")
    last = max(i for i, line in enumerate(commands) if "-m nn.demo" in line)
    tail = commands[last + 1 :]
    assert tail and all(line.startswith("echo ") for line in tail)
    shown = subprocess.run(
        ["sh", "-c", "\n".join(tail)], capture_output=True, text=True, encoding="utf-8", timeout=60
    ).stdout
    assert "source .venv/bin/activate" in shown
    assert 'backproplab "(x + y) * z" x=-2 y=5 z=-4 -o f.svg' in shown
    assert "make notebooks" in shown


def test_the_doc_targets_run_the_tools_the_tests_exercise() -> None:
    assert any("tools/readme_image.py docs/images" in line for line in _dry_run("readme-image"))
    assert any("tools/notebooks_html.py docs/notebooks" in line for line in _dry_run("notebooks-html"))


def _forced_dry_run(target: str) -> list[str]:
    """The commands `make TARGET` runs on a fresh clone (every prerequisite remade), without running them."""
    done = subprocess.run(
        ["make", "--no-print-directory", "-n", "-B", target],
        cwd=ROOT,
        env={k: v for k, v in os.environ.items() if not k.startswith("MAKE")},
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.splitlines()


def test_make_demo_installs_only_what_the_demo_needs_and_make_test_the_dev_extra() -> None:
    demo = [line for line in _forced_dry_run("demo") if "pip install" in line and "-e" in line]
    assert demo == [".venv/bin/python -m pip install --quiet -e '.[demo]'"]  # no pytest, Playwright, mypy
    test = [line for line in _forced_dry_run("test") if "pip install" in line and "-e" in line]
    assert test == [".venv/bin/python -m pip install --quiet -e '.[dev]'"]
    lines = (ROOT / "pyproject.toml").read_text(encoding="utf-8").splitlines()
    assert 'demo = ["tqdm>=4.64", "matplotlib>=3.7"]' in lines  # the progress bar and the picture
