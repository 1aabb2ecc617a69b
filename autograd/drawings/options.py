"""Checks of a drawing's options: each bad value is refused naming it and what is allowed."""

from __future__ import annotations

from collections.abc import Iterable

from ..common.text import describe
from ..engine.value import Value
from .phrases import CJK_FONT

__all__ = ["check_bool", "check_dpi", "check_fontname", "check_highlight", "check_int", "check_scale"]


def check_bool(name: str, x: object) -> bool:
    """x if it is True or False, else a TypeError naming the option."""
    if type(x) is not bool:
        raise TypeError(f"{name} must be True or False, got {type(x).__name__} {x!r}")
    return x


def check_int(name: str, x: object, low: int, high: int) -> int:
    """x if it is an int from low to high, else a ValueError naming the option."""
    if type(x) is not int or not low <= x <= high:
        raise ValueError(f"{name} must be an int from {low} to {high}, got {x!r}")
    return x


def check_scale(scale: object) -> float:
    """The drawing's scale, a number from 0.25 to 4, as a float."""
    if type(scale) not in (int, float) or not 0.25 <= scale <= 4:  # type: ignore[operator]
        raise ValueError(f"scale must be a number from 0.25 to 4, got {scale!r}")
    return float(scale)  # type: ignore[arg-type]


def check_dpi(dpi: object) -> int | None:
    """The resolution of a PNG, an int from 36 to 600, or None for Graphviz's default."""
    if dpi is None:
        return None
    return check_int("dpi", dpi, 36, 600)


def check_fontname(fontname: object, lang: object = "en") -> str:
    """The font of a drawing's texts: a font name, or None for Helvetica (and CJK_FONT for lang="zh").

    With lang="zh" the default is "Helvetica,Noto Sans CJK SC": Latin letters and numbers in
    Helvetica, Chinese in Noto (Graphviz and the browser take the first font that has a glyph).
    """
    if fontname is None:
        return f"Helvetica,{CJK_FONT}" if lang == "zh" else "Helvetica"
    if (
        not isinstance(fontname, str)
        or not fontname.strip()
        or len(fontname) > 100
        or not fontname.isprintable()
    ):
        raise ValueError(
            f"fontname must be a font's name such as 'Noto Sans CJK SC' (printable, at most 100 "
            f"characters) or None, got {fontname!r:.120}"
        )
    return fontname


def check_highlight(
    highlight: Iterable[Value | tuple[Value, Value]], index: dict[Value, int]
) -> tuple[set[Value], set[tuple[Value, Value]]]:
    """Split draw()'s `highlight` into nodes and (input, node) edges, checking that each is in the graph."""
    if isinstance(highlight, Value | str) or not isinstance(highlight, Iterable):
        raise TypeError(
            "highlight must be a collection of nodes and (input, node) pairs, e.g. [h1, (w, h1)], "
            f"got {type(highlight).__name__}"
        )
    nodes: set[Value] = set()
    edges: set[tuple[Value, Value]] = set()
    for item in highlight:
        if isinstance(item, Value):
            if item not in index:
                raise ValueError(f"cannot highlight {describe(item)}: it is not part of this graph")
            nodes.add(item)
        elif isinstance(item, tuple) and len(item) == 2 and all(isinstance(v, Value) for v in item):
            parent, child = item
            if child not in index or parent not in child.parents:
                raise ValueError(
                    f"cannot highlight the edge ({describe(parent)}, {describe(child)}): "
                    f"the first must be an input of the second, in this graph"
                )
            edges.add((parent, child))
        else:
            raise TypeError(
                f"highlight entries must be nodes or (input, node) pairs of nodes, got {item!r:.60}"
            )
    return nodes, edges
