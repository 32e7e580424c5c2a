"""Reports as of a date: content, the Excel workbook and the Word document."""

from __future__ import annotations

from datetime import date, datetime
from io import BytesIO

import pytest
from docx import Document
from openpyxl import load_workbook
from sqlalchemy import Engine

from models import Role, TaskClass, TaskStatus
from tests.support.factories import add_state, make_user
from tests.support.scenarios import AS_OF, FORMULA_TITLE, NOTE_FROM_B, Scenario
from tracker.db import read_session
from tracker.errors import NotFound
from tracker.reports.content import Report, build_report
from tracker.reports.docx import write_docx
from tracker.reports.xlsx import write_xlsx


def report_at(engine: Engine, as_of: date = AS_OF, **scope: object) -> Report:
    with read_session(engine) as session:
        return build_report(session, as_of=as_of, due_soon_days=7, period_kind="month", **scope)  # type: ignore[arg-type]


def test_report_counts_every_class_at_the_date(engine: Engine, scenario: Scenario) -> None:
    report = report_at(engine)
    counts = report.summary.counts
    assert report.summary.total == 8
    assert counts[TaskClass.completed_on_time] == counts[TaskClass.completed_late] == 1
    assert counts[TaskClass.in_progress_on_time] == 3
    assert counts[TaskClass.overdue] == 2
    assert counts[TaskClass.recurring] == 1
    assert (report.summary.cancelled, report.summary.due_soon, report.summary.awaiting_confirmation) == (
        1,
        2,
        1,
    )
    assert report.summary.completion_rate == pytest.approx(0.5)
    assert report.summary.on_time_rate == pytest.approx(0.25)


def test_report_compares_with_the_previous_cutoff_of_its_period(engine: Engine, scenario: Scenario) -> None:
    report = report_at(engine)
    assert report.previous_as_of == date(2025, 6, 14)
    assert report.previous.counts[TaskClass.overdue] == 1
    assert report.period is not None and report.period.label_vi == "Tháng 7/2025"
    assert "số nhiệm vụ quá hạn tăng 01" in report.narrative()


def test_overdue_list_names_plan_code_days_and_the_units_last_note(
    engine: Engine, scenario: Scenario
) -> None:
    rows = report_at(engine).overdue.rows
    assert list(zip(rows["plan_number"], rows["code"], rows["days_overdue"], strict=True)) == [
        ("12-KH/UBND", "I.1", 29),
        ("45-KH/TU", "I.3", 15),
    ]
    assert list(rows["last_note"]) == ["", NOTE_FROM_B]


def test_a_later_note_by_a_unit_that_does_not_lead_the_task_is_not_the_units_last_note(
    engine: Engine, scenario: Scenario
) -> None:
    # Unit A leads other tasks, not I.3: its note there is no word from the lead unit.
    outsider = make_user(engine, Role.unit, scenario.unit_a)
    add_state(
        engine,
        scenario.tasks["I.3"],
        TaskStatus.in_progress,
        date(2025, 6, 20),
        user=outsider,
        note="Ý kiến khác",
    )
    rows = report_at(engine).overdue.rows
    assert list(rows["last_note"]) == ["", NOTE_FROM_B]


def test_an_entry_made_later_counts_as_of_its_day_and_known_on_the_first_report_it_does_not(
    engine: Engine, scenario: Scenario
) -> None:
    made_at = datetime(2025, 7, 4, 9)
    before = report_at(engine)
    add_state(
        engine,
        scenario.tasks["I.3"],
        TaskStatus.completed,
        date(2025, 6, 28),
        recorded_at=datetime(2025, 7, 10, 9),
    )
    as_known_now = report_at(engine)
    assert as_known_now.summary.counts[TaskClass.completed_late] == 2
    assert as_known_now.summary.counts[TaskClass.overdue] == before.summary.counts[TaskClass.overdue] - 1
    reproduced = report_at(engine, known_on=made_at)
    assert reproduced.summary == before.summary
    assert list(reproduced.annex.rows["class_label"]) == list(before.annex.rows["class_label"])
    assert reproduced.known_on == made_at


def test_plans_with_the_same_code_stay_apart(engine: Engine, scenario: Scenario) -> None:
    everything = report_at(engine)
    annex = everything.annex.rows.set_index(["plan_number", "code"])
    assert annex.loc[("45-KH/TU", "I.1"), "task_class"] == TaskClass.completed_on_time
    assert annex.loc[("12-KH/UBND", "I.1"), "task_class"] == TaskClass.overdue
    first_only = report_at(engine, plan_ids=[scenario.first.id])
    assert first_only.summary.total == 7
    assert list(first_only.overdue.rows["code"]) == ["I.3"]
    assert [plan.number for plan in first_only.plans] == ["45-KH/TU"]


def test_report_scoped_to_a_unit_or_a_section(engine: Engine, scenario: Scenario) -> None:
    unit = report_at(engine, unit_id=scenario.unit_b.id)
    assert unit.summary.total == 4
    assert unit.scope == "Đơn vị chủ trì: Sở Nội vụ"
    assert list(unit.units.rows["lead_unit"]) == ["Sở Nội vụ"]
    section = report_at(engine, section_code="II", plan_ids=[scenario.first.id])
    assert section.summary.total == 4
    assert section.scope == "Mục II. Chuyển đổi số"
    with pytest.raises(NotFound, match="'IX'"):
        report_at(engine, section_code="IX")


def test_units_are_ranked_by_on_time_rate(engine: Engine, scenario: Scenario) -> None:
    units = report_at(engine).units.rows
    assert list(units["lead_unit"]) == ["Sở Khoa học và Công nghệ", "Sở Nội vụ"]
    assert list(units["total"]) == [4, 4]
    assert list(units["overdue"]) == [0, 2]


def sheet_rows(data: bytes, sheet: str) -> list[tuple[object, ...]]:
    book = load_workbook(BytesIO(data))
    return [row for row in book[sheet].iter_rows(values_only=True) if any(value is not None for value in row)]


def test_xlsx_holds_the_counts_units_overdue_list_and_as_of_date(engine: Engine, scenario: Scenario) -> None:
    data = write_xlsx(report_at(engine))
    book = load_workbook(BytesIO(data))
    assert book.sheetnames == [
        "Tổng hợp",
        "Theo đơn vị",
        "Quá hạn",
        "Sắp đến hạn",
        "Chờ xác nhận",
        "Được gia hạn",
        "Báo cáo muộn",
        "Phối hợp",
        "Phụ lục",
    ]
    summary = {row[0]: row[1:] for row in sheet_rows(data, "Tổng hợp")}
    assert any(str(key) == "Tính đến ngày 30/06/2025" for key in summary)
    assert summary["Tổng số nhiệm vụ"] == (8, 8, "0")
    assert summary["– Quá hạn, chưa hoàn thành"] == (2, 1, "+1")
    assert summary["Tỷ lệ hoàn thành (trên số nhiệm vụ đã đến hạn)"][0] == pytest.approx(0.5)
    units = sheet_rows(data, "Theo đơn vị")
    header = units.index(next(row for row in units if row[0] == "Xếp hạng"))
    assert [(row[0], row[1], row[2]) for row in units[header + 1 :]] == [
        (1, "Sở Khoa học và Công nghệ", 4),
        (2, "Sở Nội vụ", 4),
    ]
    overdue = sheet_rows(data, "Quá hạn")
    start = overdue.index(next(row for row in overdue if row[0] == "STT"))
    assert [(row[1], row[2]) for row in overdue[start + 1 :]] == [("12-KH/UBND", "I.1"), ("45-KH/TU", "I.3")]
    assert overdue[start + 1][5] == datetime(2025, 6, 1)


def test_xlsx_writes_no_formula_and_real_dates(engine: Engine, scenario: Scenario) -> None:
    book = load_workbook(BytesIO(write_xlsx(report_at(engine))))
    cells = [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]
    assert not [cell.coordinate for cell in cells if cell.data_type == "f"]
    titles = [cell for cell in cells if cell.value == FORMULA_TITLE]
    assert titles and all(cell.data_type == "s" for cell in titles)
    annex = book["Phụ lục"]
    dates = [cell for cell in annex["H"] if isinstance(cell.value, datetime)]
    assert len(dates) == 8
    assert all(cell.number_format == "DD/MM/YYYY" for cell in dates)
    assert annex.freeze_panes is not None
    assert annex.page_setup.orientation == "landscape"
    assert annex.print_title_rows


def docx_text(data: bytes) -> tuple[str, list[list[list[str]]]]:
    document = Document(BytesIO(data))
    text = "\n".join(paragraph.text for paragraph in document.paragraphs)
    tables = [[[cell.text for cell in row.cells] for row in table.rows] for table in document.tables]
    return text, tables


def test_docx_has_the_layout_counts_units_and_overdue_list(engine: Engine, scenario: Scenario) -> None:
    text, tables = docx_text(write_docx(report_at(engine)))
    title_block = tables[0][0]
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in title_block[1]
    assert "Độc lập - Tự do - Hạnh phúc" in title_block[1]
    assert "BÁO CÁO" in text
    assert "tính đến ngày 30/06/2025" in text
    assert "tổng số nhiệm vụ được giao là 8" in text
    summary = {row[0]: row[1:] for row in tables[1]}
    assert summary["Tổng số nhiệm vụ"] == ["8", "8", "0"]
    assert summary["Tỷ lệ hoàn thành (trên số nhiệm vụ đã đến hạn)"][0] == "50,0%"
    units = tables[2]
    assert [row[1] for row in units[1:]] == ["Sở Khoa học và Công nghệ", "Sở Nội vụ"]
    overdue = tables[3]
    assert [row[2] for row in overdue[1:]] == ["I.1", "I.3"]
    assert overdue[2][-1] == NOTE_FROM_B
    assert "TM. TỔ GIÚP VIỆC" in tables[-1][0][1]
    document = Document(BytesIO(write_docx(report_at(engine))))
    assert document.styles["Normal"].font.name == "Times New Roman"
    assert round(document.sections[0].page_width.mm) == 210


def test_very_large_tables_print_gridlines_and_wrap_only_the_title(
    engine: Engine, scenario: Scenario, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("tracker.reports.xlsx._BORDERED_ROWS", 3)
    book = load_workbook(BytesIO(write_xlsx(report_at(engine))))
    annex, units = book["Phụ lục"], book["Theo đơn vị"]
    assert annex.print_options.gridLines and not units.print_options.gridLines
    first = next(row for row in annex.iter_rows() if row[0].value == 1)
    assert first[4].alignment.wrap_text and not first[5].alignment.wrap_text
    assert first[4].value == "Ban hành quy chế chuyển đổi số"
    assert not [cell for row in annex.iter_rows() for cell in row if cell.data_type == "f"]


def test_docx_lists_are_cut_with_a_pointer_to_the_excel_annex(
    engine: Engine, scenario: Scenario, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("tracker.reports.docx.LIST_LIMIT", 1)
    text, tables = docx_text(write_docx(report_at(engine)))
    assert len(tables[3]) == 2
    assert "… và 1 nhiệm vụ khác (xem danh sách đầy đủ trong Phụ lục Excel)." in text
