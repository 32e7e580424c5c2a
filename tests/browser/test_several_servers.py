"""Two app servers on one PostgreSQL database, as behind a load balancer.

One person signs in on the first server; the cookie that keeps them signed in
works on the second, which has never seen them (the token is in the shared
database). A progress update saved through the first server, and a completion
entered through the CLI, show on the other server at its next load: every
cached read keys on the stamps each write renews in the database (ui.cached).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import create_engine
from sqlalchemy import text as sql
from sqlalchemy.engine import make_url
from sqlmodel import col, select

from models import Task, TaskStatus
from tests.browser.driving import TIMEOUT, choose, form_with, settle, sign_in, text
from tests.browser.server import App, Serve
from tracker.config import ROOT, SAMPLE_PLAN
from tracker.db import open_database, write_session
from tracker.directory.auth import create_first_secretariat
from tracker.i18n import label
from tracker.importer.apply import apply_import
from tracker.importer.preview import preview_import

pytestmark = pytest.mark.browser

SERVER = os.environ.get("TRACKER_TEST_POSTGRES_URL", "").strip()
PASSWORD = "mat-khau-thu-nghiem-dai"


@dataclass(frozen=True)
class Servers:
    first: App
    second: App
    task_id: int
    code: str


@pytest.fixture(scope="module")
def postgres_database() -> Iterator[str]:
    """A fresh, empty PostgreSQL database; dropped after the module's servers stop."""
    if not SERVER:
        pytest.skip("TRACKER_TEST_POSTGRES_URL is not set: several servers share a PostgreSQL database")
    name = f"tracker_servers_{uuid.uuid4().hex[:8]}"
    admin = create_engine(SERVER, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sql(f'CREATE DATABASE "{name}"'))
    yield make_url(SERVER).set(database=name).render_as_string(hide_password=False)
    with admin.connect() as connection:
        connection.execute(sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(scope="module")
def servers(postgres_database: str, serve: Serve, tmp_path_factory: pytest.TempPathFactory) -> Servers:
    """The sample plan and a secretariat account, served by two servers on the database, each with
    a folder of its own where evidence files once were kept (TRACKER_EVIDENCE_DIR), as on its own disk."""
    engine = open_database(postgres_database)
    with write_session(engine) as session:
        office = create_first_secretariat(
            session, username="vanphong", display_name="Văn phòng BCĐ", password=PASSWORD
        )
        preview = preview_import(session, data=SAMPLE_PLAN.read_bytes(), file_name=SAMPLE_PLAN.name)
        apply_import(session, preview=preview, by=office, skip_errors=True)
        task = session.exec(
            select(Task).where(col(Task.status) == TaskStatus.not_started).order_by(col(Task.id))
        ).first()
        assert task is not None and task.id is not None
        task_id, code = task.id, task.code
    engine.dispose()
    first, second = (
        serve(postgres_database, env={"TRACKER_EVIDENCE_DIR": str(tmp_path_factory.mktemp(name))})
        for name in ("disk-1", "disk-2")
    )
    return Servers(first, second, task_id, code)


def task_page(page: Page, app: App, servers: Servers) -> None:
    page.goto(f"{app.url}/task?task={servers.task_id}")
    heading = text("task_heading").format(code=servers.code)
    expect(page.get_by_role("heading", name=heading)).to_be_visible(timeout=TIMEOUT)
    settle(page)


def test_a_sign_in_and_writes_made_through_one_server_or_the_cli_show_on_the_other(
    person: Callable[[], Page], servers: Servers
) -> None:
    first = person()
    sign_in(first, f"{servers.first.url}/task?task={servers.task_id}", "vanphong", PASSWORD)
    # The same browser: the sign-in cookie, set by the first server, is sent to the second.
    second = first.context.new_page()
    task_page(second, servers.second, servers)
    # The task page itself, not the sign-in form that stands in for any page without a user.
    expect(second.get_by_role("button", name=text("sign_in"), exact=True)).to_have_count(0)

    note = "Cập nhật lưu qua máy chủ thứ nhất"
    expect(second.get_by_text(note)).to_have_count(0)
    task_page(first, servers.first, servers)
    form = form_with(first, text("save_progress"))
    choose(first, form, text("status"), label(TaskStatus.in_progress))
    form.get_by_role("spinbutton", name=text("progress_pct")).fill("40")
    form.get_by_role("textbox", name=text("note")).fill(note)
    form.get_by_role("button", name=text("save_progress")).click()
    expect(first.get_by_test_id("stToast")).to_be_visible(timeout=TIMEOUT)
    settle(first)
    second.reload()
    task_page(second, servers.second, servers)
    # In the history tab, drawn though not the tab in front.
    expect(second.get_by_text(note).first).to_be_attached()

    done = "Hoàn thành, ghi qua dòng lệnh"
    command = ["status", servers.code, "completed", "--by", "vanphong", "--note", done]
    finished = subprocess.run(
        [sys.executable, "-m", "tracker", *command],
        cwd=ROOT,
        env=servers.first.env(),
        capture_output=True,
        text=True,
        check=False,
    )
    assert finished.returncode == 0, finished.stderr
    for page, app in ((first, servers.first), (second, servers.second)):
        page.reload()
        task_page(page, app, servers)
        expect(page.get_by_text(done).first).to_be_attached()


def test_an_evidence_file_added_through_one_server_downloads_whole_from_the_other(
    person: Callable[[], Page], servers: Servers
) -> None:
    # Issue 17: a file kept on one server's disk was missing from the others; it is in the database now.
    content = b"%PDF-1.4\n" + os.urandom(64 * 1024) + b"\n%%EOF\n"
    first = person()
    sign_in(first, f"{servers.first.url}/task?task={servers.task_id}", "vanphong", PASSWORD)
    task_page(first, servers.first, servers)
    first.get_by_role("tab", name=text("tab_evidence"), exact=True).click()
    form = form_with(first, text("add_evidence"))
    form.locator("input[type=file]").set_input_files(
        files=[{"name": "bien-ban-hop.pdf", "mimeType": "application/pdf", "buffer": content}]
    )
    expect(form.get_by_role("button", name=re.compile(r"^Remove .*bien-ban-hop\.pdf$"))).to_be_visible(
        timeout=TIMEOUT
    )
    form.get_by_role("button", name=text("add_evidence")).click()
    expect(first.get_by_test_id("stToast")).to_be_visible(timeout=TIMEOUT)

    second = first.context.new_page()
    task_page(second, servers.second, servers)
    listed = re.compile("^" + re.escape(text("tab_evidence_list").split("(")[0]))
    second.get_by_role("tab", name=listed).click()
    button = second.get_by_role("tabpanel", name=listed).get_by_test_id("stDownloadButton")
    expect(button.filter(has_text="bien-ban-hop.pdf")).to_be_visible(timeout=TIMEOUT)
    with second.expect_download(timeout=TIMEOUT) as download:
        button.filter(has_text="bien-ban-hop.pdf").locator("button").click()
    assert download.value.suggested_filename == "bien-ban-hop.pdf"
    assert Path(download.value.path()).read_bytes() == content
