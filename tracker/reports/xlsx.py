"""The report as an Excel workbook: summary, per unit, watch lists and the full annex.

Written in openpyxl's write-only mode, and most body cells plain: a styled cell
costs about three times a plain one, and the annex of a big plan has 300,000
cells. The grid on paper comes from printed gridlines instead of cell borders.

No text becomes a formula: openpyxl turns any string starting with "=" into
one (a title '=HYPERLINK("http://x","y")' would become a live link), so such
strings are written as cells forced to the string type; every other string
is stored as a string already.
"""

from __future__ import annotations

from copy import copy
from dataclasses import replace
from io import BytesIO
from typing import Any

import pandas as pd
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet.worksheet import Worksheet

from models import TaskClass
from tracker.charts import CLASS_TINTS
from tracker.reports.cells import column_values, xml_text
from tracker.reports.content import SUBJECT, Report
from tracker.reports.tables import Column, Table
from tracker.reports.wording import day_text

_THIN = Side(style="thin", color="808080")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEADER_FILL = "#D9E2F3"
_CLASS_KEYS = {name.value for name in TaskClass}
# Up to this many rows a table gets cell borders; beyond, plain cells and printed gridlines,
# since a styled cell costs about three times a plain one to write.
_BORDERED_ROWS = 2000
_CHARS_PER_WIDTH = 1.1
_LINE_POINTS = 15
# A4 landscape less 0.4-inch margins, and the printed size of one unit of column width
# (LibreOffice's, the widest: its fallback for Calibri is a broad font).
_PRINTABLE_POINTS = 784
_POINTS_PER_WIDTH = 7.0


def _fill(colour: str) -> PatternFill:
    return PatternFill("solid", fgColor=colour.lstrip("#"))


def _named_styles() -> list[NamedStyle]:
    top_left = Alignment(vertical="top", wrap_text=True)
    top_centre = Alignment(horizontal="center", vertical="top", wrap_text=True)
    header = Alignment(horizontal="center", vertical="center", wrap_text=True)
    bold = Font(bold=True)
    styles = [
        NamedStyle("r_issuer", font=Font(size=12, bold=True)),
        NamedStyle("r_heading", font=Font(size=14, bold=True)),
        NamedStyle("r_subtitle", font=Font(size=12, italic=True)),
        NamedStyle("r_line"),
        NamedStyle("r_note", font=Font(italic=True), alignment=Alignment(vertical="top", wrap_text=True)),
        NamedStyle("r_plain", alignment=Alignment(vertical="top"), border=_BOX),
        NamedStyle("r_text", alignment=top_left, border=_BOX),
        NamedStyle("r_bold", alignment=top_left, font=bold, border=_BOX),
        NamedStyle("r_int", alignment=top_centre, number_format="0", border=_BOX),
        NamedStyle("r_date", alignment=top_centre, number_format="DD/MM/YYYY", border=_BOX),
        NamedStyle("r_rate", alignment=top_centre, number_format="0.0%", border=_BOX),
        NamedStyle("r_header", alignment=header, font=bold, border=_BOX, fill=_fill(_HEADER_FILL)),
    ]
    for name in TaskClass:
        fill = _fill(CLASS_TINTS[name])
        styles.append(NamedStyle(f"r_class_{name.value}", alignment=top_left, fill=fill, border=_BOX))
        styles.append(
            NamedStyle(f"r_header_{name.value}", alignment=header, font=bold, border=_BOX, fill=fill)
        )
    return styles


def _body_style(column: Column, bordered: bool) -> str | None:
    """The style a column's cells need; None leaves them plain (no border: gridlines are printed)."""
    if column.kind in ("date", "rate"):
        return f"r_{column.kind}"
    if column.wrap:
        return "r_text"
    if bordered:
        return "r_int" if column.kind == "int" else "r_plain"
    return None


def _compact(columns: tuple[Column, ...]) -> tuple[Column, ...]:
    """A very large table wraps its widest text column only: each wrapped cell must be styled."""
    wrapped = [column for column in columns if column.wrap]
    widest = max(wrapped, key=lambda column: column.width).key if wrapped else ""
    return tuple(replace(column, wrap=column.key == widest) for column in columns)


def _row_heights(frame: pd.DataFrame, columns: tuple[Column, ...]) -> list[float]:
    """Heights in points fitting the longest wrapped cell of each row.

    Set explicitly: neither LibreOffice nor every Excel grows a row for wrapped
    text on opening a file.
    """
    lines = pd.Series(1, index=frame.index)
    for column in columns:
        if column.wrap:
            texts = frame[column.key].fillna("").astype(str)
            per_line = max(1, int(column.width * _CHARS_PER_WIDTH))
            # Capitals are wider: an all-capital text (section titles often are) takes a third more room.
            length = texts.str.len() * (texts == texts.str.upper()).map({True: 1.35, False: 1.0})
            wrapped = (length // per_line + 1 + texts.str.count("\n")).clip(lower=1).astype(int)
            lines = lines.where(lines >= wrapped, wrapped)
    return (lines * _LINE_POINTS + 3).astype(float).tolist()


def _header_style(column: Column) -> str:
    return f"r_header_{column.key}" if column.key in _CLASS_KEYS else "r_header"


def _print_scale(widths: list[int]) -> int:
    """The print zoom (%) that fits the columns across an A4 landscape page."""
    return max(10, min(100, int(100 * _PRINTABLE_POINTS / (sum(widths) * _POINTS_PER_WIDTH))))


def _header_height(columns: tuple[Column, ...]) -> float:
    """Tall enough for the longest heading wrapped in its column (about 1.1 characters a unit of width)."""
    lines = max(-(-len(column.heading) // max(1, int(column.width / 1.1))) for column in columns)
    return 15.0 * lines + 4


class _Writer:
    """Writes one report into one workbook."""

    def __init__(self, report: Report) -> None:
        self.report = report
        self.book = Workbook(write_only=True)
        for style in _named_styles():
            self.book.add_named_style(style)
        # Looking a named style up by name costs more than writing the cell: resolve each once.
        probe = WriteOnlyCell(self.book.create_sheet("probe"))
        self.styles = {}
        for name in self.book.named_styles:
            probe.style = name
            self.styles[name] = copy(probe._style)
        # Cells share these arrays: nothing changes a cell's style after it is made.
        self.book.remove(self.book["probe"])

    def cell(self, sheet: WriteOnlyWorksheet, value: object, style: str | None = None) -> WriteOnlyCell:
        cell = WriteOnlyCell(sheet, value=value)
        if isinstance(value, str):
            cell.data_type = "s"
        if style is not None:
            cell._style = self.styles[style]
        return cell

    def text_cell(self, sheet: WriteOnlyWorksheet, value: str, style: str) -> WriteOnlyCell:
        return self.cell(sheet, xml_text(value), style)

    def title_lines(self, heading: str) -> list[tuple[str, str]]:
        """The title block above every table: (text, style) per row."""
        report = self.report
        lines = [
            (report.parent_body, "r_line"),
            (report.issuer, "r_issuer"),
            (heading.upper(), "r_heading"),
            (SUBJECT, "r_subtitle"),
            (f"Tính đến ngày {day_text(report.as_of)}", "r_issuer"),
            (report.period_text, "r_line"),
            (report.scope, "r_line"),
            (f"Kế hoạch: {report.plans_text}" if report.plans else "", "r_line"),
        ]
        return [(text, style) for text, style in lines if text]

    def write_title(self, sheet: WriteOnlyWorksheet, lines: list[tuple[str, str]]) -> None:
        for text, style in lines:
            sheet.append([self.text_cell(sheet, text, style)])
        sheet.append([])

    def body_cells(
        self, sheet: WriteOnlyWorksheet, frame: pd.DataFrame, column: Column, bordered: bool
    ) -> list[Any]:
        values = column_values(frame[column.key], column.kind)
        if column.kind == "class":
            return [
                self.cell(sheet, value, f"r_class_{name}" if isinstance(name, str) else "r_text")
                for value, name in zip(values, frame["task_class"], strict=True)
            ]
        style = _body_style(column, bordered)
        if bordered and style is not None:
            return [self.cell(sheet, value, style) for value in values]
        if style is not None:
            return [None if value is None else self.cell(sheet, value, style) for value in values]
        return [self.cell(sheet, value) if str(value).startswith("=") else value for value in values]

    def table_sheet(self, table: Table) -> None:
        sheet = self.book.create_sheet(table.sheet)
        title = self.title_lines(table.heading)
        header_row = len(title) + 2
        # Write-only sheets take their views (the frozen header) before the first row.
        sheet.freeze_panes = f"A{header_row + 1}"
        self.start_sheet(sheet, [column.width for column in table.columns])
        self.end_sheet(sheet, header_row, len(table.columns), header_row + len(table.rows))
        bordered = len(table.rows) <= _BORDERED_ROWS
        sheet.print_options.gridLines = not bordered
        columns = table.columns if bordered else _compact(table.columns)
        sheet.row_dimensions[header_row].height = _header_height(columns)
        heights = _row_heights(table.rows, columns)
        for row, height in enumerate(heights, start=header_row + 1):
            if height > _LINE_POINTS + 3:
                sheet.row_dimensions[row].height = height
        self.write_title(sheet, title)
        sheet.append([self.cell(sheet, column.heading, _header_style(column)) for column in columns])
        bodies = [self.body_cells(sheet, table.rows, column, bordered) for column in columns]
        for cells in zip(*bodies, strict=True):
            sheet.append(cells)

    def summary_sheet(self) -> None:
        sheet = self.book.create_sheet("Tổng hợp")
        self.start_sheet(sheet, [70, 14, 16, 16])
        title = self.title_lines("Báo cáo tổng hợp")
        narrative_row = len(title) + 2
        narrative = self.report.narrative()
        lines_of_text = len(narrative) // int(70 * _CHARS_PER_WIDTH) + 1
        sheet.row_dimensions[narrative_row].height = _LINE_POINTS * lines_of_text + 3
        self.write_title(sheet, title)
        sheet.append([self.cell(sheet, narrative, "r_note")])
        sheet.append([])
        header_row = narrative_row + 2
        previous = f"Kỳ trước ({day_text(self.report.previous_as_of)})"
        headings = ("Chỉ tiêu", f"Tính đến {day_text(self.report.as_of)}", previous, "Thay đổi")
        sheet.row_dimensions[header_row].height = 32
        sheet.append([self.cell(sheet, text, "r_header") for text in headings])
        lines = self.report.summary_lines()
        for line in lines:
            number = "r_rate" if line.is_rate else "r_int"
            sheet.append(
                [
                    self.cell(sheet, line.label, "r_text" if line.indent else "r_bold"),
                    self.cell(sheet, line.now, number),
                    self.cell(sheet, line.before, number),
                    self.cell(sheet, line.change_text, "r_int"),
                ]
            )
        self.end_sheet(sheet, header_row, len(headings), header_row + len(lines))

    def start_sheet(self, sheet: WriteOnlyWorksheet, widths: list[int]) -> None:
        """Column widths and the A4 landscape page; write-only sheets need them before any row."""
        for index, width in enumerate(widths, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = width
        sheet.page_setup.paperSize = Worksheet.PAPERSIZE_A4
        sheet.page_setup.orientation = Worksheet.ORIENTATION_LANDSCAPE
        # A fixed scale rather than "fit to one page wide": LibreOffice then breaks pages
        # as if unscaled, leaving half-empty pages.
        sheet.page_setup.scale = _print_scale(widths)
        sheet.page_margins.left = sheet.page_margins.right = 0.4
        sheet.page_margins.top = sheet.page_margins.bottom = 0.5
        sheet.page_margins.header = sheet.page_margins.footer = 0.3
        sheet.print_options.horizontalCentered = True

    def end_sheet(self, sheet: WriteOnlyWorksheet, header_row: int, columns: int, last_row: int) -> None:
        """Print the table's columns only (long title lines overflow to the right) and repeat its header."""
        sheet.print_title_rows = f"{header_row}:{header_row}"
        sheet.print_area = f"A1:{get_column_letter(columns)}{max(last_row, header_row)}"

    def workbook_bytes(self) -> bytes:
        self.summary_sheet()
        for table in self.report.tables():
            self.table_sheet(table)
        self.book.properties.title = self.report.title
        buffer = BytesIO()
        self.book.save(buffer)
        return buffer.getvalue()


def write_xlsx(report: Report) -> bytes:
    """The workbook's bytes: summary, per unit, overdue, due soon, awaiting, extended, annex."""
    return _Writer(report).workbook_bytes()
