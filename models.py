"""SQLModel tables of the tracker.

Times are Vietnam local time stored naive (tracker.clock): the committee, its
units and its cut-off dates all live in one time zone.

Enumerated values are stored as plain strings (not database enums) so that
SQLite and PostgreSQL hold the same schema and a new value needs no migration.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from pydantic import NaiveDatetime
from sqlalchemy import CheckConstraint, Column, Index, LargeBinary
from sqlmodel import Field, SQLModel, UniqueConstraint


class Role(StrEnum):
    committee = "committee"
    unit = "unit"
    secretariat = "secretariat"


class TaskStatus(StrEnum):
    not_started = "not_started"
    in_progress = "in_progress"
    reported_done = "reported_done"
    completed = "completed"
    paused = "paused"
    cancelled = "cancelled"


class TaskClass(StrEnum):
    """Where a task stands at a date; the order is the order of every legend."""

    completed_on_time = "completed_on_time"
    completed_late = "completed_late"
    in_progress_on_time = "in_progress_on_time"
    overdue = "overdue"
    recurring = "recurring"
    undated = "undated"


# What a task with no class stands as when a revision of its annex no longer lists it: counted
# apart from the classes and the total, as cancelled tasks are (tracker.views.classify).
NOT_IN_PLAN = "not_in_plan"


class HistoryKind(StrEnum):
    created = "created"
    status = "status"
    confirmed = "confirmed"
    returned = "returned"
    field_edit = "field_edit"
    import_update = "import_update"
    comment = "comment"
    explanation_request = "explanation_request"
    coordination_note = "coordination_note"
    evidence = "evidence"
    extension_requested = "extension_requested"
    extension_approved = "extension_approved"
    extension_refused = "extension_refused"
    coordination_request = "coordination_request"
    coordination_part = "coordination_part"
    # A task's place in its plan (Task.missing_since): a revision of the annex no longer
    # lists it, a later one lists it again, or the secretariat keeps it in the plan.
    dropped = "dropped"
    relisted = "relisted"
    kept = "kept"


class PlanStatus(StrEnum):
    in_force = "in_force"
    replaced = "replaced"


class ExtensionStatus(StrEnum):
    pending = "pending"
    approved = "approved"
    refused = "refused"


class Plan(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    number: str = Field(unique=True, max_length=200)
    title: str = ""
    issuer: str = ""
    issued_on: date | None = None
    status: str = Field(default=PlanStatus.in_force, max_length=20)
    created_at: NaiveDatetime


class Unit(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=300)
    # Folded name (see tracker.directory.units.unit_key): two spellings of one unit share it.
    key: str = Field(unique=True, max_length=300)
    short_name: str = ""
    kind: str = ""
    created_at: NaiveDatetime
    # The unit's own mailbox, copied on its reminders (tracker.reminders).
    mailbox: str = Field(default="", max_length=300)


class UnitAlias(SQLModel, table=True):
    """Another name of a unit, kept so the next import matches it."""

    id: int | None = Field(default=None, primary_key=True)
    unit_id: int = Field(foreign_key="unit.id", index=True)
    alias: str = Field(max_length=300)
    key: str = Field(unique=True, max_length=300)


class User(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(unique=True, max_length=100)
    display_name: str = ""
    email: str | None = Field(default=None, max_length=300)
    role: str = Field(max_length=20)
    unit_id: int | None = Field(default=None, foreign_key="unit.id")
    password_hash: str = ""
    active: bool = True
    last_login_at: NaiveDatetime | None = None
    created_at: NaiveDatetime
    # A committee member's choice to receive the weekly summary by e-mail (tracker.reminders).
    weekly_summary: bool = False


class UnlockCode(SQLModel, table=True):
    """The one-time code last sent to an account's e-mail to get past sign-in waits
    (tracker.directory.unlock_codes); one per account, its sha256 only."""

    user_id: int = Field(primary_key=True, foreign_key="user.id")
    code_hash: str = Field(max_length=64)
    created_at: NaiveDatetime


class SignInThrottle(SQLModel, table=True):
    """Failed sign-ins from one client address, to one typed username or (username "") to any.

    Kept in the database so every app server counts the same attempts; see
    tracker.directory.throttle.
    """

    __table_args__ = (UniqueConstraint("address", "username"),)

    id: int | None = Field(default=None, primary_key=True)
    address: str = Field(max_length=100)
    # As typed (known or not): the answer must not depend on whether the account exists.
    username: str = Field(max_length=100, index=True)
    failures: int = 0
    last_failure_at: NaiveDatetime
    blocked_until: NaiveDatetime | None = None


class BrowserSignIn(SQLModel, table=True):
    """A browser kept signed in across reloads: the sha256 of the random token in its cookie."""

    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(unique=True, max_length=64)
    user_id: int = Field(foreign_key="user.id", index=True)
    created_at: NaiveDatetime
    last_seen_at: NaiveDatetime


class Task(SQLModel, table=True):
    # A plan's tasks with their versions: the state store's check that no task changed unseen
    # (tracker.views.store) counts and sums them from this index alone, a third of the time of
    # reading the table at 100,000 tasks. It serves every lookup of a plan's tasks too.
    __table_args__ = (
        UniqueConstraint("plan_id", "code"),
        Index("ix_task_plan_version", "plan_id", "version"),
    )

    id: int | None = Field(default=None, primary_key=True)
    plan_id: int = Field(foreign_key="plan.id")
    code: str = Field(max_length=50)
    # Position in the annex, so lists keep the plan's own order.
    position: int = 0
    section_code: str = ""
    section_title: str = ""
    group_title: str = ""
    title: str
    lead_unit_id: int | None = Field(default=None, foreign_key="unit.id", index=True)
    deadline: date | None = None
    deadline_text: str = ""
    recurring: bool = False
    # The deadline before the first approved extension; None when never extended.
    original_deadline: date | None = None
    output: str = ""
    status: str = Field(default=TaskStatus.not_started, max_length=20)
    progress: int = 0
    completed_on: date | None = None
    # The date of the revision of the annex that no longer lists the task; None while it is in
    # the plan. The history rows of DROP_KINDS (tracker.tasks.lifecycle) say when, for past dates.
    missing_since: date | None = None
    version: int = 1
    source_row: int | None = None
    created_at: NaiveDatetime
    updated_at: NaiveDatetime


class TaskCoordinator(SQLModel, table=True):
    task_id: int = Field(foreign_key="task.id", primary_key=True)
    unit_id: int = Field(foreign_key="unit.id", primary_key=True, index=True)
    position: int = 0


class StatusUpdate(SQLModel, table=True):
    """Append-only history of a task: one row per change, never updated or deleted.

    Rows that change the task's state carry the state after the change in
    status / progress / completed_on, so the state at any date is the last such
    row recorded and effective by then.
    """

    # A task's rows newest first, read in that order: a report's last note of each task stops
    # at the first row that qualifies instead of sorting all of them (a third of the time at
    # 100,000 tasks). With each row's kind and effective date, a task's last state row at a date
    # is found in the index alone (queries.state_history_at: half the time).
    __table_args__ = (
        Index("ix_statusupdate_task_state", "task_id", "recorded_at", "id", "kind", "effective_on"),
    )

    id: int | None = Field(default=None, primary_key=True)
    task_id: int = Field(foreign_key="task.id", index=True)
    kind: str = Field(max_length=30)
    status: str | None = Field(default=None, max_length=20)
    progress: int | None = None
    completed_on: date | None = None
    effective_on: date
    note: str = ""
    evidence: str = ""
    field: str = ""
    old_value: str = ""
    new_value: str = ""
    user_id: int | None = Field(default=None, foreign_key="user.id")
    recorded_at: NaiveDatetime = Field(index=True)


class Evidence(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    task_id: int = Field(foreign_key="task.id", index=True)
    reference: str = ""
    link: str = ""
    # The uploaded name, shown to users; the bytes are in EvidenceFile under sha256.
    file_name: str = ""
    sha256: str = ""
    size: int = 0
    user_id: int | None = Field(default=None, foreign_key="user.id")
    uploaded_at: NaiveDatetime


class EvidenceFile(SQLModel, table=True):
    """The bytes of an evidence file, once per content (Evidence.sha256 names them).

    Kept in the database, not on a disk, so that one transaction covers the file
    and its record, a backup holds both, and every app server sees every file;
    in a table of its own so that listing evidence never loads them. One file
    attached to many tasks (a progress import's spreadsheet) is stored once.
    """

    sha256: str = Field(primary_key=True, max_length=64)
    data: bytes = Field(sa_type=LargeBinary)


class ExtensionRequest(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    task_id: int = Field(foreign_key="task.id", index=True)
    current_deadline: date | None = None
    requested_deadline: date
    reason: str
    status: str = Field(default=ExtensionStatus.pending, max_length=20)
    requested_by_id: int = Field(foreign_key="user.id")
    requested_at: NaiveDatetime
    decided_by_id: int | None = Field(default=None, foreign_key="user.id")
    decided_at: NaiveDatetime | None = None
    decision_note: str = ""


class ImportBatch(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    plan_id: int = Field(foreign_key="plan.id", index=True)
    file_name: str
    sha256: str = Field(max_length=64)
    sheet: str = ""
    user_id: int | None = Field(default=None, foreign_key="user.id")
    created_at: NaiveDatetime
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    missing: int = 0
    warnings: int = 0
    errors: int = 0


class IssuedReport(SQLModel, table=True):
    """A report as the secretariat issued it (ban hành): never changed, never deleted.

    The database refuses updates and deletes (triggers of migration 0011).
    ISSUED_AT is also the recorded-time cut-off: a report known on ISSUED_AT
    says exactly what this one said.
    """

    id: int | None = Field(default=None, primary_key=True)
    number: str = Field(unique=True, max_length=100)
    as_of: date
    issued_on: date
    place: str = Field(max_length=200)
    signer_position: str = Field(max_length=200)
    signer_name: str = Field(max_length=200)
    scope: str = ""
    # JSON: what the report was asked for (plans, unit, section, period), to regenerate it.
    params: str
    # JSON: the figures as `report --json` printed them, the narrative sections, each task's class.
    figures: str
    sections: str
    task_classes: str
    docx: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    xlsx: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    user_id: int = Field(foreign_key="user.id")
    issued_at: NaiveDatetime


class DataVersion(SQLModel, table=True):
    """Per table, a stamp renewed by every transaction that writes to it (tracker.db). On
    PostgreSQL a table's stamp is kept in shares, one row each ("task#3"), so that parallel
    writers do not wait for one row.

    Caches key on the stamps of the tables they read, so a write from any process
    (the CLI, another app server) shows at the next read. A random stamp, not a
    counter: a counter would repeat after a restore from backup and revive stale entries.
    """

    name: str = Field(primary_key=True, max_length=100)
    stamp: str = Field(max_length=32)


# issue 15: joint leads, collectives, coordination


class UnitKind(StrEnum):
    """A body, or a phrase naming many at once ("các địa phương"): kept and shown, never ranked."""

    unit = "unit"
    collective = "collective"


class PartStatus(StrEnum):
    """Where a coordinating unit stands on its own part of a task (values apart from
    TaskStatus's: labels are looked up by value)."""

    to_do = "to_do"
    working = "working"
    done = "done"


class TaskLead(SQLModel, table=True):
    """Every lead unit of a task, first (position 0, also Task.lead_unit_id) to last:
    annexes name joint leads ("Bộ Tài chính, Bộ Công Thương"), each leading in full."""

    task_id: int = Field(foreign_key="task.id", primary_key=True)
    unit_id: int = Field(foreign_key="unit.id", primary_key=True, index=True)
    position: int = 0


class CoordinationPart(SQLModel, table=True):
    """Append-only: a coordinating unit's report on its own part of a task; the last one
    per task and unit is where that part stands. The lead's status is never touched."""

    id: int | None = Field(default=None, primary_key=True)
    task_id: int = Field(foreign_key="task.id", index=True)
    unit_id: int = Field(foreign_key="unit.id", index=True)
    status: str = Field(max_length=20)
    note: str = ""
    evidence: str = ""
    user_id: int | None = Field(default=None, foreign_key="user.id")
    recorded_at: NaiveDatetime


class CoordinationRequest(SQLModel, table=True):
    """A lead unit asking a coordinating unit for its input by a date (yêu cầu phối hợp);
    answered by that unit's next report on its part."""

    id: int | None = Field(default=None, primary_key=True)
    task_id: int = Field(foreign_key="task.id", index=True)
    unit_id: int = Field(foreign_key="unit.id", index=True)
    due_on: date
    message: str = ""
    # The history row that tells the task's timeline (and the unit's inbox) of the request.
    history_id: int | None = Field(default=None, foreign_key="statusupdate.id")
    requested_by_id: int | None = Field(default=None, foreign_key="user.id")
    requested_at: NaiveDatetime
    answered_at: NaiveDatetime | None = None


# --- Indicators (chỉ tiêu): targets of a plan and the values reported against them ---


class IndicatorStatus(StrEnum):
    """Where an indicator stands at a date, from its latest confirmed value."""

    met = "met"
    in_progress = "in_progress"
    not_met = "not_met"
    no_data = "no_data"


class Indicator(SQLModel, table=True):
    """One indicator of a plan's indicator annex; its fields belong to the annex (a re-import
    updates them), its values to the units (IndicatorValue)."""

    __table_args__ = (UniqueConstraint("plan_id", "code"),)

    id: int | None = Field(default=None, primary_key=True)
    plan_id: int = Field(foreign_key="plan.id", index=True)
    code: str = Field(max_length=50)
    position: int = 0
    section_code: str = ""
    section_title: str = ""
    group_title: str = ""
    title: str
    measure_unit: str = ""
    target_text: str = ""
    # The target parsed (tracker.indicators.targets): "" op when written only in words.
    target_op: str = Field(default="", max_length=10)
    target_value: float | None = None
    target_high: float | None = None
    target_year: int | None = None
    baseline_text: str = ""
    baseline_value: float | None = None
    baseline_year: int | None = None
    lead_unit_id: int | None = Field(default=None, foreign_key="unit.id", index=True)
    source_row: int | None = None
    created_at: NaiveDatetime
    updated_at: NaiveDatetime


class IndicatorCoordinator(SQLModel, table=True):
    indicator_id: int = Field(foreign_key="indicator.id", primary_key=True)
    unit_id: int = Field(foreign_key="unit.id", primary_key=True, index=True)
    position: int = 0


class IndicatorValue(SQLModel, table=True):
    """Append-only: a value reported for a period is never changed; a correction is a new row.

    A value is one of two kinds, never both: a number against a numeric target, or,
    against a target written in words, the assessment of the one recording it:
    whether the target is reached (đạt) or not yet (chưa đạt)."""

    __table_args__ = (
        CheckConstraint("(value IS NULL) <> (reached IS NULL)", name="indicatorvalue_one_kind"),
    )

    id: int | None = Field(default=None, primary_key=True)
    indicator_id: int = Field(foreign_key="indicator.id", index=True)
    value: float | None = None
    reached: bool | None = None
    period_text: str = Field(max_length=100)
    # The last day of the period ("2025" → 2025-12-31, "Quý I/2025" → 2025-03-31).
    period_end: date
    # When the value holds, as a task's state row: its period's end, or the day it was
    # recorded if that is earlier (a figure for the year under way).
    effective_on: date
    source: str = ""
    evidence: str = ""
    note: str = ""
    user_id: int | None = Field(default=None, foreign_key="user.id")
    recorded_at: NaiveDatetime = Field(index=True)


class IndicatorConfirmation(SQLModel, table=True):
    """The secretariat's confirmation of a value: appended, never removed."""

    id: int | None = Field(default=None, primary_key=True)
    value_id: int = Field(foreign_key="indicatorvalue.id", unique=True)
    user_id: int | None = Field(default=None, foreign_key="user.id")
    note: str = ""
    # The day the confirmation counts from: the value's own for the secretariat's own value,
    # else the day it was confirmed.
    effective_on: date
    confirmed_at: NaiveDatetime


class ReminderLog(SQLModel, table=True):
    """One reminder e-mail to one recipient, sent or failed (tracker.reminders).

    `items` is a JSON list of {"task_id", "code", "reason", "ref"}: what the
    message said, which the repeat rule reads back. Append-only.
    """

    id: int | None = Field(default=None, primary_key=True)
    as_of: date = Field(index=True)
    attempted_at: NaiveDatetime
    recipient: str = Field(max_length=300, index=True)
    audience: str = Field(max_length=20)
    unit_id: int | None = Field(default=None, foreign_key="unit.id")
    subject: str = ""
    items: str = "[]"
    sent: bool = False
    error: str = ""
