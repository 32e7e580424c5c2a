"""The report as an Excel workbook: summary, per unit, watch lists and the full annex.

Written with XlsxWriter in constant-memory mode: it writes a cell several times
faster than openpyxl, and the annex of a big plan has 300,000 cells (openpyxl
took over 4 s of a 5 s budget). Constant memory streams each row to disk as
soon as the next begins, so rows go in order, and a row's height is set just
before its cells. Most body cells stay plain: the grid on paper comes from
printed gridlines instead of cell borders.

No text becomes a formula: the workbook is opened with every string
conversion off, and text is always written with write_string, so a title
'=HYPERLINK("http://x","y")' stays that text instead of becoming a live link.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from io import BytesIO
from typing import Any

import pandas as pd
from xlsxwriter import Workbook
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

from models import TaskClass
from tracker.i18n import day
from tracker.reports.cells import column_values, xml_text
from tracker.reports.content import SUBJECT, Report
from tracker.reports.tables import Column, Table
from tracker.views.charts import CLASS_TINTS

_BOX = {"border": 1, "border_color": "#808080"}
_HEADER_FILL = "#D9E2F3"
_CLASS_KEYS = {name.value for name in TaskClass}
# Up to this many rows a table gets cell borders; beyond, plain cells and printed gridlines,
# since a formatted cell costs more to write than a plain one.
_BORDERED_ROWS = 2000
_CHARS_PER_WIDTH = 1.1
_LINE_POINTS = 15
# A4 landscape less 0.4-inch margins, and the printed size of one unit of column width
# (LibreOffice's, the widest: its fallback for Calibri is a broad font).
_PRINTABLE_POINTS = 784
_POINTS_PER_WIDTH = 7.0
# Pixels per unit of column width in Calibri 11. Widths are given in pixels because
# XlsxWriter's set_column adds Excel's 5-pixel padding to a width in characters, which
# would widen every column by 0.7 unit and push wide tables past the page.
_PIXELS_PER_WIDTH = 7
_A4 = 9
_EMPTY = object()

# Format properties by name, as the old named styles had them.
_TOP_LEFT = {"valign": "top", "text_wrap": True}
_TOP_CENTRE = {"align": "center", "valign": "top", "text_wrap": True}
_HEADER = {"align": "center", "valign": "vcenter", "text_wrap": True, "bold": True, **_BOX}
_FORMATS: dict[str, dict[str, Any]] = {
    "r_issuer": {"font_size": 12, "bold": True},
    "r_heading": {"font_size": 14, "bold": True},
    "r_subtitle": {"font_size": 12, "italic": True},
    "r_note": {"italic": True, "valign": "top", "text_wrap": True},
    "r_plain": {"valign": "top", **_BOX},
    "r_text": {**_TOP_LEFT, **_BOX},
    "r_bold": {**_TOP_LEFT, "bold": True, **_BOX},
    "r_int": {**_TOP_CENTRE, "num_format": "0", **_BOX},
    "r_date": {**_TOP_CENTRE, "num_format": "DD/MM/YYYY", **_BOX},
    "r_rate": {**_TOP_CENTRE, "num_format": "0.0%", **_BOX},
    "r_header": {**_HEADER, "pattern": 1, "bg_color": _HEADER_FILL},
    **{
        f"r_class_{name.value}": {**_TOP_LEFT, **_BOX, "pattern": 1, "bg_color": CLASS_TINTS[name]}
        for name in TaskClass
    },
    **{
        f"r_header_{name.value}": {**_HEADER, "pattern": 1, "bg_color": CLASS_TINTS[name]}
        for name in TaskClass
    },
}


def _body_style(column: Column, bordered: bool) -> str | None:
    """The format a column's cells need; None leaves them plain (no border: gridlines are printed)."""
    if column.kind in ("date", "rate"):
        return f"r_{column.kind}"
    if column.wrap:
        return "r_text"
    if bordered:
        return "r_int" if column.kind == "int" else "r_plain"
    return None


def _compact(columns: tuple[Column, ...]) -> tuple[Column, ...]:
    """A very large table wraps its widest text column only: each wrapped cell must be formatted."""
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


# Writes one cell: (row, column, value, format).
_CellWriter = Callable[[int, int, Any, Format | None], Any]


class _Writer:
    """Writes one report into one workbook."""

    def __init__(self, report: Report) -> None:
        self.report = report
        self.buffer = BytesIO()
        self.book = Workbook(
            self.buffer,
            {
                "constant_memory": True,
                "in_memory": True,
                "strings_to_formulas": False,
                "strings_to_urls": False,
                "strings_to_numbers": False,
            },
        )
        self.formats = {name: self.book.add_format(properties) for name, properties in _FORMATS.items()}

    def format(self, style: str | None) -> Format | None:
        return None if style is None else self.formats[style]

    def write_value(self, sheet: Worksheet, row: int, col: int, value: object, style: str) -> None:
        """One cell of the summary: text as a string, a number as a number, None as a formatted blank."""
        cell_format = self.formats[style]
        if value is None:
            sheet.write_blank(row, col, None, cell_format)
        elif isinstance(value, str):
            sheet.write_string(row, col, xml_text(value), cell_format)
        else:
            sheet.write_number(row, col, value, cell_format)

    def title_lines(self, heading: str) -> list[tuple[str, str | None]]:
        """The title block above every table: (text, format name) per row."""
        report = self.report
        lines: list[tuple[str, str | None]] = [
            (report.parent_body, None),
            (report.issuer, "r_issuer"),
            (heading.upper(), "r_heading"),
            (SUBJECT, "r_subtitle"),
            (f"Tính đến ngày {day(report.as_of)}", "r_issuer"),
            (report.period_text, None),
            (report.scope, None),
            (f"Kế hoạch: {report.plans_text}" if report.plans else "", None),
        ]
        return [(text, style) for text, style in lines if text]

    def write_title(self, sheet: Worksheet, lines: list[tuple[str, str | None]]) -> None:
        """The title block from the first row; the row under it stays empty."""
        for row, (text, style) in enumerate(lines):
            sheet.write_string(row, 0, xml_text(text), self.format(style))

    def body_column(
        self, sheet: Worksheet, frame: pd.DataFrame, column: Column, bordered: bool
    ) -> tuple[_CellWriter, list[Any], list[Format | None]]:
        """How a column's cells are written, their values and each one's format."""
        values = column_values(frame[column.key], column.kind)
        writers: dict[str, _CellWriter] = {
            "date": sheet.write_datetime,
            "int": sheet.write_number,
            # A number, or the text standing in for it; the workbook never converts strings.
            "rank": sheet.write,
            "rate": sheet.write_number,
        }
        write = writers.get(column.kind, sheet.write_string)
        if column.kind == "class":
            formats = [
                self.formats[f"r_class_{name}" if isinstance(name, str) else "r_text"]
                for name in frame["task_class"]
            ]
        else:
            formats = [self.format(_body_style(column, bordered))] * len(values)
        if not bordered:
            # Unbordered empty cells are left out altogether, as a plain empty cell would be.
            values = [_EMPTY if value is None else value for value in values]
        return write, values, formats

    def table_sheet(self, table: Table) -> None:
        sheet = self.book.add_worksheet(table.sheet)
        title = self.title_lines(table.heading)
        header_row = len(title) + 2
        sheet.freeze_panes(header_row, 0)
        self.start_sheet(sheet, [column.width for column in table.columns])
        self.end_sheet(sheet, header_row, len(table.columns), header_row + len(table.rows))
        bordered = len(table.rows) <= _BORDERED_ROWS
        if not bordered:
            # Gridlines on screen and on paper; by default XlsxWriter shows them on screen only.
            sheet.hide_gridlines(0)
        columns = table.columns if bordered else _compact(table.columns)
        self.write_title(sheet, title)
        sheet.set_row(header_row - 1, _header_height(columns))
        for col, column in enumerate(columns):
            sheet.write_string(header_row - 1, col, column.heading, self.formats[_header_style(column)])
        bodies = [self.body_column(sheet, table.rows, column, bordered) for column in columns]
        heights = _row_heights(table.rows, columns)
        for index, height in enumerate(heights):
            row = header_row + index
            if height > _LINE_POINTS + 3:
                sheet.set_row(row, height)
            for col, (write, values, formats) in enumerate(bodies):
                value = values[index]
                if value is None:
                    sheet.write_blank(row, col, None, formats[index])
                elif value is not _EMPTY:
                    write(row, col, value, formats[index])

    def summary_sheet(self) -> None:
        sheet = self.book.add_worksheet("Tổng hợp")
        self.start_sheet(sheet, [70, 14, 16, 16])
        title = self.title_lines("Báo cáo tổng hợp")
        narrative_row = len(title) + 2
        narrative = self.report.narrative()
        header_row = narrative_row + 2
        lines = self.report.summary_lines()
        previous = f"Kỳ trước ({day(self.report.previous_as_of)})"
        headings = ("Chỉ tiêu", f"Tính đến {day(self.report.as_of)}", previous, "Thay đổi")
        self.end_sheet(sheet, header_row, len(headings), header_row + len(lines))
        self.write_title(sheet, title)
        lines_of_text = len(narrative) // int(70 * _CHARS_PER_WIDTH) + 1
        sheet.set_row(narrative_row - 1, _LINE_POINTS * lines_of_text + 3)
        sheet.write_string(narrative_row - 1, 0, xml_text(narrative), self.formats["r_note"])
        sheet.set_row(header_row - 1, 32)
        for col, text in enumerate(headings):
            sheet.write_string(header_row - 1, col, text, self.formats["r_header"])
        for row, line in enumerate(lines, start=header_row):
            number = "r_rate" if line.is_rate else "r_int"
            self.write_value(sheet, row, 0, line.label, "r_text" if line.indent else "r_bold")
            self.write_value(sheet, row, 1, line.now, number)
            self.write_value(sheet, row, 2, line.before, number)
            self.write_value(sheet, row, 3, line.change_text, "r_int")

    def start_sheet(self, sheet: Worksheet, widths: list[int]) -> None:
        """Column widths and the A4 landscape page."""
        for index, width in enumerate(widths):
            sheet.set_column_pixels(index, index, width * _PIXELS_PER_WIDTH)
        sheet.set_paper(_A4)
        sheet.set_landscape()
        # A fixed scale rather than "fit to one page wide": LibreOffice then breaks pages
        # as if unscaled, leaving half-empty pages.
        sheet.set_print_scale(_print_scale(widths))
        # Header and footer margins keep XlsxWriter's default of 0.3 inch.
        sheet.set_margins(left=0.4, right=0.4, top=0.5, bottom=0.5)
        sheet.center_horizontally()

    def end_sheet(self, sheet: Worksheet, header_row: int, columns: int, last_row: int) -> None:
        """Print the table's columns only (long title lines overflow to the right) and repeat its header."""
        sheet.repeat_rows(header_row - 1)
        sheet.print_area(0, 0, max(last_row, header_row) - 1, columns - 1)

    def workbook_bytes(self) -> bytes:
        self.summary_sheet()
        for table in self.report.tables():
            self.table_sheet(table)
        self.book.set_properties({"title": self.report.title})
        self.book.close()
        return self.buffer.getvalue()


def write_xlsx(report: Report) -> bytes:
    """The workbook's bytes: summary, per unit, overdue, due soon, awaiting, extended, annex."""
    return _Writer(report).workbook_bytes()
