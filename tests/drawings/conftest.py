"""The lecture player's page fixture, on the shared chromium of tests/conftest.py."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page


@pytest.fixture
def open_page(browser: Browser) -> Iterator[Any]:
    """Open a player file; records every request the page makes and every script error."""
    pages: list[Page] = []

    def opener(path: Path, width: int = 1366, height: int = 768) -> Page:
        page = browser.new_page(viewport={"width": width, "height": height})
        page.errors = []  # type: ignore[attr-defined]
        page.requests = []  # type: ignore[attr-defined]
        page.on("pageerror", lambda e: page.errors.append(str(e)))  # type: ignore[attr-defined]
        page.on("request", lambda r: page.requests.append(r.url))  # type: ignore[attr-defined]
        page.goto(path.resolve().as_uri())
        pages.append(page)
        return page

    yield opener
    for page in pages:
        assert page.errors == []  # type: ignore[attr-defined]
        page.close()
