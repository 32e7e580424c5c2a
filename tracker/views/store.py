"""The tasks and state history of the plans, kept in memory by a server and brought up to date by
reading only what changed.

Reading every task and every history row costs seconds at 100,000 tasks. A StateStore (one per
database and process: the app keeps one for all its sessions) reads a plan scope once, then, at
each read, compares the tables' stamps (tracker.db) with those it read under:
- none of them changed: the frames are current;
- only tasks and history were written (a progress update, a confirmation, an extension): the
  history rows with a higher id are read, and the task rows whose version or update time
  changed. Every write of a task row bumps its version, and the product writes history with it:
  the tasks the new rows are about are looked at first, and the versions of all are read only
  when the scope's count and sum of versions say that some other task changed;
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
Late entries at a cut-off outlive every write: the rows a write adds bring their own. The tasks
classified at a date outlive every write too: the tasks a write touched (changed, or added history
about) are classified again, alone, when a page next asks.
"""

from __future__ import annotations

import gc
import threading
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Literal, cast

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
    patched_rows,
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


@dataclass(frozen=True)
class _Scope:
    plan_ids: list[int]
    stamps: dict[str, str]
    # The accounts' stamp, and each account's unit.
    people: str
    units_of: dict[int, int | None]
    tasks: pd.DataFrame
    versions: dict[int, tuple[int, str]]
    # How many tasks the versions hold and the sum of their versions (_tally), kept: adding up
    # 100,000 versions at every write took 10 ms.
    tally: tuple[int, int]
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


def _versions(
    session: Session, column: Literal["plan_id", "id"], values: Iterable[int]
) -> dict[int, tuple[int, str]]:
    """Per task whose COLUMN (plan_id or id) is one of VALUES, its version and update time (as
    text): every write of a task row bumps its version (tracker.tasks.writes.save_task, the
    importer, the demo)."""
    listed = ", ".join(str(int(value)) for value in sorted(values)) or "NULL"
    # Through the driver's cursor: 100,000 rows as plain tuples, in a tenth of the time.
    cursor = session.connection().connection.cursor()
    try:
        cursor.execute(
            f"SELECT id, version, CAST(updated_at AS VARCHAR(40)) FROM task WHERE {column} IN ({listed})"
        )
        return {task_id: (version, updated) for task_id, version, updated in cursor.fetchall()}
    finally:
        cursor.close()


def _tally(session: Session, plan_ids: list[int]) -> tuple[int, int]:
    """How many tasks PLAN_IDS hold, and the sum of their versions."""
    # From the index on plan and version alone (models.Task): 5 ms at 100,000 tasks, where reading
    # the table took 15 ms.
    query = select(func.count(), func.coalesce(func.sum(col(Task.version)), 0)).where(
        col(Task.plan_id).in_(plan_ids)
    )
    count, total = session.connection().execute(query).one()
    return int(count), int(total)


def _tally_of(versions: dict[int, tuple[int, str]]) -> tuple[int, int]:
    return len(versions), sum(version for version, _ in versions.values())


def _changed_tasks(
    session: Session, scope: _Scope, written: set[int]
) -> tuple[dict[int, tuple[int, str]], tuple[int, int], set[int], set[int]]:
    """The versions of SCOPE's tasks after a write of task rows, their tally, the tasks changed and
    those gone.

    Every write of a task row bumps its version and writes its history (tracker.tasks.writes), so
    the tasks WRITTEN about in the new history are the ones to look at: when the scope's count and
    sum of versions are what their new versions make them, no other task changed, and the versions
    of all (0.15 s at 100,000 tasks) need not be read.
    """
    ours = written & scope.versions.keys()
    fresh = _versions(session, "id", ours)
    count, total = scope.tally
    expected = (count, total + sum(fresh[task_id][0] - scope.versions[task_id][0] for task_id in fresh))
    if len(fresh) == len(ours) and _tally(session, scope.plan_ids) == expected:
        changed = {task_id for task_id, version in fresh.items() if scope.versions[task_id] != version}
        return scope.versions | fresh, expected, changed, set()
    versions = _versions(session, "plan_id", scope.plan_ids)
    changed = {task_id for task_id, version in versions.items() if scope.versions.get(task_id) != version}
    return versions, _tally_of(versions), changed, scope.versions.keys() - versions.keys()


# From this many tasks a scope's frames are kept out of the garbage collector's passes.
FREEZE_FROM = 10_000


def _out_of_collection() -> None:
    """Take every object alive now out of the garbage collector's sight (gc.freeze).

    A big scope's frames hold millions of Python objects (texts, lists of leads) that live as long
    as the scope; each full collection pass walked them all, adding up to 0.2 s to whichever page
    ran it at 100,000 tasks. What was frozen at the previous load is first handed back and
    collected, so cycles that died since are freed rather than kept for good.
    """
    gc.unfreeze()
    gc.collect()
    gc.freeze()


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
        versions = _versions(session, "plan_id", ids)
        tasks = tasks_where(session, col(Task.plan_id).in_(ids))
        history = state_history(session, plan_ids=ids)
        # Rows committed after the count are read again at the next write: higher ids, or a count off.
        history = history[history["id"] <= last_id]
        memo = StateMemo(StateHistory(history))
        tally = _tally_of(versions)
        scope = _Scope(ids, stamps, people, _units_of(session), tasks, versions, tally, memo, last_id, count)
        if len(tasks) >= FREEZE_FROM:
            _out_of_collection()
        return scope

    def _update(self, session: Session, scope: _Scope, stamps: dict[str, str], people: str) -> _Scope:
        if (
            not is_sqlite(session.connection().engine)
            and _count_to(session, scope.last_id) != scope.count_to_last
        ):
            return self._load(session, scope.plan_ids, stamps, people)
        added, last_id = _history_extent(session, scope.last_id)
        rows = state_history(session, plan_ids=scope.plan_ids, after_id=scope.last_id)
        rows = rows[rows["id"] <= last_id]
        written = _written_about(session, scope.last_id, last_id)
        # No task row written (a remark, a history row alone): the versions stand.
        versions, tally, changed, gone = scope.versions, scope.tally, set[int](), set[int]()
        if stamps["task"] != scope.stamps["task"]:
            versions, tally, changed, gone = _changed_tasks(session, scope, written)
        if len(changed) > _MANY_TASKS:
            return self._load(session, scope.plan_ids, stamps, people)
        tasks = scope.tasks
        if changed or gone:
            tasks = patched_rows(
                tasks, tasks_where(session, col(Task.id).in_(sorted(changed))), changed | gone
            )
        points = _surviving_points(scope, rows, tasks, changed | gone)
        units_of = scope.units_of if people == scope.people else _units_of(session)
        per_task = scope.memo.carried(written) if units_of == scope.units_of else {}
        history = scope.memo.history.extended(rows)
        # A task's classes depend on its row and its history alone.
        classified = scope.memo.carried_classified(changed | gone | written)
        memo = StateMemo(history, points, per_task, scope.memo.carried_late(rows), classified)
        count = scope.count_to_last + added
        return _Scope(scope.plan_ids, stamps, people, units_of, tasks, versions, tally, memo, last_id, count)


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
