"""Checks a workbook passes before any reader touches it: size, zip bombs, entity bombs, sheet extents.

calamine allocates a sheet as one dense block from its first to its last cell
holding a value: a 7 KB file with values in A1 and XFD1048576 asks for
billions of cells. So the XML of every sheet is streamed here first (which also
proves each entry's real uncompressed size) and its extent bounded.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from dataclasses import dataclass, field
from typing import IO

from tracker.errors import ImportFileError
from tracker.i18n import megabytes

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_ENTRIES = 2_000
MAX_UNCOMPRESSED = 200 * 1024 * 1024
# Real workbooks compress 5–30×; past this an entry is a bomb, not a table.
MAX_RATIO = 200
MAX_CELLS = 3_000_000
_CHUNK = 1024 * 1024
_DTD = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)
# A row or cell start tag, walked one by one when some cell has no reference.
_TAG = re.compile(rb"<(?:\w+:)?(row|c)\b([^>]*)>")
# The common case, in bulk: every cell start tag, with its reference ("" "" when it has none).
_CELL = re.compile(rb"""<c(?=[\s>/])(?:[^>]*?\br=["']([A-Z]{1,3})(\d{1,7})["'])?""")
_NO_REFERENCE = (b"", b"")
_PREFIXED_CELL = re.compile(rb"<\w+:c[\s>/]")
# Searched first because a literal start makes them several times faster than the exact patterns.
_PREFIXED_CELL_HINT = re.compile(rb":c[\s>/]")
_ERROR_CELL_HINT = re.compile(rb"""t=["']e["']""")
_ERROR_CELL = re.compile(rb"""<(?:\w+:)?c\b([^>]*?\bt=["']e["'][^>]*)>""")
_REF = re.compile(rb"""\br=["']([A-Z]{1,3})?(\d{1,7})?["']""")
_ERROR_TYPE = re.compile(rb"""\bt=["']e["']""")
_VALUE = re.compile(rb"\s*<(?:\w+:)?v>([^<]{1,20})<")


@dataclass
class SheetScan:
    """What streaming a sheet's XML found: the extent of its values and its error cells."""

    rows: int = 0
    columns: int = 0
    errors: dict[tuple[int, int], str] = field(default_factory=dict)

    @property
    def cells(self) -> int:
        return self.rows * self.columns


def check_size(size: int) -> None:
    if not size:
        raise ImportFileError("Tệp rỗng: không có dữ liệu để nhập.")
    if size > MAX_FILE_BYTES:
        raise ImportFileError(
            f"Tệp quá lớn ({megabytes(size)}): chỉ nhận tệp đến {megabytes(MAX_FILE_BYTES)}."
        )


def check_archive(archive: zipfile.ZipFile) -> None:
    """Refuse absurd archives from their directory alone, before inflating anything."""
    entries = archive.infolist()
    if len(entries) > MAX_ENTRIES:
        raise ImportFileError(f"Tệp có {len(entries)} thành phần nén: không phải một bảng tính bình thường.")
    declared = sum(entry.file_size for entry in entries)
    if declared > MAX_UNCOMPRESSED:
        raise ImportFileError(
            f"Tệp giải nén ra {megabytes(declared)} (quá {megabytes(MAX_UNCOMPRESSED)}): "
            "có thể là tệp độc hại (zip bomb)."
        )
    for entry in entries:
        if entry.file_size > _CHUNK and entry.file_size > MAX_RATIO * max(entry.compress_size, 1):
            raise ImportFileError(
                f"Thành phần '{entry.filename}' nén {entry.file_size // max(entry.compress_size, 1)} lần: "
                "có thể là tệp độc hại (zip bomb)."
            )


def scan_entries(archive: zipfile.ZipFile, sheet_paths: set[str]) -> dict[str, SheetScan]:
    """Inflate every XML entry under a running budget; refuse DTDs; measure the sheets."""
    budget = MAX_UNCOMPRESSED
    scans: dict[str, SheetScan] = {}
    for entry in archive.infolist():
        if not entry.filename.endswith((".xml", ".rels")):
            continue
        scan = SheetScan() if entry.filename in sheet_paths else None
        try:
            with archive.open(entry) as stream:
                budget = _scan_stream(stream, entry.filename, budget, scan)
        except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError) as error:
            raise ImportFileError(
                f"Tệp bị hỏng, không giải nén được ('{entry.filename}': {error})."
            ) from None
        if scan is not None:
            scans[entry.filename] = scan
    return scans


def _scan_stream(stream: IO[bytes], name: str, budget: int, scan: SheetScan | None) -> int:
    tail = unfinished = b""
    position = _Position()
    while chunk := stream.read(_CHUNK):
        budget -= len(chunk)
        if budget < 0:
            raise ImportFileError(
                f"Tệp giải nén ra hơn {megabytes(MAX_UNCOMPRESSED)}: có thể là tệp độc hại (zip bomb)."
            )
        if _DTD.search(tail + chunk):
            raise ImportFileError(
                f"Tệp chứa khai báo DOCTYPE/ENTITY trong '{name}': bảng tính Excel không dùng chúng, "
                "tệp có thể là độc hại (XML bomb)."
            )
        tail = chunk[-16:]
        if scan is not None:
            text = unfinished + chunk
            # A tag cut in two by the chunk boundary is measured with the next chunk.
            cut = text.rfind(b"<")
            cut = cut if cut >= 0 and text.find(b">", cut) < 0 else len(text)
            position.measure(text[:cut], scan)
            unfinished = text[cut:][-4096:]
    return budget


@dataclass
class _Position:
    """Where the scan is in a sheet; only needed once a cell without a reference is met."""

    row: int = 0
    column: int = 0
    sequential: bool = False

    def measure(self, text: bytes, scan: SheetScan) -> None:
        # Empty cells count too: calamine skips them, but telling them apart costs a slower scan
        # and a sheet of styled cells as large as this limit is no task table either.
        if not self.sequential:
            found = _CELL.findall(text)
            prefixed = _PREFIXED_CELL_HINT.search(text) and _PREFIXED_CELL.search(text)
            if _NO_REFERENCE not in found and not prefixed:
                if found:
                    scan.rows = max(scan.rows, max(map(int, {row for _, row in found})))
                    scan.columns = max(
                        scan.columns, max(map(_column_number, {column for column, _ in found}))
                    )
                errors = _ERROR_CELL.finditer(text) if _ERROR_CELL_HINT.search(text) else ()
                for match in errors:
                    ref = _REF.search(match.group(1))
                    if ref and ref.group(1) and ref.group(2):
                        self._error(text, match, int(ref.group(2)), _column_number(ref.group(1)), scan)
                return
            self.sequential, self.row = True, scan.rows
        self._walk(text, scan)

    def _walk(self, text: bytes, scan: SheetScan) -> None:
        """Cell by cell, counting positions the way Excel does for cells without a reference."""
        for match in _TAG.finditer(text):
            kind, attributes = match.groups()
            ref = _REF.search(attributes)
            if kind == b"row":
                self.row = int(ref.group(2)) if ref and ref.group(2) else self.row + 1
                self.column = 0
                continue
            if ref and ref.group(1):
                self.column = _column_number(ref.group(1))
                self.row = int(ref.group(2)) if ref.group(2) else self.row
            else:
                self.column += 1
            scan.rows, scan.columns = max(scan.rows, self.row), max(scan.columns, self.column)
            if _ERROR_TYPE.search(attributes):
                self._error(text, match, self.row, self.column, scan)

    @staticmethod
    def _error(text: bytes, match: re.Match[bytes], row: int, column: int, scan: SheetScan) -> None:
        value = _VALUE.match(text, match.end())
        scan.errors[(row - 1, column - 1)] = value.group(1).decode("ascii", "replace") if value else "#ERROR"


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + letter - 64
    return number
