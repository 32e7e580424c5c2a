"""Several people at once, and what users type or upload, in a real browser.

Five people signed in from their own browsers save at the same moment, two of
them on the same task: every accepted change lands in the history, the late
one is refused with a message naming who changed the task, and keeps what
that person typed. Notes and file names with Markdown, HTML or script show as
the text they are.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from playwright.sync_api import Locator, Page, expect
from sqlmodel import col, func, select

from models import Role, Task, TaskStatus, Unit
from tests.browser.driving import TIMEOUT, choose, form_with, settle, shot, sign_in, text
from tests.browser.server import App
from tracker.config import SAMPLE_PLAN
from tracker.db import open_database, write_session
from tracker.directory import accounts
from tracker.directory.auth import create_first_secretariat
from tracker.i18n import label
from tracker.importer.apply import apply_import
from tracker.importer.preview import preview_import

pytestmark = pytest.mark.browser

PASSWORD = "mat-khau-thu-nghiem-dai"
MARKUP = "**bold** <b>html</b> <script>alert(1)</script>"
EVIL_NAME = "../../evil.pdf"


@dataclass(frozen=True)
class Person:
    username: str
    name: str
    task_id: int
    code: str


@dataclass(frozen=True)
class Seeded:
    app: App
    office: Person
    # One staff member of each of four units, each on one of the unit's open tasks.
    staff: list[Person]
    # Another open task of the first unit, for the user-text test.
    spare: Person


@pytest.fixture(scope="module")
def seeded(serve: Any, new_database: str) -> Seeded:
    """The sample plan, a secretariat account and four units' staff, made through tracker's own functions."""
    engine = open_database(new_database)
    with write_session(engine) as session:
        office = create_first_secretariat(
            session, username="vanphong", display_name="Văn phòng BCĐ", password=PASSWORD
        )
        preview = preview_import(session, data=SAMPLE_PLAN.read_bytes(), file_name=SAMPLE_PLAN.name)
        apply_import(session, preview=preview, by=office, skip_errors=True)
        busiest = session.exec(
            select(Unit.id, Unit.name)
            .join(Task, col(Task.lead_unit_id) == Unit.id)
            .group_by(col(Unit.id))
            .order_by(func.count(col(Task.id)).desc(), col(Unit.id))
            .limit(4)
        ).all()
        staff: list[Person] = []
        spare: Person | None = None
        for number, (unit_id, unit_name) in enumerate(busiest, start=1):
            username = f"canbo{number}"
            accounts.create_user(
                session,
                by=office,
                username=username,
                role=Role.unit,
                password=PASSWORD,
                display_name=f"Cán bộ {unit_name}",
                unit_id=unit_id,
            )
            tasks = session.exec(
                select(Task.id, Task.code).where(Task.lead_unit_id == unit_id).order_by(col(Task.id))
            ).all()
            staff.append(Person(username, f"Cán bộ {unit_name}", int(tasks[0][0]), tasks[0][1]))
            if spare is None:
                spare = Person(username, f"Cán bộ {unit_name}", int(tasks[1][0]), tasks[1][1])
        first = staff[0]
    engine.dispose()
    assert spare is not None
    # The secretariat works on the first unit's task, at the same moment as that unit's staff.
    return Seeded(
        serve(new_database), Person("vanphong", "Văn phòng BCĐ", first.task_id, first.code), staff, spare
    )


def open_task(person: Callable[[], Page], app: App, who: Person) -> Page:
    """WHO signs in from a link to their task and sees its detail page."""
    page = person()
    sign_in(page, f"{app.url}/task?task={who.task_id}", who.username, PASSWORD)
    heading = text("task_heading").format(code=who.code)
    expect(page.get_by_role("heading", name=heading)).to_be_visible(timeout=TIMEOUT)
    settle(page)
    return page


def progress_form(page: Page) -> Locator:
    return form_with(page, text("save_progress"))


def fill_progress(page: Page, progress: int, note: str) -> None:
    form = progress_form(page)
    choose(page, form, text("status"), label(TaskStatus.in_progress))
    form.get_by_role("spinbutton", name=text("progress_pct")).fill(str(progress))
    form.get_by_role("textbox", name=text("note")).fill(note)


def history(app: App, code: str) -> list[dict[str, Any]]:
    entries: list[dict[str, Any]] = app.cli("history", code, "--json")
    return entries


def test_five_people_save_at_once_and_the_late_one_on_a_shared_task_is_refused(
    person: Callable[[], Page], seeded: Seeded
) -> None:
    app = seeded.app
    people = [seeded.staff[0], seeded.office, *seeded.staff[1:]]
    pages = [open_task(person, app, who) for who in people]
    notes = [f"Cập nhật của {who.username}: đã làm phần việc {number}" for number, who in enumerate(people)]
    for number, (page, note) in enumerate(zip(pages, notes, strict=True)):
        fill_progress(page, 10 * (number + 1), note)
    # Everyone has loaded the task and typed; now all save at once.
    for page in pages:
        progress_form(page).get_by_role("button", name=text("save_progress")).click()

    shared = seeded.office.code
    stale = re.compile(rf"Nhiệm vụ {re.escape(shared)} vừa được (.+) cập nhật lúc")
    outcomes: list[str] = []
    for who, page in zip(people, pages, strict=True):
        saved = page.get_by_test_id("stToast").filter(has_text=text("saved_progress").format(code=who.code))
        refused = page.get_by_text(stale)
        expect(saved.or_(refused)).to_be_visible(timeout=TIMEOUT)
        settle(page)
        outcomes.append("refused" if refused.is_visible() else "saved")
    for number, page in enumerate(pages):
        shot(page, f"many/{number + 1}-{people[number].username}-after-save")
    assert sorted(outcomes[:2]) == ["refused", "saved"], outcomes
    assert outcomes[2:] == ["saved"] * 3, outcomes

    loser = outcomes.index("refused")
    winner = 1 - loser
    page = pages[loser]
    message = page.get_by_text(stale)
    match = stale.search(message.inner_text())
    assert match is not None and match.group(1) == people[winner].name
    form = progress_form(page)
    expect(form.get_by_role("textbox", name=text("note"))).to_have_value(notes[loser])
    expect(form.get_by_role("spinbutton", name=text("progress_pct"))).to_have_value(str(10 * (loser + 1)))
    # The page now shows the change that won.
    expect(page.get_by_text(f"tiến độ {10 * (winner + 1)}%")).to_be_visible()

    for number, who in enumerate(people):
        if number == loser:
            continue
        mine = [entry for entry in history(app, who.code) if entry["note"] == notes[number]]
        assert [(entry["status"], entry["progress"], entry["by"]) for entry in mine] == [
            (TaskStatus.in_progress, 10 * (number + 1), who.name)
        ]
    assert not [entry for entry in history(app, shared) if entry["note"] == notes[loser]]

    # Having seen the other change, the refused person saves again, and it is kept too.
    form.get_by_role("button", name=text("save_progress")).click()
    saved = page.get_by_test_id("stToast").filter(has_text=text("saved_progress").format(code=shared))
    expect(saved).to_be_visible(timeout=TIMEOUT)
    settle(page)
    entries = history(app, shared)
    assert [entry["note"] for entry in entries[-2:]] == [notes[winner], notes[loser]]
    for page in pages:
        settle(page)
    assert "Traceback" not in app.log.read_text(encoding="utf-8")


def test_user_text_and_file_names_show_as_typed(person: Callable[[], Page], seeded: Seeded) -> None:
    app, who = seeded.app, seeded.spare
    page = open_task(person, app, who)
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))

    note = f"Ghi chú {MARKUP}"
    fill_progress(page, 25, note)
    progress_form(page).get_by_role("button", name=text("save_progress")).click()
    expect(page.get_by_test_id("stToast").filter(has_text=who.code)).to_be_visible(timeout=TIMEOUT)
    settle(page)

    page.get_by_role("tab", name=text("tab_evidence"), exact=True).click()
    form = form_with(page, text("add_evidence"))
    form.get_by_role("textbox", name=text("evidence_reference")).fill(f"Văn bản {MARKUP}")
    form.locator("input[type=file]").set_input_files(
        files=[{"name": EVIL_NAME, "mimeType": "application/pdf", "buffer": b"%PDF-1.4\n%%EOF\n"}]
    )
    remove = form.get_by_role("button", name=re.compile(r"^Remove .*evil\.pdf$"))
    expect(remove).to_be_visible(timeout=TIMEOUT)
    form.get_by_role("button", name=text("add_evidence")).click()
    expect(page.get_by_test_id("stToast").filter(has_text=who.code)).to_be_visible(timeout=TIMEOUT)
    settle(page)

    for key, shown in (("tab_history", note), ("tab_evidence_list", f"Văn bản {MARKUP}")):
        title = re.compile("^" + re.escape(text(key).split("(")[0]))
        page.get_by_role("tab", name=title).click()
        expect(page.get_by_role("tabpanel", name=title).get_by_text(shown).first).to_be_visible()
    # The name keeps its last part only, shown as text on the download button.
    saved_name = re.escape(text("download_file").split("{")[0]) + r"evil\.pdf \("
    expect(page.get_by_test_id("stDownloadButton")).to_have_text(re.compile(saved_name))
    shot(page, "many/user-text", phone=True)
    # Nothing the user typed became an element: no bold, no <b>, no script, no alert.
    main = page.get_by_test_id("stMain")
    expect(main.locator("strong", has_text=re.compile(r"^bold$"))).to_have_count(0)
    expect(main.locator("b", has_text=re.compile(r"^html$"))).to_have_count(0)
    expect(main.locator("script")).to_have_count(0)
    assert dialogs == []
    # The file is kept in the database under the last part of its name, whatever its name said.
    assert "evil.pdf" in [name for name, _ in app.evidence_files()]
    assert "Traceback" not in app.log.read_text(encoding="utf-8")


def test_a_reload_or_a_new_tab_keeps_the_sign_in_until_sign_out_in_any_tab(
    person: Callable[[], Page], seeded: Seeded
) -> None:
    app, who = seeded.app, seeded.staff[1]
    page = open_task(person, app, who)
    task_heading = page.get_by_role("heading", name=text("task_heading").format(code=who.code))
    page.reload()
    expect(task_heading).to_be_visible(timeout=TIMEOUT)
    settle(page)
    # A link opened in a new tab of the same browser, as from a message.
    tab = page.context.new_page()
    tab.goto(f"{app.url}/overview")
    expect(tab.get_by_role("heading", name=text("page_overview"), exact=True)).to_be_visible(timeout=TIMEOUT)
    settle(tab)
    tab.get_by_role("button", name=text("sign_out")).click()
    expect(tab.get_by_role("button", name=text("sign_in"), exact=True)).to_be_visible(timeout=TIMEOUT)
    # The first tab, still open, is signed out at its next click; a reload does not sign it back in.
    page.get_by_test_id("stSidebarNav").get_by_role("link", name=text("page_overview"), exact=True).click()
    expect(page.get_by_text(text("signed_out_elsewhere"))).to_be_visible(timeout=TIMEOUT)
    page.reload()
    expect(page.get_by_role("button", name=text("sign_in"), exact=True)).to_be_visible(timeout=TIMEOUT)
    settle(page)
    expect(task_heading).to_have_count(0)
