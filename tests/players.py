"""Reading the lecture player in a browser, for the tests of several files (imported as `players`)."""

from __future__ import annotations

from playwright.sync_api import Page


def edge_texts(page: Page, edge: str) -> list[tuple[str, str, bool]]:
    """(text, fill, visible) of every <text> in an SVG group."""
    result: list[tuple[str, str, bool]] = page.eval_on_selector_all(
        f"#{edge} text",
        "ts => ts.map(t => [t.textContent, t.getAttribute('fill') || '', "
        "getComputedStyle(t).visibility !== 'hidden'])",
    )
    return result


def current(page: Page) -> list[str]:
    """The SVG ids highlighted as the current step."""
    ids: list[str] = page.eval_on_selector_all("svg .current", "gs => gs.map(g => g.id)")
    return ids


def go_to(page: Page, position: int) -> None:
    """Move the scrubber to a position, as a viewer dragging it does."""
    page.fill("#slider", str(position))
    page.dispatch_event("#slider", "input")


def position(page: Page) -> int:
    """The position shown (body's data-position)."""
    return int(page.eval_on_selector("body", "b => b.dataset.position"))


def visible_texts(page: Page) -> list[str]:
    """Every text a viewer can see: the picture's visible <text>s, the page's rendered lines and cells."""
    svg: list[str] = page.eval_on_selector_all(
        "#picture svg text",
        "ts => ts.filter(t => getComputedStyle(t).visibility !== 'hidden').map(t => t.textContent)",
    )
    lines = page.inner_text("body").replace("\t", "\n").splitlines()
    return svg + [line for line in lines if line.strip()]
