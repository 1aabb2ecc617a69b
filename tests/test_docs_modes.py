"""docs/modes.md: each ```python block runs, in order, and prints exactly the ```text block after it."""

from __future__ import annotations

import contextlib
import io
import pathlib
import re

import pytest

PAGE = pathlib.Path(__file__).resolve().parent.parent / "docs" / "modes.md"


def test_every_example_prints_what_the_page_shows(
    tmp_path: pathlib.Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    pairs = re.findall(r"```python\n(.*?)```\n\n```text\n(.*?)```", PAGE.read_text(encoding="utf-8"), re.S)
    assert len(pairs) == PAGE.read_text(encoding="utf-8").count("```python") == 6
    namespace: dict[str, object] = {}
    for code, shown in pairs:
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            exec(compile(code, "docs/modes.md", "exec"), namespace)
        assert out.getvalue() == shown
