"""What an import would do, without writing anything: the page shows it, the CLI's dry run prints it."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from itertools import chain
from typing import TYPE_CHECKING

from sqlmodel import Session, select

from models import Plan, Unit
from tracker.clock import today
from tracker.directory.plans import PlanHeading, read_plan_heading
from tracker.directory.units import load_unit_keys, unit_key
from tracker.errors import ImportFileError
from tracker.i18n import day
from tracker.importer.collector import collector_paused
from tracker.importer.diff import (
    UnitRef,
    changed_fields,
    display_value,
    dropped_codes,
    load_stored,
    match_rows,
    missing_codes,
    wanted_values,
)
from tracker.importer.layout import (
    FIELD_LABELS,
    FIELDS,
    IndicatorLayout,
    Layout,
    find_task_sheet,
    indicator_sheets,
    read_indicator_layout,
    read_layout,
    sheet_kind,
)
from tracker.importer.read import Workbook, read_workbook
from tracker.importer.rows import FieldChange, Problem, ProposedTask, propose_tasks
from tracker.indicators.importing import (
    IndicatorPreview,
    ProposedIndicator,
    compare_indicators,
    propose_indicators,
)

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
    # Code → title of each task the file no longer lists.
    missing_titles: dict[str, str] = field(default_factory=dict)
    # The missing codes this revision takes out of the plan (tracker.importer.diff.dropped_codes).
    dropped: list[str] = field(default_factory=list)
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    # The indicator sheets of the file (their errors and warnings are in the two lists above too).
    indicators: IndicatorPreview = field(default_factory=IndicatorPreview)

    def count(self, action: str) -> int:
        return sum(1 for row in self.rows if row.action == action and not row.has_error)

    def changes_frame(self) -> pd.DataFrame:
        """`changes` as a table, under the same keys."""
        import pandas as pd  # here, as in to_frame: the import command never draws a table

        return pd.DataFrame(self.changes(), columns=["action", "code", "title", "field", "old", "new"])

    def changes(self) -> list[dict[str, object]]:
        """What a re-import changes, first what matters: new tasks, then each changed field
        old → new, then the tasks the file no longer lists (`dropped` for those it takes out of
        the plan, `missing` for those already out of it or kept). Unchanged rows are left out."""
        rows: list[dict[str, object]] = []
        for row in self.rows:
            if row.has_error or row.action == "unchanged":
                continue
            if row.action == "created":
                rows.append(_change("created", row.code, row.title, "", "", ""))
            rows += [_change("updated", row.code, row.title, c.field, c.old, c.new) for c in row.changes]
        dropped = set(self.dropped)
        for code in self.missing:
            action = "dropped" if code in dropped else "missing"
            rows.append(_change(action, code, self.missing_titles.get(code, ""), "", "", ""))
        order = {"created": 0, "updated": 1, "dropped": 2, "missing": 2}
        rows.sort(key=lambda change: order[str(change["action"])])
        return rows

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
                "lead_unit": ["; ".join(row.lead_units) for row in self.rows],
                "unit_match": [row.lead_unit_match or (None if row.lead_unit else "") for row in self.rows],
                "coordinators": ["; ".join(row.coordinators) for row in self.rows],
                "deadline_text": [row.deadline_text for row in self.rows],
                "deadline": [row.deadline for row in self.rows],
                "recurring": [row.recurring for row in self.rows],
                "output": [row.output for row in self.rows],
                "action": ["error" if row.has_error else row.action for row in self.rows],
            }
        )


def _change(action: str, code: str, title: str, field: str, old: str, new: str) -> dict[str, object]:
    return {"action": action, "code": code, "title": title, "field": field, "old": old, "new": new}


def _unit_names(session: Session, refs: dict[str, UnitRef]) -> dict[UnitRef, str]:
    """The name of each unit reference: stored units by their name, new ones as the file spells them."""
    names: dict[UnitRef, str] = {
        unit.id: unit.name for unit in session.exec(select(Unit)) if unit.id is not None
    }
    for name, ref in refs.items():
        names.setdefault(ref, name)
    return names


def _undated_warning(number: str) -> str:
    return (
        f"Không đọc được ngày ban hành của kế hoạch {number}: các nhiệm vụ sẽ được tính từ ngày nhập "
        f"({day(today())}). Hãy nhập ngày ban hành để báo cáo các kỳ đã qua đúng số liệu."
    )


def _plan_heading(lines: list[str], plan_number: str | None) -> tuple[PlanHeading, bool]:
    found = read_plan_heading(lines)
    if plan_number and plan_number.strip():
        number = plan_number.strip()
        if found is not None and found.number == number:
            return found, True
        return PlanHeading(number=number), False
    # Never the file's name: "phu-luc-final(2).xlsx" names no plan; the user types the number.
    return (found, True) if found is not None else (PlanHeading(number=""), False)


def _resolve_units(
    keys: dict[str, Unit], rows: Sequence[ProposedTask | ProposedIndicator]
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
    rows: Sequence[ProposedTask | ProposedIndicator], keys: set[str], columns: dict[str, str]
) -> dict[str, tuple[int, str]]:
    """Where the unit of each key in KEYS first appears: row number and column name."""
    found: dict[str, tuple[int, str]] = {}
    for row in rows:
        for name in row.unit_names:
            key = unit_key(name)
            if key in keys and key not in found:
                found[key] = (
                    row.row,
                    columns["lead_unit"] if name in row.lead_units else columns["coordinators"],
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
    indicator_layouts = [read_indicator_layout(grid) for grid in indicator_sheets(workbook, sheet)]
    layout = _task_layout(workbook, sheet, mapping, indicator_layouts)
    heading, from_file = _plan_heading(layout.title_lines, plan_number)
    if issued_on is not None:
        heading = replace(heading, issued_on=issued_on)
    plan = session.exec(select(Plan).where(Plan.number == heading.number)).first()
    columns = {
        name: (layout.headers[layout.mapping[name]] if name in layout.mapping else "") or FIELD_LABELS[name]
        for name in FIELDS
    }
    keys = load_unit_keys(session)
    rows, problems = propose_tasks(layout.entries, columns=columns, known=set(keys))
    indicators = propose_indicators(indicator_layouts, known=set(keys))
    refs, units, unknown = _resolve_units(keys, [*rows, *indicators.rows])
    for row in rows:
        row.lead_unit_match = units[row.lead_unit].name if row.lead_unit in units else ""
    compare_indicators(session, indicators, plan_id=plan.id if plan else None, unit=refs)
    stored = load_stored(session, plan.id if plan else None)
    matched = match_rows(rows, stored)
    names = _unit_names(session, refs)
    for row, (found, code) in zip(rows, matched, strict=True):
        row.code = code
        if found is not None:
            wanted = wanted_values(row, refs)
            row.changes = [
                FieldChange(
                    name,
                    display_value(found.values[name], name, names),
                    display_value(wanted[name], name, names),
                )
                for name in changed_fields(found, wanted)
            ]
            row.action = "updated" if row.changes else "unchanged"
    missing = missing_codes(stored, matched)
    warnings = [
        Problem(0, "", f"Bỏ qua trang ẩn '{name}'.") for name in workbook.hidden if name != layout.sheet
    ]
    warnings += _other_task_sheets(workbook, sheet, layout.sheet) + problems.warnings + indicators.warnings
    if plan is None and heading.issued_on is None:
        warnings.append(Problem(0, "", _undated_warning(heading.number)))
    first_seen = _first_seen([*rows, *indicators.rows], {unit_key(name) for name in unknown}, columns)
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
        missing=missing,
        missing_titles={code: str(stored[code].values["title"]) for code in missing},
        dropped=dropped_codes(stored, missing),
        unknown_units=unknown,
        errors=problems.errors + indicators.errors,
        warnings=warnings,
        indicators=indicators,
    )


def _other_task_sheets(workbook: Workbook, sheet: str | None, read: str) -> list[Problem]:
    """A warning for each other visible sheet holding a task table: one import reads one."""
    if sheet is not None:
        return []
    return [
        Problem(
            0,
            "",
            f"Trang '{name}' cũng có bảng nhiệm vụ nhưng chưa được nhập: hãy chọn trang đó để nhập riêng.",
        )
        for name in workbook.sheets
        if name != read and sheet_kind(workbook.grid(name)) == "tasks"
    ]


def _task_layout(
    workbook: Workbook, sheet: str | None, mapping: dict[str, int] | None, indicators: list[IndicatorLayout]
) -> Layout:
    """The task table's layout; for a file of indicators only, an empty one over its first sheet."""
    if indicators and find_task_sheet(workbook, sheet) is None:
        first = indicators[0]
        return Layout(
            sheet=first.sheet,
            header_row=first.header_row,
            headers=first.headers,
            mapping={},
            title_lines=first.title_lines,
        )
    layout = read_layout(workbook, sheet=sheet, mapping=mapping)
    if not layout.entries:
        raise ImportFileError(
            f"Trang '{layout.sheet}' có dòng tiêu đề (dòng {layout.header_row}) nhưng không có nhiệm vụ nào."
        )
    return layout
