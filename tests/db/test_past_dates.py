"""A province adopting mid-way: a plan issued in March, imported today, progress entered for June.

As of a past date the report counts what had happened by then, as known now; known on a
moment it counts only what had been recorded by then, reproducing a report made at it.
"""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from io import BytesIO

import pandas as pd
import pytest
from docx import Document
from openpyxl import load_workbook
from sqlalchemy import Engine
from sqlmodel import select

from models import HistoryKind, StatusUpdate, Task, TaskClass, TaskStatus
from tests.support.annexes import HEADER as ANNEX_HEADER
from tests.support.annexes import SMALL_TASKS, closing, title_block, xlsx
from tests.support.factories import add_state, run_cli
from tests.support.importing import preview, run_import
from tracker.clock import now, today
from tracker.db import read_session, write_session
from tracker.importer.apply import apply_import
from tracker.importer.preview import preview_import
from tracker.reports.content import Report, build_report
from tracker.reports.docx import write_docx
from tracker.reports.xlsx import write_xlsx
from tracker.tasks.permissions import SYSTEM

ISSUED = date(2025, 3, 10)
# Times are kept to the second (tracker.clock): an entry after a cut-off is at least a second later.
SECOND = timedelta(seconds=1)


def annex_file(issued: str = "ngày 10/3/2025 ") -> bytes:
    numbers = [f"({i})" for i in range(1, len(ANNEX_HEADER) + 1)]
    return xlsx([*title_block("12-KH/UBND", issued), ANNEX_HEADER, numbers, *SMALL_TASKS, *closing()])


def tasks_by_code(engine: Engine) -> dict[str, Task]:
    with read_session(engine) as session:
        return {task.code: task for task in session.exec(select(Task))}


def report(engine: Engine, as_of: date, known_on: datetime | None = None) -> Report:
    with read_session(engine) as session:
        return build_report(session, as_of=as_of, due_soon_days=7, known_on=known_on)


@pytest.fixture
def adopted(engine: Engine) -> dict[str, Task]:
    """The plan imported today; a completion for June and a start for May entered today."""
    run_import(engine, annex_file())
    tasks = tasks_by_code(engine)
    add_state(engine, tasks["I.1"], TaskStatus.completed, date(2025, 6, 20), recorded_at=now())
    add_state(engine, tasks["II.1"], TaskStatus.in_progress, date(2025, 5, 2), recorded_at=now())
    return tasks


def test_tasks_of_a_first_import_belong_to_the_plan_from_its_issue_date(
    engine: Engine, adopted: dict[str, Task]
) -> None:
    with read_session(engine) as session:
        created = session.exec(select(StatusUpdate).where(StatusUpdate.kind == HistoryKind.created)).all()
    assert {row.effective_on for row in created} == {ISSUED}


def test_a_plan_imported_today_with_backdated_entries_is_reported_right_for_past_dates(
    engine: Engine, adopted: dict[str, Task]
) -> None:
    june = report(engine, date(2025, 6, 30))
    assert june.summary.total == 4
    assert june.summary.counts[TaskClass.completed_on_time] == 1
    annex = june.annex.rows.set_index("code")
    assert annex.loc["II.1", "status"] == TaskStatus.in_progress
    april = report(engine, date(2025, 4, 14))
    assert april.summary.total == 4
    assert april.summary.completed == 0
    # The change since the previous period is what happened between the cut-offs, not the import.
    assert june.previous.total == 4
    assert june.summary.completed - june.previous.completed == 1


def test_a_report_before_the_issue_date_is_empty(engine: Engine, adopted: dict[str, Task]) -> None:
    before = report(engine, date(2025, 3, 9))
    assert before.summary.total == 0
    assert before.annex.rows.empty
    assert report(engine, ISSUED).summary.total == 4


def test_known_on_counts_only_what_had_been_recorded(engine: Engine, adopted: dict[str, Task]) -> None:
    yesterday = datetime.combine(today(), datetime.min.time())
    assert report(engine, date(2025, 6, 30), known_on=yesterday).summary.total == 0
    made = report(engine, date(2025, 6, 30))
    cut = now()
    add_state(engine, adopted["I.2"], TaskStatus.completed, date(2025, 6, 25), recorded_at=cut + SECOND)
    assert report(engine, date(2025, 6, 30)).summary.completed == made.summary.completed + 1
    again = report(engine, date(2025, 6, 30), known_on=cut)
    assert again.summary == made.summary
    assert list(again.annex.rows["class_label"]) == list(made.annex.rows["class_label"])


def test_cli_known_on_reproduces_the_json_of_a_report_made_then(
    engine: Engine, database_url: str, adopted: dict[str, Task], capsys: pytest.CaptureFixture[str]
) -> None:
    code, first, _ = run_cli(database_url, capsys, "report", "--as-of", "2025-06-30", "--json")
    assert code == 0
    cut = now()
    add_state(engine, adopted["I.2"], TaskStatus.completed, date(2025, 6, 25), recorded_at=cut + SECOND)
    _, later, _ = run_cli(database_url, capsys, "report", "--as-of", "2025-06-30", "--json")
    _, again, _ = run_cli(
        database_url, capsys, "report", "--as-of", "2025-06-30", "--json", "--known-on", cut.isoformat()
    )
    assert json.loads(later)["counts"] != json.loads(first)["counts"]
    reproduced = json.loads(again)
    assert reproduced.pop("known_on") == cut.isoformat()
    first_json = json.loads(first)
    assert first_json.pop("known_on") is None
    assert reproduced == first_json


def test_a_bad_known_on_is_one_vietnamese_line(
    database_url: str, adopted: dict[str, Task], capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run_cli(
        database_url, capsys, "report", "--as-of", "2025-06-30", "--json", "--known-on", "14/7/2025"
    )
    assert code != 0 and out == ""
    assert err.startswith("Lỗi: Thời điểm ghi nhận '14/7/2025' không hợp lệ") and err.count("\n") == 1


def test_a_plan_with_no_known_date_begins_at_its_import_and_the_import_warns(engine: Engine) -> None:
    data = annex_file(issued="")
    found = preview(engine, data)
    assert any("Không đọc được ngày ban hành" in problem.message for problem in found.warnings)
    assert found.plan_issued_on is None
    run_import(engine, data)
    assert report(engine, date(2025, 6, 30)).summary.total == 0
    assert report(engine, today()).summary.total == 4


def test_the_issue_date_given_on_the_import_page_is_the_one_used(engine: Engine) -> None:
    with write_session(engine) as session:
        found = preview_import(
            session, data=annex_file(issued=""), file_name="phu-luc.xlsx", issued_on=date(2025, 2, 1)
        )
        assert found.plan_issued_on == date(2025, 2, 1)
        assert not any("Không đọc được ngày ban hành" in problem.message for problem in found.warnings)
        apply_import(session, preview=found, by=SYSTEM, skip_errors=False)
    assert report(engine, date(2025, 1, 31)).summary.total == 0
    assert report(engine, date(2025, 2, 1)).summary.total == 4


def test_late_entries_are_listed_per_unit_in_the_report_and_its_json(
    engine: Engine, database_url: str, adopted: dict[str, Task], capsys: pytest.CaptureFixture[str]
) -> None:
    # Recorded on time: within the period of 15/5–14/6 it belongs to.
    add_state(
        engine,
        adopted["I.2"],
        TaskStatus.in_progress,
        date(2025, 6, 2),
        recorded_at=datetime(2025, 6, 14, 17),
    )
    june = report(engine, date(2025, 6, 30))
    late = june.late.rows
    assert list(late["code"]) == ["II.1", "I.1"]
    assert list(late["lead_unit"]) == ["Sở Khoa học và Công nghệ", "Sở Khoa học và Công nghệ"]
    assert late.loc[0, "period_end"] == pd.Timestamp(2025, 5, 14)
    assert late.loc[0, "days_late"] == (today() - date(2025, 5, 14)).days
    units = june.units.rows.set_index("lead_unit")
    assert units.loc["Sở Khoa học và Công nghệ", "late_entries"] == 2
    assert units.loc["Văn phòng UBND tỉnh", "late_entries"] == 0
    _, out, _ = run_cli(database_url, capsys, "report", "--as-of", "2025-06-30", "--json")
    summary = json.loads(out)
    assert [(entry["code"], entry["effective_on"]) for entry in summary["late_entries"]] == [
        ("II.1", "2025-05-02"),
        ("I.1", "2025-06-20"),
    ]
    assert {unit["unit"]: unit["late_entries"] for unit in summary["units"]}["Sở Khoa học và Công nghệ"] == 2


def test_late_entries_appear_as_a_sheet_and_a_section(engine: Engine, adopted: dict[str, Task]) -> None:
    june = report(engine, date(2025, 6, 30))
    book = load_workbook(BytesIO(write_xlsx(june)))
    assert "Báo cáo muộn" in book.sheetnames
    texts = [paragraph.text for paragraph in Document(BytesIO(write_docx(june))).paragraphs]
    assert any("CẬP NHẬT BÁO CÁO MUỘN" in text for text in texts)
    assert "Có 2 cập nhật báo cáo muộn." in texts


def test_only_units_with_a_task_fallen_due_are_ranked(
    engine: Engine, database_url: str, adopted: dict[str, Task], capsys: pytest.CaptureFixture[str]
) -> None:
    # At 14/4/2025 nothing had fallen due but "Quý II/2025"… none: no unit is ranked.
    april = report(engine, date(2025, 4, 14)).units.rows
    assert april["rank"].isna().all()
    assert set(april["rank_text"]) == {"Chưa có nhiệm vụ đến hạn"}
    # At 30/9/2025 I.2 (Tháng 9/2025, Văn phòng UBND tỉnh) is overdue at 0 %: ranked, alone,
    # while the units with nothing fallen due follow unranked.
    _, out, _ = run_cli(database_url, capsys, "report", "--as-of", "2025-10-01", "--json")
    ranks = {unit["unit"]: unit["rank"] for unit in json.loads(out)["units"]}
    assert ranks["Văn phòng UBND tỉnh"] is not None
    assert ranks["Sở Tài chính"] is None
    units = json.loads(out)["units"]
    ranked = [unit["rank"] for unit in units if unit["rank"] is not None]
    assert ranked == list(range(1, len(ranked) + 1))
    assert all(unit["rank"] is None for unit in units[len(ranked) :])
    texts = [
        cell.text
        for table in Document(BytesIO(write_docx(report(engine, date(2025, 4, 14))))).tables
        for row in table.rows
        for cell in row.cells
    ]
    assert "Chưa có nhiệm vụ đến hạn" in texts
