"""The published notebook pages work with the network cut: formulas are MathML, widgets static HTML."""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path
from types import ModuleType

import nbformat
import pytest
from playwright.sync_api import Browser

ROOT = Path(__file__).resolve().parents[1]
PAGES = ROOT / "docs" / "notebooks"
#: What TeX looks like when no one typeset it: a $…$ pair, or a backslash command such as \frac.
RAW_TEX = re.compile(r"\$[^$\s][^$]*\$|\\(?:frac|partial|hat|sum|mathbf|sigma|cdot|ln|quad)\b")


def _offline() -> ModuleType:
    sys.path.insert(0, str(ROOT / "tools"))
    try:
        spec = importlib.util.spec_from_file_location("offline", ROOT / "tools" / "offline.py")
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module
    finally:
        sys.path.remove(str(ROOT / "tools"))


def test_formulas_become_mathml_and_code_keeps_its_dollars() -> None:
    md = r"Inline $\hat y_k$, display $$\frac{\partial f}{\partial w}$$, code `cost = $5`, escaped \$3."
    out = _offline().to_mathml(md + "\nA formula may wrap: $a +\nb$.\n\nNot across $paragraphs\n\nlike this.")
    assert out.count("<math") == 3 and "$paragraphs" in out
    assert 'display="block"' in out and 'display="inline"' in out
    assert "`cost = $5`" in out and r"\$3" in out
    assert "\\frac" not in out and "\\hat" not in out


def test_a_progress_bar_widget_becomes_its_last_state() -> None:
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("fit(...)")
    view = {"model_id": "box", "version_major": 2, "version_minor": 0}
    data = {"application/vnd.jupyter.widget-view+json": view}
    cell.outputs = [nbformat.v4.new_output("display_data", data)]
    nb.cells.append(cell)
    state = {
        "box": {"model_name": "HBoxModel", "state": {"children": ["IPY_MODEL_left", "IPY_MODEL_bar"]}},
        "left": {"model_name": "HTMLModel", "state": {"value": "fit: 100%"}},
        "bar": {"model_name": "FloatProgressModel", "state": {"value": 40, "max": 40}},
    }
    nb.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": {"state": state}}
    shown = _offline().offline(nb).cells[0].outputs[0].data
    assert list(shown) == ["text/html"]
    assert '<progress value="40" max="40"></progress>' in shown["text/html"]
    assert "fit: 100%" in shown["text/html"]
    assert "widgets" not in nb.metadata  # no widget state: the page loads no widget manager


def _formulas(name: str) -> int:
    """How many $…$ and $$…$$ formulas the notebook's markdown has."""
    nb = nbformat.read(ROOT / "notebooks" / f"{name}.ipynb", as_version=4)
    text = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    display = re.findall(r"\$\$.+?\$\$", text, re.S)
    return len(display) + len(re.findall(r"(?<![$\\])\$(?:[^$\n]|\n(?![ \t]*\n))+?\$(?!\$)", text))


@pytest.mark.parametrize("page", sorted(PAGES.glob("*.html")), ids=lambda p: p.stem)
def test_a_published_page_shows_every_formula_with_the_network_cut(browser: Browser, page: Path) -> None:
    context = browser.new_context(offline=True)
    left: list[str] = []

    def refuse(route):  # type: ignore[no-untyped-def]
        if not route.request.url.startswith("file://"):
            left.append(route.request.url)
            return route.abort()
        return route.continue_()

    context.route("**/*", refuse)
    tab = context.new_page()
    tab.goto(page.as_uri(), wait_until="load")
    tab.wait_for_timeout(300)
    assert left == [], f"{page.name} asks the network for {left[:3]}"
    text = tab.inner_text("main")
    assert not RAW_TEX.findall(text), f"{page.name} shows TeX: {RAW_TEX.findall(text)[:3]}"
    maths = tab.locator("math")
    assert maths.count() >= _formulas(page.stem) > 0
    box = maths.first.bounding_box()
    assert box is not None and box["height"] > 5  # typeset by the browser, not left as source
    if page.stem == "05_mlp_from_scratch":  # nn.fit's progress bar, finished
        bar = tab.locator("progress").first
        assert bar.is_visible() and bar.get_attribute("value") == bar.get_attribute("max")
    context.close()
