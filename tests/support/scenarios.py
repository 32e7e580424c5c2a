"""A small two-plan history with every class, used by the report and CLI tests.

At AS_OF (30/06/2025), plan 45-KH/TU (unit A = Sở Khoa học và Công nghệ, B = Sở Nội vụ):
I.1 A completed on time · I.2 A completed late · I.3 B overdue (note from B) ·
II.1 B due in 5 days · II.2 B titled like a formula, within deadline ·
II.3 A recurring · II.4 A cancelled · II.5 A reported done, awaiting confirmation, due today.
Plan 12-KH/UBND: I.1 B overdue at AS_OF (completed late on 02/07, recorded on 03/07).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Engine

from models import Plan, Role, Task, TaskStatus, Unit
from tests.support.factories import add_state, backdate_task, make_plan, make_task, make_unit, make_user

AS_OF = date(2025, 6, 30)
FORMULA_TITLE = '=HYPERLINK("http://x","y")'
NOTE_FROM_B = "Đang chờ thẩm định hồ sơ"


@dataclass
class Scenario:
    first: Plan
    second: Plan
    unit_a: Unit
    unit_b: Unit
    tasks: dict[str, Task]


def build_scenario(engine: Engine) -> Scenario:
    first = make_plan(engine, "45-KH/TU", title="Kế hoạch hành động thực hiện Nghị quyết số 57-NQ/TW")
    second = make_plan(engine, "12-KH/UBND", title="Kế hoạch chuyển đổi số năm 2025")
    unit_a, unit_b = make_unit(engine, "Sở Khoa học và Công nghệ"), make_unit(engine, "Sở Nội vụ")
    user_b = make_user(engine, Role.unit, unit_b)

    def task(plan: Plan, unit: Unit, code: str, deadline: date | None, **fields: object) -> Task:
        section = code.split(".")[0]
        made = make_task(
            engine,
            plan,
            unit,
            code=code,
            deadline=deadline,
            position=len(tasks),
            section_code=section,
            section_title={"I": "Hoàn thiện thể chế", "II": "Chuyển đổi số"}[section],
            coordinators=(unit_b,) if unit is unit_a else (),
            **fields,
        )
        return backdate_task(engine, made, datetime(2025, 1, 2, 8))

    tasks: dict[str, Task] = {}
    tasks["I.1"] = task(first, unit_a, "I.1", date(2025, 6, 30), title="Ban hành quy chế chuyển đổi số")
    tasks["I.2"] = task(first, unit_a, "I.2", date(2025, 5, 31))
    tasks["I.3"] = task(first, unit_b, "I.3", date(2025, 6, 15), title="Đào tạo cán bộ về đổi mới sáng tạo")
    tasks["II.1"] = task(first, unit_b, "II.1", date(2025, 7, 5))
    tasks["II.2"] = task(first, unit_b, "II.2", date(2025, 12, 31), title=FORMULA_TITLE)
    tasks["II.3"] = task(first, unit_a, "II.3", None, recurring=True)
    tasks["II.4"] = task(first, unit_a, "II.4", date(2025, 4, 30))
    tasks["II.5"] = task(first, unit_a, "II.5", date(2025, 6, 30))
    tasks["p2 I.1"] = task(second, unit_b, "I.1", date(2025, 6, 1))

    add_state(engine, tasks["I.1"], TaskStatus.completed, date(2025, 6, 20))
    add_state(engine, tasks["I.2"], TaskStatus.completed, date(2025, 6, 10))
    add_state(engine, tasks["I.3"], TaskStatus.in_progress, date(2025, 6, 5), user=user_b, note=NOTE_FROM_B)
    add_state(engine, tasks["II.1"], TaskStatus.in_progress, date(2025, 6, 1))
    add_state(engine, tasks["II.4"], TaskStatus.cancelled, date(2025, 3, 1), note="Không còn phù hợp")
    add_state(engine, tasks["II.5"], TaskStatus.reported_done, date(2025, 6, 25))
    late_entry = datetime(2025, 7, 3, 9)
    add_state(engine, tasks["p2 I.1"], TaskStatus.completed, date(2025, 7, 2), recorded_at=late_entry)
    return Scenario(first, second, unit_a, unit_b, tasks)
