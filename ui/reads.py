"""Cached reads for the pages (ui.cached): tasks, queues, accounts, units, imports."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

import pandas as pd

from models import ReminderLog, Role, Unit, User
from tracker.clock import now
from tracker.directory.accounts import list_users
from tracker.directory.throttle import waits_by_username
from tracker.directory.unit_list import UnitEntry, unit_directory
from tracker.directory.units import units_by_name
from tracker.errors import TrackerError
from tracker.importer.history import ImportRecord, import_history
from tracker.importer.preview import ImportPreview, preview_import
from tracker.reminders import log as reminder_log_rows
from tracker.reminders.attention import attention_items
from tracker.reminders.items import Item
from tracker.reminders.letters import Letter, overdue_letters, unit_letter, write_letters
from tracker.reminders.run import Preview, preview
from tracker.tasks.evidence import read_evidence
from tracker.views import queries, queues
from ui.cached import PEOPLE, TASKS, cached_read, reading, state_store
from ui.session import settings


def classified_tasks(as_of: date, plan_ids: Sequence[int] | None = None) -> pd.DataFrame:
    """The tasks of the plans (default: in force) classified at AS_OF (tracker.views.queries).

    Not a cached read: the process's state store keeps the frame, without a copy per rerun.
    """
    with reading() as session:
        return queries.classified_tasks(
            session,
            as_of=as_of,
            plan_ids=plan_ids,
            due_soon_days=settings().due_soon_days,
            store=state_store(),
        )


@cached_read(PEOPLE)
def task_detail(task_id: int) -> queries.TaskDetail:
    """Fields, coordinators, history, evidence and extension requests of one task (NotFound if none)."""
    with reading() as session:
        return queries.task_detail(session, task_id)


@cached_read(TASKS)
def units(*, collectives: bool = True) -> dict[int, str]:
    """Every unit's id and name, in Vietnamese order; collectives ("các địa phương") left
    out when COLLECTIVES is False, as account forms need."""
    with reading() as session:
        found = units_by_name(session, collectives=collectives)
    return {unit.id: unit.name for unit in found if unit.id is not None}


def evidence_file(evidence_id: int) -> tuple[str, bytes]:
    """The name and bytes of an evidence file; not cached, files can be large."""
    with reading() as session:
        evidence, data = read_evidence(session, evidence_id=evidence_id)
    return evidence.file_name, data


@cached_read(PEOPLE)
def awaiting_confirmation() -> list[queues.AwaitingConfirmation]:
    """Reported completions not yet confirmed or returned, longest waiting first."""
    with reading() as session:
        return queues.awaiting_confirmation(session)


@cached_read(PEOPLE)
def pending_extensions() -> list[queues.PendingExtension]:
    """Extension requests awaiting a decision, oldest first."""
    with reading() as session:
        return queues.pending_extensions(session)


@cached_read(PEOPLE)
def dropped_tasks() -> list[queues.DroppedTask]:
    """Tasks a revision of their annex no longer lists, awaiting cancel or keep, longest waiting first."""
    with reading() as session:
        return queues.dropped_tasks(session)


@cached_read(PEOPLE)
def unit_inbox(unit_id: int) -> list[queues.InboxItem]:
    """What others wrote on the unit's tasks since the unit last touched them, newest first."""
    with reading() as session:
        return queues.unit_inbox(session, unit_id)


@cached_read(PEOPLE)
def users() -> list[User]:
    """Every account, by role then username."""
    with reading() as session:
        return list_users(session)


def sign_in_waits() -> dict[str, datetime]:
    """Until when sign-ins to each username wait after failed attempts; not cached (it is time itself)."""
    with reading() as session:
        return waits_by_username(session, now())


@cached_read(PEOPLE)
def unit_entries() -> list[UnitEntry]:
    """Every unit with its other spellings, tasks and accounts."""
    with reading() as session:
        return unit_directory(session)


@cached_read(PEOPLE, max_entries=20)
def import_preview(
    file_name: str,
    data: bytes,
    *,
    sheet: str | None = None,
    mapping: dict[str, int] | None = None,
    plan_number: str | None = None,
    issued_on: date | None = None,
) -> ImportPreview:
    """What importing the file would do (ImportFileError when it cannot be read); writes nothing."""
    with reading() as session:
        return preview_import(
            session,
            data=data,
            file_name=file_name,
            sheet=sheet,
            mapping=mapping,
            plan_number=plan_number,
            issued_on=issued_on,
        )


@cached_read(PEOPLE)
def imports() -> list[ImportRecord]:
    """Past imports, newest first."""
    with reading() as session:
        return import_history(session)


# Reminders (tracker.reminders) -------------------------------------------------------------
# The preview reads the accounts (recipients) and the log (the repeat rule).
REMINDERS = PEOPLE | {"reminderlog"}


@cached_read(REMINDERS)
def reminder_preview(as_of: date) -> Preview:
    """What the next reminder run dated AS_OF would send (tracker.reminders.run.preview)."""
    with reading() as session:
        return preview(session, settings=settings(), as_of=as_of)


@cached_read(frozenset({"reminderlog"}))
def reminder_log() -> list[ReminderLog]:
    """The latest reminder e-mails, newest first."""
    with reading() as session:
        return reminder_log_rows.latest_log(session)


@cached_read(TASKS)
def reminder_letter(unit_id: int, as_of: date) -> tuple[bytes, str]:
    """The reminder letter (.docx) to the unit at AS_OF, or why there is none."""
    with reading() as session:
        unit = session.get(Unit, unit_id)
        if unit is None:
            return b"", f"Không có đơn vị mã {unit_id}."
        try:
            letter = unit_letter(session, unit=unit, as_of=as_of, due_soon_days=settings().due_soon_days)
        except TrackerError as error:
            return b"", str(error)
    return write_letters([letter], place=settings().province), ""


@cached_read(TASKS)
def letters_to_overdue_units(as_of: date) -> tuple[list[Letter], str]:
    """A reminder letter to each unit with overdue tasks at AS_OF, or why there is none."""
    # The classified tasks this page run has cached already: not read a second time.
    tasks = classified_tasks(as_of)
    with reading() as session:
        try:
            days = settings().due_soon_days
            return overdue_letters(session, as_of=as_of, due_soon_days=days, tasks=tasks), ""
        except TrackerError as error:
            return [], str(error)


@cached_read(PEOPLE)
def _attention(role: str, unit_id: int | None, as_of: date) -> list[Item]:
    # The classified tasks this page run has cached already: not read a second time.
    tasks = classified_tasks(as_of) if role == Role.unit else None
    with reading() as session:
        days = settings().due_soon_days
        return attention_items(
            session, role=role, unit_id=unit_id, as_of=as_of, due_soon_days=days, tasks=tasks
        )


def attention(user: User, as_of: date) -> list[Item]:
    """The items under the user's "Cần chú ý" (tracker.reminders.attention)."""
    return _attention(user.role, user.unit_id, as_of)
