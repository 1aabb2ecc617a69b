"""docs/teaching.md: its Python examples run and print exactly the text shown after them."""

from __future__ import annotations

import contextlib
import io
import pathlib
import re

DOC = pathlib.Path(__file__).resolve().parent.parent / "docs" / "teaching.md"


def test_the_examples_print_what_the_page_shows() -> None:
    text = DOC.read_text(encoding="utf-8")
    pairs = re.findall(r"```python\n(.*?)```\s*(?:```text\n(.*?)```)?", text, re.S)
    assert len(pairs) >= 3
    namespace: dict[str, object] = {}
    shown = 0
    for code, expected in pairs:
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            exec(compile(code, str(DOC), "exec"), namespace)  # the page's own code, nothing else
        if expected:
            assert out.getvalue() == expected
            shown += 1
    assert shown == 2


def test_the_chain_examples_on_the_page_are_what_chain_prints() -> None:
    from autograd import Value, chain

    text = DOC.read_text(encoding="utf-8")
    x, w, b = Value(1.0, "x"), Value(0.0, "w"), Value(0.0, "b")
    f = 1 / ((-(w * x + b)).exp() + 1)
    a = Value(3.0, "a")
    q = a * a + a
    q.label = "q"
    for c in (chain(f, x), chain(q, a)):
        assert f"```text\n{c}\n```" in text
