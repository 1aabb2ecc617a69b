"""Draw the docs' pictures: the README's ten-line example (docs/images/sigmoid.dot and .svg) and
docs/drawing.md's MLP loss over three samples, one box per neuron (docs/images/mlp_neuron.dot and .svg).

`make readme-image` runs this; it is the one way to regenerate the pictures, so each committed image
is always what `autograd.draw` makes of the docs' own code. tests/test_readme.py and
tests/drawings/test_grouped_layout.py check the DOT sources.
"""

from __future__ import annotations

import ast
import contextlib
import io
import re
import shutil
import subprocess
import sys
from pathlib import Path

import graphviz

import autograd
from autograd.drawings.graphviz import pipe

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
IMAGES = ROOT / "docs" / "images"
SECTION = "## Ten lines: the h1…h6 table"
DRAWING_MD = ROOT / "docs" / "drawing.md"
MLP_SECTION = "## An MLP's loss, one box per neuron or per layer"
DOT_SECONDS = 120


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


def mlp_drawing() -> graphviz.Digraph:
    """docs/drawing.md's grouped picture: its example run, and the drawing its last line makes."""
    text = DRAWING_MD.read_text(encoding="utf-8")
    block = re.search(r"```python\n(.*?)```", text[text.index(MLP_SECTION) :], re.S)
    if block is None:
        raise RuntimeError(f"docs/drawing.md has no ```python block under {MLP_SECTION!r}")
    tree = ast.parse(block.group(1))
    last = tree.body.pop()
    if not isinstance(last, ast.Expr):
        raise RuntimeError("the example in docs/drawing.md no longer ends with the drawing")
    namespace: dict[str, object] = {"autograd": autograd}
    exec(compile(tree, str(DRAWING_MD), "exec"), namespace)
    picture = eval(compile(ast.Expression(last.value), str(DRAWING_MD), "eval"), namespace)
    if not isinstance(picture, graphviz.Digraph):
        raise RuntimeError("the example in docs/drawing.md no longer ends with autograd.draw(…)")
    return picture


def svg_of(dot: graphviz.Digraph) -> bytes:
    """The SVG Graphviz's dot makes of a drawing, within DOT_SECONDS (the process is ended after)."""
    program = shutil.which("dot")
    if program is None:
        return pipe(dot, "svg")  # raises the error that says how to install Graphviz
    done = subprocess.run(
        [program, "-Tsvg"], input=dot.source.encode(), capture_output=True, timeout=DOT_SECONDS, check=True
    )
    return done.stdout


def main(out: Path = IMAGES) -> int:
    """Write each picture's .dot (the source the tests compare) and .svg (made by Graphviz's dot)."""
    out.mkdir(parents=True, exist_ok=True)
    for name, dot in (("sigmoid", drawing()), ("mlp_neuron", mlp_drawing())):
        (out / f"{name}.dot").write_text(dot.source, encoding="utf-8")
        (out / f"{name}.svg").write_bytes(svg_of(dot))
        print(f"wrote {out / name}.dot and {out / name}.svg")
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else IMAGES))
