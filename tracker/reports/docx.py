"""The report as a Word document in the administrative layout, ready to print and sign.

A4, Times New Roman 13–14, margins of Decree 30/2020/NĐ-CP; the title block
with the national motto, the summary with its table, per-unit results, the
watch lists and the signature block. Long lists are cut at LIST_LIMIT rows
and refer to the Excel annex, which always holds every task.
"""

from __future__ import annotations

from datetime import date
from io import BytesIO

import pandas as pd
from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt
from docx.table import Table as DocxTable
from docx.table import _Cell
from docx.text.paragraph import Paragraph

from tracker.clock import today
from tracker.i18n import day
from tracker.reports.content import Report
from tracker.reports.issued import SECTIONS, IssueDetails, draft_sections
from tracker.reports.tables import Column, Table
from tracker.reports.wording import rate_text

FONT = "Times New Roman"
# A4 less the margins of Decree 30/2020: 30 mm left, 15 mm right.
PAGE_WIDTH_CM = 16.5
LIST_LIMIT = 200
_ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")
# Sections written after the figures' tables; "Đánh giá chung" opens the report instead.
_CLOSING_SECTIONS = ("shortcomings", "causes", "next_tasks", "proposals")


def _paragraph(
    container: DocumentObject | _Cell,
    text: str = "",
    *,
    size: float = 13,
    bold: bool = False,
    italic: bool = False,
    align: WD_ALIGN_PARAGRAPH | None = None,
    indent: bool = False,
    after: float = 6,
) -> Paragraph:
    paragraph = container.add_paragraph()
    if text:
        run = paragraph.add_run(text)
        run.font.size, run.font.bold, run.font.italic = Pt(size), bold, italic
    paragraph.alignment = align
    paragraph.paragraph_format.space_after = Pt(after)
    paragraph.paragraph_format.space_before = Pt(0)
    if indent:
        paragraph.paragraph_format.first_line_indent = Cm(1)
    return paragraph


def _heading(document: DocumentObject, text: str) -> None:
    heading = _paragraph(document, text, bold=True, after=6)
    heading.paragraph_format.space_before = Pt(12)
    heading.paragraph_format.keep_with_next = True


def _cell_text(cell: _Cell, text: str, *, size: float = 11, bold: bool = False, centre: bool = False) -> None:
    paragraph = cell.paragraphs[0]
    run = paragraph.add_run(text)
    run.font.size, run.font.bold = Pt(size), bold
    paragraph.paragraph_format.space_after = Pt(0)
    if centre:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER


def _repeat_header(table: DocxTable) -> None:
    """Print the header row again at the top of every page the table spans."""
    row_properties = table.rows[0]._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    row_properties.append(header)


def _frame(document: DocumentObject, left: float, right: float) -> tuple[_Cell, _Cell]:
    """Two borderless side-by-side cells of fixed widths (title block, signature block)."""
    table = document.add_table(rows=1, cols=2)
    table.autofit = False
    _no_borders(table)
    _keep_on_one_page(table)
    cells = table.rows[0].cells
    for index, width in enumerate((left, right)):
        table.columns[index].width = cells[index].width = Cm(width)
    return cells[0], cells[1]


def _narrow_margins(table: DocxTable) -> None:
    """0.08 cm inside each cell instead of Word's 0.19: narrow number columns keep whole words."""
    margins = OxmlElement("w:tblCellMar")
    for edge in ("left", "right"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:w"), "45")
        element.set(qn("w:type"), "dxa")
        margins.append(element)
    table._tbl.tblPr.append(margins)


def _keep_on_one_page(table: DocxTable) -> None:
    for row in table.rows:
        row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))


def _no_borders(table: DocxTable) -> None:
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    table._tbl.tblPr.append(borders)


def _widths(columns: tuple[Column, ...], total: float = PAGE_WIDTH_CM) -> list[float]:
    """Centimetres per column: fixed for numbers, dates and short codes; wrapped text shares the rest."""
    fixed = {"int": 1.25, "date": 2.0, "rate": 1.4}
    widths: list[float | None] = []
    for column in columns:
        if column.key in ("stt", "rank"):
            widths.append(1.0)
        elif column.kind in fixed:
            widths.append(fixed[column.kind])
        elif not column.wrap:
            widths.append(column.width * 0.18)
        else:
            widths.append(None)
    rest = total - sum(width for width in widths if width is not None)
    shares = sum(column.width for column, width in zip(columns, widths, strict=True) if width is None)
    return [
        width if width is not None else rest * column.width / shares
        for column, width in zip(columns, widths, strict=True)
    ]


def _grid(
    document: DocumentObject,
    headings: list[str],
    rows: list[list[str]],
    widths: list[float],
    centred: list[bool],
) -> None:
    """A bordered table with fixed column widths; the CENTRED columns' values centred."""
    table = document.add_table(rows=len(rows) + 1, cols=len(headings))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    _narrow_margins(table)
    size = 11 if len(headings) <= 4 else 10
    heading_size = size if len(headings) <= 8 else 9
    for index, width in enumerate(widths):
        table.columns[index].width = Cm(width)
    cells = table._cells
    columns = len(headings)
    for index, heading in enumerate(headings):
        cells[index].width = Cm(widths[index])
        _cell_text(cells[index], heading, size=heading_size, bold=True, centre=True)
    for row_index, values in enumerate(rows, start=1):
        for index, value in enumerate(values):
            cell = cells[row_index * columns + index]
            cell.width = Cm(widths[index])
            _cell_text(cell, value, size=size, centre=centred[index])
    _repeat_header(table)


def _texts(table: Table, columns: tuple[Column, ...]) -> list[list[str]]:
    frame = table.rows.head(LIST_LIMIT)
    out: list[list[str]] = [[] for _ in range(len(frame))]
    for column in columns:
        series = frame[column.key]
        if column.kind == "date":
            values = [day(value) for value in pd.to_datetime(series)]
        elif column.kind == "rate":
            values = [rate_text(value) for value in series]
        elif column.kind == "int":
            values = ["" if pd.isna(value) else str(int(value)) for value in series]
        else:
            values = series.fillna("").astype(str).tolist()
        for row, value in zip(out, values, strict=True):
            row.append(value)
    return out


def _list_section(
    document: DocumentObject, number: int, table: Table, columns: tuple[Column, ...], things: str = "nhiệm vụ"
) -> None:
    _heading(document, f"{_ROMAN[number]}. {table.heading.upper()}")
    total = len(table.rows)
    if total == 0:
        _paragraph(document, f"Không có {things} nào.", indent=True)
        return
    # Kept with the table, so a heading never ends a page with its table on the next.
    _paragraph(document, f"Có {total} {things}.", indent=True).paragraph_format.keep_with_next = True
    if table.note:
        _paragraph(document, table.note, indent=True, italic=True)
    headings = [column.heading for column in columns]
    centred = [not column.wrap for column in columns]
    _grid(document, headings, _texts(table, columns), _widths(columns), centred)
    if total > LIST_LIMIT:
        more = total - LIST_LIMIT
        _paragraph(
            document, f"… và {more} {things} khác (xem danh sách đầy đủ trong Phụ lục Excel).", italic=True
        )


def _indicator_section(document: DocumentObject, report: Report, *, number: int) -> None:
    """The indicators: a sentence of counts by status, then the table without the wider columns."""
    _heading(document, f"{_ROMAN[number]}. {report.indicators.heading.upper()}")
    _paragraph(document, report.indicator_narrative(), indent=True, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    left_out = ("plan_number", "measure_unit", "baseline", "confirmation", "behind")
    columns = tuple(column for column in report.indicators.columns if column.key not in left_out)
    table = report.indicators
    centred = [not column.wrap for column in columns]
    _grid(document, [column.heading for column in columns], _texts(table, columns), _widths(columns), centred)


def date_words(when: date) -> str:
    """ "ngày 05 tháng 3 năm 2026" as Decree 30/2020 writes it.

    The decree pads a day below 10 and the months 1 and 2 with a zero (so no
    one can add a digit later), and no other month.
    """
    month = f"{when.month:02d}" if when.month < 3 else str(when.month)
    return f"ngày {when.day:02d} tháng {month} năm {when.year}"


def date_line(place: str, when: date) -> str:
    """ "Bình An, ngày 05 tháng 12 năm 2026"; without a place, the date alone, capitalised."""
    dated = date_words(when)
    return f"{place}, {dated}" if place else dated.capitalize()


def national_heading(cell: _Cell, date_line: str) -> None:
    """The right of a title block (Decree 30/2020): the country's name, the motto underlined,
    then DATE_LINE (place and date) in italics."""
    _cell_text(cell, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", size=12, bold=True, centre=True)
    motto = cell.add_paragraph()
    motto.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = motto.add_run("Độc lập - Tự do - Hạnh phúc")
    run.font.size, run.font.bold, run.font.underline = Pt(13), True, True
    place = cell.add_paragraph()
    place.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = place.add_run(date_line)
    run.font.size, run.font.italic = Pt(13), True


def _number_line(issue: IssueDetails) -> str:
    # A draft leaves the number for the clerk (văn thư) to write in at issue.
    return f"Số: {issue.number}" if issue.number else "Số:        /BC-TGV"


def _title_block(document: DocumentObject, report: Report, issue: IssueDetails) -> None:
    left, right = _frame(document, 6.5, 10.0)
    _cell_text(left, report.parent_body, size=12, centre=True)
    issuer = left.add_paragraph()
    issuer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = issuer.add_run(report.issuer)
    run.font.size, run.font.bold = Pt(12), True
    number = left.add_paragraph()
    number.alignment = WD_ALIGN_PARAGRAPH.CENTER
    number.add_run(_number_line(issue)).font.size = Pt(13)
    national_heading(right, date_line(issue.place, issue.issued_on))
    _paragraph(document, after=6)
    _paragraph(document, "BÁO CÁO", size=14, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, after=0)
    _paragraph(document, report.title, size=14, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, after=6)
    for line in (report.period_text, report.scope, f"Kế hoạch: {report.plans_text}" if report.plans else ""):
        if line:
            _paragraph(document, line, italic=True, align=WD_ALIGN_PARAGRAPH.CENTER, after=3)
    _paragraph(document, after=6)


def _text_section(document: DocumentObject, text: str) -> None:
    """A section the secretariat wrote: one justified paragraph per line it typed."""
    for line in filter(None, (line.strip() for line in text.splitlines())):
        _paragraph(document, line, indent=True, align=WD_ALIGN_PARAGRAPH.JUSTIFY)


def _summary(document: DocumentObject, report: Report, issue: IssueDetails) -> None:
    _heading(document, "I. KẾT QUẢ CHUNG")
    _text_section(document, issue.sections.get("assessment") or report.narrative())
    document.paragraphs[-1].paragraph_format.keep_with_next = True
    previous = f"Kỳ trước ({day(report.previous_as_of)})"
    rows = [
        [line.label, line.now_text, line.before_text, line.change_text] for line in report.summary_lines()
    ]
    _grid(
        document,
        ["Chỉ tiêu", f"Tính đến {day(report.as_of)}", previous, "Thay đổi"],
        rows,
        [8.9, 2.5, 2.5, 2.6],
        [False, True, True, True],
    )


def recipients(cell: _Cell, lines: tuple[str, ...]) -> None:
    """The "Nơi nhận" list of the signature block, in CELL (a report's or a letter's)."""
    run = cell.paragraphs[0].add_run("Nơi nhận:")
    run.font.size, run.font.bold, run.font.italic = Pt(12), True, True
    for line in lines:
        paragraph = cell.add_paragraph()
        paragraph.paragraph_format.space_after = Pt(0)
        paragraph.add_run(line).font.size = Pt(11)


def _signature(document: DocumentObject, report: Report, issue: IssueDetails) -> None:
    _paragraph(document, after=12)
    left, right = _frame(document, 8.0, 8.5)
    recipients(left, ("- Ban Chỉ đạo (để báo cáo);", "- Các thành viên Ban Chỉ đạo;", "- Lưu: VT."))
    _cell_text(right, f"TM. {report.issuer}", size=13, bold=True, centre=True)
    if issue.signer_position:
        position = right.add_paragraph()
        position.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = position.add_run(issue.signer_position.upper())
        run.font.size, run.font.bold = Pt(13), True
    if not issue.signer_name:
        sign = right.add_paragraph()
        sign.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = sign.add_run("(Ký, ghi rõ họ tên)")
        run.font.size, run.font.italic = Pt(13), True
        return
    # Room for the signature and the seal, then the name.
    name = right.add_paragraph()
    name.alignment = WD_ALIGN_PARAGRAPH.CENTER
    name.paragraph_format.space_before = Pt(60)
    run = name.add_run(issue.signer_name)
    run.font.size, run.font.bold = Pt(13), True


def _setup(document: DocumentObject) -> None:
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin = section.bottom_margin = Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    normal = document.styles["Normal"]
    normal.font.name, normal.font.size = FONT, Pt(13)
    # Word takes the font of non-ASCII text from the East Asian / complex-script slots too.
    fonts = normal.element.rPr.get_or_add_rFonts()
    for slot in ("w:eastAsia", "w:cs"):
        fonts.set(qn(slot), FONT)


def _shown_columns(report: Report, table: Table) -> tuple[Column, ...]:
    """TABLE's columns, without the plan's number when the report covers one plan."""
    if len(report.plans) > 1:
        return table.columns
    return tuple(column for column in table.columns if column.key != "plan_number")


def draft_issue(report: Report, place: str) -> IssueDetails:
    """The heading of a report not yet issued: dated today at PLACE, sections pre-filled, no number."""
    return IssueDetails(
        number="",
        issued_on=today(),
        place=place,
        signer_position="",
        signer_name="",
        sections=draft_sections(report),
    )


def write_docx(report: Report, issue: IssueDetails | None = None, *, place: str = "") -> bytes:
    """The written report's bytes (.docx): as ISSUE gives it, or a draft dated today at PLACE."""
    issue = issue or draft_issue(report, place)
    document = Document()
    _setup(document)
    document.core_properties.title = report.title
    _title_block(document, report, issue)
    _summary(document, report, issue)
    _list_section(document, 1, report.units, report.units.columns, "đơn vị")
    task_lists = (report.overdue, report.due_soon, report.awaiting, report.extended)
    for number, table in enumerate(task_lists, start=2):
        _list_section(document, number, table, _shown_columns(report, table))
    late = report.late
    _list_section(document, len(task_lists) + 2, late, _shown_columns(report, late), "cập nhật báo cáo muộn")
    coordination = report.coordination
    _list_section(document, len(task_lists) + 3, coordination, coordination.columns, "đơn vị phối hợp")
    next_number = len(task_lists) + 4
    if len(report.indicators.rows):
        _indicator_section(document, report, number=next_number)
        next_number += 1
    written = [key for key in _CLOSING_SECTIONS if issue.sections.get(key, "").strip()]
    for number, key in enumerate(written, start=next_number):
        _heading(document, f"{_ROMAN[number]}. {SECTIONS[key].upper()}")
        _text_section(document, issue.sections[key])
    _signature(document, report, issue)
    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue()
