"""The README's first example runs and prints exactly the output the README shows."""

from __future__ import annotations

import contextlib
import io
import pathlib
import re

import pytest

README = pathlib.Path(__file__).resolve().parent.parent / "README.md"


def test_readme_h1_to_h6_example_prints_what_it_shows() -> None:
    text = README.read_text(encoding="utf-8")
    section = text[text.index("## Ten lines: the h1…h6 table") :]
    code = re.search(r"```python\n(.*?)```", section, re.S)
    shown = re.search(r"```text\n(.*?)```", section, re.S)
    assert code is not None and shown is not None
    lines = code.group(1).strip().splitlines()
    assert len(lines) <= 10, "the README promises a ten-line example"
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(code.group(1), "README.md", "exec"), {})  # the README's own code, nothing else
    assert out.getvalue() == shown.group(1)


def test_every_python_block_in_the_readme_runs(
    tmp_path: pathlib.Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each ```python block runs, in order, in one namespace, in a scratch directory."""
    monkeypatch.chdir(tmp_path)
    blocks = re.findall(r"```python\n(.*?)```", README.read_text(encoding="utf-8"), re.S)
    assert len(blocks) >= 4
    namespace: dict[str, object] = {}
    with contextlib.redirect_stdout(io.StringIO()) as out:
        for block in blocks:
            exec(compile(block, "README.md", "exec"), namespace)
    assert (tmp_path / "pictures" / "sigmoid.svg").read_text(encoding="utf-8").startswith("<?xml")
    assert "accuracy 100%" in out.getvalue()
    assert (tmp_path / "moons.json").stat().st_size > 0
