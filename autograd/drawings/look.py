"""How a drawing looks: its colours, fonts and scaled sizes, label markup, node boxes and the legend."""

from __future__ import annotations

import html

import graphviz

from ..engine.value import Value
from ..views.numbers import format_value
from .dot import Drawing
from .phrases import phrase

__all__ = [
    "GRAD_COLOUR",
    "HIGHLIGHT",
    "HIGHLIGHT_FILL",
    "LOCAL_COLOUR",
    "TANGENT_COLOUR",
    "UNKNOWN_COLOUR",
    "VALUE_COLOUR",
    "Style",
    "font",
    "legend_line",
    "node_attrs",
    "stack",
    "weight_colour",
]

VALUE_COLOUR = "#1f5fbf"  # blue: values, forward
GRAD_COLOUR = "#c0392b"  # red: gradients, backward
TANGENT_COLOUR = "#7b1fa2"  # purple: tangents, forward mode
LOCAL_COLOUR = "#2e7d32"  # green: local derivatives
HIGHLIGHT = "#e67e22"  # orange
HIGHLIGHT_FILL = "#fdebd0"  # light orange, inside a highlighted node
UNKNOWN_COLOUR = "#9e9e9e"  # grey "?" for a value not computed yet
POSITIVE_WEIGHT = (27, 120, 55)  # green: a weight > 0
NEGATIVE_WEIGHT = (118, 42, 131)  # purple: a weight < 0
ZERO_WEIGHT = (110, 110, 110)  # grey: a weight of 0


def weight_colour(w: float, depth: float) -> str:
    """A weight's colour: green for w > 0, purple for w < 0, grey for 0, `depth` from white 0 to full 1."""
    base = POSITIVE_WEIGHT if w > 0 else NEGATIVE_WEIGHT if w < 0 else ZERO_WEIGHT
    r, g, b = (round(255 + (c - 255) * depth) for c in base)
    return f"#{r:02x}{g:02x}{b:02x}"


def font(text: str, colour: str, size: str | None = None) -> str:
    """An HTML-label fragment: text in a colour (and size)."""
    size_attr = f' point-size="{size}"' if size else ""
    return f'<font color="{colour}"{size_attr}>{html.escape(text)}</font>'


def stack(lines: list[str]) -> str:
    """Stack HTML fragments in a borderless one-column table (an HTML-like Graphviz label)."""
    rows = "".join(f"<tr><td>{line}</td></tr>" for line in lines)
    return f'<<table border="0" cellborder="0" cellspacing="0" cellpadding="1">{rows}</table>>'


class Style:
    """Font sizes and line widths of a drawing, multiplied by `scale`; `dpi` for raster pictures.

    `fontname` is the font of every text (one with CJK glyphs for Chinese labels); `lang` the
    language of the legend ("en" or "zh").
    """

    def __init__(
        self, scale: float = 1.0, dpi: int | None = None, fontname: str = "Helvetica", lang: str = "en"
    ) -> None:
        self.scale = scale
        self.dpi = dpi
        self.fontname = fontname
        self.lang = lang

    def size(self, points: float) -> str:
        """A font size or line width, scaled: 10 → "10", at scale 1.5 → "15"."""
        return f"{points * self.scale:g}"

    def digraph(self, rankdir: str) -> graphviz.Digraph:
        """An empty Digraph with backproplab's look, whose pictures are made under a time limit."""
        graph_attr = {"rankdir": rankdir, "fontname": self.fontname, "nodesep": "0.3", "ranksep": "0.5"}
        if self.dpi is not None:
            graph_attr["dpi"] = str(self.dpi)
        return Drawing(
            "backproplab",
            graph_attr=graph_attr,
            node_attr={"fontname": self.fontname, "fontsize": self.size(12), "penwidth": self.size(1)},
            edge_attr={
                "fontname": self.fontname,
                "fontsize": self.size(10),
                "arrowsize": self.size(0.6),
                "penwidth": self.size(1),
            },
        )

    def font(self, text: str, colour: str, points: float | None = None) -> str:
        """An HTML-label fragment: text in a colour (and a scaled size)."""
        return font(text, colour, None if points is None else self.size(points))

    @staticmethod
    def title(text: str) -> str:
        """A drawing's title in bold, its lines split at "\n"."""
        return "<br/>".join(f"<b>{html.escape(line)}</b>" for line in text.split("\n"))

    def heading(self, dot: graphviz.Digraph, lines: list[str]) -> None:
        """Write the title and the legend lines above the drawing."""
        if lines:
            dot.attr(label=stack(lines), labelloc="t", fontsize=self.size(14))


def legend_line(style: Style, output: str, grads: bool, local: bool, tangent_of: str | None = None) -> str:
    """The key under the title: which number on an edge is which, in the style's language."""
    lang = style.lang
    key = style.font(phrase(lang, "legend value"), VALUE_COLOUR)
    if tangent_of is not None:
        key += " · " + style.font(phrase(lang, "legend tangent", x=tangent_of), TANGENT_COLOUR)
    if grads:
        key += " · " + style.font(phrase(lang, "legend gradient", f=output), GRAD_COLOUR)
    if local:
        key += " · " + style.font(phrase(lang, "legend local"), LOCAL_COLOUR)
    return f'<font point-size="{style.size(10)}">{key}</font>'


def node_attrs(
    node: Value,
    name: str,
    out: str,
    running: dict[Value, float],
    grads_shown: bool,
    digits: int,
    style: Style,
) -> dict[str, str]:
    """How one node looks: symbol and name for an operation; label, value and ∂f/∂leaf for a leaf."""
    if node.is_constant:
        return {"label": format_value(node.data, digits), "shape": "plaintext", "fontsize": style.size(9)}
    if node.primitive is not None:
        lines = [
            f"<b>{html.escape(node.primitive.symbol)}</b>",
            f'<font point-size="{style.size(9)}">{html.escape(name)}</font>',
        ]
        return {"label": stack(lines), "shape": "circle", "margin": "0.02"}
    lines = [
        f"<b>{html.escape(name)}</b>",
        style.font(f"= {format_value(node.data, digits)}", VALUE_COLOUR, 9),
    ]
    if grads_shown and node in running:
        lines.append(style.font(f"∂{out}/∂{name} = {format_value(running[node], digits)}", GRAD_COLOUR, 9))
    return {"label": stack(lines), "shape": "box", "style": "rounded", "margin": "0.08,0.03"}
