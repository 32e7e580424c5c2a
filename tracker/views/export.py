"""A list of tasks as an Excel workbook: what the task list shows, filtered as the user filtered it.

Written in openpyxl's write-only mode (a 20,000-task list in about a second).
No text becomes a formula: openpyxl turns a string starting with "=" into one,
so every text cell is typed as a string explicitly.
"""

from __future__ import annotations

from copy import copy
from datetime import date
from io import BytesIO
from typing import Any

import pandas as pd
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from tracker.i18n import day
from tracker.reports.cells import column_values, xml_text
from tracker.views.charts import CLASS_TINTS
from tracker.views.rows import task_rows

# Key in tracker.views.rows, heading, width in characters, kind.
_COLUMNS: tuple[tuple[str, str, int, str], ...] = (
    ("plan", "Kế hoạch", 14, "text"),
    ("code", "Mã", 10, "text"),
    ("section", "Phần", 8, "text"),
    ("title", "Nội dung nhiệm vụ", 60, "text"),
    ("lead_unit", "Đơn vị chủ trì", 30, "text"),
    ("coordinating_units", "Đơn vị phối hợp", 32, "text"),
    ("deadline", "Thời hạn", 12, "date"),
    ("deadline_text", "Thời hạn (theo văn bản)", 18, "text"),
    ("task_class", "Kết quả thực hiện", 22, "text"),
    ("status", "Trạng thái", 20, "text"),
    ("progress", "Tiến độ (%)", 10, "int"),
    ("days_overdue", "Số ngày quá hạn", 10, "int"),
    ("completed_on", "Ngày hoàn thành", 12, "date"),
)
_WRAP = Alignment(vertical="top", wrap_text=True)
_HEADER_FILL = PatternFill("solid", fgColor="D9E2F3")
_TINTS = {name: PatternFill("solid", fgColor=colour.lstrip("#")) for name, colour in CLASS_TINTS.items()}


def _cell(sheet: WriteOnlyWorksheet, value: Any, **style: Any) -> WriteOnlyCell:
    text = isinstance(value, str)
    cell = WriteOnlyCell(sheet, value=xml_text(value) if text else value)
    if text:
        cell.data_type = "s"
    for name, setting in style.items():
        setattr(cell, name, setting)
    return cell


class _BodyCells:
    """Body cells at the least cost: a styled cell costs several plain ones, so only what needs it is styled.

    Text is written as plain strings, which openpyxl stores as strings, except
    text starting with "=", which gets a cell typed as a string. Styles are
    resolved once and copied.
    """

    def __init__(self, sheet: WriteOnlyWorksheet) -> None:
        self.sheet = sheet
        self.date_style = _cell(sheet, None, number_format="DD/MM/YYYY")._style
        self.tints = {name: _cell(sheet, None, fill=fill)._style for name, fill in _TINTS.items()}

    def cell(self, value: Any, tint: str | None = None) -> Any:
        if tint in self.tints:
            cell = _cell(self.sheet, value)
            cell._style = copy(self.tints[tint])
            return cell
        if isinstance(value, str):
            return _cell(self.sheet, value) if value.startswith("=") else value
        if isinstance(value, date):
            cell = _cell(self.sheet, value)
            cell._style = copy(self.date_style)
            return cell
        return value


def tasks_xlsx(classified: pd.DataFrame, *, as_of: date, title: str = "Danh sách nhiệm vụ") -> bytes:
    """CLASSIFIED tasks (tracker.views.classify), in their order, as a one-sheet workbook dated AS_OF."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Nhiệm vụ")
    for index, (_, _, width, _) in enumerate(_COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A4"
    sheet.append([_cell(sheet, title, font=Font(size=14, bold=True))])
    sheet.append([_cell(sheet, f"Tính đến ngày {day(as_of)} — {len(classified)} nhiệm vụ")])
    sheet.append(
        [
            _cell(sheet, heading, font=Font(bold=True), fill=_HEADER_FILL, alignment=_WRAP)
            for _, heading, _, _ in _COLUMNS
        ]
    )
    rows = task_rows(classified, "vi")
    body = _BodyCells(sheet)
    classes = classified["task_class"].tolist()
    columns = [column_values(rows[key], kind) for key, _, _, kind in _COLUMNS]
    tinted = [key == "task_class" for key, _, _, _ in _COLUMNS]
    for name, values in zip(classes, zip(*columns, strict=True), strict=True):
        sheet.append(
            [
                body.cell(value, name if is_class else None)
                for value, is_class in zip(values, tinted, strict=True)
            ]
        )
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()
