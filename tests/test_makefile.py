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


def test_make_notebooks_starts_jupyterlab_as_the_user_it_runs_as() -> None:
    """`make notebooks` serves the notebooks, as root too (CI runs as root): JupyterLab answers."""
    import json
    import signal
    import socket
    import time
    import urllib.request

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    args = f"LAB_ARGS=--no-browser --ip=127.0.0.1 --port={port} --IdentityProvider.token=''"
    env = {k: v for k, v in os.environ.items() if not k.startswith("MAKE")}
    server = subprocess.Popen(
        ["make", "--no-print-directory", "notebooks", args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    try:
        deadline, answer = time.monotonic() + 120, None
        while time.monotonic() < deadline and server.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/contents/", timeout=5) as reply:
                    answer = json.load(reply)
                break
            except OSError:
                time.sleep(1)
        stderr = b"" if server.poll() is None else server.stderr.read()  # type: ignore[union-attr]
        assert answer is not None, f"JupyterLab did not answer: {stderr.decode(errors='replace')[-800:]}"
        names = {item["name"] for item in answer["content"]}
        assert "01_computational_graph.ipynb" in names
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait(timeout=5)
