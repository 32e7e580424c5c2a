"""Fixtures of the browser tests: Debian's Chromium, and the app served on a fresh database.

`playwright install` cannot download browsers here, so Chromium is Debian's;
without it the tests are skipped, saying why.
"""

from __future__ import annotations

from collections.abc import Callable, Generator, Iterator, Mapping
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

from tests.browser.driving import DESKTOP
from tests.browser.server import ARTIFACTS, App, Serve, start_app

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing: install Debian's chromium (apt-get install -y chromium)")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    """Keep each phase's report on the test, so a fixture can tell that the test failed."""
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture
def person(request: pytest.FixtureRequest, browser: Browser) -> Iterator[Callable[[], Page]]:
    """Open a page for one more person: a browser context of their own, as on their own machine.

    All close after the test; when it failed, each page is pictured first, to see what its user saw.
    """
    contexts: list[BrowserContext] = []

    def open_page() -> Page:
        context = browser.new_context(viewport=DESKTOP, accept_downloads=True)
        contexts.append(context)
        return context.new_page()

    yield open_page
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        for number, page in enumerate(page for context in contexts for page in context.pages):
            page.screenshot(path=ARTIFACTS / f"failed-{request.node.name}-{number}.png", full_page=True)
    for context in contexts:
        context.close()


@pytest.fixture(scope="module")
def serve() -> Iterator[Serve]:
    """Serve the app for a database URL (and more environment); it stops after the module."""
    apps: list[App] = []

    def start(database_url: str, *, env: Mapping[str, str] | None = None) -> App:
        apps.append(start_app(database_url, env=env))
        return apps[-1]

    yield start
    for app in apps:
        app.stop()


@pytest.fixture(scope="module")
def new_database(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A SQLite file that does not exist yet: the app creates and migrates it, as on a new machine."""
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'tracker.db'}"
