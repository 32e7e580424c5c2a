"""The reminder letter (công văn đôn đốc): one unit's, or one per unit with overdue tasks in one file."""

from __future__ import annotations

from datetime import date, timedelta
from io import BytesIO
from pathlib import Path

import pytest
from docx import Document
from sqlalchemy import Engine

from tests.support.factories import make_plan, make_unit, run_cli
from tests.support.reminders import build_world, task_due
from tracker.clock import today
from tracker.db import read_session
from tracker.errors import InvalidValue
from tracker.reminders.letters import overdue_letters, unit_letter, write_letters
from tracker.reports.docx import date_line


def _paragraphs(data: bytes) -> list[str]:
    return [paragraph.text for paragraph in Document(BytesIO(data)).paragraphs]


def _frame_texts(data: bytes) -> str:
    """The text of the borderless title and signature blocks (tables in Word)."""
    document = Document(BytesIO(data))
    return "\n".join(cell.text for table in document.tables for row in table.rows for cell in row.cells)


def test_a_unit_letter_lists_its_overdue_and_due_soon_tasks(
    engine: Engine,
    database_url: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("TRACKER_PROVINCE", raising=False)
    world = build_world(engine)
    out = tmp_path / "cong-van.docx"
    code, stdout, _ = run_cli(database_url, capsys, "letter", "--unit", "Sở KH&CN", "--out", str(out))
    assert code == 0 and "Đã ghi 1 công văn" in stdout
    data = out.read_bytes()
    paragraphs = _paragraphs(data)
    assert "Kính gửi: Sở Khoa học và Công nghệ." in paragraphs
    assert any("2 nhiệm vụ đã quá hạn và 1 nhiệm vụ sắp đến hạn" in text for text in paragraphs)
    frames = _frame_texts(data)
    for words in (
        "Số: …../TGV-BCĐ",
        "V/v đôn đốc thực hiện nhiệm vụ",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        # No province set: the place is left for the clerk to write in.
        date_line("……", today()),
        "Nơi nhận:",
        "TM. TỔ GIÚP VIỆC",
        "TỔ GIÚP VIỆC",
    ):
        assert words in frames
    document = Document(BytesIO(data))
    grid = next(table for table in document.tables if table.rows[0].cells[0].text == "STT")
    rows = [[cell.text for cell in row.cells] for row in grid.rows[1:]]
    assert [row[1] for row in rows] == ["I.1", "I.2", "I.3"]
    assert rows[0][2] == world.tasks["I.1"].title and rows[0][5] == "quá hạn 20 ngày"
    assert rows[2][5] == "còn 4 ngày"
    report_by = today() + timedelta(days=7)
    assert any(f"trước ngày {report_by:%d/%m/%Y}" in text for text in paragraphs)


def test_one_file_holds_a_letter_for_each_unit_with_overdue_tasks(engine: Engine) -> None:
    build_world(engine)
    plan = make_plan(engine)
    late = make_unit(engine, "Sở Tài chính")
    task_due(engine, plan, late, "I.1", -2)
    with read_session(engine) as session:
        letters = overdue_letters(session, as_of=today(), due_soon_days=7)
    # Sở Nội vụ has nothing overdue: no letter.
    assert [letter.unit for letter in letters] == ["Sở Khoa học và Công nghệ", "Sở Tài chính"]
    paragraphs = _paragraphs(write_letters(letters))
    assert [text for text in paragraphs if text.startswith("Kính gửi:")] == [
        "Kính gửi: Sở Khoa học và Công nghệ.",
        "Kính gửi: Sở Tài chính.",
    ]
    xml = Document(BytesIO(write_letters(letters))).element.xml
    assert xml.count('w:type="page"') == 1


def test_a_unit_with_nothing_due_gets_no_letter(engine: Engine) -> None:
    world = build_world(engine)
    with read_session(engine) as session, pytest.raises(InvalidValue, match="Sở Nội vụ"):
        unit_letter(session, unit=world.units["other"], as_of=today(), due_soon_days=7)


def test_letter_cli_errors_are_one_line(
    database_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run_cli(
        database_url, capsys, "letter", "--unit", "Không có", "--out", str(tmp_path / "x.docx")
    )
    assert code == 1 and err == "Lỗi: Không có đơn vị 'Không có'.\n"
    code, _, err = run_cli(database_url, capsys, "letter", "--all-units", "--out", str(tmp_path / "x.pdf"))
    assert code == 1 and err.startswith("Lỗi: Tệp") and not (tmp_path / "x.pdf").exists()


def test_the_letter_is_dated_at_the_province_and_as_of_the_day_asked(
    engine: Engine,
    database_url: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    build_world(engine)
    monkeypatch.setenv("TRACKER_PROVINCE", "Bình An")
    out = tmp_path / "cong-van.docx"
    earlier = today() - timedelta(days=5)
    asked = ("--unit", "Sở KH&CN", "--out", str(out), "--as-of", earlier.isoformat())
    code, stdout, _ = run_cli(database_url, capsys, "letter", *asked)
    assert code == 0 and f"tính đến ngày {earlier:%d/%m/%Y}" in stdout
    assert date_line("Bình An", earlier) in _frame_texts(out.read_bytes())
    assert "……," not in _frame_texts(out.read_bytes())


def test_the_date_line_pads_days_and_the_first_two_months() -> None:
    assert date_line("Bình An", date(2026, 3, 5)) == "Bình An, ngày 05 tháng 3 năm 2026"
    assert date_line("", date(2026, 1, 15)) == "Ngày 15 tháng 01 năm 2026"
    assert date_line("……", date(2026, 12, 1)) == "……, ngày 01 tháng 12 năm 2026"
