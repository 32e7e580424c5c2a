"""What an import would do, without writing anything: the page shows it, the CLI's dry run prints it."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, replace
from datetime import date
from itertools import chain
from pathlib import PurePath
from typing import TYPE_CHECKING

from sqlmodel import Session, select

from models import Plan, Unit
from tracker.clock import today
from tracker.directory.plans import PlanHeading, read_plan_heading
from tracker.directory.units import load_unit_keys, unit_key
from tracker.errors import ImportFileError
from tracker.importer.collector import collector_paused
from tracker.importer.diff import (
    UnitRef,
    changed_fields,
    load_stored,
    match_rows,
    missing_codes,
    wanted_values,
)
from tracker.importer.layout import FIELD_LABELS, FIELDS, read_layout
from tracker.importer.read import read_workbook
from tracker.importer.rows import Problem, ProposedTask, propose_tasks

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["ImportPreview", "Problem", "ProposedTask", "preview_import"]


@dataclass
class ImportPreview:
    file_name: str
    sha256: str
    sheets: list[str]
    sheet: str
    # 1-based, as the sheet shows it.
    header_row: int
    headers: list[str]
    # Field (one of layout.FIELDS) → 0-based column of `headers`.
    mapping: dict[str, int]
    plan: PlanHeading
    # Whether the plan was read from the file's title block (else: --plan, or the file's name).
    plan_from_file: bool
    plan_exists: bool
    # The date the plan's tasks count from: the stored plan's issue date, else the one read or given.
    plan_issued_on: date | None
    rows: list[ProposedTask]
    missing: list[str]
    unknown_units: list[str]
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)

    def count(self, action: str) -> int:
        return sum(1 for row in self.rows if row.action == action and not row.has_error)

    def to_frame(self) -> pd.DataFrame:
        """The proposed tasks, one row per task, under neutral column keys (the page labels them).

        `unit_match` is the name of the stored unit the lead unit matches, None for a new one;
        `action` is created, updated, unchanged or error (the row is skipped)."""
        # Imported here: the import command, which never draws the table, starts without pandas.
        import pandas as pd

        return pd.DataFrame(
            {
                "row": [row.row for row in self.rows],
                "code": [row.code for row in self.rows],
                "section": [f"{row.section_code}. {row.section_title}".strip(". ") for row in self.rows],
                "group": [row.group_title for row in self.rows],
                "title": [row.title for row in self.rows],
                "lead_unit": [row.lead_unit for row in self.rows],
                "unit_match": [row.lead_unit_match or (None if row.lead_unit else "") for row in self.rows],
                "coordinators": ["; ".join(row.coordinators) for row in self.rows],
                "deadline_text": [row.deadline_text for row in self.rows],
                "deadline": [row.deadline for row in self.rows],
                "recurring": [row.recurring for row in self.rows],
                "output": [row.output for row in self.rows],
                "action": ["error" if row.has_error else row.action for row in self.rows],
            }
        )


def _undated_warning(number: str) -> str:
    return (
        f"Không đọc được ngày ban hành của kế hoạch {number}: các nhiệm vụ sẽ được tính từ ngày nhập "
        f"({today():%d/%m/%Y}). Hãy nhập ngày ban hành để báo cáo các kỳ đã qua đúng số liệu."
    )


def _plan_heading(lines: list[str], file_name: str, plan_number: str | None) -> tuple[PlanHeading, bool]:
    found = read_plan_heading(lines)
    if plan_number and plan_number.strip():
        number = plan_number.strip()
        if found is not None and found.number == number:
            return found, True
        return PlanHeading(number=number), False
    if found is not None:
        return found, True
    stem = PurePath(file_name).stem.strip() or file_name
    return PlanHeading(number=stem, title=stem), False


def _resolve_units(
    keys: dict[str, Unit], rows: list[ProposedTask]
) -> tuple[dict[str, UnitRef], dict[str, Unit], list[str]]:
    """Each unit name of ROWS → the id of the unit it matches in KEYS, or its key when it is
    new; the matched units by name; and the new names, once each, in order of appearance."""
    refs: dict[str, UnitRef] = {}
    matched: dict[str, Unit] = {}
    unknown: dict[str, str] = {}
    for name in dict.fromkeys(chain.from_iterable(row.unit_names for row in rows)):
        key = unit_key(name)
        unit = keys.get(key)
        if unit is not None and unit.id is not None:
            refs[name], matched[name] = unit.id, unit
        else:
            refs[name] = key
            # The fullest spelling names the new unit: "Sở Khoa học và Công nghệ", not "Sở KH&CN".
            if len(name) > len(unknown.get(key, "")):
                unknown[key] = name
    return refs, matched, list(unknown.values())


def _first_seen(
    rows: list[ProposedTask], keys: set[str], columns: dict[str, str]
) -> dict[str, tuple[int, str]]:
    """Where the unit of each key in KEYS first appears: row number and column name."""
    found: dict[str, tuple[int, str]] = {}
    for row in rows:
        for name in row.unit_names:
            key = unit_key(name)
            if key in keys and key not in found:
                found[key] = (
                    row.row,
                    columns["lead_unit"] if name == row.lead_unit else columns["coordinators"],
                )
        if len(found) == len(keys):
            break
    return found


@collector_paused()
def preview_import(
    session: Session,
    *,
    data: bytes,
    file_name: str,
    sheet: str | None = None,
    mapping: dict[str, int] | None = None,
    plan_number: str | None = None,
    issued_on: date | None = None,
) -> ImportPreview:
    """Read the file and compare it with the plan in the database. Writes nothing.

    ISSUED_ON, when given, is the plan's issue date as the secretariat confirmed or
    corrected it, in place of the date read from the title block.
    """
    workbook = read_workbook(data, file_name)
    layout = read_layout(workbook, sheet=sheet, mapping=mapping)
    if not layout.entries:
        raise ImportFileError(
            f"Trang '{layout.sheet}' có dòng tiêu đề (dòng {layout.header_row}) nhưng không có nhiệm vụ nào."
        )
    heading, from_file = _plan_heading(layout.title_lines, file_name, plan_number)
    if issued_on is not None:
        heading = replace(heading, issued_on=issued_on)
    plan = session.exec(select(Plan).where(Plan.number == heading.number)).first()
    columns = {
        name: (layout.headers[layout.mapping[name]] if name in layout.mapping else "") or FIELD_LABELS[name]
        for name in FIELDS
    }
    keys = load_unit_keys(session)
    rows, problems = propose_tasks(layout.entries, columns=columns, known=set(keys))
    refs, units, unknown = _resolve_units(keys, rows)
    for row in rows:
        row.lead_unit_match = units[row.lead_unit].name if row.lead_unit in units else ""
    stored = load_stored(session, plan.id if plan else None)
    matched = match_rows(rows, stored)
    for row, (found, code) in zip(rows, matched, strict=True):
        row.code = code
        if found is not None:
            row.changed = changed_fields(found, wanted_values(row, refs))
            row.action = "updated" if row.changed else "unchanged"
    warnings = [
        Problem(0, "", f"Bỏ qua trang ẩn '{name}'.") for name in workbook.hidden if name != layout.sheet
    ]
    warnings += problems.warnings
    if plan is None and heading.issued_on is None:
        warnings.append(Problem(0, "", _undated_warning(heading.number)))
    first_seen = _first_seen(rows, {unit_key(name) for name in unknown}, columns)
    for name in unknown:
        row_number, column = first_seen[unit_key(name)]
        message = f"Dòng {row_number}: đơn vị '{name}' chưa có trong danh mục, sẽ được tạo mới."
        warnings.append(Problem(row_number, column, message))
    return ImportPreview(
        file_name=file_name,
        sha256=hashlib.sha256(data).hexdigest(),
        sheets=workbook.sheets,
        sheet=layout.sheet,
        header_row=layout.header_row,
        headers=layout.headers,
        mapping=layout.mapping,
        plan=heading,
        plan_from_file=from_file,
        plan_exists=plan is not None,
        plan_issued_on=plan.issued_on if plan is not None and plan.issued_on else heading.issued_on,
        rows=rows,
        missing=missing_codes(stored, matched),
        unknown_units=unknown,
        errors=problems.errors,
        warnings=warnings,
    )
