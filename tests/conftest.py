"""Shared test settings: hypothesis profiles, no skipping under CI, and the browser for the page tests."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from browser import chromium
from hypothesis import HealthCheck, settings
from playwright.sync_api import Browser

settings.register_profile(
    "default", deadline=None, suppress_health_check=[HealthCheck.too_slow], print_blob=True
)
settings.register_profile(
    "ci", deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True, print_blob=True
)
settings.load_profile("ci" if os.environ.get("CI") else "default")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> object:
    """Under CI (CI=true) a skipped test is a failed test: nothing the README promises may be skipped."""
    outcome = yield
    report = outcome.get_result()  # type: ignore[attr-defined]
    if os.environ.get("CI") and report.skipped:
        report.outcome = "failed"
        report.longrepr = f"skipped under CI, which counts as a failure: {report.longrepr}"
    return report


@pytest.hookimpl(hookwrapper=True)
def pytest_make_collect_report(collector: pytest.Collector) -> object:
    """Under CI a whole file skipped at collection (pytest.importorskip at module level) fails too."""
    outcome = yield
    report = outcome.get_result()  # type: ignore[attr-defined]
    if os.environ.get("CI") and report.skipped:
        report.outcome = "failed"
        report.longrepr = f"skipped under CI, which counts as a failure: {report.longrepr}"
    return report


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Debian's chromium (headless, Playwright) for the tests that look at a page as a reader does."""
    with chromium() as b:
        yield b
