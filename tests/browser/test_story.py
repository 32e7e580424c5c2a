"""The product's story in a real browser, from an empty database to the reports, one screenshot a step.

The secretariat sets the app up with the sample annex and opens accounts; a
unit's staff member reports on the unit's tasks; the secretariat confirms one
completion and returns another; a committee member sees it on the overview and
can change nothing; the secretariat's downloaded reports hold the same numbers
as `python -m tracker report --json`.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from datetime import date
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from openpyxl import load_workbook
from playwright.sync_api import Page, expect
from sqlalchemy import create_engine
from sqlalchemy import text as sql

from models import Role, TaskClass, TaskStatus
from tests.browser.driving import (
    TIMEOUT,
    choose,
    form_with,
    open_page,
    settle,
    shot,
    sidebar_pages,
    sign_in,
    submit_buttons,
    task_card,
    text,
    unfold,
)
from tests.browser.server import App
from tracker.clock import today
from tracker.i18n import label
from tracker.views.classify import CLASSES

pytestmark = pytest.mark.browser

SECRETARIAT = ("vanphong", "Văn phòng BCĐ tỉnh", "mat-khau-van-phong-2026")
STAFF = ("khcn.an", "Nguyễn Văn An", "mat-khau-can-bo-khcn")
COMMITTEE = ("bcd.binh", "Trần Thị Bình", "mat-khau-uy-vien-bcd")
# A one-page PDF, written by hand: the evidence a unit uploads.
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)
PDF_NAME = "bien-ban-nghiem-thu.pdf"
# Buttons that change data: none may reach a committee member (remarks are theirs to make).
WRITE_BUTTONS = (
    "setup_create",
    "save_progress",
    "report_done",
    "request_extension",
    "add_evidence",
    "confirm_done",
    "return_report",
    "set_completed",
    "cancel_task",
    "save_edit",
    "approve_extension",
    "refuse_extension",
    "create_account",
    "save_role",
    "reset_password",
    "deactivate",
    "reactivate",
    "merge",
    "import_commit",
    "bulk_save",
)


def report_json(app: App, as_of: date) -> dict[str, Any]:
    summary: dict[str, Any] = app.cli("report", "--as-of", as_of.isoformat(), "--json")
    return summary


def task_ids(app: App) -> dict[str, int]:
    engine = create_engine(app.database_url)
    try:
        with engine.connect() as connection:
            return {code: task_id for task_id, code in connection.execute(sql("SELECT id, code FROM task"))}
    finally:
        engine.dispose()


def toast(page: Page, message: str) -> None:
    """Wait for the confirmation a save shows, then for the page to settle; a refusal the page
    shows instead fails the step with its own words."""
    done = page.get_by_test_id("stToast").filter(has_text=message)
    refused = page.get_by_test_id("stAlertContentError")
    expect(done.or_(refused).first).to_be_visible(timeout=TIMEOUT)
    assert done.count() or not refused.count(), (
        f"expected '{message}', the page says: {refused.all_inner_texts()}"
    )
    settle(page)


def percent(rate: float | None) -> str:
    """A rate as the overview writes it in Vietnamese: 62,5%; none as a dash."""
    return "—" if rate is None else f"{rate * 100:.1f}".replace(".", ",") + "%"


def tile(page: Page, title: str) -> str:
    metric = page.get_by_test_id("stMetric").filter(
        has=page.get_by_test_id("stMetricLabel").get_by_text(title, exact=True)
    )
    return metric.get_by_test_id("stMetricValue").inner_text().strip()


def rows_by_label(rows: list[list[Any]]) -> dict[str, list[Any]]:
    return {str(row[0]): list(row[1:]) for row in rows if row and row[0] is not None}


def expected_summary(summary: dict[str, Any]) -> dict[str, int]:
    """The summary rows of both report files, by their label, as the JSON counts them."""
    counts = summary["counts"]
    completed = {TaskClass.completed_on_time, TaskClass.completed_late}
    open_classes = {TaskClass.in_progress_on_time, TaskClass.overdue}
    rows = {
        "Tổng số nhiệm vụ": summary["total"],
        label(TaskStatus.reported_done): summary["awaiting_confirmation"],
    }
    for name in CLASSES:
        indent = "– " if name in completed | open_classes else ""
        rows[indent + label(name)] = counts[name.value]
    return rows


def expected_units(summary: dict[str, Any]) -> dict[str, list[int]]:
    return {
        unit["unit"]: [unit["total"], *(unit["counts"][name.value] for name in CLASSES)]
        for unit in summary["units"]
    }


def create_account(page: Page, username: str, name: str, password: str, role: Role, unit: str | None) -> None:
    form = form_with(page, text("create_account"))
    if not form.is_visible():
        page.get_by_text(text("new_account"), exact=True).click()
    form.get_by_label(text("username"), exact=True).fill(username)
    form.get_by_label(text("display_name"), exact=True).fill(name)
    choose(page, form, text("role"), label(role))
    if unit is not None:
        choose(page, form, text("account_unit"), unit)
    form.get_by_label(text("password"), exact=True).fill(password)
    form.get_by_label(text("password_repeat"), exact=True).fill(password)
    form.get_by_role("button", name=text("create_account"), exact=True).click()
    toast(page, text("saved_account_created").format(username=username))


def test_the_story_from_setup_to_reports(person: Callable[[], Page], serve: Any, new_database: str) -> None:
    app: App = serve(new_database)
    day = today()

    # 1. The secretariat creates the first account and loads the sample annex.
    office = person()
    office.goto(app.url)
    expect(office.get_by_role("heading", name=text("setup_title"))).to_be_visible(timeout=TIMEOUT)
    settle(office)
    shot(office, "story/01-setup", phone=True)
    username, name, password = SECRETARIAT
    office.get_by_label(text("username"), exact=True).fill(username)
    office.get_by_label(text("display_name"), exact=True).fill(name)
    office.get_by_label(text("password"), exact=True).fill(password)
    office.get_by_label(text("password_repeat"), exact=True).fill(password)
    expect(office.get_by_role("checkbox", name=text("setup_sample"))).to_be_checked()
    # Without the simulated history, the only changes are the ones this story makes.
    office.get_by_text(text("setup_demo")).click()
    expect(office.get_by_role("checkbox", name=text("setup_demo"))).not_to_be_checked()
    office.get_by_role("button", name=text("setup_create")).click()
    expect(office.get_by_role("heading", name=text("page_overview"), exact=True)).to_be_visible(
        timeout=TIMEOUT
    )
    settle(office)
    shot(office, "story/01-overview-after-setup")
    before = report_json(app, day)
    tasks = app.cli("tasks", "--json")
    assert before["total"] == len(tasks) > 0
    assert office.get_by_test_id("stMetric").count() > 0
    assert tile(office, text("kpi_total")) == str(before["total"])

    # The unit with most tasks; two it can finish within their deadline, and one more.
    unit = Counter(task["lead_unit"] for task in tasks).most_common(1)[0][0]
    unit_tasks = [task for task in tasks if task["lead_unit"] == unit]
    in_time = [
        task["code"] for task in unit_tasks if task["deadline"] and task["deadline"] >= day.isoformat()
    ]
    assert len(in_time) >= 2, "the sample plan needs two tasks of one unit due after today"
    confirmed, returned = in_time[:2]
    updated = next(task["code"] for task in unit_tasks if task["code"] not in (confirmed, returned))

    # 2. It opens an account for the unit's staff member, and one for a committee member.
    open_page(office, "page_admin")
    create_account(office, *STAFF, Role.unit, unit)
    create_account(office, *COMMITTEE, Role.committee, None)
    shot(office, "story/02-accounts")

    # 3. The staff member sees the unit's tasks, updates one and reports two done.
    staff = person()
    sign_in(staff, app.url, STAFF[0], STAFF[2])
    # "Đơn vị của tôi (6)": the unit's page carries the count of what needs its attention.
    listed = sidebar_pages(staff)
    assert re.fullmatch(re.escape(text("page_my_unit")) + r" \(\d+\)", listed[0]), listed
    assert listed[1:] == [
        text(key) for key in ("page_overview", "page_tasks", "page_task", "page_indicators")
    ]
    open_page(staff, "page_my_unit")
    lead_tab = text("tab_my_tasks").format(count=len(unit_tasks))
    expect(staff.get_by_role("tab", name=lead_tab)).to_be_visible()
    lead_panel = staff.get_by_role("tabpanel", name=lead_tab)
    assert sorted(lead_panel.locator("summary strong").all_text_contents()) == sorted(
        task["code"] for task in unit_tasks
    )
    # Tasks the unit only coordinates offer a remark and its own part, nothing that changes the task.
    coordinated = sum(unit in task["coordinating_units"] for task in tasks)
    coordination_tab = text("tab_coordinated").format(count=coordinated)
    staff.get_by_role("tab", name=coordination_tab).click()
    coordination_panel = staff.get_by_role("tabpanel", name=coordination_tab)
    # A card draws its forms once opened.
    for card in coordination_panel.get_by_test_id("stExpander").all():
        unfold(card)
        settle(staff)
    expect(coordination_panel.get_by_test_id("stFormSubmitButton")).to_have_count(2 * coordinated)
    buttons = submit_buttons(coordination_panel)
    assert Counter(buttons) == {text("send_comment"): coordinated, text("save_part"): coordinated}
    staff.get_by_role("tab", name=lead_tab).click()
    shot(staff, "story/03-my-unit", phone=True)

    card = task_card(staff, updated)
    unfold(card)
    form = form_with(card, text("save_progress"))
    choose(staff, form, text("status"), label(TaskStatus.in_progress))
    form.get_by_role("spinbutton", name=text("progress_pct")).fill("40")
    note = "Đã trình dự thảo lần 2, chờ góp ý của các sở."
    form.get_by_role("textbox", name=text("note")).fill(note)
    form.get_by_role("button", name=text("save_progress")).click()
    toast(staff, text("saved_progress").format(code=updated))

    for code, evidence in ((confirmed, PDF), (returned, None)):
        card = task_card(staff, code)
        unfold(card)
        card.get_by_role("tab", name=text("tab_report_done"), exact=True).click()
        form = form_with(card, text("report_done"))
        form.get_by_role("textbox", name=text("note")).fill(f"Đã hoàn thành nhiệm vụ {code}.")
        form.get_by_role("textbox", name=text("evidence_reference")).fill(
            "Quyết định số 45/QĐ-UBND ngày 20/11/2026"
        )
        if evidence is not None:
            form.locator("input[type=file]").set_input_files(
                files=[{"name": PDF_NAME, "mimeType": "application/pdf", "buffer": evidence}]
            )
            # The uploaded file is listed by name (the label shown may be shortened).
            expect(form.get_by_role("button", name=f"Remove {PDF_NAME}")).to_be_visible(timeout=TIMEOUT)
        form.get_by_role("button", name=text("report_done"), exact=True).click()
        toast(staff, text("saved_report_done").format(code=code))
    shot(staff, "story/03-my-unit-reported", phone=True)
    assert (PDF_NAME, PDF) in app.evidence_files()
    history = app.cli("history", updated, "--json")
    assert [(entry["status"], entry["progress"], entry["note"]) for entry in history[-1:]] == [
        (TaskStatus.in_progress, 40, note)
    ]

    # 4. The secretariat confirms one completion and returns the other, saying why.
    open_page(office, "page_queue")
    expect(office.get_by_role("tab", name=text("queue_reports").format(count=2))).to_be_visible()
    shot(office, "story/04-queue", phone=True)
    ids = task_ids(app)
    review = office.get_by_test_id("stForm").filter(
        has=office.locator(f".st-key-review-{ids[confirmed]}-note")
    )
    review.get_by_role("button", name=text("confirm_done")).click()
    toast(office, text("saved_confirmed").format(code=confirmed))
    review = office.get_by_test_id("stForm").filter(
        has=office.locator(f".st-key-review-{ids[returned]}-note")
    )
    reason = "Minh chứng chưa có biên bản nghiệm thu; đề nghị bổ sung."
    review.get_by_role("textbox").fill(reason)
    review.get_by_role("button", name=text("return_report")).click()
    toast(office, text("saved_returned").format(code=returned))
    expect(office.get_by_role("tab", name=text("queue_reports").format(count=0))).to_be_visible()
    shot(office, "story/04-queue-done")
    after = report_json(app, day)
    change = {name: after["counts"][name] - before["counts"][name] for name in before["counts"]}
    assert change == {name.value: 0 for name in CLASSES} | {"completed_on_time": 1, "in_progress_on_time": -1}
    assert after["awaiting_confirmation"] == 0

    # 5. A committee member, following a link to the admin page, lands on the overview.
    committee = person()
    sign_in(committee, f"{app.url}/admin", COMMITTEE[0], COMMITTEE[2])
    expect(committee.get_by_role("heading", name=text("page_admin"))).to_have_count(0)
    allowed = (
        "page_overview",
        "page_tasks",
        "page_task",
        "page_indicators",
        "page_units",
        "page_reports",
        "page_issued",
    )
    assert sidebar_pages(committee) == [text(key) for key in allowed]
    open_page(committee, "page_overview")
    shot(committee, "story/05-overview", phone=True)
    assert tile(committee, text("kpi_total")) == str(after["total"])
    for name in CLASSES:
        assert tile(committee, label(name)) == str(after["counts"][name.value]), name
    assert tile(committee, text("kpi_awaiting")) == str(after["awaiting_confirmation"])
    assert tile(committee, text("kpi_due_soon")) == str(after["due_soon"])
    assert tile(committee, text("kpi_completion_rate")) == percent(after["completion_rate"])
    assert tile(committee, text("kpi_on_time_rate")) == percent(after["on_time_rate"])

    choose(committee, committee, text("drilldown_unit"), unit)
    expect(committee.get_by_role("heading", name=text("unit_tasks_heading").format(unit=unit))).to_be_visible(
        timeout=TIMEOUT
    )
    settle(committee)
    shot(committee, "story/05-drilldown", phone=True)

    forbidden = [text(key).split("{")[0] for key in WRITE_BUTTONS]
    for key in allowed:
        open_page(committee, key)
        if key == "page_task":
            picker = committee.get_by_role("combobox", name=text("pick_task"))
            picker.click()
            picker.fill(confirmed)
            committee.get_by_role("option", name=re.compile(rf"^{re.escape(confirmed)} — ")).click()
            expect(
                committee.get_by_role("heading", name=text("task_heading").format(code=confirmed))
            ).to_be_visible(timeout=TIMEOUT)
            settle(committee)
            shot(committee, "story/05-task", phone=True)
            assert set(submit_buttons(committee)) <= {text("send_comment")}
        buttons = committee.locator("button").all_text_contents()
        assert not [button for button in buttons if any(word in button for word in forbidden)], key
        expect(committee.get_by_test_id("stFileUploader")).to_have_count(0)

    # 6. The secretariat downloads both reports; they hold the numbers of the tracker's own report.
    open_page(office, "page_reports")
    office.get_by_text(text("period_custom"), exact=True).click()
    # A date of the user's choice, today unless changed: the files below say which date they are for.
    expect(office.get_by_role("group", name=text("as_of"))).to_be_visible(timeout=TIMEOUT)
    settle(office)
    shot(office, "story/06-reports", phone=True)
    files: dict[str, bytes] = {}
    for extension, choice in (("xlsx", ".xlsx (Excel)"), ("docx", ".docx (Word)")):
        office.get_by_text(choice, exact=True).click()
        button = office.get_by_role("button", name=text("download_report").format(extension=extension))
        expect(button).to_be_visible(timeout=TIMEOUT)
        settle(office)
        with office.expect_download(timeout=TIMEOUT) as download:
            button.click()
        files[extension] = Path(download.value.path()).read_bytes()
        settle(office)

    book = load_workbook(BytesIO(files["xlsx"]))
    summary_rows = [list(row) for row in book["Tổng hợp"].iter_rows(values_only=True)]
    assert f"Tính đến ngày {day:%d/%m/%Y}" in [row[0] for row in summary_rows]
    summary = rows_by_label(summary_rows)
    for row, value in expected_summary(after).items():
        assert summary[row][0] == value, row
    units = rows_by_label([list(row[1:]) for row in book["Theo đơn vị"].iter_rows(values_only=True)])
    for unit_name, values in expected_units(after).items():
        assert units[unit_name][: len(values)] == values, unit_name

    document = Document(BytesIO(files["docx"]))
    assert f"tính đến ngày {day:%d/%m/%Y}" in "\n".join(paragraph.text for paragraph in document.paragraphs)
    tables = [[[cell.text for cell in row.cells] for row in table.rows] for table in document.tables]
    summary_table = rows_by_label(next(table for table in tables if table[0][0] == "Chỉ tiêu"))
    for row, value in expected_summary(after).items():
        assert summary_table[row][0] == str(value), row
    unit_table = rows_by_label(
        [row[1:] for row in next(table for table in tables if table[0][0] == "Xếp hạng")]
    )
    for unit_name, values in expected_units(after).items():
        assert unit_table[unit_name][: len(values)] == [str(value) for value in values], unit_name

    assert "Traceback" not in app.log.read_text(encoding="utf-8")
