"""Cached reads for the pages (ui.cached): tasks, queues, accounts, units, imports."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import pandas as pd

from models import User
from tracker.directory.accounts import list_users
from tracker.directory.unit_list import UnitEntry, unit_directory
from tracker.directory.units import load_unit_keys
from tracker.importer.history import ImportRecord, import_history
from tracker.importer.preview import ImportPreview, preview_import
from tracker.tasks.evidence import read_evidence
from tracker.views import queries, queues
from ui.cached import PEOPLE, TASKS, cached_read, reading
from ui.session import settings


@cached_read(TASKS)
def classified_tasks(as_of: date, plan_ids: Sequence[int] | None = None) -> pd.DataFrame:
    """The tasks of the plans (default: in force) classified at AS_OF (tracker.views.queries)."""
    with reading() as session:
        return queries.classified_tasks(
            session, as_of=as_of, plan_ids=plan_ids, due_soon_days=settings().due_soon_days
        )


@cached_read(PEOPLE)
def task_detail(task_id: int) -> queries.TaskDetail:
    """Fields, coordinators, history, evidence and extension requests of one task (NotFound if none)."""
    with reading() as session:
        return queries.task_detail(session, task_id)


@cached_read(TASKS)
def units() -> dict[int, str]:
    """Every unit's id and name, by name."""
    with reading() as session:
        found = load_unit_keys(session).values()
    return {unit.id: unit.name for unit in sorted(found, key=lambda unit: unit.name) if unit.id is not None}


def evidence_file(evidence_id: int) -> tuple[str, bytes]:
    """The name and bytes of an evidence file; not cached, files can be large."""
    with reading() as session:
        evidence, data = read_evidence(session, evidence_id=evidence_id, evidence_dir=settings().evidence_dir)
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
def unit_inbox(unit_id: int) -> list[queues.InboxItem]:
    """What others wrote on the unit's tasks since the unit last touched them, newest first."""
    with reading() as session:
        return queues.unit_inbox(session, unit_id)


@cached_read(PEOPLE)
def users() -> list[User]:
    """Every account, by role then username."""
    with reading() as session:
        return list_users(session)


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
