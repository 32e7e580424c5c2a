"""Bringing the past in: a spreadsheet of progress → backdated history rows, in one transaction.

A province adopts the tracker in the middle of its plan, with its progress
kept in the annex of its last report or in its own tracking sheet. Each row
names a task (by code, or by its title when the sheet has no codes) and its
state in the words officials write ("Đã hoàn thành", "Đang triển khai"),
with a completion date, a progress, a note and a document number where the
sheet has them. The preview shows each match and each row's problem; the
apply step writes one history row per matched task, effective on the date the
row states (or the date the sheet is "as of"), recorded now by the
secretariat, and keeps the file as the evidence of where the entries came from.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func
from sqlmodel import Session, col, select

from models import HistoryKind, Plan, StatusUpdate, Task, TaskStatus, User
from tracker.directory.plans import get_plan, plans_in_force
from tracker.errors import ImportFileError, InvalidValue
from tracker.importer.deadlines import read_deadline
from tracker.importer.diff import content_key
from tracker.importer.layout import header_fields
from tracker.importer.read import Grid, Workbook, cell_text, read_workbook
from tracker.importer.rows import Problem
from tracker.tasks.evidence import attach_evidence, describe_evidence
from tracker.tasks.fields import check_day
from tracker.tasks.history import append_state
from tracker.tasks.permissions import Action, require_current
from tracker.tasks.writes import save_task
from tracker.textfold import fold

COLUMN_LABELS = {
    "code": "STT",
    "title": "Nội dung nhiệm vụ",
    "status": "Kết quả thực hiện",
    "completed_on": "Ngày hoàn thành",
    "progress": "Tiến độ (%)",
    "note": "Ghi chú",
    "document": "Số văn bản",
}
# Checked in this order, so "Ngày hoàn thành" is a completion date before any word of a title.
_HEADER_WORDS = (
    ("completed_on", ("ngay hoan thanh", "thoi diem hoan thanh", "hoan thanh ngay", "ngay thuc hien xong")),
    ("progress", ("ty le", "phan tram", "muc do hoan thanh")),
    ("status", ("ket qua thuc hien", "tinh hinh thuc hien", "trang thai", "ket qua", "tinh trang")),
    ("document", ("so van ban", "so hieu van ban", "so ky hieu", "van ban")),
    ("note", ("ghi chu",)),
    ("title", ("noi dung", "nhiem vu", "cong viec")),
)
_HEADER_SCAN_ROWS = 60
# Status words as officials write them, folded; the longest that opens the cell wins,
# so "Chưa hoàn thành" is not read as "hoàn thành".
_STATUS_WORDS: dict[str, TaskStatus] = {
    "da hoan thanh": TaskStatus.completed,
    "hoan thanh": TaskStatus.completed,
    "hoan thanh dung han": TaskStatus.completed,
    "hoan thanh qua han": TaskStatus.completed,
    "hoan thanh tre han": TaskStatus.completed,
    "hoan thanh cham": TaskStatus.completed,
    "da xong": TaskStatus.completed,
    "xong": TaskStatus.completed,
    "dang trien khai": TaskStatus.in_progress,
    "dang thuc hien": TaskStatus.in_progress,
    "dang xay dung": TaskStatus.in_progress,
    "dang du thao": TaskStatus.in_progress,
    "dang hoan thien": TaskStatus.in_progress,
    "dang trinh": TaskStatus.in_progress,
    "chua hoan thanh": TaskStatus.in_progress,
    "chua thuc hien": TaskStatus.not_started,
    "chua trien khai": TaskStatus.not_started,
    "chua bat dau": TaskStatus.not_started,
    "tam dung": TaskStatus.paused,
    "tam hoan": TaskStatus.paused,
}
_DATE_IN_TEXT = re.compile(r"ngay\s+(\d{1,2}\s*/\s*\d{1,2}\s*/\s*\d{4})")
_PERCENT = re.compile(r"^(\d{1,3}(?:[.,]\d+)?)\s*%?$")


def read_status(text: str) -> TaskStatus | None:
    """The status that a cell's words state, or None when they state none we know."""
    key = " ".join(re.sub(r"[^\w\s]", " ", fold(text)).split())
    matches = [word for word in _STATUS_WORDS if key == word or key.startswith(word + " ")]
    return _STATUS_WORDS[max(matches, key=len)] if matches else None


def read_progress(value: object) -> int | None:
    """A progress cell as a whole percent: 40, "40%", "40 %", or 0.4 from a cell formatted as percent."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, int | float):
        number = float(value) * 100 if 0 < value < 1 else float(value)
    else:
        found = _PERCENT.match(cell_text(value))
        if found is None:
            raise ValueError(value)
        number = float(found.group(1).replace(",", "."))
    if not 0 <= number <= 100:
        raise ValueError(value)
    return round(number)


@dataclass(frozen=True)
class ProgressRow:
    """One row of the sheet matched to a task, with the state it brings in."""

    row: int
    task_id: int
    code: str
    title: str
    status: TaskStatus
    progress: int
    completed_on: date | None
    effective_on: date
    note: str
    document: str


@dataclass
class ProgressPreview:
    file_name: str
    sheet: str
    plan: Plan
    sha256: str
    data: bytes
    rows: list[ProgressRow] = field(default_factory=list)
    errors: list[Problem] = field(default_factory=list)


@dataclass(frozen=True)
class ProgressResult:
    written: int
    skipped: int
    codes: list[str]


def _header(grid: Grid) -> tuple[int, dict[str, int]] | None:
    for index, row in enumerate(grid.rows[:_HEADER_SCAN_ROWS]):
        # "Tiến độ (%)": the sign names a progress column; "Tiến độ" alone may be a deadline.
        found = header_fields(row, _HEADER_WORDS, percent_field="progress", columns=None)
        if "status" in found and ({"code", "title"} & found.keys()):
            return index, found
    return None


def _sheet(workbook: Workbook, sheet: str | None) -> tuple[Grid, int, dict[str, int]]:
    names = [sheet] if sheet is not None else workbook.sheets
    for name in names:
        grid = workbook.grid(name)
        found = _header(grid)
        if found is not None:
            return grid, *found
    raise ImportFileError(
        f"Không tìm thấy bảng tiến độ trong tệp '{workbook.file_name}': cần một dòng tiêu đề có cột "
        "'STT' hoặc 'Nội dung nhiệm vụ', và cột 'Kết quả thực hiện' "
        "(hoặc 'Tình hình thực hiện', 'Trạng thái')."
    )


def _plan(session: Session, plan_number: str | None) -> Plan:
    if plan_number:
        return get_plan(session, plan_number)
    plans = plans_in_force(session)
    if len(plans) == 1:
        return plans[0]
    if not plans:
        raise InvalidValue("Chưa có kế hoạch nào: hãy nhập phụ lục nhiệm vụ trước khi nhập tiến độ.")
    numbers = ", ".join(plan.number for plan in plans)
    raise InvalidValue(f"Có nhiều kế hoạch ({numbers}): hãy chọn kế hoạch của bảng tiến độ.")


class _Tasks:
    """The plan's tasks, found by code or by title."""

    def __init__(self, tasks: Iterable[Task]) -> None:
        self.by_code: dict[str, Task] = {}
        titles: dict[str, list[Task]] = {}
        for task in tasks:
            self.by_code[fold(task.code)] = task
            titles.setdefault(content_key(task.title), []).append(task)
        self.by_title = titles

    def find(self, code: str, title: str) -> Task | str:
        """The task, or why none is chosen."""
        if code:
            task = self.by_code.get(fold(code))
            return task if task is not None else f"không có nhiệm vụ mã '{code}' trong kế hoạch"
        found = self.by_title.get(content_key(title), [])
        if len(found) == 1:
            return found[0]
        if found:
            return f"nhiều nhiệm vụ cùng nội dung '{title[:60]}': hãy ghi mã (STT)"
        return f"không có nhiệm vụ nào có nội dung '{title[:60]}'"


def _cell(row: list[object], columns: dict[str, int], name: str) -> object:
    column = columns.get(name, -1)
    return row[column] if 0 <= column < len(row) else ""


def _completion_day(value: object, status_text: str) -> date | None:
    """The completion date the row states: its own column, else "ngày 5/6/2025" in the result's words."""
    if value in (None, "") and (found := _DATE_IN_TEXT.search(fold(status_text))):
        value = found.group(1).replace(" ", "")
    if value in (None, ""):
        return None
    deadline = read_deadline(value)
    if deadline.on is None or deadline.recurring:
        raise ValueError(value)
    return deadline.on


class _RowError(Exception):
    def __init__(self, column: str, message: str) -> None:
        super().__init__(message)
        self.column = column


def _read_row(
    row: list[object], columns: dict[str, int], task: Task, on: date, latest: date
) -> tuple[TaskStatus, int, date | None, date]:
    """Status, progress, completion date and effective date of one matched row."""
    status_text = cell_text(_cell(row, columns, "status"))
    status = read_status(status_text)
    if status is None:
        raise _RowError("status", f"không hiểu trạng thái '{status_text[:80]}'")
    try:
        progress = read_progress(_cell(row, columns, "progress"))
    except ValueError:
        value = cell_text(_cell(row, columns, "progress"))
        raise _RowError(
            "progress", f"tiến độ '{value}' không hợp lệ: cần số phần trăm từ 0 đến 100"
        ) from None
    try:
        completed_on = _completion_day(_cell(row, columns, "completed_on"), status_text)
    except ValueError:
        value = cell_text(_cell(row, columns, "completed_on"))
        raise _RowError("completed_on", f"không đọc được ngày hoàn thành '{value}'") from None
    if status != TaskStatus.completed:
        if progress == 100:
            raise _RowError("progress", "tiến độ 100% nhưng trạng thái chưa hoàn thành")
        return status, progress if progress is not None else task.progress, None, on
    if completed_on is None:
        raise _RowError("completed_on", "nhiệm vụ đã hoàn thành nhưng thiếu ngày hoàn thành")
    try:
        check_day(completed_on, "ngày hoàn thành", latest=latest)
    except InvalidValue as error:
        raise _RowError("completed_on", str(error)) from None
    return status, 100, completed_on, completed_on


def preview_progress(
    session: Session,
    *,
    data: bytes,
    file_name: str,
    on: date,
    sheet: str | None = None,
    plan_number: str | None = None,
) -> ProgressPreview:
    """What importing the progress sheet would write, row by row, and each row's problem.

    ON is the date the sheet's state holds at: the effective date of the rows
    that are not completions (a completion takes its own date).
    """
    check_day(on, "Ngày của bảng tiến độ")
    workbook = read_workbook(data, file_name)
    grid, header, columns = _sheet(workbook, sheet)
    plan = _plan(session, plan_number)
    tasks = _Tasks(session.exec(select(Task).where(Task.plan_id == plan.id)))
    preview = ProgressPreview(
        file_name=file_name, sheet=grid.name, plan=plan, sha256=hashlib.sha256(data).hexdigest(), data=data
    )
    seen: dict[int, int] = {}
    for number, row in enumerate(grid.rows[header + 1 :], start=header + 2):
        code, title = cell_text(_cell(row, columns, "code")), cell_text(_cell(row, columns, "title"))
        status_text = cell_text(_cell(row, columns, "status"))
        if not status_text or not (code or title):
            continue
        found = tasks.find(code, title)
        if isinstance(found, str):
            column = "code" if code else "title"
            preview.errors.append(Problem(number, COLUMN_LABELS[column], f"Dòng {number}: {found}."))
            continue
        assert found.id is not None
        if found.id in seen:
            message = f"Dòng {number}: nhiệm vụ {found.code} đã có ở dòng {seen[found.id]}."
            preview.errors.append(Problem(number, COLUMN_LABELS["code"], message))
            continue
        try:
            status, progress, completed_on, effective_on = _read_row(row, columns, found, on, latest=on)
        except _RowError as error:
            label = COLUMN_LABELS[error.column]
            preview.errors.append(Problem(number, label, f"Dòng {number}, cột '{label}': {error}."))
            continue
        seen[found.id] = number
        preview.rows.append(
            ProgressRow(
                row=number,
                task_id=found.id,
                code=found.code,
                title=found.title,
                status=status,
                progress=progress,
                completed_on=completed_on,
                effective_on=effective_on,
                note=cell_text(_cell(row, columns, "note")),
                document=cell_text(_cell(row, columns, "document")),
            )
        )
    return preview


def _latest_effective(session: Session, task_ids: list[int]) -> dict[int, date]:
    """The newest effective date of a state row of each task."""
    query = (
        select(StatusUpdate.task_id, func.max(StatusUpdate.effective_on))
        .where(col(StatusUpdate.task_id).in_(task_ids), col(StatusUpdate.status).is_not(None))
        .group_by(col(StatusUpdate.task_id))
    )
    return {task_id: day for task_id, day in session.exec(query)}


_LISTED_ERRORS = 5


def _refusal(errors: list[Problem]) -> str:
    """One line that says nothing was written and names the bad rows."""
    listed = "; ".join(problem.message.rstrip(".") for problem in errors[:_LISTED_ERRORS])
    more = f"; và {len(errors) - _LISTED_ERRORS} dòng lỗi khác" if len(errors) > _LISTED_ERRORS else ""
    return f"Bảng tiến độ có {len(errors)} dòng lỗi nên chưa ghi gì: {listed}{more}."


def apply_progress(
    session: Session, *, preview: ProgressPreview, by: User, skip_errors: bool = False
) -> ProgressResult:
    """Write the preview's rows as backdated history, all or nothing; the file is kept as
    each task's evidence (stored once, tracker.tasks.evidence).

    A row whose date is the newest the task has also becomes the task's
    current state; an older one only fills in the past. Rows with errors stop
    the import unless SKIP_ERRORS.
    """
    require_current(session, by, Action.import_plan)
    if preview.errors and not skip_errors:
        raise InvalidValue(_refusal(preview.errors))
    latest = _latest_effective(session, [row.task_id for row in preview.rows])
    source = f"Nhập tiến độ từ tệp {preview.file_name}"
    for row in preview.rows:
        evidence = attach_evidence(
            session,
            by=by,
            task_id=row.task_id,
            reference=row.document,
            file_name=preview.file_name,
            data=preview.data,
        )
        if row.effective_on >= latest.get(row.task_id, date.min):
            task = session.get(Task, row.task_id)
            assert task is not None
            state = {"status": row.status, "progress": row.progress, "completed_on": row.completed_on}
            save_task(session, task=task, seen_version=task.version, values=state)
        append_state(
            session,
            task_id=row.task_id,
            status=row.status,
            progress=row.progress,
            completed_on=row.completed_on,
            kind=HistoryKind.status,
            by=by,
            effective_on=row.effective_on,
            note=" · ".join(part for part in (f"{source}, dòng {row.row}", row.note) if part),
            evidence=describe_evidence(evidence),
        )
    return ProgressResult(
        written=len(preview.rows), skipped=len(preview.errors), codes=[row.code for row in preview.rows]
    )
