"""What the pages, reports and CLI read: tasks and history as DataFrames.

A handful of queries per call whatever the number of tasks (no N+1). The plan
filter defaults to every plan in force. Dates come back as datetime64 so the
classification stays vectorised.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cached_property, partial
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import pyarrow as pa
from sqlalchemy import ColumnElement, Select, and_, func, or_, select, union
from sqlalchemy.orm import aliased
from sqlmodel import Session, col

from models import (
    Evidence,
    EvidenceFile,
    ExtensionRequest,
    Plan,
    StatusUpdate,
    Task,
    TaskClass,
    TaskCoordinator,
    TaskLead,
    Unit,
    UnitKind,
    User,
)
from tracker.coordination.reads import CoordinatorState, task_coordination
from tracker.directory.plans import plans_in_force
from tracker.errors import NotFound
from tracker.frames import no_collection, read_frame, select_columns
from tracker.tasks.lifecycle import STATE_KINDS
from tracker.views.classify import (
    CLASSES,
    DEADLINE_EDIT_KINDS,
    HISTORY_COLUMNS,
    HISTORY_KINDS,
    TASK_COLUMNS,
    StateHistory,
    Summary,
    classify_at,
    prepared,
    rate_columns,
    summarize,
)
from tracker.views.late import late_entries, late_on, late_rows
from tracker.views.periods import PeriodKind

if TYPE_CHECKING:
    from tracker.views.store import StateStore

_STATE_KINDS = sorted(kind.value for kind in STATE_KINDS)

_TASK_FIELDS = (
    "id",
    "plan_id",
    "code",
    "position",
    "section_code",
    "section_title",
    "group_title",
    "title",
    "lead_unit_id",
    "deadline",
    "deadline_text",
    "recurring",
    "original_deadline",
    "output",
    "status",
    "progress",
    "completed_on",
    "missing_since",
    "version",
    "created_at",
    "updated_at",
)
_HISTORY_FIELDS = (
    "id",
    "task_id",
    "kind",
    "status",
    "progress",
    "completed_on",
    "effective_on",
    "note",
    "evidence",
    "field",
    "old_value",
    "new_value",
    "user_id",
    "recorded_at",
)
_EXTENSION_FIELDS = (
    "id",
    "current_deadline",
    "requested_deadline",
    "reason",
    "status",
    "requested_at",
    "decided_at",
    "decision_note",
)
_EVIDENCE_FIELDS = ("id", "reference", "link", "file_name", "sha256", "size")


def resolve_plan_ids(session: Session, plan_ids: Sequence[int] | None) -> list[int]:
    """The plans to show: those asked for, or every plan in force."""
    if plan_ids is not None:
        return list(plan_ids)
    return [plan.id for plan in plans_in_force(session) if plan.id is not None]


def _unit_names(session: Session) -> pd.DataFrame:
    """Every unit's name and kind (a unit with none is a plain unit), indexed by unit id."""
    units = read_frame(session, select(col(Unit.id), col(Unit.name), col(Unit.kind)))
    units["kind"] = units["kind"].fillna("").replace("", UnitKind.unit.value)
    return units.set_index("id")


def _linked(
    session: Session,
    link: type[TaskLead] | type[TaskCoordinator],
    where: ColumnElement[bool],
    task_ids: pd.Series,
    units: pd.DataFrame,
) -> dict[str, pd.Series]:
    """Per task of TASK_IDS, the units LINK ties to it (its leads or its coordinators), in the
    annex's order: their ids, names and kinds (from UNITS, as _unit_names gives them), lists
    (empty for none) indexed as TASK_IDS."""
    query = (
        select(col(link.task_id), col(link.unit_id))
        .join(Task, col(Task.id) == link.task_id)
        .where(where)
        .order_by(col(link.task_id), col(link.position))
    )
    found = read_frame(session, query)
    # The links in the order of TASK_IDS, each task's in the annex's (a stable sort keeps it),
    # cut into one list per task by Arrow: names and kinds are taken by each link's unit, not
    # joined in the query, where they came once per link (a fifth of the read).
    owners = pd.Index(task_ids).get_indexer(found["task_id"])
    kept = np.flatnonzero(owners >= 0)
    order = kept[np.argsort(owners[kept], kind="stable")]
    counts = np.bincount(owners[order], minlength=len(task_ids))
    offsets = pa.array(np.concatenate([[0], np.cumsum(counts)]), pa.int32())
    unit_ids = found["unit_id"].to_numpy()[order]
    rows = units.index.get_indexer(pd.Index(unit_ids))
    values = {
        "unit_ids": pa.array(unit_ids),
        "units": pa.array(units["name"].to_numpy()[rows]),
        "unit_kinds": pa.array(units["kind"].to_numpy()[rows]),
    }
    with no_collection():
        return {
            suffix: pd.Series(
                pa.ListArray.from_arrays(offsets, array).to_pylist(), index=task_ids.index, dtype=object
            )
            for suffix, array in values.items()
        }


def tasks_where(session: Session, where: ColumnElement[bool]) -> pd.DataFrame:
    """The tasks WHERE selects, as tasks_frame gives them."""
    lead = aliased(Unit)
    query = (
        select(
            *select_columns(Task, _TASK_FIELDS),
            col(Plan.number).label("plan_number"),
            col(Plan.issued_on).label("plan_issued_on"),
            col(lead.name).label("lead_unit"),
        )
        .join(Plan, col(Plan.id) == Task.plan_id)
        .outerjoin(lead, col(lead.id) == Task.lead_unit_id)
        .where(where)
        .order_by(col(Task.plan_id), col(Task.position), col(Task.id))
    )
    frame = read_frame(session, query)
    units = _unit_names(session)
    for link, prefix in ((TaskLead, "lead"), (TaskCoordinator, "coordinating")):
        for suffix, values in _linked(session, link, where, frame["id"], units).items():
            frame[f"{prefix}_{suffix}"] = values
    frame["lead_unit_id"] = frame["lead_unit_id"].astype("Int64")
    frame["lead_unit"] = frame["lead_unit"].fillna("")
    frame["recurring"] = frame["recurring"].astype(bool)
    return frame


def tasks_frame(session: Session, *, plan_ids: Sequence[int] | None = None) -> pd.DataFrame:
    """One row per task of the plans (default: in force), in plan then annex order: the Task
    fields, plus plan_number, plan_issued_on, lead_unit (the first lead), every lead
    (lead_unit_ids, lead_units, lead_unit_kinds) and the coordinating units (the same three)."""
    return tasks_where(session, col(Task.plan_id).in_(resolve_plan_ids(session, plan_ids)))


# The order of the tasks frames: plan, then annex order.
TASK_ORDER = ["plan_id", "position", "id"]


def patched_rows(frame: pd.DataFrame, fresh: pd.DataFrame, dropped: set[int]) -> pd.DataFrame:
    """FRAME (tasks in TASK_ORDER) without the rows of the task ids DROPPED,
    with the rows FRESH (made again for some of them) in their places."""
    fresh = fresh.reset_index(drop=True)
    removed = dropped - set(fresh["id"])
    if removed:
        frame = frame[~frame["id"].isin(list(removed))].reset_index(drop=True)
    at = pd.Index(frame["id"]).get_indexer(fresh["id"])
    if (at >= 0).all() and frame.iloc[at][TASK_ORDER].reset_index(drop=True).equals(fresh[TASK_ORDER]):
        # Each row stays where it sorts (a progress update, a confirmation): taken into its place,
        # where sorting everything again cost a quarter of a second at 100,000 tasks. Only the
        # columns whose values changed are made again; the others are shared with FRAME (copy on
        # write keeps them apart), where taking all 30 columns cost 25 ms at 100,000 tasks.
        order = np.arange(len(frame))
        order[at] = len(frame) + np.arange(len(fresh))
        patched = frame.copy(deep=False)
        for name in frame.columns:
            old, new = frame[name], fresh[name]
            if old.dtype != new.dtype or not old.iloc[at].reset_index(drop=True).equals(new):
                patched[name] = pd.concat([old, new], ignore_index=True).take(order).set_axis(frame.index)
        return patched
    kept = frame[~frame["id"].isin(list(dropped))]
    return (
        pd.concat([kept, fresh], ignore_index=True)
        .sort_values(TASK_ORDER, kind="stable")
        .reset_index(drop=True)
    )


def _task_scope(
    session: Session, task_ids: Sequence[int] | None, plan_ids: Sequence[int] | None
) -> ColumnElement[bool]:
    if task_ids is not None:
        return col(StatusUpdate.task_id).in_(list(task_ids))
    in_plans = select(col(Task.id)).where(col(Task.plan_id).in_(resolve_plan_ids(session, plan_ids)))
    return col(StatusUpdate.task_id).in_(in_plans)


def history_frame(
    session: Session,
    *,
    task_ids: Sequence[int] | None = None,
    plan_ids: Sequence[int] | None = None,
) -> pd.DataFrame:
    """History rows, oldest first, with the author's name and unit.

    Limited to TASK_IDS, or else to the tasks of PLAN_IDS (default: plans in force).
    """
    query = (
        select(
            *select_columns(StatusUpdate, _HISTORY_FIELDS),
            col(User.display_name).label("user_name"),
            col(User.unit_id).label("user_unit_id"),
        )
        .outerjoin(User, col(User.id) == StatusUpdate.user_id)
        .where(_task_scope(session, task_ids, plan_ids))
        .order_by(col(StatusUpdate.recorded_at), col(StatusUpdate.id))
    )
    frame = read_frame(session, query)
    frame["user_name"] = frame["user_name"].fillna("")
    for name in ("user_id", "user_unit_id", "progress"):
        frame[name] = frame[name].astype("Int64")
    return frame


def _state_query(plan_ids: list[int], task_id: Any) -> Select[Any]:
    """The columns of classify.HISTORY_COLUMNS of the history rows about the tasks of PLAN_IDS,
    joined on TASK_ID (the history's task id, or an expression of it)."""
    return (
        select(*select_columns(StatusUpdate, HISTORY_COLUMNS))
        .join(Task, col(Task.id) == task_id)
        .where(col(Task.plan_id).in_(plan_ids))
    )


def _classified_kinds(kinds: Iterable[str]) -> ColumnElement[bool]:
    """The rows of KINDS and the changes of deadline: what the classification reads."""
    return or_(
        col(StatusUpdate.kind).in_(sorted(kinds)),
        and_(col(StatusUpdate.kind).in_(DEADLINE_EDIT_KINDS), col(StatusUpdate.field) == "deadline"),
    )


def state_history(
    session: Session, *, plan_ids: Sequence[int] | None = None, after_id: int = 0
) -> pd.DataFrame:
    """The history the classification reads: state changes, creations, approved extensions,
    changes of deadline; only the rows with an id above AFTER_ID.

    Only the columns of classify.HISTORY_COLUMNS, unordered: the big read of every
    dashboard, kept lean.
    """
    # Joined, not "task_id IN (the plans' tasks)". Above an id, the join runs on `task_id + 0`:
    # SQLite then finds the few new rows by their ids first, and each one's task by its key, where
    # the plain join walked every task of the plans through the history's task index (50 ms at
    # 100,000 tasks, for one row).
    task_id = col(StatusUpdate.task_id) + 0 if after_id else col(StatusUpdate.task_id)
    query = _state_query(resolve_plan_ids(session, plan_ids), task_id).where(
        col(StatusUpdate.id) > after_id, _classified_kinds(HISTORY_KINDS)
    )
    return read_frame(session, query)


def _last_state_ids(plan_ids: list[int], day: date, known_on: datetime | None) -> Select[Any]:
    """Per task of PLAN_IDS, the id of its last state row effective by DAY, in recorded order
    among the rows recorded by KNOWN_ON (None: all): the row classify.state_at takes."""
    row = aliased(StatusUpdate)
    last = (
        select(col(row.id))
        .where(
            col(row.task_id) == col(Task.id), col(row.kind).in_(_STATE_KINDS), col(row.effective_on) <= day
        )
        .order_by(col(row.recorded_at).desc(), col(row.id).desc())
        .limit(1)
    )
    if known_on is not None:
        last = last.where(col(row.recorded_at) <= known_on)
    return select(last.correlate(Task).scalar_subquery()).where(col(Task.plan_id).in_(plan_ids))


def state_history_at(
    session: Session, *, plan_ids: Sequence[int] | None, days: Sequence[date], known_on: datetime | None
) -> pd.DataFrame:
    """The rows of state_history that classifying the tasks at DAYS as known on KNOWN_ON, and
    their late entries effective by the last of DAYS (tracker.views.late), read: every row but the
    state rows; each task's last state row by each day; the state rows recorded after the day they
    took effect, as a late entry is.

    A report classifies at two days: this reads some 200,000 rows at 100,000 tasks and 1,000,000
    history rows, in one pass over the history and one look per task and day into its index
    by task and recorded time, where state_history fetches all 1,000,000 rows (6.5 s).
    """
    ids = resolve_plan_ids(session, plan_ids)
    # A row recorded on the day it took effect is never late: its period ends that day or later.
    late = and_(
        col(StatusUpdate.kind).in_(_STATE_KINDS),
        col(StatusUpdate.effective_on) <= max(days),
        func.date(col(StatusUpdate.recorded_at)) > col(StatusUpdate.effective_on),
    )
    if known_on is not None:
        late = and_(late, col(StatusUpdate.recorded_at) <= known_on)
    # `task_id + 0`: SQLite goes through the history once, each row's task by its key, where the
    # join walked every task's rows through the index (twice the time).
    others = _state_query(ids, col(StatusUpdate.task_id) + 0).where(
        or_(_classified_kinds(HISTORY_KINDS - STATE_KINDS), late)
    )
    at_days = union(*(_last_state_ids(ids, day, known_on) for day in days))
    last = _state_query(ids, col(StatusUpdate.task_id)).where(col(StatusUpdate.id).in_(at_days))
    frames = [read_frame(session, others), read_frame(session, last)]
    return pd.concat(frames, ignore_index=True).drop_duplicates("id", ignore_index=True)


# What a classification at a date is keyed by: the date, the due-soon window, the recorded-time cut-off.
DateKey = tuple[date, int, datetime | None]
TrendPoint = dict[str, Any]
# What values per task are keyed by: their name, the date, the recorded-time cut-off.
PerTaskKey = tuple[str, date, datetime | None]
# What late entries are keyed by: the date, the kind of period, the recorded-time cut-off.
LateKey = tuple[date, PeriodKind, datetime | None]


class StateMemo:
    """What one TaskState computed, kept for the next page that asks the same (tracker.views.store):
    the prepared history, the tasks classified at a few dates, the trend's points, values per task,
    the late history rows at a few cut-offs.

    Thread-safe: the pages of every session of a server share it.
    """

    # Classified frames are big: a few dates (today, a report's cut-offs) are enough.
    CLASSIFIED = 8

    def __init__(
        self,
        history: StateHistory,
        points: dict[DateKey, TrendPoint] | None = None,
        per_task: dict[PerTaskKey, tuple[pd.Series, frozenset[int]]] | None = None,
        late: dict[LateKey, pd.DataFrame] | None = None,
        classified: dict[DateKey, tuple[pd.DataFrame, frozenset[int]]] | None = None,
    ) -> None:
        self.history = history
        self.points: dict[DateKey, TrendPoint] = dict(points or {})
        # Values per task id, each with the tasks written about since (to read again).
        self.per_task: dict[PerTaskKey, tuple[pd.Series, frozenset[int]]] = dict(per_task or {})
        self._late: dict[LateKey, pd.DataFrame] = dict(late or {})
        # The tasks classified at a date, each with the tasks written (about) since (to classify again).
        self._classified: dict[DateKey, tuple[pd.DataFrame, frozenset[int]]] = dict(classified or {})
        self._lock = threading.Lock()

    def classified(
        self, key: DateKey, classify: Callable[[frozenset[int] | None], pd.DataFrame]
    ) -> pd.DataFrame:
        """The tasks classified at KEY, as CLASSIFY gives them (CLASSIFY(None): every task;
        CLASSIFY(ids): those tasks), classified again only for the tasks written (about) since."""
        with self._lock:
            found = self._classified.get(key)
            if found is None:
                frame = classify(None)
                if len(self._classified) >= self.CLASSIFIED:
                    self._classified.pop(next(iter(self._classified)))
            else:
                frame, stale = found
                if stale:
                    frame = patched_rows(frame, classify(stale), set(stale))
            self._classified[key] = (frame, frozenset())
        # A shallow copy: with copy-on-write, whatever a caller changes stays its own.
        return frame.copy(deep=False)

    def known(
        self, key: DateKey, classify: Callable[[frozenset[int] | None], pd.DataFrame]
    ) -> pd.DataFrame | None:
        """The tasks classified at KEY's date, if they were (as classified gives them); None if not."""
        with self._lock:
            if key not in self._classified:
                return None
        return self.classified(key, classify)

    def carried_classified(self, touched: set[int]) -> dict[DateKey, tuple[pd.DataFrame, frozenset[int]]]:
        """The tasks classified at each date, the tasks TOUCHED (changed, gone, written about) to
        classify again."""
        with self._lock:
            return {key: (frame, stale | touched) for key, (frame, stale) in self._classified.items()}

    def values(self, key: PerTaskKey, read: Callable[[list[int] | None], pd.Series]) -> pd.Series:
        """READ's values per task id (READ(None): every task's; READ(ids): those tasks'), read
        again only for the tasks written about since."""
        with self._lock:
            found = self.per_task.get(key)
            if found is None:
                values = read(None)
            else:
                values, stale = found
                if stale:
                    kept = values[~values.index.isin(list(stale))]
                    values = pd.concat([kept, read(sorted(stale))])
            self.per_task[key] = (values, frozenset())
        return values

    def carried(self, written: set[int]) -> dict[PerTaskKey, tuple[pd.Series, frozenset[int]]]:
        """The values per task, the tasks WRITTEN (about) to read again."""
        with self._lock:
            return {key: (values, stale | written) for key, (values, stale) in self.per_task.items()}

    def late(self, key: LateKey) -> pd.DataFrame:
        """The late rows of the history at KEY (late.late_rows)."""
        with self._lock:
            found = self._late.get(key)
            if found is None:
                as_of, kind, known_on = key
                found = late_rows(self.history.frame, as_of=as_of, kind=kind, known_on=known_on)
                if len(self._late) >= self.CLASSIFIED:
                    self._late.pop(next(iter(self._late)))
                self._late[key] = found
        return found

    def carried_late(self, rows: pd.DataFrame) -> dict[LateKey, pd.DataFrame]:
        """The late rows of the history grown by ROWS (history rows read since): history is
        append-only, and whether a row is late is the row's own affair."""
        with self._lock:
            kept = dict(self._late)
        for (as_of, kind, known_on), found in kept.items():
            added = late_rows(rows, as_of=as_of, kind=kind, known_on=known_on)
            if not added.empty:
                kept[(as_of, kind, known_on)] = pd.concat([found, added], ignore_index=True)
        return kept

    def point(self, key: DateKey, compute: Callable[[], TrendPoint]) -> TrendPoint:
        with self._lock:
            found = self.points.get(key)
            if found is None:
                found = self.points[key] = compute()
        return dict(found)


@dataclass(frozen=True)
class TaskState:
    """The tasks of some plans and the history that places them at any date, read once.

    KNOWN_ON (None: now) is the recorded-time cut-off the classification applies
    (tracker.views.classify): a report made at KNOWN_ON is reproduced exactly.
    MEMO, from a StateStore, keeps what the state computes for every page reading it.
    """

    plan_ids: list[int]
    tasks: pd.DataFrame
    # As read (state_history), or prepared already (a store's).
    history: pd.DataFrame | StateHistory
    due_soon_days: int
    known_on: datetime | None = None
    memo: StateMemo | None = field(default=None, compare=False, repr=False)
    # The only days the tasks are classified at, when the history holds only what they need
    # (state_history_at); None: any day.
    days: tuple[date, ...] | None = None

    @cached_property
    def prepared(self) -> StateHistory:
        """The history prepared once for the classification at many dates."""
        return self.memo.history if self.memo is not None else prepared(self.history)

    def _check_day(self, day: date) -> None:
        if self.days is not None and day not in self.days:
            raise ValueError(f"this state was read for {self.days}, not {day}")

    def at(self, as_of: date, tasks: pd.DataFrame | None = None) -> pd.DataFrame:
        """The tasks (or a subset TASKS of them) classified as of AS_OF."""
        self._check_day(as_of)
        if (tasks is None or tasks is self.tasks) and self.memo is not None:
            key = (as_of, self.due_soon_days, self.known_on)
            return self.memo.classified(key, partial(self._classify_tasks, as_of))
        return self._classify(as_of, self.tasks if tasks is None else tasks)

    def _classify(
        self, as_of: date, tasks: pd.DataFrame, history: StateHistory | None = None
    ) -> pd.DataFrame:
        history = self.prepared if history is None else history
        return classify_at(tasks, history, as_of, self.due_soon_days, self.known_on)

    def _classify_tasks(self, as_of: date, task_ids: frozenset[int] | None) -> pd.DataFrame:
        """All the tasks classified at AS_OF, or only TASK_IDS, from their own history."""
        if task_ids is None:
            return self._classify(as_of, self.tasks)
        tasks = self.tasks[self.tasks["id"].isin(list(task_ids))]
        return self._classify(as_of, tasks, self.prepared.of_tasks(task_ids))

    def late(self, as_of: date, kind: PeriodKind, tasks: pd.DataFrame | None = None) -> pd.DataFrame:
        """The late entries (tracker.views.late) on the tasks (or TASKS) effective by AS_OF, in
        periods of KIND."""
        self._check_day(as_of)
        tasks = self.tasks if tasks is None else tasks
        if self.memo is not None:
            return late_on(tasks, self.memo.late((as_of, kind, self.known_on)))
        history = self.history.frame if isinstance(self.history, StateHistory) else self.history
        return late_entries(tasks, history, as_of=as_of, kind=kind, known_on=self.known_on)

    def per_task(self, name: str, as_of: date, read: Callable[[list[int] | None], pd.Series]) -> pd.Series:
        """Values per task id that the history up to AS_OF gives (a task's last note, …), as
        READ gives them (READ(None): every task's; READ(ids): those tasks'); kept by the memo,
        which reads again only the tasks a write added history about."""
        if self.memo is None:
            return read(None)
        return self.memo.values((name, as_of, self.known_on), read)

    def trend(self, dates: Sequence[date], tasks: pd.DataFrame | None = None) -> pd.DataFrame:
        """Counts per class, flags and rates at each of DATES (one row per date)."""
        for day in dates:
            self._check_day(day)
        if (tasks is None or tasks is self.tasks) and self.memo is not None:
            return trend_frame([self._kept_point(day) for day in dates])
        # Only the columns classification reads: copying titles and unit lists at every date costs more.
        lean = (self.tasks if tasks is None else tasks)[list(TASK_COLUMNS)]
        return trend_frame(
            [trend_point(lean, self.prepared, day, self.due_soon_days, self.known_on) for day in dates]
        )

    def summary(self, day: date, tasks: pd.DataFrame | None = None) -> Summary:
        """The counts of the tasks (or a subset TASKS of them) at DAY (classify.summarize); of them
        all, the memo's trend point at DAY, which outlives the writes that cannot change it."""
        self._check_day(day)
        if (tasks is None or tasks is self.tasks) and self.memo is not None:
            return point_summary(self._kept_point(day))
        return summarize(self.at(day, tasks))

    def _kept_point(self, day: date) -> TrendPoint:
        assert self.memo is not None
        memo, key = self.memo, (day, self.due_soon_days, self.known_on)
        # The tasks at the as-of date are classified already for the page's lists.
        found = memo.known(key, partial(self._classify_tasks, day))
        if found is not None:
            return memo.point(key, partial(summary_point, found, day))
        lean = self.tasks[list(TASK_COLUMNS)]
        compute = partial(trend_point, lean, self.prepared, day, self.due_soon_days, self.known_on)
        return memo.point(key, compute)


def read_state(
    session: Session,
    plan_ids: Sequence[int] | None,
    *,
    due_soon_days: int,
    known_on: datetime | None = None,
    store: StateStore | None = None,
    days: Sequence[date] | None = None,
) -> TaskState:
    """The one read behind the overview, the task list, the units page and the reports: the
    tasks of PLAN_IDS (default: in force) and their state history, as known on KNOWN_ON;
    from STORE when given (a server's pages: only what changed since is read). Without a store,
    DAYS, when given, are the only days the state may be classified at, and only the history
    they need is read (state_history_at)."""
    if store is not None:
        return store.state(session, plan_ids, due_soon_days=due_soon_days, known_on=known_on)
    ids = resolve_plan_ids(session, plan_ids)
    tasks = tasks_frame(session, plan_ids=ids)
    if days is None:
        return TaskState(ids, tasks, state_history(session, plan_ids=ids), due_soon_days, known_on)
    history = state_history_at(session, plan_ids=ids, days=days, known_on=known_on)
    return TaskState(ids, tasks, history, due_soon_days, known_on, days=tuple(days))


def classified_tasks(
    session: Session,
    *,
    as_of: date,
    due_soon_days: int,
    plan_ids: Sequence[int] | None = None,
    known_on: datetime | None = None,
    store: StateStore | None = None,
) -> pd.DataFrame:
    """The tasks of the plans (default: in force) as they stood at AS_OF, classified."""
    state = read_state(session, plan_ids, due_soon_days=due_soon_days, known_on=known_on, store=store)
    return state.at(as_of)


_TREND_COLUMNS = ["date", "total", "completed", *(name.value for name in TaskClass)]
_TREND_FLAGS = ["due_soon", "awaiting_confirmation"]
# Kept in a point besides what a trend table shows, for the Summary it was made of (point_summary).
_SUMMARY_ONLY = ["cancelled", "not_in_plan", "extended"]


def trend_point(
    tasks: pd.DataFrame,
    history: pd.DataFrame | StateHistory,
    day: date,
    due_soon_days: int,
    known_on: datetime | None = None,
) -> TrendPoint:
    """One row of a trend table: the counts per class and flags at DAY."""
    return summary_point(classify_at(tasks, history, day, due_soon_days, known_on), day)


def summary_point(classified: pd.DataFrame, day: date) -> TrendPoint:
    """The trend point of the tasks CLASSIFIED at DAY."""
    summary = summarize(classified)
    counts = {name.value: count for name, count in summary.counts.items()}
    flags = {name: getattr(summary, name) for name in (*_TREND_FLAGS, *_SUMMARY_ONLY)}
    return (
        {"date": pd.Timestamp(day), "total": summary.total, "completed": summary.completed} | counts | flags
    )


def point_summary(point: TrendPoint) -> Summary:
    """The Summary a trend point (summary_point) was made of."""
    return Summary(
        total=point["total"],
        counts={name: point[name.value] for name in CLASSES},
        **{name: point[name] for name in (*_TREND_FLAGS, *_SUMMARY_ONLY)},
    )


def trend_frame(points: Sequence[TrendPoint]) -> pd.DataFrame:
    """Trend points (trend_point) as a table, with the rates."""
    table = pd.DataFrame(list(points), columns=[*_TREND_COLUMNS, *_TREND_FLAGS])
    return table.join(rate_columns(table))


def trend_table(
    tasks: pd.DataFrame,
    history: pd.DataFrame | StateHistory,
    dates: Sequence[date],
    due_soon_days: int,
    known_on: datetime | None = None,
) -> pd.DataFrame:
    """Counts per class, flags and rates at each of DATES, on frames already read (TaskState.trend)."""
    lean, ready = tasks[list(TASK_COLUMNS)], prepared(history)
    return trend_frame([trend_point(lean, ready, day, due_soon_days, known_on) for day in dates])


@dataclass(frozen=True)
class TaskDetail:
    """Everything the detail view of one task shows."""

    task: dict[str, Any]
    plan_title: str
    history: pd.DataFrame
    evidence: pd.DataFrame
    extensions: pd.DataFrame
    # Each coordinating unit's latest part and whether it answered the lead's requests.
    coordination: list[CoordinatorState]


def task_detail(session: Session, task_id: int) -> TaskDetail:
    """The task's fields and coordinators, its history (oldest first), evidence and extension requests."""
    found = tasks_where(session, col(Task.id) == task_id)
    if found.empty:
        raise NotFound(f"Không có nhiệm vụ số {task_id}.")
    task = {str(name): value for name, value in found.to_dict("records")[0].items()}
    plan = session.get(Plan, task["plan_id"])
    evidence = read_frame(
        session,
        select(
            *select_columns(Evidence, _EVIDENCE_FIELDS),
            col(User.display_name).label("user_name"),
            col(Evidence.uploaded_at),
            # Whether the bytes are there, without reading them.
            col(EvidenceFile.sha256).is_not(None).label("stored"),
        )
        .outerjoin(User, col(User.id) == Evidence.user_id)
        .outerjoin(EvidenceFile, col(EvidenceFile.sha256) == Evidence.sha256)
        .where(col(Evidence.task_id) == task_id)
        .order_by(col(Evidence.uploaded_at), col(Evidence.id)),
    )
    requester, decider = aliased(User), aliased(User)
    extensions = read_frame(
        session,
        select(
            *select_columns(ExtensionRequest, _EXTENSION_FIELDS),
            col(requester.display_name).label("requested_by"),
            col(decider.display_name).label("decided_by"),
        )
        .join(requester, col(requester.id) == ExtensionRequest.requested_by_id)
        .outerjoin(decider, col(decider.id) == ExtensionRequest.decided_by_id)
        .where(col(ExtensionRequest.task_id) == task_id)
        .order_by(col(ExtensionRequest.requested_at), col(ExtensionRequest.id)),
    )
    return TaskDetail(
        task=task,
        plan_title=plan.title if plan else "",
        history=history_frame(session, task_ids=[task_id]),
        evidence=evidence,
        extensions=extensions,
        coordination=task_coordination(session, task_id),
    )
