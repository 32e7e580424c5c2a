"""The outage page in a real browser: it comes back by itself once the database does (issue 17).

AppTest runs no timers, so the page's retry (ui.outage) is proved here: nobody touches the
page between the outage and the setup screen that follows it.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.server import App

pytestmark = pytest.mark.browser


def test_the_outage_page_turns_into_the_app_by_itself_when_the_database_comes_back(
    person: Callable[[], Page], serve: Callable[[str], App], tmp_path: Path, sqlite_template: Path
) -> None:
    path = tmp_path / "tracker.db"
    # mode=rw: SQLite may not create the file, so the database is "down" until it is copied in.
    app = serve(f"sqlite:///file:{path}?mode=rw&uri=true")
    page = person()
    page.goto(app.url)
    expect(page.get_by_text("Tạm thời không truy cập được dữ liệu")).to_be_visible(timeout=60_000)
    expect(page.get_by_text(str(path))).to_have_count(0)

    shutil.copy(sqlite_template, path)

    # Retried every 10 seconds: well within 40, with no click.
    expect(page.get_by_text("Thiết lập lần đầu")).to_be_visible(timeout=40_000)
    expect(page.get_by_text("Tạm thời không truy cập được dữ liệu")).to_have_count(0)
