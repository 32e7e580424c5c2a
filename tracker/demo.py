"""Believable progress for the sample plan, so a newcomer sees a living dashboard at once.

Deterministic for a seed: tasks past their deadline are mostly completed (on
time or late), some are overdue; tasks still running are in progress, not
started, reported done and awaiting confirmation, or paused; one overdue task
had its deadline extended. Rows are written as the workflow would have written
them over the past months (state after each change, backdated effective and
recorded times) and the task rows end in the state of their last history row.

The one liberty taken with append-only history: the plan is moved back to its
start, its `created` rows and task creation times included, as if it had been
imported then. That is why only a plan with no history but its creation is
accepted.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from sqlmodel import Session, col, select, update

from models import (
    ExtensionRequest,
    ExtensionStatus,
    HistoryKind,
    Plan,
    StatusUpdate,
    Task,
    TaskStatus,
    User,
)
from tracker.errors import InvalidValue, NotFound

PROGRESS_NOTES = (
    "Đã xây dựng dự thảo, đang lấy ý kiến các sở, ngành.",
    "Đang khảo sát hiện trạng, tổng hợp số liệu.",
    "Đã hoàn thành thiết kế, đang triển khai thử nghiệm.",
    "Đang phối hợp với đơn vị tư vấn hoàn thiện hồ sơ.",
    "Đã trình UBND tỉnh xem xét, cho ý kiến.",
)
DONE_NOTES = ("Đã ban hành văn bản.", "Đã đưa vào vận hành chính thức.", "Đã tổ chức thực hiện xong.")
PAUSE_NOTE = "Vướng mắc về kinh phí, đang chờ bố trí vốn."
EXTENSION_REASON = "Cần thêm thời gian thẩm định, lấy ý kiến các bộ, ngành trung ương."


@dataclass
class _Story:
    """The rows one task gets and the state it ends in."""

    task: Task
    task_id: int
    rows: list[StatusUpdate] = field(default_factory=list)

    def add(
        self,
        kind: HistoryKind,
        day: date,
        hour: int,
        *,
        status: str | None = None,
        progress: int | None = None,
        completed_on: date | None = None,
        note: str = "",
        deadlines: tuple[date, date] | None = None,
    ) -> None:
        """A row effective on DAY, recorded that day at HOUR:30; DEADLINES (old, new) for extensions."""
        old, new = deadlines or (None, None)
        row = StatusUpdate(
            task_id=self.task_id,
            kind=kind,
            status=status,
            progress=progress,
            completed_on=completed_on,
            effective_on=day,
            note=note,
            field="deadline" if deadlines else "",
            old_value=old.isoformat() if old else "",
            new_value=new.isoformat() if new else "",
            recorded_at=datetime.combine(day, time(hour, 30)),
        )
        self.rows.append(row)
        if status is not None:
            self.task.status = status
            self.task.progress = int(row.progress or 0)
            self.task.completed_on = row.completed_on


def _between(rng: random.Random, first: date, last: date) -> date:
    return first + timedelta(days=rng.randint(0, max(0, (last - first).days)))


def _start(rng: random.Random, story: _Story, start: date, before: date, progress: int) -> date:
    day = _between(rng, start + timedelta(days=10), before)
    story.add(
        HistoryKind.status,
        day,
        9,
        status=TaskStatus.in_progress,
        progress=progress,
        note=rng.choice(PROGRESS_NOTES),
    )
    return day


def _complete(rng: random.Random, story: _Story, done: date, today: date) -> None:
    """The unit reports the task done on DONE; the secretariat confirms a few days later, by yesterday."""
    story.add(
        HistoryKind.status,
        done,
        15,
        status=TaskStatus.reported_done,
        progress=100,
        completed_on=done,
        note=rng.choice(DONE_NOTES),
    )
    confirmed = min(today - timedelta(days=1), done + timedelta(days=rng.randint(1, 5)))
    story.add(
        HistoryKind.confirmed, confirmed, 10, status=TaskStatus.completed, progress=100, completed_on=done
    )


def _extend(story: _Story, today: date, user: User | None, session: Session) -> None:
    """An overdue task whose lead unit asked for more time, approved by the secretariat."""
    task = story.task
    old = task.deadline
    assert old is not None
    new = today + timedelta(days=90)
    asked, approved = old - timedelta(days=5), old - timedelta(days=2)
    story.add(HistoryKind.extension_requested, asked, 11, note=EXTENSION_REASON, deadlines=(old, new))
    story.add(HistoryKind.extension_approved, approved, 16, note="Đồng ý gia hạn.", deadlines=(old, new))
    task.original_deadline, task.deadline = task.original_deadline or old, new
    if user is not None and user.id is not None:
        session.add(
            ExtensionRequest(
                task_id=story.task_id,
                current_deadline=old,
                requested_deadline=new,
                reason=EXTENSION_REASON,
                status=ExtensionStatus.approved,
                requested_by_id=user.id,
                requested_at=datetime.combine(asked, time(11, 30)),
                decided_by_id=user.id,
                decided_at=datetime.combine(approved, time(16, 30)),
                decision_note="Đồng ý gia hạn.",
            )
        )


def _tell(rng: random.Random, story: _Story, start: date, today: date) -> None:
    """A history for one task, chosen by where its deadline stands today."""
    deadline = story.task.deadline
    # Every change lies a few days back, so a confirmation or a pause can still follow it by yesterday.
    recent = today - timedelta(days=5)
    last_done = today - timedelta(days=2)
    draw = rng.random()
    if deadline is None:
        if draw < 0.6:
            _start(rng, story, start, recent, rng.choice((30, 50, 70)))
        return
    if deadline < today:
        started = _start(rng, story, start, min(recent, deadline - timedelta(days=1)), 40)
        if draw < 0.55:
            _complete(rng, story, _between(rng, started + timedelta(days=1), min(deadline, last_done)), today)
        elif draw < 0.8:
            _complete(rng, story, min(last_done, deadline + timedelta(days=rng.randint(3, 40))), today)
        return
    if draw < 0.15:
        return
    started = _start(rng, story, start, recent, rng.choice((20, 40, 60, 80)))
    if draw < 0.3:
        _complete(rng, story, _between(rng, started + timedelta(days=1), last_done), today)
    elif draw < 0.42:
        reported = max(started + timedelta(days=1), today - timedelta(days=rng.randint(1, 6)))
        story.add(
            HistoryKind.status,
            reported,
            15,
            status=TaskStatus.reported_done,
            progress=100,
            completed_on=reported,
        )


def _cast(
    stories: list[_Story], rng: random.Random, start: date, today: date, user: User | None, session: Session
) -> None:
    """Whatever the draw, show a paused task, one awaiting confirmation and an extension."""
    running = [
        story
        for story in stories
        if story.task.status == TaskStatus.in_progress and (story.task.deadline or today) >= today
    ]
    rng.shuffle(running)
    # Dated tasks last, so pop() takes them first: their flags show in every view.
    running.sort(key=lambda story: story.task.deadline is not None)
    if running:
        paused = running.pop()
        day = max(row.effective_on for row in paused.rows) + timedelta(days=3)
        progress = paused.task.progress
        paused.add(HistoryKind.status, day, 14, status=TaskStatus.paused, progress=progress, note=PAUSE_NOTE)
    reported = any(story.task.status == TaskStatus.reported_done for story in stories)
    if running and not reported:
        done = today - timedelta(days=2)
        running.pop().add(
            HistoryKind.status, done, 15, status=TaskStatus.reported_done, progress=100, completed_on=done
        )
    overdue = [
        story
        for story in stories
        if story.task.deadline is not None
        and story.task.deadline < today - timedelta(days=7)
        and story.task.status != TaskStatus.completed
        and story.task.deadline > start + timedelta(days=20)
    ]
    if overdue:
        _extend(rng.choice(overdue), today, user, session)


def seed_demo_progress(session: Session, *, plan_id: int, today: date, seed: int = 57) -> int:
    """Write the demo history of PLAN_ID's tasks up to TODAY; returns the history rows written."""
    plan = session.get(Plan, plan_id)
    if plan is None:
        raise NotFound(f"Không có kế hoạch số {plan_id}.")
    tasks = list(
        session.exec(select(Task).where(Task.plan_id == plan_id).order_by(col(Task.position), col(Task.id)))
    )
    ids = [task.id for task in tasks]
    worked = session.exec(
        select(StatusUpdate.id).where(
            col(StatusUpdate.task_id).in_(ids), StatusUpdate.kind != HistoryKind.created
        )
    ).first()
    if worked is not None:
        raise InvalidValue(
            f"Kế hoạch {plan.number} đã có dữ liệu tiến độ: chỉ tạo dữ liệu mẫu cho kế hoạch vừa nhập."
        )
    rng = random.Random(seed)
    start = min(plan.issued_on or today - timedelta(days=300), today - timedelta(days=120))
    created_at = datetime.combine(start, time(8))
    session.exec(
        update(StatusUpdate)
        .where(col(StatusUpdate.task_id).in_(ids), col(StatusUpdate.kind) == HistoryKind.created)
        .values(recorded_at=created_at, effective_on=start)
        .execution_options(synchronize_session=False)
    )
    stories = [_Story(task, task.id) for task in tasks if task.id is not None]
    for story in stories:
        story.task.created_at = created_at
        _tell(rng, story, start, today)
    user = session.exec(select(User).order_by(col(User.id))).first()
    _cast(stories, rng, start, today, user, session)
    written = 0
    for story in stories:
        session.add_all(story.rows)
        written += len(story.rows)
        if story.rows:
            story.task.version += 1
            story.task.updated_at = max(row.recorded_at for row in story.rows)
        session.add(story.task)
    session.flush()
    return written
