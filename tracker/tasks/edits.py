"""The secretariat's edits of a task's fields, and comments on a task.

An edit writes one field_edit history row per field that changed, old → new,
so the timeline shows exactly what was corrected. Comments change nothing on
the task, so they need no version check.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date

from sqlmodel import Session, col, delete, select

from models import HistoryKind, StatusUpdate, Task, TaskCoordinator, TaskLead, Unit, User
from tracker.errors import InvalidValue, NotFound
from tracker.tasks.fields import HISTORY_FIELDS, check_day, history_text, latest_deadline, limited
from tracker.tasks.history import record_event
from tracker.tasks.permissions import Action, require_current, task_scope
from tracker.tasks.writes import get_task, open_task, save_task

COMMENT_ACTIONS = {
    HistoryKind.comment: Action.comment,
    HistoryKind.explanation_request: Action.request_explanation,
    HistoryKind.coordination_note: Action.coordination_note,
}
FIELD_NAMES = {
    "title": "Nội dung nhiệm vụ",
    "output": "Sản phẩm",
    "deadline": "Thời hạn",
    "deadline_text": "Thời hạn (như văn bản ghi)",
    "recurring": "Nhiệm vụ thường xuyên",
    "lead_unit_ids": "Cơ quan chủ trì",
    "coordinator_unit_ids": "Cơ quan phối hợp",
}
_LINKS: dict[str, type[TaskLead] | type[TaskCoordinator]] = {
    "lead_unit_ids": TaskLead,
    "coordinator_unit_ids": TaskCoordinator,
}


def _text(value: object, field: str) -> str:
    if not isinstance(value, str):
        raise InvalidValue(f"{FIELD_NAMES[field]} phải là văn bản, không phải '{value}'.")
    return limited(value, FIELD_NAMES[field])


def _title(value: object) -> str:
    title = _text(value, "title")
    if not title:
        raise InvalidValue("Nội dung nhiệm vụ không được để trống.")
    return title


def _deadline(value: object) -> date | None:
    if value is None:
        return None
    if not isinstance(value, date):
        raise InvalidValue(f"Thời hạn '{value}' không phải là một ngày.")
    check_day(value, "Thời hạn", latest=latest_deadline())
    return value


def _recurring(value: object) -> bool:
    if not isinstance(value, bool):
        raise InvalidValue(f"Nhiệm vụ thường xuyên phải là có/không, không phải '{value}'.")
    return value


def _unit_ids(session: Session, values: Iterable[object]) -> list[int]:
    ids = list(dict.fromkeys(values))
    known = set(session.exec(select(Unit.id).where(col(Unit.id).in_(ids)))) if ids else set()
    missing = [str(i) for i in ids if i not in known]
    if missing:
        raise NotFound(f"Không có đơn vị mã số {', '.join(missing)}.")
    return [i for i in ids if isinstance(i, int)]


def _unit_names(session: Session, ids: Iterable[int | None]) -> str:
    names = {unit.id: unit.name for unit in session.exec(select(Unit).where(col(Unit.id).in_(list(ids))))}
    return "; ".join(names[i] for i in ids if i in names)


def _linked(session: Session, link: type[TaskLead] | type[TaskCoordinator], task_id: int) -> list[int]:
    query = select(link.unit_id).where(link.task_id == task_id).order_by(col(link.position))
    return list(session.exec(query))


_PARSERS: dict[str, Callable[[object], object]] = {
    "title": _title,
    "output": lambda value: _text(value, "output"),
    "deadline": _deadline,
    "deadline_text": lambda value: _text(value, "deadline_text"),
    "recurring": _recurring,
}


def edit_task(
    session: Session, *, by: User, task_id: int, seen_version: int, changes: dict[str, object]
) -> Task:
    """Change the task's fields named in CHANGES (keys of FIELD_NAMES); unchanged ones are ignored."""
    unknown = sorted(set(changes) - set(FIELD_NAMES))
    if unknown:
        raise InvalidValue(f"Không sửa được trường {', '.join(unknown)} của nhiệm vụ.")
    task = open_task(session, by=by, task_id=task_id, action=Action.edit_task, seen_version=seen_version)
    values: dict[str, object] = {}
    rows: list[tuple[str, str, str]] = []
    for field, parse in _PARSERS.items():
        if field in changes and (new := parse(changes[field])) != getattr(task, field):
            values[field] = new
            rows.append((field, history_text(getattr(task, field)), history_text(new)))
    relinked: dict[str, list[int]] = {}
    for field, link in _LINKS.items():
        if field not in changes:
            continue
        given = changes[field]
        if not isinstance(given, list | tuple | set | frozenset):
            raise InvalidValue(f"{FIELD_NAMES[field]} phải là danh sách đơn vị, không phải '{given}'.")
        old_ids, new_ids = _linked(session, link, task_id), _unit_ids(session, given)
        if new_ids != old_ids:
            relinked[field] = new_ids
            rows.append((field, _unit_names(session, old_ids), _unit_names(session, new_ids)))
    if "lead_unit_ids" in relinked:
        leads = relinked["lead_unit_ids"]
        values["lead_unit_id"] = leads[0] if leads else None
    if not rows:
        return task
    save_task(session, task=task, seen_version=seen_version, values=values)
    for field, unit_ids in relinked.items():
        link = _LINKS[field]
        session.exec(delete(link).where(col(link.task_id) == task_id))
        session.add_all(
            link(task_id=task_id, unit_id=unit_id, position=position)
            for position, unit_id in enumerate(unit_ids)
        )
    for field, old, new in rows:
        record_event(
            session,
            task_id=task_id,
            kind=HistoryKind.field_edit,
            by=by,
            field=HISTORY_FIELDS.get(field, field),
            old_value=old,
            new_value=new,
        )
    return task


def add_comment(session: Session, *, by: User, task_id: int, text: str, kind: HistoryKind) -> StatusUpdate:
    """A comment or request for explanation (committee, secretariat), or a coordinating unit's note."""
    action = COMMENT_ACTIONS.get(kind)
    if action is None:
        raise InvalidValue(f"'{kind}' không phải là một loại ý kiến.")
    task = get_task(session, task_id)
    require_current(session, by, action, task_scope(session, task))
    body = limited(text, "Ý kiến")
    if not body:
        raise InvalidValue("Ý kiến không được để trống.")
    return record_event(session, task_id=task_id, kind=kind, by=by, note=body)
