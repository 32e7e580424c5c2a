"""Cached reads for the pages. Every write clears them (ui.writes.save), so no one sees stale numbers.

Each cache key holds the database URL, so two databases (tests, a restart on
another URL) never share entries. The time limit bounds how stale a view can
be after a change made outside the app (the CLI).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import pandas as pd
import streamlit as st

from models import ReminderLog, Role, Unit, User
from tracker.db import read_session
from tracker.directory.accounts import list_users
from tracker.directory.unit_list import UnitEntry, unit_directory
from tracker.directory.units import load_unit_keys
from tracker.errors import TrackerError
from tracker.importer.history import ImportRecord, import_history
from tracker.importer.preview import ImportPreview, preview_import
from tracker.reminders import log as reminder_log_rows
from tracker.reminders.attention import attention_items
from tracker.reminders.items import Item
from tracker.reminders.letters import unit_letter, write_letters
from tracker.reminders.run import Preview, preview
from tracker.tasks.evidence import read_evidence
from tracker.views import queries, queues
from ui.session import engine_for, settings

_TTL = 300


def _plan_key(plan_ids: Sequence[int] | None) -> tuple[int, ...] | None:
    return None if plan_ids is None else tuple(sorted(plan_ids))


@st.cache_data(ttl=_TTL, show_spinner=False)
def _classified(url: str, as_of: date, plan_ids: tuple[int, ...] | None) -> pd.DataFrame:
    with read_session(engine_for(url)) as session:
        return queries.classified_tasks(session, as_of=as_of, plan_ids=plan_ids)


def classified_tasks(as_of: date, plan_ids: Sequence[int] | None = None) -> pd.DataFrame:
    """The tasks of the plans (default: in force) classified at AS_OF (tracker.views.queries)."""
    return _classified(settings().database_url, as_of, _plan_key(plan_ids))


@st.cache_data(ttl=_TTL, show_spinner=False)
def _task_detail(url: str, task_id: int) -> queries.TaskDetail:
    with read_session(engine_for(url)) as session:
        return queries.task_detail(session, task_id)


def task_detail(task_id: int) -> queries.TaskDetail:
    """Fields, coordinators, history, evidence and extension requests of one task (NotFound if none)."""
    return _task_detail(settings().database_url, task_id)


@st.cache_data(ttl=_TTL, show_spinner=False)
def _units(url: str) -> dict[int, str]:
    with read_session(engine_for(url)) as session:
        found = load_unit_keys(session).values()
    return {unit.id: unit.name for unit in sorted(found, key=lambda unit: unit.name) if unit.id is not None}


def units() -> dict[int, str]:
    """Every unit's id and name, by name."""
    return _units(settings().database_url)


def evidence_file(evidence_id: int) -> tuple[str, bytes]:
    """The name and bytes of an evidence file; not cached, files can be large."""
    with read_session(engine_for(settings().database_url)) as session:
        evidence, data = read_evidence(session, evidence_id=evidence_id)
    return evidence.file_name, data


@st.cache_data(ttl=_TTL, show_spinner=False)
def _awaiting(url: str) -> list[queues.AwaitingConfirmation]:
    with read_session(engine_for(url)) as session:
        return queues.awaiting_confirmation(session)


def awaiting_confirmation() -> list[queues.AwaitingConfirmation]:
    """Reported completions not yet confirmed or returned, longest waiting first."""
    return _awaiting(settings().database_url)


@st.cache_data(ttl=_TTL, show_spinner=False)
def _pending(url: str) -> list[queues.PendingExtension]:
    with read_session(engine_for(url)) as session:
        return queues.pending_extensions(session)


def pending_extensions() -> list[queues.PendingExtension]:
    """Extension requests awaiting a decision, oldest first."""
    return _pending(settings().database_url)


@st.cache_data(ttl=_TTL, show_spinner=False)
def _inbox(url: str, unit_id: int) -> list[queues.InboxItem]:
    with read_session(engine_for(url)) as session:
        return queues.unit_inbox(session, unit_id)


def unit_inbox(unit_id: int) -> list[queues.InboxItem]:
    """What others wrote on the unit's tasks since the unit last touched them, newest first."""
    return _inbox(settings().database_url, unit_id)


@st.cache_data(ttl=_TTL, show_spinner=False)
def _users(url: str) -> list[User]:
    with read_session(engine_for(url)) as session:
        return list_users(session)


def users() -> list[User]:
    """Every account, by role then username."""
    return _users(settings().database_url)


@st.cache_data(ttl=_TTL, show_spinner=False)
def _unit_entries(url: str) -> list[UnitEntry]:
    with read_session(engine_for(url)) as session:
        return unit_directory(session)


def unit_entries() -> list[UnitEntry]:
    """Every unit with its other spellings, tasks and accounts."""
    return _unit_entries(settings().database_url)


@st.cache_data(ttl=_TTL, show_spinner=False, max_entries=20)
def _preview(
    url: str,
    file_name: str,
    data: bytes,
    sheet: str | None,
    mapping: tuple[tuple[str, int], ...] | None,
    plan_number: str | None,
) -> ImportPreview:
    with read_session(engine_for(url)) as session:
        return preview_import(
            session,
            data=data,
            file_name=file_name,
            sheet=sheet,
            mapping=dict(mapping) if mapping is not None else None,
            plan_number=plan_number,
        )


def import_preview(
    file_name: str,
    data: bytes,
    *,
    sheet: str | None = None,
    mapping: dict[str, int] | None = None,
    plan_number: str | None = None,
) -> ImportPreview:
    """What importing the file would do (ImportFileError when it cannot be read); writes nothing."""
    pairs = tuple(sorted(mapping.items())) if mapping is not None else None
    return _preview(settings().database_url, file_name, data, sheet, pairs, plan_number)


@st.cache_data(ttl=_TTL, show_spinner=False)
def _imports(url: str) -> list[ImportRecord]:
    with read_session(engine_for(url)) as session:
        return import_history(session)


def imports() -> list[ImportRecord]:
    """Past imports, newest first."""
    return _imports(settings().database_url)


# Reminders (tracker.reminders) -------------------------------------------------------------
@st.cache_data(ttl=_TTL, show_spinner=False)
def _reminder_preview(url: str, as_of: date) -> Preview:
    with read_session(engine_for(url)) as session:
        return preview(session, settings=settings(), as_of=as_of)


def reminder_preview(as_of: date) -> Preview:
    """What the next reminder run dated AS_OF would send (tracker.reminders.run.preview)."""
    return _reminder_preview(settings().database_url, as_of)


@st.cache_data(ttl=_TTL, show_spinner=False)
def _reminder_log(url: str) -> list[ReminderLog]:
    with read_session(engine_for(url)) as session:
        return reminder_log_rows.latest_log(session)


def reminder_log() -> list[ReminderLog]:
    """The latest reminder e-mails, newest first."""
    return _reminder_log(settings().database_url)


@st.cache_data(ttl=_TTL, show_spinner=False)
def _reminder_letter(url: str, unit_id: int, as_of: date) -> tuple[bytes, str]:
    with read_session(engine_for(url)) as session:
        unit = session.get(Unit, unit_id)
        if unit is None:
            return b"", f"Không có đơn vị mã {unit_id}."
        try:
            letter = unit_letter(session, unit=unit, as_of=as_of, due_soon_days=settings().due_soon_days)
        except TrackerError as error:
            return b"", str(error)
    return write_letters([letter]), ""


def reminder_letter(unit_id: int, as_of: date) -> tuple[bytes, str]:
    """The reminder letter (.docx) to the unit at AS_OF, or why there is none."""
    return _reminder_letter(settings().database_url, unit_id, as_of)


@st.cache_data(ttl=_TTL, show_spinner=False)
def _attention(url: str, role: str, unit_id: int | None, as_of: date) -> list[Item]:
    with read_session(engine_for(url)) as session:
        days = settings().due_soon_days
        # The classified tasks this page run has cached already: not read a second time.
        tasks = classified_tasks(as_of) if role == Role.unit else None
        return attention_items(
            session, role=role, unit_id=unit_id, as_of=as_of, due_soon_days=days, tasks=tasks
        )


def attention(user: User, as_of: date) -> list[Item]:
    """The items under the user's "Cần chú ý" (tracker.reminders.attention)."""
    return _attention(settings().database_url, user.role, user.unit_id, as_of)
