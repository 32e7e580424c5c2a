"""The report workbook's own writing of XlsxWriter's parts: the same XML, only faster."""

from __future__ import annotations

import struct
import zipfile
import zlib
from io import BytesIO

import xlsxwriter.workbook
from xlsxwriter import Workbook

from tracker.reports.xlsx import _Book

# Texts each of XlsxWriter's special cases takes, beside plain and Vietnamese ones.
TEXTS = [
    "Chuyển đổi số",
    "",
    'A & B <c> "d"',
    " leading",
    "trailing ",
    "\xa0non-breaking",
    "line\nbreak",
    "tab\tinside",
    "carriage\r\nreturn",
    "bell\x07",
    "_x0041_ looks escaped",
    "non-character \ufffe \uffff",
    "<r>rich</r>",
    "Chuyển đổi số",
]


def _book(book_class: type[Workbook]) -> bytes:
    buffer = BytesIO()
    book = book_class(buffer, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False})
    sheet = book.add_worksheet("Texts")
    for row, text in enumerate(TEXTS):
        sheet.write_string(row, 0, text)
    book.close()
    return buffer.getvalue()


def _parts(book_class: type[Workbook]) -> dict[str, bytes]:
    with zipfile.ZipFile(BytesIO(_book(book_class))) as archive:
        # The creation time is the only part that differs from one second to the next.
        return {name: archive.read(name) for name in archive.namelist() if name != "docProps/core.xml"}


def test_the_book_writes_the_xml_xlsxwriter_writes() -> None:
    assert _parts(_Book) == _parts(Workbook)


def _deflated(archive: bytes, member: zipfile.ZipInfo) -> bytes:
    """MEMBER's bytes as stored in ARCHIVE, after its local header."""
    header = member.header_offset
    name_length, extra_length = struct.unpack("<HH", archive[header + 26 : header + 30])
    start = header + 30 + name_length + extra_length
    return archive[start : start + member.compress_size]


def test_the_book_deflates_at_level_one_and_leaves_xlsxwriter_as_it_was() -> None:
    archive = _book(_Book)
    with zipfile.ZipFile(BytesIO(archive)) as opened:
        member = opened.getinfo("xl/sharedStrings.xml")
        level_one = zlib.compressobj(1, zlib.DEFLATED, -zlib.MAX_WBITS)
        expected = level_one.compress(opened.read(member)) + level_one.flush()
    assert _deflated(archive, member) == expected
    assert xlsxwriter.workbook.ZipInfo is zipfile.ZipInfo
