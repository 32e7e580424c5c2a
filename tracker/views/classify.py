"""Where each task stands at a date D: the one classification rule of the product.

Pure and vectorised (no per-task Python loops): the dashboard, the task list,
the reports and the CLI all call it, on frames read by tracker.views.queries.

Two times. Every history row has an effective date (when it happened) and a
recorded time (when it was entered).
- As of D (the default everywhere): the state at D is the last state row
  effective on or before D, as known now, so an entry made today for June
  counts in June. Among those rows the last recorded wins, which keeps the
  state at today equal to the task's current state even after a backdated
  entry. A task with no such row has not started.
- Known on T (optional): only the rows recorded by T, and only the tasks
  created by T, are read, so a report made at T is reproduced exactly.
State rows are the kinds of tracker.tasks.lifecycle.STATE_KINDS;
they carry the state after the change (status, progress, completed_on).
A task belongs to its plan from the effective date of its `created` row: the
plan's issue date for the tasks of the first import, the import date for a
task a revision added (tracker.importer.apply). Before that it is left out.
A task a revision of the annex no longer lists is out of the plan from the
date of that revision (its `dropped` row) until a later revision lists it
again or the secretariat keeps it (`relisted`, `kept`): the last such row
effective by D, read under the same two times, says where it stands at D.
Out of the plan (and not cancelled) it is counted apart, as `not_in_plan`,
outside the total and the classes.

Deadline at D: the task's deadline, unless an extension took effect after D;
then the deadline that extension replaced.

Rates (one definition, used everywhere):
- completion rate = completed / (completed + overdue): over the tasks that
  have fallen due, as government reports compute it;
- on-time rate = completed on time / (completed + overdue): over the same
  tasks, so a unit with overdue tasks cannot score 100 %.
Both are None when no task has fallen due.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import numpy as np
import pandas as pd

from models import HistoryKind, TaskClass, TaskStatus
from tracker.tasks.lifecycle import DROP_KINDS, INITIAL, STATE_KINDS

CLASSES: tuple[TaskClass, ...] = tuple(TaskClass)
COMPLETED_CLASSES = (TaskClass.completed_on_time, TaskClass.completed_late)
# The classes a task with a deadline can fall in.
DATED_CLASSES = (*COMPLETED_CLASSES, TaskClass.in_progress_on_time, TaskClass.overdue)
TASK_COLUMNS = ("id", "deadline", "recurring", "created_at")
HISTORY_COLUMNS = (
    "id",
    "task_id",
    "kind",
    "status",
    "progress",
    "completed_on",
    "effective_on",
    "field",
    "old_value",
    "recorded_at",
)
# The history rows classification reads: the state rows, creations (a task exists
# from then on), approved extensions (the deadline in force at a date) and the task's place
# in its plan.
HISTORY_KINDS = STATE_KINDS | DROP_KINDS | {HistoryKind.created, HistoryKind.extension_approved}
_STATE_KIND_VALUES = sorted(kind.value for kind in STATE_KINDS)
_DROP_KIND_VALUES = sorted(kind.value for kind in DROP_KINDS)
# Rows that correct a deadline (old_value: the deadline before, ISO): known now, they hold for every
# date; known on T, one recorded after T still names the deadline a report made at T used.
DEADLINE_EDIT_KINDS = (HistoryKind.field_edit, HistoryKind.import_update)


def _day(value: date) -> pd.Timestamp:
    return pd.Timestamp(value).normalize()


def _as_dates(series: pd.Series) -> pd.Series:
    return pd.to_datetime(series, errors="coerce").dt.normalize()


def _lookup(keys: pd.Series, values: pd.Series) -> pd.Series:
    """VALUES (indexed by key) aligned on KEYS; Series.map fails on an empty datetime mapper."""
    return values.reindex(keys.to_numpy()).set_axis(keys.index)


def known_rows(history: pd.DataFrame, known_on: datetime | None) -> pd.DataFrame:
    """The rows of HISTORY recorded by KNOWN_ON (all of them when None), recorded_at as datetime64."""
    history = history.assign(recorded_at=pd.to_datetime(history["recorded_at"]))
    if known_on is None:
        return history
    return history[history["recorded_at"] <= pd.Timestamp(known_on)]


def _known_tasks(tasks: pd.DataFrame, known_on: datetime | None) -> pd.DataFrame:
    if known_on is None:
        return tasks
    return tasks[pd.to_datetime(tasks["created_at"]) <= pd.Timestamp(known_on)]


def _deadline_at(
    tasks: pd.DataFrame, changes: pd.DataFrame, as_of: pd.Timestamp, known_on: datetime | None
) -> tuple[pd.Series, pd.Series]:
    """The deadline in force at D as known on KNOWN_ON, and whether an extension had taken effect.

    CHANGES are all the changes of deadline (StateHistory.changes), whenever recorded: one not
    yet in force (an extension taking effect after D, or any change recorded after KNOWN_ON)
    names the deadline it replaced; the first such change, in recorded order, gives the
    deadline at D.
    """
    is_extension = changes["kind"] == HistoryKind.extension_approved
    known = pd.Series(True, index=changes.index)
    if known_on is not None:
        known = changes["recorded_at"] <= pd.Timestamp(known_on)
    in_force = known & (~is_extension | (_as_dates(changes["effective_on"]) <= as_of))
    later = changes[~in_force].sort_values(["recorded_at", "id"], kind="stable")
    replaced = later.drop_duplicates("task_id", keep="first").set_index("task_id")["old_value"]
    replaced_dates = pd.to_datetime(replaced, format="%Y-%m-%d", errors="coerce")
    current = _as_dates(tasks["deadline"])
    was_replaced = tasks["id"].isin(replaced_dates.index)
    earlier = _lookup(tasks["id"], replaced_dates)
    deadline = current.where(~was_replaced, earlier)
    extended = tasks["id"].isin(changes.loc[in_force & is_extension, "task_id"])
    return deadline, extended


def _missing_since_at(
    tasks: pd.DataFrame, drops: pd.DataFrame, as_of: pd.Timestamp, known_on: datetime | None
) -> pd.Series:
    """The date each task left its plan, for the tasks out of it at AS_OF as known on KNOWN_ON
    (NaT for the others); DROPS are the rows of DROP_KINDS (StateHistory.drops)."""
    rows = drops[_as_dates(drops["effective_on"]) <= as_of]
    if known_on is not None:
        rows = rows[rows["recorded_at"] <= pd.Timestamp(known_on)]
    last = rows.sort_values(["recorded_at", "id"], kind="stable").drop_duplicates("task_id", keep="last")
    dropped = last[last["kind"] == HistoryKind.dropped].set_index("task_id")
    return _lookup(tasks["id"], _as_dates(dropped["effective_on"]))


class StateHistory:
    """A state history (HISTORY_COLUMNS) prepared once for classifying at many dates.

    State rows are held as arrays sorted by task, then recorded order, so the state at a date is
    a mask and a pick of the last masked row of each task: no sort per date. Creations,
    changes of deadline and rows of a task's place in its plan, few, are kept as frames.
    """

    def __init__(self, history: pd.DataFrame) -> None:
        frame = history.assign(recorded_at=pd.to_datetime(history["recorded_at"]))
        self._frames = [frame]
        self.created, self.changes, self.drops, state = self._parts(frame)
        order = np.lexsort(
            (state["id"].to_numpy(), state["recorded_at"].to_numpy(), state["task_id"].to_numpy())
        )
        # Statuses as codes into a list: an array of objects is slow to grow.
        self._statuses: list[str] = []
        self._arrays = self._state_arrays(state.iloc[order])

    @property
    def frame(self) -> pd.DataFrame:
        """The rows, as read (recorded_at as datetime64)."""
        # Put together when asked (a report's late entries): a million rows copied at every write
        # that grows the history cost a tenth of a second, for pages that classify only.
        if len(self._frames) > 1:
            self._frames = [pd.concat(self._frames, ignore_index=True)]
        return self._frames[0]

    @staticmethod
    def _parts(frame: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, pd.DataFrame]:
        """FRAME's creations, changes of deadline, rows of a task's place in its plan and state rows."""
        kinds = frame["kind"]
        approved = kinds == HistoryKind.extension_approved
        edited = kinds.isin(DEADLINE_EDIT_KINDS) & (frame["field"] == "deadline")
        return (
            frame[kinds == HistoryKind.created],
            frame[approved | edited],
            frame[kinds.isin(_DROP_KIND_VALUES)],
            frame[kinds.isin(_STATE_KIND_VALUES)],
        )

    def _state_arrays(self, rows: pd.DataFrame) -> dict[str, np.ndarray]:
        effective = _as_dates(rows["effective_on"])
        statuses = rows["status"].to_numpy(dtype=object)
        for status in pd.unique(statuses):
            if isinstance(status, str) and status not in self._statuses:
                self._statuses.append(status)
        codes = {status: code for code, status in enumerate(self._statuses)}
        return {
            "task": rows["task_id"].to_numpy(dtype="int64"),
            "effective": effective.to_numpy(dtype="datetime64[ns]"),
            "recorded": rows["recorded_at"].to_numpy(dtype="datetime64[ns]"),
            # -1: no status written.
            "status": np.fromiter((codes.get(status, -1) for status in statuses), "int16", len(statuses)),
            "progress": pd.to_numeric(rows["progress"], errors="coerce").to_numpy(dtype="float64"),
            # A completion row without its date: the day it took effect.
            "completed_on": _as_dates(rows["completed_on"])
            .fillna(effective)
            .to_numpy(dtype="datetime64[ns]"),
        }

    def extended(self, rows: pd.DataFrame) -> StateHistory:
        """This history with ROWS, rows read since (higher ids), added: each state row goes after
        its task's rows, unless one was recorded earlier than them (a clock set back), which
        sorts everything again."""
        if rows.empty:
            return self
        rows = rows.assign(recorded_at=pd.to_datetime(rows["recorded_at"]))
        frames = [*self._frames, rows]
        created, changes, drops, state = self._parts(rows)
        state = state.iloc[np.lexsort((state["id"], state["recorded_at"], state["task_id"]))]
        # The codes of any new status are added to the list, which this history shares: its
        # arrays hold none of them.
        added = self._state_arrays(state)
        tasks, recorded = self._arrays["task"], self._arrays["recorded"]
        if len(tasks) == 0:
            return StateHistory(pd.concat(frames, ignore_index=True))
        at = np.searchsorted(tasks, added["task"], side="right")
        before = np.maximum(at - 1, 0)
        follows = (at == 0) | (tasks[before] != added["task"]) | (recorded[before] <= added["recorded"])
        if not follows.all():
            return StateHistory(pd.concat(frames, ignore_index=True))
        grown = object.__new__(StateHistory)
        grown._frames = frames
        grown.created = pd.concat([self.created, created])
        grown.changes = pd.concat([self.changes, changes])
        grown.drops = pd.concat([self.drops, drops])
        grown._statuses = self._statuses
        grown._arrays = {name: np.insert(values, at, added[name]) for name, values in self._arrays.items()}
        return grown

    def of_tasks(self, task_ids: Collection[int]) -> StateHistory:
        """The rows of TASK_IDS alone, prepared: a few tasks classified again after a write cost
        what they hold, where the whole history's masks and lookups cost 25 ms at 100,000 tasks."""
        ids = np.unique(np.fromiter(task_ids, dtype="int64"))
        tasks = self._arrays["task"]
        bounds = zip(np.searchsorted(tasks, ids, "left"), np.searchsorted(tasks, ids, "right"), strict=True)
        picked = np.concatenate([np.arange(start, end) for start, end in bounds] or [np.arange(0)])
        part = object.__new__(StateHistory)
        part._frames = [frame[frame["task_id"].isin(ids)] for frame in self._frames]
        part.created, part.changes, part.drops = (
            rows[rows["task_id"].isin(ids)] for rows in (self.created, self.changes, self.drops)
        )
        part._statuses = self._statuses
        part._arrays = {name: values[picked] for name, values in self._arrays.items()}
        return part

    def last_states(self, as_of: pd.Timestamp, known_on: datetime | None) -> pd.DataFrame:
        """Per task id (sorted), its last state row effective by AS_OF among those recorded by
        KNOWN_ON: status, progress, completed_on."""
        arrays = self._arrays
        mask = arrays["effective"] <= as_of.to_datetime64()
        if known_on is not None:
            mask &= arrays["recorded"] <= pd.Timestamp(known_on).to_datetime64()
        picked = np.flatnonzero(mask)
        tasks = arrays["task"][picked]
        # Rows run by task, then in recorded order: the last of each run wins.
        last = picked[np.append(tasks[1:] != tasks[:-1], True)] if len(picked) else picked
        statuses = np.array([*self._statuses, None], dtype=object)
        return pd.DataFrame(
            {
                "status": statuses[arrays["status"][last]],
                "progress": arrays["progress"][last],
                "completed_on": arrays["completed_on"][last],
            },
            index=pd.Index(arrays["task"][last], name="task_id"),
        )


def prepared(history: pd.DataFrame | StateHistory) -> StateHistory:
    """HISTORY prepared for classification (as it is, when it already is)."""
    return history if isinstance(history, StateHistory) else StateHistory(history)


def _existing_at(
    tasks: pd.DataFrame, history: StateHistory, as_of: pd.Timestamp, known_on: datetime | None
) -> pd.Series:
    created_rows = history.created
    if known_on is not None:
        created_rows = created_rows[created_rows["recorded_at"] <= pd.Timestamp(known_on)]
    created_on = _as_dates(created_rows["effective_on"]).groupby(created_rows["task_id"]).min()
    since = _lookup(tasks["id"], created_on).fillna(_as_dates(tasks["created_at"]))
    return since <= as_of


def state_at(
    tasks: pd.DataFrame,
    history: pd.DataFrame | StateHistory,
    as_of: date,
    known_on: datetime | None = None,
) -> pd.DataFrame:
    """TASKS as they stood at AS_OF, as known on KNOWN_ON (None: now; see the module docstring).

    TASKS needs the columns of TASK_COLUMNS, HISTORY those of HISTORY_COLUMNS
    (or is a StateHistory made of them, for many dates); other task columns
    pass through. In the result `status`, `progress`, `completed_on` and
    `deadline` hold the values at AS_OF (dates as datetime64),
    `current_deadline` the deadline today, `extended` whether an extension had
    taken effect by AS_OF, `missing_since` the date the task left its plan
    when it was out of it at AS_OF.
    """
    day = _day(as_of)
    history = prepared(history)
    tasks = _known_tasks(tasks, known_on)
    existing = _existing_at(tasks, history, day, known_on)
    # A shallow copy at most: with copy-on-write, the columns set below stay this frame's own.
    present = tasks.copy(deep=False) if existing.all() else tasks[existing]
    last = history.last_states(day, known_on)
    found = present["id"].isin(last.index)
    status = _lookup(present["id"], last["status"]).where(found, INITIAL)
    progress = _lookup(present["id"], last["progress"]).where(found, 0)
    completed_on = _lookup(present["id"], last["completed_on"])
    deadline, extended = _deadline_at(present, history.changes, day, known_on)
    present["current_deadline"] = _as_dates(present["deadline"])
    present["status"] = status.astype(str)
    present["progress"] = pd.to_numeric(progress, errors="coerce").fillna(0).astype(int)
    # Kept for a reported completion too: the date the unit reported, awaiting confirmation.
    present["completed_on"] = completed_on.where(
        status.isin([TaskStatus.completed, TaskStatus.reported_done])
    )
    present["deadline"] = deadline
    present["extended"] = extended
    present["missing_since"] = _missing_since_at(present, history.drops, day, known_on)
    return present


def classify(frame: pd.DataFrame, as_of: date, due_soon_days: int = 7) -> pd.DataFrame:
    """Add `task_class`, `cancelled`, `not_in_plan`, `counted`, `due_soon`,
    `awaiting_confirmation`, `days_overdue` and `days_left` to a frame from state_at.

    Each task counted at AS_OF gets exactly one class; cancelled tasks keep a
    missing class and `cancelled` True, tasks out of their plan (not cancelled)
    a missing class and `not_in_plan` True; `counted` is neither. Recurring tasks are `recurring` and
    tasks without a readable deadline are `undated` whatever their status: the
    date-based classes need a deadline to compare with. A task reported done is
    not completed until confirmed (`awaiting_confirmation`).
    """
    day = _day(as_of)
    out = frame.copy(deep=False)
    deadline = out["deadline"]
    recurring = out["recurring"].fillna(False).astype(bool)
    cancelled = out["status"] == TaskStatus.cancelled
    not_in_plan = out["missing_since"].notna() & ~cancelled
    counted = ~cancelled & ~not_in_plan
    completed = (out["status"] == TaskStatus.completed) & (out["completed_on"] <= day)
    dated = ~recurring & deadline.notna()
    conditions = [
        recurring,
        deadline.isna(),
        completed & (out["completed_on"] <= deadline),
        completed,
        day <= deadline,
    ]
    choices = [
        TaskClass.recurring.value,
        TaskClass.undated.value,
        TaskClass.completed_on_time.value,
        TaskClass.completed_late.value,
        TaskClass.in_progress_on_time.value,
    ]
    classes = pd.Series(np.select(conditions, choices, default=TaskClass.overdue.value), index=out.index)
    out["task_class"] = classes.astype("str").where(counted)
    days_to_deadline = (deadline - day).dt.days
    open_dated = dated & ~completed & counted
    out["cancelled"] = cancelled
    out["not_in_plan"] = not_in_plan
    out["counted"] = counted
    out["due_soon"] = open_dated & days_to_deadline.between(0, due_soon_days)
    out["awaiting_confirmation"] = out["status"] == TaskStatus.reported_done
    out["days_overdue"] = (-days_to_deadline).where(open_dated & (days_to_deadline < 0)).astype("Int64")
    out["days_left"] = days_to_deadline.where(open_dated & (days_to_deadline >= 0)).astype("Int64")
    return out


@dataclass(frozen=True)
class Summary:
    """Counts and rates of a classified frame (see the module docstring for the rates)."""

    total: int
    counts: dict[TaskClass, int]
    cancelled: int = 0
    not_in_plan: int = 0
    due_soon: int = 0
    awaiting_confirmation: int = 0
    extended: int = 0

    @property
    def completed(self) -> int:
        return sum(self.counts.get(name, 0) for name in COMPLETED_CLASSES)

    @property
    def completion_rate(self) -> float | None:
        return self._rates()["completion_rate"]

    @property
    def on_time_rate(self) -> float | None:
        return self._rates()["on_time_rate"]

    def _rates(self) -> dict[str, float | None]:
        counts = pd.DataFrame([{name.value: count for name, count in self.counts.items()}])
        row = rate_columns(counts).iloc[0]
        return {str(name): None if pd.isna(value) else float(value) for name, value in row.items()}


def rate_columns(counts: pd.DataFrame) -> pd.DataFrame:
    """Completion and on-time rates of frames holding one count column per class (NaN: nothing fell due)."""
    on_time = counts[TaskClass.completed_on_time.value]
    completed = on_time + counts[TaskClass.completed_late.value]
    fallen_due = (completed + counts[TaskClass.overdue.value]).astype(float)
    denominator = fallen_due.where(fallen_due > 0)
    return pd.DataFrame({"completion_rate": completed / denominator, "on_time_rate": on_time / denominator})


def summarize(classified: pd.DataFrame) -> Summary:
    """Counts per class (cancelled and out-of-plan tasks apart; `total` excludes them), flags and rates."""
    live = classified[classified["counted"]]
    found = live["task_class"].value_counts()
    counts = {name: int(found.get(name.value, 0)) for name in CLASSES}
    return Summary(
        total=len(live),
        counts=counts,
        cancelled=int(classified["cancelled"].sum()),
        not_in_plan=int(classified["not_in_plan"].sum()),
        due_soon=int(live["due_soon"].sum()),
        awaiting_confirmation=int(live["awaiting_confirmation"].sum()),
        extended=int(live["extended"].sum()),
    )


def classify_at(
    tasks: pd.DataFrame,
    history: pd.DataFrame | StateHistory,
    as_of: date,
    due_soon_days: int = 7,
    known_on: datetime | None = None,
) -> pd.DataFrame:
    """state_at then classify: the tasks at AS_OF, as known on KNOWN_ON, with their classes and flags."""
    return classify(state_at(tasks, history, as_of, known_on), as_of, due_soon_days)


def end_of_day(as_of: date) -> pd.Timestamp:
    """The first instant after AS_OF: rows recorded before it are known at AS_OF."""
    return _day(as_of + timedelta(days=1))
