"""How an annex is laid out: which row is the header, which column holds what, where the table ends.

The title block above the header names the plan; a row of column numbers
"(1) (2) (3)" may follow the header; notes and the signature block follow
the table. A header may take two rows ("Cơ quan thực hiện" over
"Chủ trì | Phối hợp"). Rows are then numbered into task codes by `codes`.

An indicator annex ("Danh mục các chỉ tiêu": TT | Chỉ tiêu | Đơn vị | Kết quả |
Cơ quan chủ trì theo dõi, đánh giá) is laid out the same way, with its own
column names; `sheet_kind` tells the two tables apart, and
`read_indicator_layout` reads one for tracker.indicators.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache

from tracker.errors import ImportFileError
from tracker.importer.codes import Cells, Entry, number_rows
from tracker.importer.read import Grid, Workbook, cell_text
from tracker.textfold import fold

FIELDS = ("code", "title", "lead_unit", "coordinators", "deadline", "output")
FIELD_LABELS = {
    "code": "STT",
    "title": "Nội dung nhiệm vụ",
    "lead_unit": "Cơ quan chủ trì",
    "coordinators": "Cơ quan phối hợp",
    "deadline": "Thời gian hoàn thành",
    "output": "Sản phẩm",
}
# Fields whose cell, vertically merged, is shared by every row it spans.
_SHARED = ("lead_unit", "coordinators", "deadline", "output")
# A header lies near the top left; past these bounds a sheet holds something else.
_HEADER_SCAN_ROWS = 60
_HEADER_SCAN_COLUMNS = 100
CODE_HEADERS = {"stt", "tt", "so tt", "so thu tu", "ma", "ma so", "ma nhiem vu", "so"}
# Checked in this order: "Thời gian hoàn thành nhiệm vụ" is a deadline, not a title.
_HEADER_WORDS = (
    ("lead_unit", ("chu tri",)),
    ("coordinators", ("phoi hop",)),
    ("deadline", ("thoi gian", "thoi han", "tien do", "han hoan thanh", "moc hoan thanh")),
    ("output", ("san pham", "ket qua", "hinh thuc")),
    ("title", ("nhiem vu", "noi dung", "cong viec", "de an")),
)
# The columns of an indicator table. "Chỉ tiêu năm 2030" is the target, "Chỉ tiêu" alone the
# title: target words are checked first; the year in a header is kept with the headers.
INDICATOR_FIELDS = ("code", "title", "measure_unit", "baseline", "target", "lead_unit", "coordinators")
INDICATOR_LABELS = {
    "code": "TT",
    "title": "Chỉ tiêu",
    "measure_unit": "Đơn vị tính",
    "baseline": "Hiện trạng",
    "target": "Mục tiêu",
    "lead_unit": "Cơ quan chủ trì theo dõi, đánh giá",
    "coordinators": "Cơ quan phối hợp",
}
_INDICATOR_WORDS = (
    ("lead_unit", ("chu tri", "theo doi")),
    ("coordinators", ("phoi hop",)),
    ("baseline", ("hien trang", "co so", "thuc hien nam", "uoc thuc hien", "uoc dat", "nam goc")),
    (
        "target",
        (
            "muc tieu",
            "ket qua",
            "chi tieu nam",
            "chi tieu den",
            "chi tieu giai doan",
            "gia tri",
            "chi tieu 20",
        ),
    ),
    ("measure_unit", ("don vi",)),
    ("title", ("chi tieu", "chi so", "noi dung")),
)
_INDICATOR_TITLES = ("chi tieu", "chi so")
_COLUMN_NUMBER = re.compile(r"^\(?(\d{1,2}|[a-z])\)?$")
_END_WORDS = (
    "ghi chu", "luu y", "noi nhan", "tm ", "t m ", "kt ", "k t ", "tl ", "chu tich", "pho chu tich",
    "giam doc", "truong ban", "nguoi lap", "ky ten", "tong cong",
)  # fmt: skip
_PUNCTUATION = re.compile(r"[^\w\s]")


@dataclass
class Layout:
    sheet: str
    header_row: int  # 1-based, as the sheet shows it
    headers: list[str]
    mapping: dict[str, int]
    title_lines: list[str]
    entries: list[Entry] = field(default_factory=list)


def header_key(value: object) -> str:
    return " ".join(_PUNCTUATION.sub(" ", fold(cell_text(value))).split())


def header_fields(
    row: list[object],
    header_words: tuple[tuple[str, tuple[str, ...]], ...] = _HEADER_WORDS,
    *,
    percent_field: str = "",
    columns: int | None = _HEADER_SCAN_COLUMNS,
) -> dict[str, int]:
    """The fields a header ROW names, each at its first column: a code heading, else the first
    field of HEADER_WORDS whose words the heading holds. With PERCENT_FIELD, a heading with a "%"
    names that field first. Only the first COLUMNS columns are read (None: all)."""
    found: dict[str, int] = {}
    for column, value in enumerate(row[:columns]):
        key = header_key(value)
        if not key or len(key) > 80:
            continue
        if key in CODE_HEADERS:
            found.setdefault("code", column)
            continue
        if percent_field and "%" in cell_text(value):
            found.setdefault(percent_field, column)
            continue
        for name, words in header_words:
            if any(word in key for word in words):
                found.setdefault(name, column)
                break
    return found


@dataclass(frozen=True)
class Header:
    top: int  # 0-based; top < last when the header takes two rows
    last: int
    mapping: dict[str, int]


def _is_indicator_header(row: list[object], found: dict[str, int]) -> bool:
    """A header of an indicator table: a target column, and an indicator's title or its unit of
    measure, but no deadline (a task table's "Kết quả" is its product, not a target)."""
    if "title" not in found or "target" not in found:
        return False
    titled = any(word in header_key(row[found["title"]]) for word in _INDICATOR_TITLES)
    return (titled or "measure_unit" in found) and "deadline" not in header_fields(row)


def _is_task_header(row: list[object], found: dict[str, int]) -> bool:
    return "title" in found and len(found) >= 3


def find_header(grid: Grid, *, indicators: bool = False) -> Header | None:
    """The header rows and the column of each field, or None when no task table (or, with
    INDICATORS, no indicator table) is seen."""
    words, accepts = (
        (_INDICATOR_WORDS, _is_indicator_header) if indicators else (_HEADER_WORDS, _is_task_header)
    )
    for index, row in enumerate(grid.rows[:_HEADER_SCAN_ROWS]):
        found = header_fields(row, words)
        if not accepts(row, found):
            continue
        below = header_fields(grid.rows[index + 1], words) if index + 1 < len(grid.rows) else {}
        extra = {name: column for name, column in below.items() if name not in found}
        if extra and not set(extra.values()) & set(found.values()):
            return Header(top=index, last=index + 1, mapping=found | extra)
        return Header(top=index, last=index, mapping=found)
    return None


def sheet_kind(grid: Grid) -> str | None:
    """ "indicators" or "tasks" for the table GRID holds, None when it holds neither."""
    if find_header(grid, indicators=True) is not None:
        return "indicators"
    return "tasks" if find_header(grid) is not None else None


def find_task_sheet(workbook: Workbook, sheet: str | None) -> Grid | None:
    """The named sheet unless it holds indicators, or the first visible one holding a task table."""
    if sheet is not None:
        grid = workbook.grid(sheet)
        return None if sheet_kind(grid) == "indicators" else grid
    for name in workbook.sheets:
        grid = workbook.grid(name)
        if sheet_kind(grid) == "tasks":
            return grid
    return None


def indicator_sheets(workbook: Workbook, sheet: str | None) -> list[Grid]:
    """The sheets holding an indicator table: the named one if it does, else every visible one."""
    grids = [workbook.grid(sheet)] if sheet is not None else map(workbook.grid, workbook.sheets)
    return [grid for grid in grids if sheet_kind(grid) == "indicators"]


def pick_sheet(workbook: Workbook, sheet: str | None) -> Grid:
    """The named sheet, or the first visible one holding a task table."""
    grid = find_task_sheet(workbook, sheet)
    if grid is not None:
        return grid
    raise ImportFileError(
        f"Không tìm thấy bảng nhiệm vụ trong tệp '{workbook.file_name}': cần một dòng tiêu đề có các cột "
        "như 'STT', 'Nội dung nhiệm vụ', 'Cơ quan chủ trì', 'Thời gian hoàn thành'."
    )


def _fill_merges(grid: Grid, columns: set[int], first_row: int) -> list[list[object]]:
    """The rows with each vertically merged cell of COLUMNS copied down the rows it spans."""
    rows = list(grid.rows)
    copied: set[int] = set()
    for top, left, bottom, _right in grid.merged:
        if bottom <= top or left not in columns or bottom < first_row or top >= len(rows):
            continue
        value = _cell(rows[top], left)
        for index in range(max(top + 1, first_row), min(bottom, len(rows) - 1) + 1):
            if index not in copied:
                rows[index] = list(rows[index])
                copied.add(index)
            row = rows[index]
            row.extend([""] * (left + 1 - len(row)))
            row[left] = value
    return rows


def _is_column_numbers(cells: list[str]) -> bool:
    filled = [cell for cell in cells if cell]
    return len(filled) >= 3 and all(_COLUMN_NUMBER.match(fold(cell)) for cell in filled)


# Called for every row with its first cell, mostly a task number: each text is looked at once.
@lru_cache(maxsize=4096)
def _is_end(first: str) -> bool:
    """Whether a row whose first filled cell reads FIRST opens the notes or signature block."""
    if first[:1].isdigit():
        return False
    key = " ".join(_PUNCTUATION.sub(" ", fold(first[:40])).split()) + " "
    return key.startswith(_END_WORDS)


def _cell(row: list[object], column: int) -> object:
    return row[column] if column < len(row) else ""


def _width(rows: list[list[object]], header: int) -> int:
    """Columns up to the header's last named cell: a sheet may run to thousands of empty columns."""
    row = rows[header][:_HEADER_SCAN_COLUMNS]
    return max((column + 1 for column, value in enumerate(row) if cell_text(value)), default=0)


def _region(
    grid: Grid, found: Header, columns: dict[str, int], shared: tuple[str, ...]
) -> tuple[list[str], list[str], list[list[object]]]:
    """The header texts, the title block's lines, and the rows below the header with the
    vertically merged cells of the SHARED fields copied down."""
    width = max(_width(grid.rows, index) for index in range(found.top, found.last + 1))
    # In a two-row header the lower row names the split columns, the upper one the others.
    lower, upper = grid.rows[found.last], grid.rows[found.top]
    headers = [cell_text(_cell(lower, column)) or cell_text(_cell(upper, column)) for column in range(width)]
    title_lines = [" ".join(filter(None, map(cell_text, row))) for row in grid.rows[: found.top]]
    rows = _fill_merges(grid, {columns[name] for name in shared if name in columns}, found.last + 1)
    return headers, [line for line in title_lines if line], rows[found.last + 1 :]


def read_layout(workbook: Workbook, *, sheet: str | None, mapping: dict[str, int] | None) -> Layout:
    grid = pick_sheet(workbook, sheet)
    found = find_header(grid)
    if found is None:
        raise ImportFileError(
            f"Trang '{grid.name}' không có dòng tiêu đề của bảng nhiệm vụ (các cột 'STT', "
            "'Nội dung nhiệm vụ', 'Cơ quan chủ trì', 'Thời gian hoàn thành'…)."
        )
    width = max(_width(grid.rows, index) for index in range(found.top, found.last + 1))
    chosen = _checked_mapping(mapping, width) if mapping is not None else found.mapping
    headers, title_lines, rows = _region(grid, found, chosen, _SHARED)
    return Layout(
        sheet=grid.name,
        header_row=found.last + 1,
        headers=headers,
        mapping=chosen,
        title_lines=title_lines,
        entries=number_rows(_table(rows, first_row=found.last + 2, mapping=chosen)),
    )


@dataclass
class IndicatorLayout:
    """An indicator table: its header and its rows, each a text per INDICATOR_FIELDS."""

    sheet: str
    header_row: int  # 1-based, as the sheet shows it
    headers: list[str]
    mapping: dict[str, int]
    title_lines: list[str]
    # (sheet row, texts in the order of INDICATOR_FIELDS)
    rows: list[tuple[int, list[str]]]


def read_indicator_layout(grid: Grid) -> IndicatorLayout:
    """The indicator table of GRID (one `indicator_sheets` found), read like a task table."""
    found = find_header(grid, indicators=True)
    if found is None:
        raise ImportFileError(f"Trang '{grid.name}' không có dòng tiêu đề của bảng chỉ tiêu.")
    shared = ("measure_unit", "lead_unit", "coordinators")
    headers, title_lines, rows = _region(grid, found, found.mapping, shared)
    columns = [found.mapping.get(name, -1) for name in INDICATOR_FIELDS]
    return IndicatorLayout(
        sheet=grid.name,
        header_row=found.last + 1,
        headers=headers,
        mapping=found.mapping,
        title_lines=title_lines,
        rows=[
            (number, texts)
            for number, texts, _ in _table_rows(rows, first_row=found.last + 2, columns=columns)
        ],
    )


def _table_rows(
    rows: list[list[object]], *, first_row: int, columns: list[int]
) -> Iterator[tuple[int, list[str], list[object]]]:
    """The rows of a table as (sheet row, texts, cells) of COLUMNS, each cell read as text once;
    blank rows left out, the column-numbers row too, and everything from the notes or
    signature block on."""
    # The fields from left to right, for the row's first filled cell.
    left_to_right = sorted(
        (index for index, column in enumerate(columns) if column >= 0), key=columns.__getitem__
    )
    started = False
    for number, row in enumerate(rows, start=first_row):
        cells = [row[column] if 0 <= column < len(row) else "" for column in columns]
        if not any(cells):
            continue
        texts = list(map(cell_text, cells))
        first = next(filter(None, map(texts.__getitem__, left_to_right)), None)
        if first is None or (not started and _is_column_numbers(texts)):
            continue
        if _is_end(first):
            return
        started = True
        yield number, texts, cells


def _table(rows: list[list[object]], *, first_row: int, mapping: dict[str, int]) -> list[Cells]:
    """The rows of the task table (see `_table_rows`) as Cells."""
    columns = [mapping.get(name, -1) for name in FIELDS]
    deadline = FIELDS.index("deadline")
    table: list[Cells] = []
    for number, texts, cells in _table_rows(rows, first_row=first_row, columns=columns):
        code, title, lead_unit, coordinators, deadline_text, output = texts
        table.append(
            Cells(number, code, title, lead_unit, coordinators, deadline_text, output, cells[deadline])
        )
    return table


def _checked_mapping(mapping: dict[str, int], width: int) -> dict[str, int]:
    unknown = sorted(set(mapping) - set(FIELDS))
    if unknown:
        raise ImportFileError(f"Trường không có trong bảng nhiệm vụ: {', '.join(unknown)}.")
    if "title" not in mapping:
        raise ImportFileError("Cần chọn cột 'Nội dung nhiệm vụ'.")
    for name, column in mapping.items():
        if not 0 <= column < max(width, 1):
            raise ImportFileError(f"Cột số {column + 1} chọn cho '{FIELD_LABELS[name]}' không có trong bảng.")
    return dict(mapping)
