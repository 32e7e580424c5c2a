"""A large, deterministic database for benchmarks: 20,000 tasks, 300 units, 100,000 history rows.

Rows are generated in memory and written with bulk INSERTs (executemany), so
seeding takes seconds on SQLite and PostgreSQL alike. Task rows end in the
state of their last history row, as the workflow would leave them.

    from benchmarks.seed import seed_large
    seed_large(open_database(url))
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Engine, bindparam, insert, select, update
from sqlmodel import col

from models import HistoryKind, Plan, StatusUpdate, Task, TaskCoordinator, TaskLead, TaskStatus, Unit
from tracker.db import write_session
from tracker.textfold import fold

START = date(2024, 1, 15)
SECTIONS = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII")
TOPICS = (
    "Xây dựng nền tảng chuyển đổi số dùng chung",
    "Đào tạo, bồi dưỡng nguồn nhân lực số",
    "Hoàn thiện cơ chế, chính sách khoa học và công nghệ",
    "Triển khai dịch vụ công trực tuyến toàn trình",
    "Phát triển hạ tầng dữ liệu và trung tâm dữ liệu",
    "Thúc đẩy đổi mới sáng tạo trong doanh nghiệp",
)


def _chunks(rows: list[dict[str, Any]], size: int = 5000) -> list[list[dict[str, Any]]]:
    return [rows[start : start + size] for start in range(0, len(rows), size)]


def _insert(engine: Engine, model: Any, rows: list[dict[str, Any]]) -> None:
    with write_session(engine) as session:
        for chunk in _chunks(rows):
            session.execute(insert(model), chunk)


def _ids(engine: Engine, model: Any) -> list[int]:
    with write_session(engine) as session:
        return list(session.scalars(select(col(model.id)).order_by(col(model.id))))


def _task_rows(
    plan_ids: list[int], unit_ids: list[int], count: int, rng: random.Random
) -> list[dict[str, Any]]:
    created = datetime.combine(START, time(8))
    rows = []
    for number in range(count):
        recurring = rng.random() < 0.05
        undated = not recurring and rng.random() < 0.03
        deadline = None if recurring or undated else START + timedelta(days=rng.randint(60, 1100))
        section = SECTIONS[number % len(SECTIONS)]
        text = "Thường xuyên" if recurring else ("Theo tiến độ dự án" if undated else f"{deadline:%d/%m/%Y}")
        rows.append(
            {
                "plan_id": plan_ids[number % len(plan_ids)],
                "code": f"{section}.{number // len(SECTIONS) + 1}",
                "position": number,
                "section_code": section,
                "section_title": f"Nhóm nhiệm vụ {section}",
                "group_title": "",
                "title": f"{TOPICS[number % len(TOPICS)]} (nhiệm vụ {number + 1})",
                "lead_unit_id": unit_ids[rng.randrange(len(unit_ids))],
                "deadline": deadline,
                "deadline_text": text,
                "recurring": recurring,
                "output": "Báo cáo kết quả",
                "status": TaskStatus.not_started,
                "progress": 0,
                "completed_on": None,
                "version": 1,
                "created_at": created,
                "updated_at": created,
            }
        )
    return rows


def _history(task: dict[str, Any], task_id: int, steps: int, rng: random.Random) -> list[dict[str, Any]]:
    """A created row, then STEPS state changes moving forward in time; updates TASK to the last state."""
    created = task["created_at"]
    rows = [_row(task_id, HistoryKind.created, None, None, None, created.date(), created)]
    day = START
    progress = 0
    for step in range(steps):
        day += timedelta(days=rng.randint(5, 90))
        last = step == steps - 1
        if last and rng.random() < 0.5:
            status, progress, completed_on = TaskStatus.completed, 100, day
        else:
            progress = min(90, progress + rng.randint(10, 40))
            status, completed_on = TaskStatus.in_progress, None
        rows.append(_row(task_id, HistoryKind.status, status, progress, completed_on, day, None))
        task.update(status=status, progress=progress, completed_on=completed_on)
    return rows


def _row(
    task_id: int,
    kind: HistoryKind,
    status: str | None,
    progress: int | None,
    completed_on: date | None,
    effective_on: date,
    recorded_at: datetime | None,
) -> dict[str, Any]:
    return {
        "task_id": task_id,
        "kind": kind,
        "status": status,
        "progress": progress,
        "completed_on": completed_on,
        "effective_on": effective_on,
        "note": "Đang triển khai theo kế hoạch" if status else "",
        "evidence": "",
        "field": "",
        "old_value": "",
        "new_value": "",
        "recorded_at": recorded_at or datetime.combine(effective_on, time(10)),
    }


def seed_large(
    engine: Engine, *, tasks: int = 20_000, units: int = 300, history: int = 100_000, seed: int = 57
) -> dict[str, int]:
    """Fill an empty database; returns the counts written. HISTORY counts every row, creations included."""
    if _ids(engine, Task):
        raise ValueError("seed_large needs an empty database")
    rng = random.Random(seed)
    stamp = datetime.combine(START, time(8))
    plans = [
        {
            "number": f"{n}-KH/BENCH",
            "title": f"Kế hoạch thử tải {n}",
            "status": "in_force",
            "created_at": stamp,
        }
        for n in (1, 2)
    ]
    _insert(engine, Plan, plans)
    names = [f"Đơn vị thử tải số {n}" for n in range(1, units + 1)]
    _insert(engine, Unit, [{"name": name, "key": fold(name), "created_at": stamp} for name in names])
    plan_ids = _ids(engine, Plan)
    unit_ids = _ids(engine, Unit)
    task_rows = _task_rows(plan_ids, unit_ids, tasks, rng)
    _insert(engine, Task, task_rows)
    # The database was empty: ids follow insert order.
    task_ids = _ids(engine, Task)
    changes = max(0, history - tasks)
    history_rows: list[dict[str, Any]] = []
    for index, (task, task_id) in enumerate(zip(task_rows, task_ids, strict=True)):
        steps = changes // tasks + (1 if index < changes % tasks else 0)
        history_rows.extend(_history(task, task_id, steps, rng))
    _insert(engine, StatusUpdate, history_rows)
    _apply_final_states(engine, task_rows, task_ids)
    coordinators = [
        {"task_id": task_id, "unit_id": unit_ids[(index * 7 + 3) % len(unit_ids)], "position": 0}
        for index, task_id in enumerate(task_ids)
        if index % 2 == 0
    ]
    _insert(engine, TaskCoordinator, coordinators)
    # Every task's lead is also the first of its leads (TaskLead), as an import writes it.
    leads = [
        {"task_id": task_id, "unit_id": task["lead_unit_id"], "position": 0}
        for task, task_id in zip(task_rows, task_ids, strict=True)
    ]
    _insert(engine, TaskLead, leads)
    return {"tasks": len(task_ids), "units": len(unit_ids), "history": len(history_rows)}


def _apply_final_states(engine: Engine, task_rows: list[dict[str, Any]], task_ids: list[int]) -> None:
    statement = (
        update(Task)
        .where(col(Task.id) == bindparam("task_id"))
        .values(status=bindparam("state"), progress=bindparam("percent"), completed_on=bindparam("done"))
    )
    params = [
        {"task_id": task_id, "state": row["status"], "percent": row["progress"], "done": row["completed_on"]}
        for row, task_id in zip(task_rows, task_ids, strict=True)
        if row["status"] != TaskStatus.not_started
    ]
    with write_session(engine) as session:
        for chunk in _chunks(params):
            session.connection().execute(statement, chunk)
