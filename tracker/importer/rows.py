"""What each table row proposes: a task's fields read and checked, with the row's problems.

Errors make a row unusable (no content, a duplicate or overlong code, a unit
name too long to store); warnings keep it (an unreadable deadline, no lead
unit, a formula error in a secondary cell). Every message names the row, the
column and the value, in Vietnamese.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from tracker.directory.units import split_unit_names, unit_key
from tracker.errors import InvalidValue
from tracker.importer.codes import Entry
from tracker.importer.deadlines import read_deadline
from tracker.tasks.fields import MAX_TEXT, check_day, latest_deadline

MAX_CODE = 50
MAX_UNIT_NAME = 300
_FORMULA_ERROR = re.compile(r"^#(DIV/0!|N/A|VALUE!|REF!|NAME\?|NUM!|NULL!|SPILL!|CALC!|GETTING_DATA|ERROR)$")


@dataclass(frozen=True)
class Problem:
    row: int
    column: str
    message: str


@dataclass(frozen=True)
class FieldChange:
    """One annex field a re-import changes, as people read it: "Quý II/2025" → "Quý IV/2026"."""

    field: str
    old: str
    new: str


@dataclass
class ProposedTask:
    """A task as the file states it, and what importing it would do."""

    row: int
    code: str
    numbered: bool
    section_code: str
    section_title: str
    group_title: str
    title: str
    # Every lead as the annex names them (joint leads); the first is the task's lead_unit.
    lead_units: list[str]
    coordinators: list[str]
    deadline: date | None
    deadline_text: str
    recurring: bool
    output: str
    # Name of the existing unit the lead unit matched; "" when it will be created.
    lead_unit_match: str = ""
    action: str = "created"
    changes: list[FieldChange] = field(default_factory=list)
    # A row with an error is imported only if the user skips errors, and then it is skipped.
    has_error: bool = False

    @property
    def lead_unit(self) -> str:
        return self.lead_units[0] if self.lead_units else ""

    @property
    def unit_names(self) -> list[str]:
        return self.lead_units + self.coordinators


@dataclass
class RowProblems:
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)


@dataclass
class _Splitter:
    """split_unit_names with the known units of one import: each distinct cell is split once."""

    known: set[str]
    done: dict[str, list[str]] = field(default_factory=dict)

    def __call__(self, text: str) -> list[str]:
        if text not in self.done:
            self.done[text] = split_unit_names(text, known=self.known)
        return self.done[text]


def _text(text: str, row: int, column: str, problems: RowProblems) -> str:
    """TEXT, or "" with a warning when the cell holds a formula error."""
    if text[:1] == "#" and _FORMULA_ERROR.match(text):
        problems.warnings.append(
            Problem(row, column, f"Dòng {row}: ô '{column}' có lỗi công thức '{text}', bỏ trống.")
        )
        return ""
    return text


def propose_tasks(
    entries: list[Entry], *, columns: dict[str, str], known: set[str]
) -> tuple[list[ProposedTask], RowProblems]:
    """The tasks ENTRIES propose. COLUMNS names each field as the file's header does;
    KNOWN holds the keys of units already known, for splitting comma lists."""
    problems = RowProblems()
    first_pass = _Splitter(known)
    leads = {entry.cells.lead_unit for entry in entries}
    split = _Splitter(known | {unit_key(name) for lead in leads for name in first_pass(lead)})
    latest = latest_deadline()
    seen: dict[str, int] = {}
    tasks: list[ProposedTask] = []
    for entry in entries:
        task = _propose(entry, columns, split, latest, problems)
        first = seen.setdefault(task.code, entry.row)
        if first != entry.row:
            task.has_error = True
            problems.errors.append(
                Problem(
                    entry.row, columns["code"], f"Dòng {entry.row}: mã '{task.code}' trùng với dòng {first}."
                )
            )
        tasks.append(task)
    return tasks, problems


def _propose(
    entry: Entry, columns: dict[str, str], split: _Splitter, latest: date, problems: RowProblems
) -> ProposedTask:
    row, cells = entry.row, entry.cells
    errors_before = len(problems.errors)
    title = _text(cells.title, row, columns["title"], problems)
    if not title:
        problems.errors.append(
            Problem(row, columns["title"], f"Dòng {row}: mã '{entry.code}' không có nội dung.")
        )
    elif len(title) > MAX_TEXT:
        problems.errors.append(
            Problem(row, columns["title"], f"Dòng {row}: nội dung dài {len(title)} ký tự, quá {MAX_TEXT}.")
        )
    if len(entry.code) > MAX_CODE:
        problems.errors.append(
            Problem(row, columns["code"], f"Dòng {row}: mã '{entry.code[:60]}…' dài quá {MAX_CODE} ký tự.")
        )
    leads = split(_text(cells.lead_unit, row, columns["lead_unit"], problems))
    coordinators = split(_text(cells.coordinators, row, columns["coordinators"], problems))
    if not leads:
        problems.warnings.append(
            Problem(row, columns["lead_unit"], f"Dòng {row}: nhiệm vụ {entry.code} chưa có cơ quan chủ trì.")
        )
    lead_keys = {unit_key(name) for name in leads}
    for name in coordinators:
        if unit_key(name) in lead_keys:
            problems.warnings.append(
                Problem(
                    row,
                    columns["coordinators"],
                    f"Dòng {row}: '{name}' vừa chủ trì vừa phối hợp nhiệm vụ {entry.code}; "
                    "giữ cả hai như phụ lục ghi, đề nghị kiểm tra lại kế hoạch.",
                )
            )
    for column, names in ((columns["lead_unit"], leads), (columns["coordinators"], coordinators)):
        for name in names:
            if len(name) > MAX_UNIT_NAME:
                problems.errors.append(
                    Problem(
                        row, column, f"Dòng {row}: tên đơn vị '{name[:60]}…' dài quá {MAX_UNIT_NAME} ký tự."
                    )
                )
    output = _text(cells.output, row, columns["output"], problems)
    if len(output) > MAX_TEXT:
        problems.errors.append(
            Problem(row, columns["output"], f"Dòng {row}: sản phẩm dài {len(output)} ký tự, quá {MAX_TEXT}.")
        )
    deadline = _deadline(entry, columns["deadline"], latest, problems)
    return ProposedTask(
        row=row,
        code=entry.code,
        numbered=entry.numbered,
        section_code=entry.section_code,
        section_title=entry.section_title,
        group_title=entry.group_title,
        title=title,
        lead_units=leads,
        coordinators=coordinators,
        deadline=deadline[0],
        deadline_text=deadline[1],
        recurring=deadline[2],
        output=output,
        has_error=len(problems.errors) > errors_before,
    )


def _deadline(
    entry: Entry, column: str, latest: date, problems: RowProblems
) -> tuple[date | None, str, bool]:
    row, cells = entry.row, entry.cells
    if cells.deadline and not _text(cells.deadline, row, column, problems):
        return None, "", False  # a formula error, warned about
    deadline = read_deadline(cells.deadline_value)
    if deadline.unreadable:
        problems.warnings.append(
            Problem(
                row,
                column,
                f"Dòng {row}: không đọc được thời hạn '{deadline.text}' của nhiệm vụ {entry.code}; "
                "giữ nguyên văn bản, chưa có ngày.",
            )
        )
    elif not deadline.text:
        problems.warnings.append(Problem(row, column, f"Dòng {row}: nhiệm vụ {entry.code} chưa có thời hạn."))
    on = deadline.on
    if on is not None:
        try:
            check_day(on, f"Dòng {row}: thời hạn '{deadline.text}' ({entry.code}) đọc ra", latest=latest)
        except InvalidValue as error:
            problems.warnings.append(Problem(row, column, f"{error} Bỏ ngày, giữ văn bản."))
            on = None
    return on, deadline.text, deadline.recurring
