"""The official reminder letter (công văn đôn đốc) in Word, in the layout of Decree 30/2020/NĐ-CP.

The issuing body and "Số: …", the place and date, the subject line, "Kính
gửi", the unit's overdue and due-soon tasks in a table, the request to report
by a date, "Nơi nhận" and the signature block. One letter per unit, or a
letter for each unit with overdue tasks in one file, one letter a page on.
The tasks are tracker.reminders.items.deadline_items: the same as the e-mail.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from io import BytesIO

import pandas as pd
from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt
from sqlmodel import Session, col, select

from models import Unit
from tracker.errors import InvalidValue
from tracker.i18n import day
from tracker.reminders.items import Item, Reason, Scope, deadline_items
from tracker.reminders.mail import deadline_words, timing_words
from tracker.reports.content import DEFAULT_ISSUER, DEFAULT_PARENT_BODY
from tracker.reports.docx import (
    _cell_text,
    _frame,
    _grid,
    _paragraph,
    _setup,
    date_line,
    national_heading,
    recipients,
)

# How long a unit is given to report back, counted from the letter's date.
REPORT_WITHIN_DAYS = 7
SUBJECT_LINE = "V/v đôn đốc thực hiện nhiệm vụ triển khai Nghị quyết số 57-NQ/TW"
NUMBER_LINE = "Số: …../TGV-BCĐ"
PLACE_BLANK = "……"
_HEADINGS = ["STT", "Mã", "Nhiệm vụ", "Kế hoạch", "Thời hạn", "Tình trạng"]
_WIDTHS = [1.0, 1.4, 6.6, 2.3, 2.4, 2.8]
_CENTRED = [True, True, False, True, True, True]


@dataclass(frozen=True)
class Letter:
    unit: str
    as_of: date
    items: tuple[Item, ...]

    @property
    def report_by(self) -> date:
        return self.as_of + timedelta(days=REPORT_WITHIN_DAYS)

    def count(self, reason: Reason) -> int:
        return sum(1 for item in self.items if item.reason == reason)


def unit_letter(session: Session, *, unit: Unit, as_of: date, due_soon_days: int) -> Letter:
    """The letter to UNIT: its overdue and due-soon tasks at AS_OF (InvalidValue when it has none)."""
    items = deadline_items(Scope(session, as_of, due_soon_days, only=unit.id)).get(unit.id or 0, [])
    if not items:
        raise InvalidValue(
            f"Đơn vị '{unit.name}' không có nhiệm vụ quá hạn hay sắp đến hạn tính đến ngày {day(as_of)}: "
            "không cần công văn đôn đốc."
        )
    return Letter(unit.name, as_of, tuple(items))


def overdue_letters(
    session: Session, *, as_of: date, due_soon_days: int, tasks: pd.DataFrame | None = None
) -> list[Letter]:
    """A letter to each unit with an overdue task at AS_OF, units by name (InvalidValue when none has);
    TASKS, when given, the tasks classified at AS_OF already read (tracker.views.queries.classified_tasks)."""
    found = deadline_items(Scope(session, as_of, due_soon_days, tasks=tasks))
    behind = {unit_id for unit_id, items in found.items() if any(i.reason == Reason.overdue for i in items)}
    units = session.exec(select(Unit).where(col(Unit.id).in_(behind)).order_by(col(Unit.name)))
    letters = [Letter(unit.name, as_of, tuple(found[unit.id or 0])) for unit in units]
    if not letters:
        raise InvalidValue(f"Không đơn vị nào có nhiệm vụ quá hạn tính đến ngày {day(as_of)}.")
    return letters


def _title_block(document: DocumentObject, letter: Letter, place: str) -> None:
    left, right = _frame(document, 7.0, 9.5)
    _cell_text(left, DEFAULT_PARENT_BODY, size=12, centre=True)
    for text, size, bold, italic in (
        (DEFAULT_ISSUER, 12.0, True, False),
        (NUMBER_LINE, 13.0, False, False),
        (SUBJECT_LINE, 12.0, False, False),
    ):
        paragraph = left.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.paragraph_format.space_after = Pt(3)
        run = paragraph.add_run(text)
        run.font.size, run.font.bold, run.font.italic = Pt(size), bold, italic
    # Without a province set, the dots leave the place for the clerk to write in.
    national_heading(right, date_line(place or PLACE_BLANK, letter.as_of))


def _opening(letter: Letter) -> str:
    overdue, soon = letter.count(Reason.overdue), letter.count(Reason.due_soon)
    counts = [
        f"{overdue} nhiệm vụ đã quá hạn" if overdue else "",
        f"{soon} nhiệm vụ sắp đến hạn" if soon else "",
    ]
    return (
        f"Theo dõi trên Hệ thống theo dõi nhiệm vụ thực hiện Nghị quyết số 57-NQ/TW, tính đến ngày "
        f"{day(letter.as_of)}, {letter.unit} còn {' và '.join(c for c in counts if c)} "
        "chưa hoàn thành (chi tiết tại bảng dưới đây)."
    )


def _rows(letter: Letter) -> list[list[str]]:
    return [
        [
            str(number),
            item.code,
            item.title,
            item.plan_number,
            deadline_words(item),
            timing_words(item, letter.as_of),
        ]
        for number, item in enumerate(letter.items, start=1)
    ]


def _signature(document: DocumentObject) -> None:
    _paragraph(document, after=12)
    left, right = _frame(document, 8.0, 8.5)
    recipients(left, ("- Như trên;", "- Trưởng Ban Chỉ đạo (để báo cáo);", "- Lưu: VT, TGV."))
    _cell_text(right, f"TM. {DEFAULT_ISSUER}", size=13, bold=True, centre=True)
    sign = right.add_paragraph()
    sign.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = sign.add_run("(Ký, ghi rõ họ tên)")
    run.font.size, run.font.italic = Pt(13), True


def _write_letter(document: DocumentObject, letter: Letter, place: str) -> None:
    _title_block(document, letter, place)
    _paragraph(document, after=6)
    addressee = _paragraph(document, align=WD_ALIGN_PARAGRAPH.CENTER, after=12)
    run = addressee.add_run("Kính gửi: ")
    run.font.size = Pt(14)
    run = addressee.add_run(f"{letter.unit}.")
    run.font.size, run.font.bold = Pt(14), True
    _paragraph(document, _opening(letter), size=14, indent=True, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    _grid(document, _HEADINGS, _rows(letter), _WIDTHS, _CENTRED)
    _paragraph(document, after=0)
    request = (
        f"Tổ giúp việc Ban Chỉ đạo đề nghị {letter.unit} khẩn trương chỉ đạo triển khai các nhiệm vụ "
        "nêu trên, cập nhật tiến độ, minh chứng trên Hệ thống và báo cáo kết quả thực hiện "
        "(đối với nhiệm vụ quá hạn "
        f"nêu rõ nguyên nhân, giải pháp và thời gian hoàn thành) về Tổ giúp việc trước ngày "
        f"{day(letter.report_by)} để tổng hợp, báo cáo Ban Chỉ đạo."
    )
    _paragraph(document, request, size=14, indent=True, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    _paragraph(document, "Trân trọng./.", size=14, indent=True)
    _signature(document)


def write_letters(letters: list[Letter], *, place: str = "") -> bytes:
    """The letters' bytes (.docx), each starting on a new page; PLACE (TRACKER_PROVINCE) opens the
    place-and-date line."""
    document = Document()
    _setup(document)
    document.core_properties.title = SUBJECT_LINE
    for index, letter in enumerate(letters):
        if index:
            document.add_page_break()  # type: ignore[no-untyped-call]
        _write_letter(document, letter, place)
    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue()
