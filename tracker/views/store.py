"""The tasks and state history of the plans, kept in memory by a server and brought up to date by
reading only what changed.

Reading every task and every history row costs seconds at 100,000 tasks. A StateStore (one per
database and process: the app keeps one for all its sessions) reads a plan scope once, then, at
each read, compares the tables' stamps (tracker.db) with those it read under:
- none of them changed: the frames are current;
- only tasks and history were written (a progress update, a confirmation, an extension): the
  history rows with a higher id are read, and the task rows whose version or update time
  changed (every write of a task row renews one of them);
- anything else that the frames hold (plans, units, leads, coordinators, an import, a restore):
  the scope is read again in full.
History is append-only, so rows above the highest id read are all that is new. On SQLite
writers take turns (BEGIN IMMEDIATE), so ids are committed in order; PostgreSQL's sequence
hands an id out before its transaction commits, so a row may arrive below that id: the count
of rows up to it is checked, and a difference reads the scope again.

Each read gives a TaskState whose memo keeps what pages compute from it (queries.StateMemo).
A trend point at a past date D outlives the writes that cannot change it: one whose rows all
take effect after D, and that changes no deadline and no task column the classification reads.
Values per task read from the history (a unit's last note) are read again only for the tasks a
write added history about, and all of them when accounts change (a note counts by its author).
Late entries at a cut-off outlive every write: the rows a write adds bring their own.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import cast

import numpy as np
import pandas as pd
from sqlalchemy import func, select
from sqlmodel import Session, col

from models import HistoryKind, StatusUpdate, Task, User
from tracker.db import data_versions, is_sqlite
from tracker.views.classify import DEADLINE_EDIT_KINDS, TASK_COLUMNS, StateHistory
from tracker.views.queries import (
    DateKey,
    StateMemo,
    TaskState,
    TrendPoint,
    resolve_plan_ids,
    state_history,
    tasks_where,
)

# The tables the frames are made of. ROWS change row by row; a write to any other of FRAMES reads
# the scope again.
ROWS = frozenset({"task", "statusupdate"})
FRAMES = ROWS | {"plan", "unit", "tasklead", "taskcoordinator", "importbatch"}
# Values per task may read who wrote a row (a unit's notes): a write of accounts that moves one
# to another unit drops them (a sign-in writes accounts too, and moves no one).
PEOPLE = "user"
# Past this many changed tasks, reading them all is as quick as reading them one by one.
_MANY_TASKS = 2000
_ORDER = ["plan_id", "position", "id"]


@dataclass(frozen=True)
class _Scope:
    plan_ids: list[int]
    stamps: dict[str, str]
    # The accounts' stamp, and each account's unit.
    people: str
    units_of: dict[int, int | None]
    tasks: pd.DataFrame
    versions: dict[int, tuple[int, str]]
    memo: StateMemo
    # The highest history id read, and how many history rows (of any plan) have an id up to it.
    last_id: int
    count_to_last: int


def _stamps(stamps: dict[str, str]) -> dict[str, str]:
    return {name: stamps.get(name, "") for name in sorted(FRAMES)}


def _history_extent(session: Session, after_id: int) -> tuple[int, int]:
    """How many history rows have an id above AFTER_ID, and the highest."""
    count, highest = (
        session.connection()
        .execute(select(func.count(), func.max(col(StatusUpdate.id))).where(col(StatusUpdate.id) > after_id))
        .one()
    )
    return int(count), int(highest or after_id)


def _count_to(session: Session, last_id: int) -> int:
    """How many history rows have an id up to LAST_ID."""
    query = select(func.count()).where(col(StatusUpdate.id) <= last_id)
    return int(session.connection().execute(query).scalar_one())


def _units_of(session: Session) -> dict[int, int | None]:
    query = select(col(User.id), col(User.unit_id))
    return cast("dict[int, int | None]", dict(session.connection().execute(query).all()))


def _written_about(session: Session, after_id: int, last_id: int) -> set[int]:
    """The tasks of the history rows (of any kind) with an id above AFTER_ID, up to LAST_ID."""
    query = select(col(StatusUpdate.task_id)).where(
        col(StatusUpdate.id) > after_id, col(StatusUpdate.id) <= last_id
    )
    return set(session.connection().execute(query).scalars())


def _versions(session: Session, plan_ids: list[int]) -> dict[int, tuple[int, str]]:
    """Per task of PLAN_IDS, its version and update time (as text): every write of a task row
    renews one of them (tracker.tasks.writes.save_task, the importer, a task moved in time)."""
    # Through the driver's cursor: 100,000 rows as plain tuples, in a tenth of the time.
    plans = ", ".join(str(int(plan_id)) for plan_id in plan_ids) or "NULL"
    cursor = session.connection().connection.cursor()
    try:
        cursor.execute(
            f"SELECT id, version, CAST(updated_at AS VARCHAR(40)) FROM task WHERE plan_id IN ({plans})"
        )
        return {task_id: (version, updated) for task_id, version, updated in cursor.fetchall()}
    finally:
        cursor.close()


def _sorted(tasks: pd.DataFrame) -> pd.DataFrame:
    return tasks.sort_values(_ORDER, kind="stable").reset_index(drop=True)


def _patched(tasks: pd.DataFrame, fresh: pd.DataFrame, dropped: set[int]) -> pd.DataFrame:
    """TASKS (in _ORDER) without the rows of DROPPED, with the rows FRESH read again, in _ORDER."""
    at = pd.Index(tasks["id"]).get_indexer(fresh["id"])
    keys = ["plan_id", "position"]
    replaced = set(fresh["id"]) == dropped and (at >= 0).all()
    if replaced and tasks.iloc[at][keys].reset_index(drop=True).equals(fresh[keys]):
        # Each row stays where it sorts (a progress update, a confirmation): taken into its place,
        # where sorting everything again cost a quarter of a second at 100,000 tasks.
        merged = pd.concat([tasks, fresh], ignore_index=True)
        order = np.arange(len(tasks))
        order[at] = len(tasks) + np.arange(len(fresh))
        return merged.take(order).reset_index(drop=True)
    kept = tasks[~tasks["id"].isin(list(dropped))]
    return _sorted(pd.concat([kept, fresh], ignore_index=True))


class StateStore:
    """The plan scopes read lately (a few: each holds every task and history row of its plans)."""

    def __init__(self, scopes: int = 4) -> None:
        self._scopes: OrderedDict[tuple[int, ...] | None, _Scope] = OrderedDict()
        self._limit = scopes
        self._lock = threading.Lock()

    def state(
        self,
        session: Session,
        plan_ids: Sequence[int] | None,
        *,
        due_soon_days: int,
        known_on: datetime | None = None,
    ) -> TaskState:
        """queries.read_state, from memory where nothing changed since the last read."""
        key = None if plan_ids is None else tuple(sorted(set(plan_ids)))
        with self._lock:
            # The stamps first: frames read after them are never older than the stamps kept.
            versions = data_versions(session.connection())
            stamps, people = _stamps(versions), versions.get(PEOPLE, "")
            scope = self._scopes.get(key)
            if scope is None or any(scope.stamps[name] != stamps[name] for name in FRAMES - ROWS):
                scope = self._load(session, plan_ids, stamps, people)
            elif scope.stamps != stamps or scope.people != people:
                scope = self._update(session, scope, stamps, people)
            self._scopes[key] = scope
            self._scopes.move_to_end(key)
            while len(self._scopes) > self._limit:
                self._scopes.popitem(last=False)
        return TaskState(scope.plan_ids, scope.tasks, scope.memo.history, due_soon_days, known_on, scope.memo)

    def _load(
        self, session: Session, plan_ids: Sequence[int] | None, stamps: dict[str, str], people: str
    ) -> _Scope:
        ids = resolve_plan_ids(session, plan_ids)
        count, last_id = _history_extent(session, 0)
        versions = _versions(session, ids)
        tasks = tasks_where(session, col(Task.plan_id).in_(ids))
        history = state_history(session, plan_ids=ids)
        # Rows committed after the count are read again at the next write: higher ids, or a count off.
        history = history[history["id"] <= last_id]
        memo = StateMemo(StateHistory(history))
        return _Scope(ids, stamps, people, _units_of(session), tasks, versions, memo, last_id, count)

    def _update(self, session: Session, scope: _Scope, stamps: dict[str, str], people: str) -> _Scope:
        if (
            not is_sqlite(session.connection().engine)
            and _count_to(session, scope.last_id) != scope.count_to_last
        ):
            return self._load(session, scope.plan_ids, stamps, people)
        added, last_id = _history_extent(session, scope.last_id)
        rows = state_history(session, plan_ids=scope.plan_ids, after_id=scope.last_id)
        rows = rows[rows["id"] <= last_id]
        # No task row written (a remark, a history row alone): the versions stand.
        written_tasks = stamps["task"] != scope.stamps["task"]
        versions = _versions(session, scope.plan_ids) if written_tasks else scope.versions
        changed = [task_id for task_id, version in versions.items() if scope.versions.get(task_id) != version]
        gone = scope.versions.keys() - versions.keys()
        if len(changed) > _MANY_TASKS:
            return self._load(session, scope.plan_ids, stamps, people)
        tasks = scope.tasks
        if changed or gone:
            tasks = _patched(tasks, tasks_where(session, col(Task.id).in_(changed)), {*changed, *gone})
        points = _surviving_points(scope, rows, tasks, {*changed, *gone})
        units_of = scope.units_of if people == scope.people else _units_of(session)
        written = _written_about(session, scope.last_id, last_id)
        per_task = scope.memo.carried(written) if units_of == scope.units_of else {}
        history = scope.memo.history.extended(rows)
        memo = StateMemo(history, points, per_task, scope.memo.carried_late(rows))
        count = scope.count_to_last + added
        return _Scope(scope.plan_ids, stamps, people, units_of, tasks, versions, memo, last_id, count)


def _lean(tasks: pd.DataFrame, ids: set[int]) -> pd.DataFrame:
    """The columns the classification reads of the tasks IDS, comparable across reads."""
    lean = tasks[tasks["id"].isin(ids)][list(TASK_COLUMNS)].sort_values("id").reset_index(drop=True)
    return lean.astype({"deadline": "datetime64[ns]", "created_at": "datetime64[ns]"})


def _surviving_points(
    scope: _Scope, rows: pd.DataFrame, tasks: pd.DataFrame, touched: set[int]
) -> dict[DateKey, TrendPoint]:
    """The trend points of SCOPE that ROWS (new history) and the new TASKS (TOUCHED: those
    changed) leave as they were."""
    deadlines = rows["kind"].isin([HistoryKind.extension_approved, *DEADLINE_EDIT_KINDS]).any()
    if deadlines or not _lean(scope.tasks, touched).equals(_lean(tasks, touched)):
        return {}
    if rows.empty:
        return dict(scope.memo.points)
    earliest = pd.to_datetime(rows["effective_on"]).min()
    # A point at D depends on the rows effective by D.
    return {key: point for key, point in scope.memo.points.items() if pd.Timestamp(key[0]) < earliest}
