"""Execute every notebook and write it as HTML, outputs and pictures included (`make notebooks-html`).

The committed .ipynb files stay stripped of outputs; these HTML copies let a reader on the web see
the graphs without running anything. Each notebook runs in a scratch directory, as in the tests.
"""

from __future__ import annotations

import copy
import hashlib
import re
import sys
import tempfile
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbconvert import HTMLExporter

sys.path.insert(0, str(Path(__file__).resolve().parent))
from offline import TEMPLATES, offline  # a sibling module, found through the line above

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
CELL_TIMEOUT = 300

#: The comment under the doctype that says which notebook, exactly, a page was built from.
BUILT_FROM = "built from {name}.ipynb, sha256 {digest}"

#: The template's styles (the same for every page), written once beside the pages and linked.
STYLESHEET = "notebook.css"
_STYLE = re.compile(r"<style[^>]*>(.*?)</style>\s*", re.S)


def digest(source: Path) -> str:
    """The sha256 of a notebook file: a page whose mark differs is out of date."""
    return hashlib.sha256(source.read_bytes()).hexdigest()


def export(nb: nbformat.NotebookNode, path: Path, source: Path | None = None) -> Path:
    """Write an executed notebook as one HTML page (SVG pictures inline) beside the shared stylesheet.

    The page needs no network: formulas are MathML, widgets their last state (see offline.py).
    With `source`, the page is marked with the notebook's name and sha256 (see BUILT_FROM).
    """
    exporter = HTMLExporter(template_name="offline", extra_template_basedirs=[str(TEMPLATES)])
    body, _ = exporter.from_notebook_node(offline(copy.deepcopy(nb)))
    if source is not None:
        mark = BUILT_FROM.format(name=source.stem, digest=digest(source))
        body = body.replace("<!DOCTYPE html>", f"<!DOCTYPE html>\n<!-- {mark} -->", 1)
    head, rest = body.split("</head>", 1)  # the template's styles; the notebook's own outputs keep theirs
    styles = _STYLE.findall(head)
    body = _STYLE.sub("", head) + f'<link rel="stylesheet" href="{STYLESHEET}">\n</head>' + rest
    path.parent.mkdir(parents=True, exist_ok=True)
    (path.parent / STYLESHEET).write_text("\n".join(styles), encoding="utf-8")
    path.write_text(body, encoding="utf-8")
    return path


def build(source: Path, out: Path) -> Path:
    """Execute one notebook in a scratch directory and write out/<name>.html."""
    nb = nbformat.read(source, as_version=4)
    with tempfile.TemporaryDirectory() as scratch:
        NotebookClient(
            nb,
            kernel_name="python3",
            timeout=CELL_TIMEOUT,
            resources={"metadata": {"path": scratch}},
            # the kernel's start-up warning (TCP without encryption) would land in a cell's output
            extra_arguments=["--IPKernelApp.log_level=ERROR"],
        ).execute()
    return export(nb, out / f"{source.stem}.html", source)


def main(out: Path) -> int:
    """Build every notebook's HTML into `out`."""
    for source in sorted(NOTEBOOKS.glob("*.ipynb")):
        print(f"wrote {build(source, out)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "notebooks"))
