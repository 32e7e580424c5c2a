"""What a file contains: bytes → sheets of cell values with their merged ranges.

.xlsx and .xls go through python-calamine (fast, and it reports merged
ranges), after the guards in `guards`; .csv is decoded (UTF-8 with or without
BOM, UTF-16, else Windows-1258 → NFC) and its delimiter sniffed. A text cell
stays the text it is: nothing here evaluates formulas.
"""

from __future__ import annotations

import csv
import io
import posixpath
import unicodedata
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from pathlib import PurePath
from typing import cast

from defusedxml import ElementTree
from python_calamine import CalamineError, CalamineWorkbook, PasswordError, SheetVisibleEnum

from tracker.errors import ImportFileError
from tracker.i18n import number
from tracker.importer.guards import MAX_CELLS, SheetScan, check_archive, check_size, scan_entries
from tracker.textfold import clean

MAX_ROWS = 200_000
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP = (b"PK\x03\x04", b"PK\x05\x06")
_ENCRYPTED = "EncryptedPackage".encode("utf-16-le")
_NS = {
    "main": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "rel": "http://schemas.openxmlformats.org/package/2006/relationships",
}
_REL_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_PASSWORD = (
    "Tệp được đặt mật khẩu nên không đọc được: hãy mở bằng Excel, gỡ mật khẩu "
    "(Tệp › Thông tin › Bảo vệ sổ làm việc) rồi nhập lại."
)

Merge = tuple[int, int, int, int]  # first row, first column, last row, last column (0-based)


@dataclass
class Grid:
    """One sheet: rows[0] is the sheet's row 1; cells are str, numbers, bools or dates."""

    name: str
    rows: list[list[object]]
    merged: list[Merge] = field(default_factory=list)


@dataclass
class Workbook:
    file_name: str
    sheets: list[str]
    hidden: list[str]
    _grids: dict[str, Grid] = field(default_factory=dict)
    _calamine: CalamineWorkbook | None = None
    _scans: dict[str, SheetScan] = field(default_factory=dict)

    def grid(self, name: str) -> Grid:
        if name not in self._grids:
            self._grids[name] = self._read_sheet(name)
        return self._grids[name]

    def _read_sheet(self, name: str) -> Grid:
        if self._calamine is None or name not in self.sheets + self.hidden:
            raise ImportFileError(f"Tệp không có trang '{name}'. Các trang: {', '.join(self.sheets)}.")
        scan = self._scans.get(name)
        if scan is not None:
            _check_extent(name, scan)
        try:
            sheet = self._calamine.get_sheet_by_name(name)
            rows = cast(list[list[object]], sheet.to_python(skip_empty_area=False))
            ranges = sheet.merged_cell_ranges or []
        except CalamineError as error:
            raise ImportFileError(f"Không đọc được trang '{name}': {error}.") from None
        if scan is None:
            _check_extent(name, SheetScan(rows=len(rows), columns=max(map(len, rows), default=0)))
        for (row, column), code in (scan.errors if scan else {}).items():
            if row < len(rows) and column < len(rows[row]):
                rows[row][column] = code
        merged = [(first[0], first[1], last[0], last[1]) for first, last in ranges]
        return Grid(name=name, rows=rows, merged=merged)


# Unit names, deadlines and products repeat down an annex: convert each value once. Typed, so
# that True, 1 and 1.0 stay apart.
@lru_cache(maxsize=65_536, typed=True)
def cell_text(value: object) -> str:
    """A cell as text: whole numbers without ".0", dates as day/month/year, text cleaned."""
    if isinstance(value, str):
        return clean(value)
    if isinstance(value, datetime | date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return clean(value)


def _check_extent(name: str, scan: SheetScan) -> None:
    if scan.rows > MAX_ROWS or scan.cells > MAX_CELLS:
        raise ImportFileError(
            f"Trang '{name}' có vùng dữ liệu quá lớn ({number(scan.rows)} dòng × "
            f"{number(scan.columns)} cột): hãy xóa các ô thừa ở xa bảng rồi nhập lại."
        )


def read_workbook(data: bytes, file_name: str) -> Workbook:
    """The sheets of a file, or ImportFileError saying in plain words why it cannot be read."""
    check_size(len(data))
    if data.startswith(_ZIP):
        return _read_xlsx(data, file_name)
    if data.startswith(_OLE):
        return _read_ole(data, file_name)
    suffix = PurePath(file_name).suffix.lower()
    if suffix in (".csv", ".txt"):
        return _read_csv(data, file_name)
    if suffix in (".xlsx", ".xlsm", ".xls"):
        raise ImportFileError(f"Tệp '{file_name}' không phải bảng tính Excel hợp lệ (hỏng hoặc bị đổi đuôi).")
    raise ImportFileError(f"Tệp '{file_name}' không phải bảng tính: chỉ nhận tệp .xlsx, .xls hoặc .csv.")


def _read_xlsx(data: bytes, file_name: str) -> Workbook:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, EOFError, ValueError):
        raise ImportFileError(f"Tệp '{file_name}' bị hỏng hoặc không trọn vẹn: không mở được.") from None
    with archive:
        check_archive(archive)
        names = set(archive.namelist())
        if "xl/workbook.xml" not in names:
            raise ImportFileError(f"Tệp '{file_name}' là tệp nén nhưng không phải bảng tính Excel (.xlsx).")
        by_path = scan_entries(archive, {name for name in names if name.startswith("xl/worksheets/")})
        paths = _sheet_paths(archive)
    workbook = _open_calamine(data, file_name)
    scans = {name: by_path[path] for name, path in paths.items() if path in by_path}
    return _workbook(file_name, workbook, scans)


def _sheet_paths(archive: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name → its XML entry, from the workbook and its relationships."""
    try:
        book = ElementTree.fromstring(archive.read("xl/workbook.xml"))
        rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    except (KeyError, ElementTree.ParseError):
        raise ImportFileError("Tệp Excel bị hỏng: thiếu hoặc sai danh mục trang tính.") from None
    targets = {rel.get("Id"): rel.get("Target", "") for rel in rels.iterfind("rel:Relationship", _NS)}
    paths: dict[str, str] = {}
    for sheet in book.iterfind("main:sheets/main:sheet", _NS):
        target = targets.get(sheet.get(_REL_ID), "")
        path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(f"xl/{target}")
        paths[sheet.get("name", "")] = path
    return paths


def _read_ole(data: bytes, file_name: str) -> Workbook:
    if _ENCRYPTED in data:
        raise ImportFileError(_PASSWORD)
    return _workbook(file_name, _open_calamine(data, file_name), {})


def _open_calamine(data: bytes, file_name: str) -> CalamineWorkbook:
    try:
        return CalamineWorkbook.from_filelike(io.BytesIO(data))
    except PasswordError:
        raise ImportFileError(_PASSWORD) from None
    except CalamineError as error:
        raise ImportFileError(f"Tệp '{file_name}' bị hỏng, không đọc được ({error}).") from None


def _workbook(file_name: str, calamine: CalamineWorkbook, scans: dict[str, SheetScan]) -> Workbook:
    visible = [m.name for m in calamine.sheets_metadata if m.visible == SheetVisibleEnum.Visible]
    hidden = [m.name for m in calamine.sheets_metadata if m.visible != SheetVisibleEnum.Visible]
    return Workbook(file_name=file_name, sheets=visible, hidden=hidden, _calamine=calamine, _scans=scans)


def _decode(data: bytes, file_name: str) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = data.decode("utf-16", errors="replace")
    elif data.startswith(b"\xef\xbb\xbf"):
        text = data[3:].decode("utf-8", errors="replace")
    else:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            try:
                text = data.decode("cp1258")
            except UnicodeDecodeError:
                raise ImportFileError(
                    f"Không nhận ra bảng mã của tệp '{file_name}': hãy lưu lại dạng CSV UTF-8."
                ) from None
    if "\x00" in text:
        raise ImportFileError(f"Tệp '{file_name}' không phải tệp văn bản CSV.")
    # Windows-1258 decodes to decomposed letters: compose them.
    return unicodedata.normalize("NFC", text)


def _sniff_delimiter(text: str) -> str:
    """The delimiter that gives most lines the same number of fields (Vietnamese Excel uses ';')."""
    sample = text[: 64 * 1024].splitlines()[:200]
    best, best_score = ",", (0, 0)
    for delimiter in (";", ",", "\t"):
        widths = Counter(len(row) for row in csv.reader(sample, delimiter=delimiter))
        width, lines = max(widths.items(), key=lambda item: (item[1], item[0]), default=(0, 0))
        score = (lines, width) if width > 1 else (0, 0)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _read_csv(data: bytes, file_name: str) -> Workbook:
    text = _decode(data, file_name)
    rows: list[list[object]] = []
    cells = 0
    try:
        for row in csv.reader(io.StringIO(text, newline=""), delimiter=_sniff_delimiter(text)):
            cells += len(row)
            if len(rows) >= MAX_ROWS or cells > MAX_CELLS:
                raise ImportFileError(
                    f"Tệp '{file_name}' quá nhiều dòng hoặc cột "
                    f"(hơn {number(MAX_ROWS)} dòng hay {number(MAX_CELLS)} ô)."
                )
            rows.append(list(row))
    except csv.Error as error:
        raise ImportFileError(f"Tệp CSV '{file_name}' sai định dạng: {error}.") from None
    name = PurePath(file_name).stem or "CSV"
    return Workbook(file_name=file_name, sheets=[name], hidden=[], _grids={name: Grid(name=name, rows=rows)})
