"""Draw the README's picture: run the README's ten-line example, write docs/images/sigmoid.dot and .svg.

`make readme-image` runs this; it is the one way to regenerate the picture, so the committed image is
always what `autograd.draw` makes of the README's own code. tests/test_readme.py checks the DOT source.
"""

from __future__ import annotations

import contextlib
import io
import re
import sys
from pathlib import Path

import graphviz

import autograd
from autograd.drawings.graphviz import pipe

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
IMAGES = ROOT / "docs" / "images"
SECTION = "## Ten lines: the h1…h6 table"


def readme_example() -> autograd.Value:
    """Run the README's ten-line example (its printing silenced) and return its output node f."""
    text = README.read_text(encoding="utf-8")
    block = re.search(r"```python\n(.*?)```", text[text.index(SECTION) :], re.S)
    if block is None:
        raise RuntimeError(f"README.md has no ```python block under {SECTION!r}")
    namespace: dict[str, object] = {}
    with contextlib.redirect_stdout(io.StringIO()):
        exec(compile(block.group(1), str(README), "exec"), namespace)
    f = namespace.get("f")
    if not isinstance(f, autograd.Value):
        raise RuntimeError("the README's example no longer defines f as a Value")
    return f


def drawing() -> graphviz.Digraph:
    """The README's picture: the example's graph as autograd.draw draws it by default."""
    return autograd.draw(readme_example())


def main(out: Path = IMAGES) -> int:
    """Write sigmoid.dot (the source the test compares) and sigmoid.svg (made by Graphviz's dot)."""
    out.mkdir(parents=True, exist_ok=True)
    dot = drawing()
    (out / "sigmoid.dot").write_text(dot.source, encoding="utf-8")
    (out / "sigmoid.svg").write_bytes(pipe(dot, "svg"))
    print(f"wrote {out / 'sigmoid.dot'} and {out / 'sigmoid.svg'}")
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else IMAGES))
