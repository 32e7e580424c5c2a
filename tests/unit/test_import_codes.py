"""Numbering rows: groups found through any depth of nesting, new rows moved past taken codes."""

from __future__ import annotations

from tracker.importer.codes import Cells, number_rows
from tracker.importer.diff import StoredTask, match_rows
from tracker.importer.rows import ProposedTask


def cells(row: int, code: str, title: str, lead_unit: str = "Sở Y tế") -> Cells:
    return Cells(
        row=row,
        code=code,
        title=title,
        lead_unit=lead_unit,
        coordinators="",
        deadline="",
        output="",
        deadline_value=None,
    )


def test_rows_nested_under_rows_under_a_group_take_the_nearest_groups_title() -> None:
    table = [
        cells(1, "1", "Nhóm ngoài", lead_unit=""),
        cells(2, "1.1", "Nhóm trong", lead_unit=""),
        cells(3, "-", "Việc a"),
        *(cells(4 + depth, "x", f"Việc lồng {depth}") for depth in range(50)),
        cells(60, "2", "Việc ngoài nhóm"),
    ]
    entries = {entry.title: entry for entry in number_rows(table)}
    assert "Nhóm ngoài" not in entries and "Nhóm trong" not in entries
    assert entries["Việc a"].group_title == "Nhóm trong"
    assert entries["Việc lồng 49"].group_title == "Nhóm trong"
    assert entries["Việc ngoài nhóm"].group_title == ""


def proposed(code: str, title: str) -> ProposedTask:
    return ProposedTask(
        row=1,
        code=code,
        numbered=False,
        section_code="",
        section_title="",
        group_title="",
        title=title,
        lead_unit="",
        coordinators=[],
        deadline=None,
        deadline_text="",
        recurring=False,
        output="",
    )


def stored(task_id: int, code: str) -> StoredTask:
    return StoredTask(
        id=task_id,
        code=code,
        status="not_started",
        extended=False,
        position=task_id,
        source_row=None,
        values={"title": f"Việc đã có {code}"},
    )


def test_new_unnumbered_rows_whose_counted_codes_are_taken_take_the_next_free_ones_in_order() -> None:
    kept = {code: stored(index, code) for index, code in enumerate(("1", "2", "3", "5", "9"), start=1)}
    rows = [proposed(str(number), f"Việc mới {number}") for number in (1, 2, 3, 4, 10)]
    assert [code for _, code in match_rows(rows, kept)] == ["4", "6", "7", "8", "10"]
