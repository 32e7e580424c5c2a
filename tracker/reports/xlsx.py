"""The report as an Excel workbook: summary, per unit, watch lists and the full annex.

Written with XlsxWriter, which writes a cell several times faster than openpyxl.
Still, at some 8 µs a cell (checks, a stored tuple, then its XML when the book
closes) the annex of 100,000 tasks, 1.4 million cells, took 10 s of a 5 s
budget. So XlsxWriter writes each sheet's title block and header, and a table's
body is laid out column by column in bulk, in Arrow (_BulkSheet): the same XML
XlsxWriter would write, strings in the same shared-string table, which is itself
written in bulk (_Book). Most body cells of a big
table stay plain: the grid on paper comes from printed gridlines instead of cell
borders.

No text becomes a formula: the workbook is opened with every string
conversion off, and text is always written as text (write_string, or a shared
string in a bulk body), so a title
'=HYPERLINK("http://x","y")' stays that text instead of becoming a live link.
"""

from __future__ import annotations

import threading
import zipfile
from dataclasses import dataclass, replace
from io import BytesIO
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import xlsxwriter.workbook
from xlsxwriter import Workbook
from xlsxwriter.format import Format
from xlsxwriter.packager import Packager
from xlsxwriter.sharedstrings import SharedStrings
from xlsxwriter.utility import _utf16_len, _utf16_truncate, xl_col_to_name
from xlsxwriter.worksheet import Worksheet

from models import IndicatorStatus, TaskClass
from tracker.i18n import day
from tracker.indicators.views import STATUS_TINTS
from tracker.reports.cells import column_values, text_cells, xml_text
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
# Excel counts days from 31 December 1899, and counts 29 February 1900, which never was.
_EXCEL_EPOCH = pd.Timestamp(1899, 12, 31)
_EXCEL_LEAP_DAY = 59
# Rows share their "spans" attribute (first:last column written) by blocks of 16, as XlsxWriter writes it.
_SPAN_ROWS = 16
_SHARED = ' t="s"'
# XlsxWriter cuts a longer text (in UTF-16 units), as Excel holds no more in a cell.
_TEXT_LIMIT = 32767

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
    **{
        f"r_indicator_{name.value}": {**_TOP_LEFT, **_BOX, "pattern": 1, "bg_color": STATUS_TINTS[name]}
        for name in IndicatorStatus
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


def _day_numbers(series: pd.Series) -> pa.Array:
    """Dates as Excel's day numbers, as text; null where there is none."""
    days = (pd.to_datetime(series).dt.normalize() - _EXCEL_EPOCH).dt.days
    days = days + (days > _EXCEL_LEAP_DAY)
    return pc.cast(pa.array(days.astype("Int64")), pa.string())


def _cut(text: str) -> str:
    """TEXT as XlsxWriter keeps it: cut at Excel's limit of a cell."""
    if len(text) <= _TEXT_LIMIT // 2 or _utf16_len(text) <= _TEXT_LIMIT:
        return text
    return str(_utf16_truncate(text, _TEXT_LIMIT))


def _texts(texts: pa.Array) -> pa.Array:
    """Texts (null: an empty cell) as XlsxWriter keeps them, cut at Excel's limit; only a text
    long enough to pass it is looked at one by one."""
    long = np.flatnonzero(np.asarray(pc.fill_null(pc.utf8_length(texts), 0)) > _TEXT_LIMIT // 2)
    if not len(long):
        return texts
    cut = texts.to_pylist()
    for at in long.tolist():
        cut[at] = _cut(cut[at])
    return pa.array(cut, pa.string())


def _joined(*parts: pa.Array | str) -> pa.Array:
    """PARTS (arrays of text, or one text for every row) joined row by row; null where one is."""
    return pc.binary_join_element_wise(*parts, "")


def _header_style(column: Column) -> str:
    return f"r_header_{column.key}" if column.key in _CLASS_KEYS else "r_header"


def _print_scale(widths: list[int]) -> int:
    """The print zoom (%) that fits the columns across an A4 landscape page."""
    return max(10, min(100, int(100 * _PRINTABLE_POINTS / (sum(widths) * _POINTS_PER_WIDTH))))


def _header_height(columns: tuple[Column, ...]) -> float:
    """Tall enough for the longest heading wrapped in its column (about 1.1 characters a unit of width)."""
    lines = max(-(-len(column.heading) // max(1, int(column.width / 1.1))) for column in columns)
    return 15.0 * lines + 4


@dataclass(frozen=True, eq=False)
class _Cells:
    """One column of a table body, as its XML holds it."""

    # Each cell's <v>: a shared-string index or a number, as text; null: a blank cell, or none.
    values: pa.Array
    # Whether each value is a shared string (t="s") rather than a number.
    strings: npt.NDArray[np.bool_]
    # Whether each cell is written at all: a value, or a blank that shows its format's border.
    written: npt.NDArray[np.bool_]
    # The column's formats and which of them each cell has.
    formats: tuple[Format | None, ...]
    codes: npt.NDArray[np.int64]


@dataclass(frozen=True, eq=False)
class _Body:
    """A table's rows below its header, from FIRST_ROW (zero-based), laid out when the book closes."""

    first_row: int
    # Points; a row at the default height has none set.
    heights: npt.NDArray[np.float64]
    columns: list[_Cells]

    def written(self) -> npt.NDArray[np.bool_]:
        """Row by column, whether the cell is written."""
        return np.column_stack([column.written for column in self.columns])


class _BulkSheet(Worksheet):  # type: ignore[misc]  # XlsxWriter has no type hints
    """A worksheet whose body rows are written in bulk, after the rows XlsxWriter holds.

    Overrides XlsxWriter's _write_rows (XlsxWriter is pinned in requirements.txt);
    the rows come out as XlsxWriter's own would, down to the formats' numbering:
    a format is numbered on first use, in the order cells are written.
    """

    dim_rowmax: int | None

    def __init__(self) -> None:
        super().__init__()
        self.body: _Body | None = None

    def set_body(self, body: _Body) -> None:
        written = body.written()
        rows, columns = np.flatnonzero(written.any(axis=1)), np.flatnonzero(written.any(axis=0))
        if len(rows):
            # The sheet's extent, as writing the corner cells would have set it.
            self._check_dimensions(body.first_row + int(rows[0]), int(columns[0]))
            self._check_dimensions(body.first_row + int(rows[-1]), int(columns[-1]))
            self.body = body

    def _write_rows(self) -> None:
        body = self.body
        if body is None:
            super()._write_rows()
            return
        last_row = self.dim_rowmax
        self.dim_rowmax = body.first_row - 1
        super()._write_rows()
        self.dim_rowmax = last_row
        self.fh.write(self._body_xml(body))

    def _body_xml(self, body: _Body) -> str:
        # Laid out column by column in Arrow: a string made per cell in Python cost 1 µs of the
        # 1.4 million cells of an annex on 100,000 tasks.
        written = body.written()
        firsts = [
            (int(found[0]), index, cells.formats[code])
            for index, cells in enumerate(body.columns)
            for code in range(len(cells.formats))
            if len(found := np.flatnonzero(cells.written & (cells.codes == code)))
        ]
        for _, _, cell_format in sorted(firsts, key=lambda first: first[:2]):
            if cell_format is not None:
                cell_format._get_xf_index()
        numbers = pc.cast(pa.array(np.arange(len(body.heights)) + body.first_row + 1), pa.string())
        spans = pa.array(self._spans(body.first_row, written), pa.string())
        rows = _joined('<row r="', numbers, '" spans="', spans, '"', _height_attributes(body.heights), ">")
        cells = [
            _cell_xml(xl_col_to_name(index), numbers, column) for index, column in enumerate(body.columns)
        ]
        # A row with no cell written is left out, as XlsxWriter leaves out a row it holds nothing of.
        shown = pa.array(written.any(axis=1))
        return "".join(pc.filter(_joined(rows, *cells, "</row>"), shown).to_pylist())

    def _spans(self, first_row: int, written: npt.NDArray[np.bool_]) -> list[str]:
        """Each body row's spans: the first and last column written in its block of 16 rows,
        counting the rows above the body in the block (their span XlsxWriter has worked out)."""
        present = pd.Series(np.asarray(written.any(axis=1), dtype=bool))
        first = pd.Series(written.argmax(axis=1)).where(present)
        last = pd.Series(written.shape[1] - 1 - written[:, ::-1].argmax(axis=1)).where(present)
        blocks = pd.Series((first_row + np.arange(len(written))) // _SPAN_ROWS)
        low, high = first.groupby(blocks).min(), last.groupby(blocks).max()
        shared = first_row // _SPAN_ROWS
        above = self.row_spans.get(shared)
        if above is not None:
            start, end = (int(part) - 1 for part in above.split(":"))
            low[shared], high[shared] = np.fmin(low[shared], start), np.fmax(high[shared], end)
        low = low.dropna()
        firsts, lasts = low.astype(int).tolist(), high[low.index].astype(int).tolist()
        texts = {
            block: f"{first + 1}:{last + 1}"
            for block, first, last in zip(low.index.tolist(), firsts, lasts, strict=True)
        }
        return [texts.get(block, "") for block in blocks.tolist()]


def _height_attributes(heights: npt.NDArray[np.float64]) -> pa.Array:
    """Each row's height as set_row stores it: in whole pixels, written back in points; none at
    the default height."""
    pixels = (heights * 4.0 / 3.0 + 0.5).astype(np.int64)
    texts = {value: f' ht="{value * 0.75:.16g}" customHeight="1"' for value in np.unique(pixels).tolist()}
    attributes = [texts[value] for value in pixels.tolist()]
    return pc.if_else(pa.array(heights <= _LINE_POINTS + 3), "", pa.array(attributes, pa.string()))


def _cell_xml(letter: str, numbers: pa.Array, cells: _Cells) -> pa.Array:
    """Each cell's XML in one column ("" where none is written)."""
    # Only the formats some cell has: a format is numbered, and goes in the workbook, once used.
    used = set(np.unique(cells.codes[cells.written]).tolist())
    styles = pa.array(
        [
            "" if cell_format is None or code not in used else f' s="{cell_format._get_xf_index()}"'
            for code, cell_format in enumerate(cells.formats)
        ]
    ).take(pa.array(cells.codes))
    opening = _joined('<c r="', letter, numbers, '"', styles)
    kinds = pc.if_else(pa.array(cells.strings), _SHARED, "")
    filled = _joined(opening, kinds, "><v>", cells.values, "</v></c>")
    xml = pc.if_else(pc.is_null(cells.values), _joined(opening, "/>"), filled)
    return pc.if_else(pa.array(cells.written), xml, "")


# What XlsxWriter's shared strings write apart, besides leading or trailing whitespace (kept by
# an attribute): escapes and control characters (written as _xHHHH_), rich text. In RE2's syntax.
_STRING_CARE = r"_x[0-9a-fA-F]{4}_|[\x00-\x08\x0b-\x1f]|\x{fffe}|\x{ffff}|^<r>"


def _escaped(texts: pa.Array) -> pa.Array:
    """TEXTS escaped as XlsxWriter escapes the data of an element (not its quotes)."""
    for text, escape in (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;")):
        texts = pc.replace_substring(texts, text, escape)
    return texts


class _BulkStrings(SharedStrings):  # type: ignore[misc]  # XlsxWriter has no type hints
    """The shared strings as XlsxWriter writes them, escaped in bulk.

    XlsxWriter runs four regular expressions and two calls on every text: 3.4 s for the 200,000
    texts of a report on 100,000 tasks. A text that none of them would change is escaped here in
    Arrow; any other goes through XlsxWriter's own _write_si.
    """

    def _write_sst_strings(self) -> None:
        texts = self.string_table.string_array
        if not texts:
            return
        array = pa.array(texts, pa.string())
        # Whitespace as Python's regular expressions read it (`\s`), which RE2's differs from.
        ends = np.array([text[:1].isspace() or text[-1:].isspace() for text in texts], dtype=bool)
        care = np.asarray(pc.match_substring_regex(array, _STRING_CARE), dtype=bool) | ends
        plain = _joined("<si><t>", _escaped(array), "</t></si>").to_pylist()
        write = self.fh.write
        for text, xml, apart in zip(texts, plain, care.tolist(), strict=True):
            if apart:
                self._write_si(text)
            else:
                write(xml)


class _BulkPackager(Packager):  # type: ignore[misc]  # XlsxWriter has no type hints
    def _write_shared_strings_file(self) -> None:
        # Packager's own, with the shared strings of _BulkStrings.
        if not self.workbook.str_table.count:
            return
        strings = _BulkStrings()
        strings.string_table = self.workbook.str_table
        strings._set_xml_writer(self._filename("xl/sharedStrings.xml"))
        strings._assemble_xml_file()


class _QuickZipInfo(zipfile.ZipInfo):
    """A zip member deflated at zlib's level 1 (XlsxWriter's ZipInfo leaves the default, 6)."""

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self._compresslevel = 1


# XlsxWriter makes its zip members from the ZipInfo its module imported, with no way to pass a
# level: that name is swapped while a workbook is stored, one workbook at a time.
_ZIP_LOCK = threading.Lock()


class _Book(Workbook):  # type: ignore[misc]  # XlsxWriter has no type hints
    """XlsxWriter's workbook, its shared strings written in bulk and its parts deflated at level 1:
    a report on 100,000 tasks holds 68 MB of XML, which level 6 took 2 s to deflate and level 1
    takes 0.5 s, for a file a quarter bigger (10 MB rather than 8)."""

    def _get_packager(self) -> Packager:
        return _BulkPackager()

    def _store_workbook(self) -> None:
        with _ZIP_LOCK:
            xlsxwriter.workbook.ZipInfo = _QuickZipInfo
            try:
                super()._store_workbook()
            finally:
                xlsxwriter.workbook.ZipInfo = zipfile.ZipInfo


class _Writer:
    """Writes one report into one workbook."""

    def __init__(self, report: Report) -> None:
        self.report = report
        self.buffer = BytesIO()
        self.book = _Book(
            self.buffer,
            {
                "in_memory": True,
                "strings_to_formulas": False,
                "strings_to_urls": False,
                "strings_to_numbers": False,
            },
        )
        self.formats = {name: self.book.add_format(properties) for name, properties in _FORMATS.items()}
        # The title block's lines: each style wrapped at the top of its merged row.
        for style in ("r_issuer", "r_heading", "r_subtitle", "plain"):
            properties = {**_FORMATS.get(style, {}), "text_wrap": True, "valign": "top"}
            self.formats[f"t_{style}"] = self.book.add_format(properties)

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

    def write_title(self, sheet: Worksheet, lines: list[tuple[str, str | None]], widths: list[int]) -> None:
        """The title block from the first row; the row under it stays empty.

        Each line spans the printed columns and wraps within them: a plan's long
        title would otherwise run past the print area and be cut off on paper.
        """
        per_line = max(1, int(sum(widths) * _CHARS_PER_WIDTH))
        last = len(widths) - 1
        for row, (text, style) in enumerate(lines):
            wrapped = len(text) // per_line + 1
            if wrapped > 1:
                size = _FORMATS.get(style or "", {}).get("font_size", 11)
                sheet.set_row(row, (_LINE_POINTS * size / 11) * wrapped + 3)
            cell_format = self.formats[f"t_{style or 'plain'}"]
            if last > 0:
                sheet.merge_range(row, 0, row, last, xml_text(text), cell_format)
            else:
                sheet.write_string(row, 0, xml_text(text), cell_format)

    def body_column(
        self, frame: pd.DataFrame, column: Column, bordered: bool
    ) -> tuple[pa.Array, npt.NDArray[np.bool_], tuple[Format | None, ...], npt.NDArray[np.int64]]:
        """A column's cell values (texts as they are, numbers as their XML has them, null where
        empty), whether each is a text, the column's formats and which one each cell has."""
        series = frame[column.key]
        values: pa.Array
        if column.kind == "date":
            values = _day_numbers(series)
            strings = np.zeros(len(values), dtype=bool)
        elif column.kind == "int":
            numbers = np.trunc(pd.to_numeric(series, errors="coerce").astype("float64"))
            values = pc.cast(pa.array(numbers.astype("Int64")), pa.string())
            strings = np.zeros(len(values), dtype=bool)
        elif column.kind in ("rate", "rank"):
            # Few rows (units, indicators): formatted one by one, as XlsxWriter writes a number.
            cells = column_values(series, column.kind)
            strings = np.array([isinstance(value, str) for value in cells], dtype=bool)
            values = pa.array(
                [
                    None if value is None else _cut(value) if isinstance(value, str) else f"{value:.16G}"
                    for value in cells
                ],
                pa.string(),
            )
        else:
            values = _texts(text_cells(series))
            strings = np.asarray(values.is_valid(), dtype=bool)
        codes: npt.NDArray[np.int64]
        if column.kind == "class":
            names = frame["task_class"].map({name.value: index for index, name in enumerate(TaskClass, 1)})
            styles = ["r_text", *(f"r_class_{name.value}" for name in TaskClass)]
            codes = np.asarray(names.fillna(0), dtype=np.int64)
        elif column.kind == "indicator_status":
            statuses = {name.value: index for index, name in enumerate(IndicatorStatus)}
            styles = [f"r_indicator_{name.value}" for name in IndicatorStatus]
            codes = np.asarray(frame["indicator_status"].map(statuses), dtype=np.int64)
        else:
            style = _body_style(column, bordered)
            styles = [style] if style else []
            codes = np.zeros(len(values), dtype=np.int64)
        formats = tuple(self.formats[style] for style in styles) or (None,)
        return values, strings, formats, codes

    def body(self, frame: pd.DataFrame, columns: tuple[Column, ...], bordered: bool, first_row: int) -> _Body:
        """The rows of FRAME from FIRST_ROW, their texts entered in the shared strings row by row,
        as writing the cells one by one would."""
        prepared = [self.body_column(frame, column, bordered) for column in columns]
        grid = np.empty((len(frame), len(columns)), dtype=object)
        for index, (values, strings, _, _) in enumerate(prepared):
            grid[:, index] = np.where(strings, values.to_numpy(zero_copy_only=False), None)
        codes, uniques = pd.factorize(grid.ravel())
        table = self.book.str_table
        indices = np.array([table._get_shared_string_index(text) for text in uniques] + [-1], dtype=np.int64)
        # Each text once above; every further use counts as writing it would have counted.
        table.count += int((codes >= 0).sum()) - len(uniques)
        shared = indices[codes].reshape(grid.shape)
        cells = []
        for index, (values, strings, formats, format_codes) in enumerate(prepared):
            numbers = pc.cast(pa.array(shared[:, index]), pa.string())
            texts_or_numbers = pc.if_else(pa.array(strings), numbers, values)
            empty = np.asarray(values.is_null(), dtype=bool)
            # A blank cell is written only in a bordered table and with a format to show.
            blank = bordered & np.array([cell_format is not None for cell_format in formats])[format_codes]
            cells.append(_Cells(texts_or_numbers, strings, ~empty | (empty & blank), formats, format_codes))
        return _Body(first_row, np.asarray(_row_heights(frame, columns)), cells)

    def table_sheet(self, table: Table) -> None:
        sheet = self.book.add_worksheet(table.sheet, worksheet_class=_BulkSheet)
        title = self.title_lines(table.heading) + ([(table.note, None)] if table.note else [])
        header_row = len(title) + 2
        sheet.freeze_panes(header_row, 0)
        widths = [column.width for column in table.columns]
        self.start_sheet(sheet, widths)
        self.end_sheet(sheet, header_row, len(table.columns), header_row + len(table.rows))
        bordered = len(table.rows) <= _BORDERED_ROWS
        if not bordered:
            # Gridlines on screen and on paper; by default XlsxWriter shows them on screen only.
            sheet.hide_gridlines(0)
        columns = table.columns if bordered else _compact(table.columns)
        self.write_title(sheet, title, widths)
        sheet.set_row(header_row - 1, _header_height(columns))
        for col, column in enumerate(columns):
            sheet.write_string(header_row - 1, col, column.heading, self.formats[_header_style(column)])
        sheet.set_body(self.body(table.rows, columns, bordered, header_row))

    def summary_sheet(self) -> None:
        sheet = self.book.add_worksheet("Tổng hợp")
        widths = [70, 14, 16, 16]
        self.start_sheet(sheet, widths)
        title = self.title_lines("Báo cáo tổng hợp")
        narrative_row = len(title) + 2
        narrative = self.report.narrative()
        header_row = narrative_row + 2
        lines = self.report.summary_lines()
        previous = f"Kỳ trước ({day(self.report.previous_as_of)})"
        headings = ("Chỉ tiêu", f"Tính đến {day(self.report.as_of)}", previous, "Thay đổi")
        self.end_sheet(sheet, header_row, len(headings), header_row + len(lines))
        self.write_title(sheet, title, widths)
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
        """Print the table's columns only and repeat its header."""
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
    """The workbook's bytes: summary, per unit, overdue, due soon, awaiting, extended, annex, indicators."""
    return _Writer(report).workbook_bytes()
