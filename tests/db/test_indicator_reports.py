"""Reports carry the indicators at their cut-off: a "Chỉ tiêu" sheet and a section of the document."""

from __future__ import annotations

from datetime import date, datetime
from io import BytesIO

from docx import Document
from openpyxl import load_workbook
from sqlalchemy import Engine

from models import IndicatorStatus, IndicatorValue, Role, User
from tests.support.annexes import SMALL_TASKS, annex, indicator_annex, task_and_indicator_workbook, xlsx
from tests.support.factories import make_user
from tests.support.importing import run_import
from tracker.clock import today
from tracker.db import read_session, write_session
from tracker.directory.units import find_unit
from tracker.indicators.queries import indicators_at
from tracker.indicators.values import find_indicator, record_value
from tracker.reports.content import Report, build_report
from tracker.reports.docx import write_docx
from tracker.reports.xlsx import write_xlsx


def _record(
    engine: Engine, user: User, code: str, value: float | bool, period: str = "2025"
) -> IndicatorValue:
    with write_session(engine) as session:
        indicator_id = find_indicator(session, code).id
        assert indicator_id is not None
        return record_value(session, by=user, indicator_id=indicator_id, value=value, period=period)


def _report(engine: Engine, **scope: object) -> Report:
    with read_session(engine) as session:
        return build_report(session, as_of=scope.pop("as_of", today()), due_soon_days=7, **scope)  # type: ignore[arg-type]


def test_the_workbook_gets_a_chi_tieu_sheet_with_each_indicator_at_the_cut_off(engine: Engine) -> None:
    run_import(engine, task_and_indicator_workbook())
    office = make_user(engine, Role.secretariat, username="vanphong")
    _record(engine, office, "2030.1", 85)
    _record(engine, office, "2030.5", 9)
    _record(engine, office, "2045.1", False)
    report = _report(engine)
    assert report.indicator_counts == {
        IndicatorStatus.met: 1, IndicatorStatus.in_progress: 2, IndicatorStatus.not_met: 0,
        IndicatorStatus.no_data: 9,
    }  # fmt: skip
    book = load_workbook(BytesIO(write_xlsx(report)))
    assert book.sheetnames[-1] == "Chỉ tiêu"
    sheet = book["Chỉ tiêu"]
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    header = next(index for index, row in enumerate(rows) if row[0] == "STT")
    headings = rows[header]
    assert headings[:4] == ["STT", "Kế hoạch", "Mã", "Chỉ tiêu"]
    body = [dict(zip(headings, row, strict=True)) for row in rows[header + 1 :]]
    assert len(body) == 12
    first = body[0]
    assert (first["Mã"], first["Mục tiêu"], first["Năm mục tiêu"], first["Kết quả mới nhất"]) == (
        "2030.1", "≥ 80", 2030, "85",
    )  # fmt: skip
    assert (first["Tình trạng"], first["Kế hoạch"]) == ("Đạt", "12-KH/UBND")
    assert body[4]["Tình trạng"] == "Đang thực hiện"
    assert body[1]["Tình trạng"] == "Chưa có số liệu"
    words = body[10]
    assert (words["Mã"], words["Kết quả mới nhất"], words["Tình trạng"]) == (
        "2045.1",
        "Chưa đạt",
        "Đang thực hiện",
    )
    # The status cell is tinted with its status's colour.
    status_column = headings.index("Tình trạng") + 1
    fills = {
        sheet.cell(header + 2, status_column).fill.fgColor.rgb,
        sheet.cell(header + 3, status_column).fill.fgColor.rgb,
    }
    assert len(fills) == 2


def test_a_report_for_a_past_date_counts_only_what_was_known_then(engine: Engine) -> None:
    run_import(engine, xlsx(indicator_annex()))
    office = make_user(engine, Role.secretariat, username="vanphong")
    value = _record(engine, office, "2030.1", 85)
    with write_session(engine) as session:
        stored = session.get(IndicatorValue, value.id)
        assert stored is not None
        stored.recorded_at = datetime(2025, 9, 1, 9)
    with read_session(engine) as session:
        before = indicators_at(session, as_of=date(2025, 8, 31))
    assert before[0].actual is None
    report = _report(engine, as_of=date(2025, 8, 31))
    assert report.indicator_counts[IndicatorStatus.no_data] == 12


def test_the_document_gets_an_indicator_section(engine: Engine) -> None:
    run_import(engine, task_and_indicator_workbook())
    office = make_user(engine, Role.secretariat, username="vanphong")
    _record(engine, office, "2030.1", 85)
    _record(engine, office, "2045.1", True)
    document = Document(BytesIO(write_docx(_report(engine))))
    paragraphs = [paragraph.text for paragraph in document.paragraphs]
    heading = next(text for text in paragraphs if "CHỈ TIÊU VÀ KẾT QUẢ THỰC HIỆN" in text)
    assert heading.startswith("IX. ")  # after the units, four task lists, late entries, coordination
    narrative = next(text for text in paragraphs if text.startswith("Tính đến ngày"))
    assert "có 12 chỉ tiêu (đạt 2, chưa có số liệu 10)" in narrative
    table_texts = {cell.text for table in document.tables for row in table.rows for cell in row.cells}
    assert {"2030.1", "≥ 80", "Đạt", "2045.1", "Đạt mức tiên tiến trong khu vực ASEAN"} <= table_texts


def test_a_plan_without_indicators_keeps_its_report_as_before(engine: Engine) -> None:
    run_import(engine, xlsx(annex(SMALL_TASKS)))
    report = _report(engine)
    assert "Chỉ tiêu" not in load_workbook(BytesIO(write_xlsx(report))).sheetnames
    paragraphs = [paragraph.text for paragraph in Document(BytesIO(write_docx(report))).paragraphs]
    assert not any("CHỈ TIÊU VÀ KẾT QUẢ" in text for text in paragraphs)


def test_a_report_scoped_to_a_unit_lists_its_indicators_only(engine: Engine) -> None:
    run_import(engine, task_and_indicator_workbook())
    with read_session(engine) as session:
        unit = find_unit(session, "Công an tỉnh")
        assert unit is not None
    report = _report(engine, unit_id=unit.id)
    assert list(report.indicators.rows["code"]) == ["2030.3"]
