"""The notebook stepper's picture at one step: what the lecture player's script does, done in Python."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from xml.dom import minidom

from .look import GRAD_COLOUR, HIGHLIGHT, HIGHLIGHT_FILL, UNKNOWN_COLOUR, VALUE_COLOUR

if TYPE_CHECKING:
    from .player import Frame

__all__ = ["svg_at"]


def svg_at(svg: str, known: dict[str, Any], frame: Frame) -> str:
    """The full drawing as it looks at one frame: what the player's script does, done in Python.

    Values not computed yet become "?", gradients not sent yet are hidden, leaves show their
    running totals, and the frame's node and edges are drawn in orange. The layout is the
    full drawing's at every frame, so nothing moves while stepping.

    Args:
        svg: The SVG of the full drawing (`svg_of(draw_view(view))`).
        known: What `facts(view, digits)` returns for the same graph.
        frame: One of `frames(view)`.
    """
    doc = minidom.parseString(svg)
    groups = {g.getAttribute("id"): g for g in doc.getElementsByTagName("g")}
    k, forward = frame.step, frame.phase != "backward"

    def texts(gid: str, colour: str) -> list[minidom.Element]:
        g = groups.get(gid)
        return (
            []
            if g is None
            else [t for t in g.getElementsByTagName("text") if t.getAttribute("fill") == colour]
        )

    def set_text(t: minidom.Element, text: str) -> None:
        for child in list(t.childNodes):
            t.removeChild(child)
        t.appendChild(doc.createTextNode(text))

    for gid, (source, back) in known["edges"].items():
        for t in texts(gid, VALUE_COLOUR):
            if forward and known["known"].get(source, 0) > k:
                set_text(t, "?")
                t.setAttribute("fill", UNKNOWN_COLOUR)
        for t in texts(gid, GRAD_COLOUR):
            if forward or back > k:
                t.setAttribute("visibility", "hidden")
    for gid, totals in known["totals"].items():
        latest = None if forward else next((text for b, text in reversed(totals) if b <= k), None)
        for t in texts(gid, GRAD_COLOUR):
            if latest is None:
                t.setAttribute("visibility", "hidden")
            else:
                set_text(t, latest)
    for gid in [frame.current, *frame.edges]:
        g = groups.get(gid or "")
        if g is None:
            continue
        for shape in g.childNodes:
            if isinstance(shape, minidom.Element) and shape.tagName in ("ellipse", "path", "polygon"):
                shape.setAttribute("stroke", HIGHLIGHT)
                shape.setAttribute("stroke-width", "3")
                if gid == frame.current:
                    shape.setAttribute("fill", HIGHLIGHT_FILL)
                elif shape.tagName == "polygon":
                    shape.setAttribute("fill", HIGHLIGHT)
    svg_element = doc.documentElement
    if svg_element is None:  # minidom's types allow it; a parsed SVG always has its root element
        raise ValueError("the drawing has no <svg> element")
    return svg_element.toxml()
