"""Files from anywhere: each is refused with a clear message, or imported with one, in bounded time.

Every file is generated here at test time; none is committed.
"""

import io
import time
import zipfile
from collections.abc import Callable
from functools import cache

import pytest
from openpyxl import Workbook
from sqlalchemy import Engine

from tests.support.annexes import (
    HEADER,
    SMALL_TASKS,
    annex,
    cell_xml,
    csv_text,
    encrypted_workbook,
    raw_xlsx,
    rows_xml,
    xlsx,
)
from tests.support.importing import preview, row_counts, run_import
from tracker.errors import ImportFileError
from tracker.importer.guards import MAX_FILE_BYTES
from tracker.importer.layout import read_layout
from tracker.importer.read import read_workbook

PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj"


def _truncated() -> bytes:
    whole = xlsx(annex(SMALL_TASKS))
    return whole[: len(whole) // 2]


def _word_document() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<document/>")
    return buffer.getvalue()


def _bomb(size: int) -> bytes:
    """A small zip whose one sheet inflates to SIZE bytes."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        with archive.open("xl/worksheets/sheet1.xml", "w") as entry:
            chunk = b"<row/>" * (1024 * 1024 // 6)
            for _ in range(size // len(chunk)):
                entry.write(chunk)
    data = buffer.getvalue()
    assert len(data) < 4 * 2**20
    return data


def _entity_bomb() -> bytes:
    entities = '<!ENTITY a "aaaaaaaaaa">' + "".join(
        f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(9)
    )
    sheet = rows_xml([HEADER, [1, "&j;", "Sở Y tế", "", "Năm 2025", ""]]).replace("&amp;j;", "&j;")
    return raw_xlsx(sheet, prolog=f"<!DOCTYPE worksheet [{entities}]>")


def _far_apart() -> bytes:
    return raw_xlsx(rows_xml([HEADER]) + '<row r="1048576">' + cell_xml("XFD1048576", "x") + "</row>")


# case → (file name, how to build it, what the refusal says)
REFUSED: dict[str, tuple[str, Callable[[], bytes], str]] = {
    "pdf": ("bao-cao.pdf", lambda: PDF, "không phải bảng tính: chỉ nhận tệp .xlsx"),
    "pdf-renamed": ("phu-luc.xlsx", lambda: PDF, "không phải bảng tính Excel hợp lệ"),
    "empty": ("phu-luc.xlsx", lambda: b"", "Tệp rỗng"),
    "binary-csv": ("phu-luc.csv", lambda: b"STT;N\x00i dung\x00\x00", "không phải tệp văn bản CSV"),
    # 0x81 and 0x8D are holes in Windows-1258: neither UTF-8 nor Vietnamese Windows text.
    "csv-unknown-encoding": ("phu-luc.csv", lambda: b"STT;N\x81i dung\x8d", "Không nhận ra bảng mã"),
    "csv-without-table": ("phu-luc.csv", "Chỉ là một dòng chữ.".encode, "Không tìm thấy bảng nhiệm vụ"),
    "password": ("phu-luc.xlsx", encrypted_workbook, "đặt mật khẩu"),
    "broken-xls": ("phu-luc.xls", lambda: _OLE + bytes(1000), "bị hỏng, không đọc được"),
    "truncated": ("phu-luc.xlsx", _truncated, "bị hỏng hoặc không trọn vẹn"),
    "word": ("phu-luc.xlsx", _word_document, "không phải bảng tính Excel"),
    "over-20-mb": ("lon.xlsx", lambda: b"PK\x03\x04" + bytes(MAX_FILE_BYTES), "Tệp quá lớn"),
    "zip-bomb": ("phu-luc.xlsx", lambda: _bomb(260 * 2**20), "giải nén ra"),
    "zip-bomb-ratio": ("phu-luc.xlsx", lambda: _bomb(60 * 2**20), "nén .* lần"),
    "entity-bomb": ("phu-luc.xlsx", _entity_bomb, "DOCTYPE/ENTITY"),
    "far-apart": ("phu-luc.xlsx", _far_apart, "quá lớn \\(1.048.576 dòng × 16.384 cột\\)"),
}
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@cache
def _file(case: str) -> bytes:
    return REFUSED[case][1]()


@pytest.mark.parametrize("case", list(REFUSED))
def test_a_hostile_file_is_refused_quickly_with_a_clear_message(case: str) -> None:
    name, _, message = REFUSED[case]
    data = _file(case)
    started = time.perf_counter()
    with pytest.raises(ImportFileError, match=message):
        read_layout(read_workbook(data, name), sheet=None, mapping=None)
    assert time.perf_counter() - started < 3


def test_refused_files_leave_the_database_unchanged(engine: Engine) -> None:
    before = row_counts(engine)
    for case, (name, _, message) in REFUSED.items():
        with pytest.raises(ImportFileError, match=message):
            run_import(engine, _file(case), name)
        assert row_counts(engine) == before, case


@cache
def _empty_rows() -> bytes:
    blank = "".join(
        f'<row r="{n}">{cell_xml(f"A{n}", " ")}{cell_xml(f"F{n}", "")}</row>' for n in range(30, 100_030)
    )
    return raw_xlsx(rows_xml(annex(SMALL_TASKS)[:-3]) + blank)


def test_a_hundred_thousand_empty_rows_import_in_bounded_time(engine: Engine) -> None:
    data = _empty_rows()
    started = time.perf_counter()
    result = run_import(engine, data)
    assert time.perf_counter() - started < 10
    assert (result.created, result.errors) == (4, [])


def test_ten_thousand_columns_import_in_bounded_time(engine: Engine) -> None:
    wide = [[*row, *[""] * (6 - len(row)), *["ghi chú"] * 9_994] for row in SMALL_TASKS]
    data = raw_xlsx(rows_xml(annex(wide)))
    started = time.perf_counter()
    found = preview(engine, data)
    assert time.perf_counter() - started < 10
    assert (found.count("created"), found.errors, found.headers) == (4, [], HEADER)


def test_formulas_give_their_cached_values_and_error_cells_are_reported(engine: Engine) -> None:
    header = rows_xml([HEADER])
    rows = (
        '<row r="2">'
        + cell_xml("A2", 1)
        + '<c r="B2" t="str"><f>CONCATENATE("Lập ","kế hoạch")</f><v>Lập kế hoạch</v></c>'
        + '<c r="C2" t="e"><v>#N/A</v></c>'
        + '<c r="E2" t="e"><v>#REF!</v></c>'
        + "</row>"
        + rows_xml(
            [[2, '=HYPERLINK("http://example.invalid","Bấm vào đây")', "Sở Y tế", "", "Năm 2025", ""]], 3
        )
        + '<row r="4">'
        + cell_xml("A4", 3)
        + '<c r="B4" t="e"><v>#VALUE!</v></c>'
        + cell_xml("C4", "Sở Y tế")
        + "</row>"
    )
    found = preview(engine, raw_xlsx(header + rows))
    first, second, third = found.rows
    assert (first.title, first.lead_unit, first.deadline_text) == ("Lập kế hoạch", "", "")
    assert second.title == '=HYPERLINK("http://example.invalid","Bấm vào đây")'
    messages = [w.message for w in found.warnings]
    assert "Dòng 2: ô 'Cơ quan chủ trì' có lỗi công thức '#N/A', bỏ trống." in messages
    assert "Dòng 2: ô 'Thời gian hoàn thành' có lỗi công thức '#REF!', bỏ trống." in messages
    assert third.has_error
    assert [e.message for e in found.errors] == ["Dòng 4: mã '3' không có nội dung."]


def test_hidden_sheets_are_skipped_with_a_warning(engine: Engine) -> None:
    book = Workbook()
    secret = book.active
    assert secret is not None
    secret.title = "Bản nháp"
    secret.append(HEADER)
    secret.append([1, "Nhiệm vụ nháp", "Sở Y tế", "", "Năm 2025", ""])
    secret.sheet_state = "veryHidden"
    visible = book.create_sheet("Phụ lục")
    for row in annex(SMALL_TASKS):
        visible.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    found = preview(engine, buffer.getvalue())
    assert (found.sheet, found.sheets, found.count("created")) == ("Phụ lục", ["Phụ lục"], 4)
    assert "Bỏ qua trang ẩn 'Bản nháp'." in [w.message for w in found.warnings]


def test_a_utf16_tab_separated_export_imports(engine: Engine) -> None:
    data = csv_text(annex(SMALL_TASKS), delimiter="\t").encode("utf-16")
    assert run_import(engine, data, "phu-luc.txt").created == 4
