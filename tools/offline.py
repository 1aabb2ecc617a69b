"""Notebook pages that need no network: formulas as MathML, widgets as their last state in plain HTML.

A page that loads MathJax, require.js and the widget manager from a CDN shows raw TeX and blank
progress bars offline, or wherever those CDNs are blocked. Browsers render MathML themselves, so
every `$…$` and `$$…$$` of a markdown cell is converted when the page is built (latex2mathml),
and an ipywidgets output (nn.fit's progress bar) is replaced by HTML drawn from the state the
kernel saved: a <progress> element with its labels.
"""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Any

import nbformat
from latex2mathml.converter import convert

__all__ = ["TEMPLATES", "offline", "to_mathml"]

#: The folder of the "offline" nbconvert template: JupyterLab's, without the CDN scripts.
TEMPLATES = Path(__file__).resolve().parent / "templates"

_CODE = re.compile(r"```.*?```|`[^`\n]*`", re.S)  # code spans and fences keep their dollars
# $$…$$ (display), or $…$ (inline, within a paragraph: it may wrap onto the next line of the source)
_MATH = re.compile(
    r"(?<!\\)\$\$(.+?)\$\$|(?<![\\$])\$(?=\S)((?:[^$\n]|\n(?![ \t]*\n))+?)(?<=\S)(?<!\\)\$(?!\$)", re.S
)
_WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
_WIDGET_STATE = "application/vnd.jupyter.widget-state+json"


def to_mathml(markdown: str) -> str:
    """The markdown with each $…$ (inline) and $$…$$ (display) formula written as MathML.

    Code spans and fenced code are left as they are, and so is an escaped dollar (\\$).
    """
    out, pos = [], 0
    for code in _CODE.finditer(markdown):
        out += [_MATH.sub(_formula, markdown[pos : code.start()]), code.group()]
        pos = code.end()
    out.append(_MATH.sub(_formula, markdown[pos:]))
    return "".join(out)


def _formula(m: re.Match[str]) -> str:
    display = m.group(1) is not None
    tex = " ".join((m.group(1) if display else m.group(2)).split())
    return convert(tex, display="block" if display else "inline")


def offline(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """The executed notebook, changed in place so that its page needs no network, and returned."""
    state = nb.metadata.pop("widgets", {}).get(_WIDGET_STATE, {}).get("state", {})
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            cell.source = to_mathml(cell.source)
        for out in cell.get("outputs", []):
            view = out.get("data", {}).pop(_WIDGET_VIEW, None)
            if view is not None:
                shown = _widget_html(state, view.get("model_id", ""))
                if shown:
                    out.data = {"text/html": shown}
    return nb


def _widget_html(state: dict[str, Any], model_id: str) -> str:
    """A widget's last state as static HTML: boxes in a row, progress bars, labels ("" if unknown)."""
    model = state.get(model_id)
    if model is None:
        return ""
    name, values = model.get("model_name", ""), model.get("state", {})
    if name in ("HBoxModel", "VBoxModel"):
        children = [_widget_html(state, ref.removeprefix("IPY_MODEL_")) for ref in values.get("children", [])]
        flow = "row" if name == "HBoxModel" else "column"
        inner = "".join(children)
        return f'<div style="display:flex;flex-direction:{flow};gap:0.5em;align-items:center">{inner}</div>'
    if name in ("FloatProgressModel", "IntProgressModel"):
        value, top = float(values.get("value", 0)), float(values.get("max", 100))
        return f'<progress value="{value:g}" max="{top:g}"></progress>'
    if name == "HTMLModel":
        return f"<span>{values.get('value', '')}</span>"
    if name == "LabelModel":
        return f"<span>{html.escape(str(values.get('value', '')))}</span>"
    return ""
