"""Graphs shared by several test files (imported as `graphs`; pytest puts tests/ on sys.path)."""

from __future__ import annotations

import math
import struct
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

from autograd import Value, render


def lecture_sigmoid() -> tuple[Value, Value, Value, Value]:
    """Worked example §1, written naturally: f = 1/(exp(−(w·x + b)) + 1) at x = 1, w = 0, b = 0.

    Returns:
        (f, x, w, b).
    """
    x, w, b = Value(1.0, "x"), Value(0.0, "w"), Value(0.0, "b")
    return 1 / ((-(w * x + b)).exp() + 1), x, w, b


# ---- reading a rendered drawing ------------------------------------------------------------

SVG = "{http://www.w3.org/2000/svg}"


def svg_texts(svg: bytes | str) -> list[tuple[str, str]]:
    """Every <text> of an SVG as (text, fill colour), the colour "" when not set."""
    root = ET.fromstring(svg.encode() if isinstance(svg, str) else svg)
    return [("".join(t.itertext()).strip(), t.get("fill", "")) for t in root.iter(f"{SVG}text")]


def coloured(texts: list[tuple[str, str]], colour: str) -> Counter[str]:
    return Counter(text for text, fill in texts if fill == colour)


def render_svg(root: Value, tmp_path: Path, **options: object) -> list[tuple[str, str]]:
    path = render(root, tmp_path / "graph.svg", **options)
    return svg_texts(path.read_bytes())


def bits(x: float) -> bytes:
    """The float's bytes (every NaN counts as the same: the sign of a NaN is not an answer)."""
    return b"nan" if math.isnan(x) else struct.pack("<d", x)
