"""Reading tasks and history as DataFrames, classifying them, filtering and aggregating."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import pandas as pd
import pytest
from sqlalchemy import Engine

from models import Evidence, ExtensionRequest, Plan, PlanStatus, Task, TaskClass, TaskStatus, Unit
from tests.support.factories import add_state, backdate_task, make_plan, make_task, make_unit, make_user
from tracker.clock import now
from tracker.db import read_session, write_session
from tracker.errors import NotFound
from tracker.views.breakdowns import (
    NO_LEAD_UNIT,
    deadlines_by_month,
    due_soon_tasks,
    overdue_tasks,
    plan_table,
    unit_month_heatmap,
    unit_table,
)
from tracker.views.filters import filter_tasks
from tracker.views.queries import (
    classified_tasks,
    history_frame,
    state_history,
    task_detail,
    tasks_frame,
    trend_table,
)

AS_OF = date(2025, 6, 30)


def dated_task(engine: Engine, plan: Plan, unit: Unit | None, **fields: Any) -> Task:
    return backdate_task(engine, make_task(engine, plan, unit, **fields), datetime(2025, 1, 2, 8))


def test_tasks_frame_has_plan_units_and_coordinators_in_annex_order(engine: Engine) -> None:
    plan = make_plan(engine, "45-KH/TU")
    lead, first, second = make_unit(engine, "Sở Nội vụ"), make_unit(engine, "Sở Tài chính"), make_unit(engine)
    make_task(engine, plan, lead, code="I.2", position=2, deadline=date(2025, 3, 31))
    make_task(engine, plan, None, code="I.1", position=1, coordinators=(second, first))
    with read_session(engine) as session:
        frame = tasks_frame(session)
    assert list(frame["code"]) == ["I.1", "I.2"]
    assert list(frame["plan_number"]) == ["45-KH/TU", "45-KH/TU"]
    assert frame.loc[0, "coordinating_units"] == [second.name, "Sở Tài chính"]
    assert frame.loc[1, "coordinating_units"] == []
    assert list(frame["lead_unit"]) == ["", "Sở Nội vụ"]


def test_default_plan_filter_is_the_plans_in_force(engine: Engine) -> None:
    unit = make_unit(engine)
    current, old = make_plan(engine, "45-KH/TU"), make_plan(engine, "12-KH/TU", status=PlanStatus.replaced)
    make_task(engine, current, unit, code="I.1")
    make_task(engine, old, unit, code="I.1")
    with read_session(engine) as session:
        assert list(tasks_frame(session)["plan_number"]) == ["45-KH/TU"]
        both = tasks_frame(session, plan_ids=[current.id or 0, old.id or 0])
    assert sorted(both["plan_number"]) == ["12-KH/TU", "45-KH/TU"]


def test_classified_tasks_reads_history_up_to_the_date(engine: Engine) -> None:
    plan, unit = make_plan(engine), make_unit(engine)
    done = dated_task(engine, plan, unit, code="1", deadline=date(2025, 6, 15))
    late = dated_task(engine, plan, unit, code="2", deadline=date(2025, 6, 15))
    dated_task(engine, plan, unit, code="3", deadline=date(2025, 6, 29))
    add_state(engine, done, TaskStatus.completed, date(2025, 6, 1))
    add_state(engine, late, TaskStatus.completed, date(2025, 7, 2))
    with read_session(engine) as session:
        frame = classified_tasks(session, as_of=AS_OF, due_soon_days=7).set_index("code")
        later = classified_tasks(session, as_of=date(2025, 7, 3), due_soon_days=7).set_index("code")
    assert list(frame["task_class"]) == [TaskClass.completed_on_time, TaskClass.overdue, TaskClass.overdue]
    assert later.loc["2", "task_class"] == TaskClass.completed_late


def test_history_frame_names_the_author(engine: Engine) -> None:
    plan, unit = make_plan(engine), make_unit(engine)
    user = make_user(engine, "unit", unit)
    task = make_task(engine, plan, unit)
    add_state(engine, task, TaskStatus.in_progress, date(2025, 6, 1), user=user, note="Đang khảo sát")
    with read_session(engine) as session:
        frame = history_frame(session, task_ids=[task.id or 0])
    assert list(frame["user_name"]) == [user.display_name]
    assert list(frame["note"]) == ["Đang khảo sát"]
    assert list(frame["user_unit_id"]) == [unit.id]


def listed(**overrides: Any) -> dict[str, Any]:
    base = {
        "id": 1,
        "plan_id": 1,
        "plan_number": "45-KH/TU",
        "position": 1,
        "code": "I.1",
        "section_code": "I",
        "section_title": "Hoàn thiện thể chế",
        "group_title": "",
        "title": "Nhiệm vụ",
        "output": "",
        "lead_unit_id": 1,
        "lead_unit": "Sở Nội vụ",
        "coordinating_unit_ids": [],
        "task_class": TaskClass.in_progress_on_time.value,
        "status": TaskStatus.in_progress.value,
        "deadline": pd.Timestamp("2025-09-30"),
        "recurring": False,
        "cancelled": False,
        "not_in_plan": False,
        "due_soon": False,
        "awaiting_confirmation": False,
        "days_overdue": pd.NA,
        "days_left": pd.NA,
    }
    row = base | overrides
    # Counted as classify says: neither cancelled nor out of its plan.
    row.setdefault("counted", not row["cancelled"] and not row["not_in_plan"])
    # The lead as tasks_frame gives it: the first of the task's leads.
    lead = [] if pd.isna(row["lead_unit_id"]) else [row["lead_unit_id"]]
    names = [row["lead_unit"]] if lead else []
    defaults = {"lead_unit_ids": lead, "lead_units": names, "lead_unit_kinds": ["unit"] * len(lead)}
    return defaults | row


def codes(frame: pd.DataFrame) -> list[str]:
    return list(frame["code"])


TASK_LIST = pd.DataFrame(
    [
        listed(code="I.1", title="Xây dựng nền tảng chuyển đổi số dùng chung", coordinating_unit_ids=[2, 3]),
        listed(code="I.2", title="ĐÀO TẠO nguồn nhân lực số", lead_unit_id=2, lead_unit="Sở Tài chính"),
        listed(
            code="II.1",
            section_code="II",
            title="Hội nghị sơ kết",
            recurring=True,
            deadline=pd.NaT,
            task_class=TaskClass.recurring.value,
            coordinating_unit_ids=[3],
        ),
        listed(
            code="II.2",
            section_code="II",
            title="Chuyển đổi số trong y tế",
            deadline=pd.Timestamp("2025-03-31"),
            task_class=TaskClass.overdue.value,
            status=TaskStatus.reported_done.value,
        ),
    ]
)


@pytest.mark.parametrize(
    ("search", "expected"),
    [
        ("chuyen doi so", ["I.1", "II.2"]),
        ("CHUYỂN ĐỔI", ["I.1", "II.2"]),
        ("dao tao", ["I.2"]),
        ("đào tạo", ["I.2"]),
        ("so chuyen", ["I.1", "II.2"]),
        ("y te", ["II.2"]),
        ("tai chinh", ["I.2"]),
        ("II.", ["II.1", "II.2"]),
        ("  ", ["I.1", "I.2", "II.1", "II.2"]),
        ("khong co", []),
    ],
)
def test_search_ignores_case_and_diacritics(search: str, expected: list[str]) -> None:
    assert codes(filter_tasks(TASK_LIST, search=search)) == expected


def test_filters_combine() -> None:
    assert codes(filter_tasks(TASK_LIST, sections=["II"])) == ["II.1", "II.2"]
    assert codes(filter_tasks(TASK_LIST, lead_unit_ids=[2])) == ["I.2"]
    assert codes(filter_tasks(TASK_LIST, coordinator_unit_ids=[3])) == ["I.1", "II.1"]
    assert codes(filter_tasks(TASK_LIST, classes=[TaskClass.overdue])) == ["II.2"]
    assert codes(filter_tasks(TASK_LIST, statuses=[TaskStatus.reported_done])) == ["II.2"]
    assert codes(filter_tasks(TASK_LIST, recurring=True)) == ["II.1"]
    assert codes(filter_tasks(TASK_LIST, deadline_from=date(2025, 4, 1))) == ["I.1", "I.2"]
    assert codes(filter_tasks(TASK_LIST, deadline_to=date(2025, 3, 31))) == ["II.2"]
    assert codes(filter_tasks(TASK_LIST, sections=["I"], search="so", lead_unit_ids=[1])) == ["I.1"]


def ranked_units_frame() -> pd.DataFrame:
    a, b = {"lead_unit_id": 1, "lead_unit": "Sở A"}, {"lead_unit_id": 2, "lead_unit": "Sở B"}
    return pd.DataFrame(
        [
            listed(id=1, **a, task_class=TaskClass.completed_on_time.value),
            listed(id=2, **a, task_class=TaskClass.completed_late.value),
            listed(id=3, **a, task_class=TaskClass.overdue.value, due_soon=False),
            listed(id=4, **a, task_class=TaskClass.overdue.value),
            listed(id=5, **a, task_class=None, cancelled=True),
            listed(id=6, **b, task_class=TaskClass.completed_on_time.value),
            listed(id=7, **b, task_class=TaskClass.in_progress_on_time.value, due_soon=True),
            listed(id=8, lead_unit_id=pd.NA, lead_unit="", task_class=TaskClass.undated.value),
            listed(id=9, **a, task_class=None, not_in_plan=True),
        ]
    )


def test_unit_table_counts_and_ranks_by_on_time_rate() -> None:
    table = unit_table(ranked_units_frame()).set_index("lead_unit")
    assert list(table.index) == ["Sở B", "Sở A", NO_LEAD_UNIT]
    # Only undated tasks, nothing fallen due: listed last, unranked.
    assert list(table["rank"].astype(object).where(table["rank"].notna(), None)) == [1, 2, None]
    a = table.loc["Sở A"]
    assert (a["total"], a["overdue"], a["completed"], a["cancelled"], a["not_in_plan"]) == (4, 2, 2, 1, 1)
    assert a["completion_rate"] == pytest.approx(0.5)
    assert a["on_time_rate"] == pytest.approx(0.25)
    assert table.loc["Sở B", "due_soon"] == 1
    assert pd.isna(table.loc[NO_LEAD_UNIT, "completion_rate"])


def test_tasks_led_by_no_unit_or_a_collective_only_are_never_ranked() -> None:
    collective = {"lead_unit_ids": [9], "lead_units": ["các địa phương"], "lead_unit_kinds": ["collective"]}
    frame = pd.DataFrame(
        [
            listed(id=1, lead_unit_id=1, lead_unit="Sở A", task_class=TaskClass.overdue.value),
            # Overdue but completed on time beats Sở A: unranked all the same, and listed after it.
            listed(id=2, lead_unit_id=pd.NA, lead_unit="", task_class=TaskClass.completed_on_time.value),
            listed(
                id=3, lead_unit_id=9, lead_unit="các địa phương", task_class=TaskClass.completed_on_time.value
            )
            | collective,
        ]
    )
    table = unit_table(frame).set_index("lead_unit")
    assert list(table.index) == ["Sở A", NO_LEAD_UNIT]
    assert table.loc[NO_LEAD_UNIT, "total"] == 2
    assert list(table["rank"].astype(object).where(table["rank"].notna(), None)) == [1, None]


def test_deadlines_by_month_and_heatmap_count_dated_tasks_only() -> None:
    frame = ranked_units_frame().assign(
        deadline=[pd.Timestamp(f"2025-0{n % 3 + 1}-10") for n in range(7)] + [pd.NaT, pd.NaT]
    )
    by_month = deadlines_by_month(frame[~frame["cancelled"]])
    assert by_month["count"].sum() == 6
    assert set(by_month["month"]) == {
        pd.Timestamp("2025-01-01"),
        pd.Timestamp("2025-02-01"),
        pd.Timestamp("2025-03-01"),
    }
    grid = unit_month_heatmap(frame)
    assert list(grid.index) == ["Sở A", "Sở B"]
    assert int(grid.to_numpy().sum()) == 6


def test_the_heatmap_puts_the_busiest_unit_first_then_names_and_months_in_order() -> None:
    def due(task_id: int, month: int, *leads: tuple[int, str, str]) -> dict[str, Any]:
        return listed(
            id=task_id,
            deadline=pd.Timestamp(f"2025-{month:02d}-10"),
            lead_unit_ids=[unit_id for unit_id, _, _ in leads],
            lead_units=[name for _, name, _ in leads],
            lead_unit_kinds=[kind for _, _, kind in leads],
        )

    c, b, a = (3, "Sở C", "unit"), (2, "Sở B", "unit"), (1, "Sở A", "unit")
    places = (9, "các địa phương", "collective")
    frame = pd.DataFrame(
        [due(1, 5, c, places), due(2, 3, c), due(3, 5, b), due(4, 4, a), due(5, 4, places), due(6, 6, b, a)]
    )
    grid = unit_month_heatmap(frame)
    # A and B tie on two tasks each, by name; a task of collectives alone is led by no unit.
    assert list(grid.index) == ["Sở A", "Sở B", "Sở C", NO_LEAD_UNIT]
    assert [month.month for month in grid.columns] == [3, 4, 5, 6]
    assert grid.loc["Sở C"].tolist() == [1, 0, 1, 0] and grid.loc[NO_LEAD_UNIT].tolist() == [0, 1, 0, 0]


def test_watch_lists_are_sorted_by_urgency() -> None:
    frame = pd.DataFrame(
        [
            listed(id=1, code="a", task_class=TaskClass.overdue.value, days_overdue=3),
            listed(id=2, code="b", task_class=TaskClass.overdue.value, days_overdue=30),
            listed(id=3, code="c", due_soon=True, days_left=5),
            listed(id=4, code="d", due_soon=True, days_left=0),
        ]
    )
    assert codes(overdue_tasks(frame)) == ["b", "a"]
    assert codes(due_soon_tasks(frame)) == ["d", "c"]


def test_plans_with_the_same_codes_stay_apart(engine: Engine) -> None:
    unit = make_unit(engine, "Sở Khoa học và Công nghệ")
    first, second = make_plan(engine, "45-KH/TU"), make_plan(engine, "12-KH/UBND")
    done = dated_task(engine, first, unit, code="I.1", deadline=date(2025, 6, 1))
    dated_task(engine, second, unit, code="I.1", deadline=date(2025, 6, 1))
    add_state(engine, done, TaskStatus.completed, date(2025, 5, 20))
    with read_session(engine) as session:
        frame = classified_tasks(session, as_of=AS_OF, due_soon_days=7)
        only_second = classified_tasks(session, as_of=AS_OF, plan_ids=[second.id or 0], due_soon_days=7)
    plans = plan_table(frame).set_index("plan_number")
    assert plans.loc["45-KH/TU", TaskClass.completed_on_time.value] == 1
    assert plans.loc["12-KH/UBND", TaskClass.overdue.value] == 1
    assert plans.loc["12-KH/UBND", TaskClass.completed_on_time.value] == 0
    assert list(only_second["task_class"]) == [TaskClass.overdue]
    assert unit_table(frame).loc[0, "total"] == 2


def test_trend_reconstructs_counts_at_each_date(engine: Engine) -> None:
    plan, unit = make_plan(engine), make_unit(engine)
    task = dated_task(engine, plan, unit, deadline=date(2025, 3, 31))
    add_state(engine, task, TaskStatus.completed, date(2025, 5, 10))
    with read_session(engine) as session:
        tasks, history = tasks_frame(session), state_history(session)
    table = trend_table(tasks, history, [date(2025, 3, 14), date(2025, 4, 14), date(2025, 5, 14)], 7)
    assert list(table["overdue"]) == [0, 1, 0]
    assert list(table["completed_late"]) == [0, 0, 1]
    assert list(table["completion_rate"].fillna(-1)) == [-1, 0.0, 1.0]


def test_task_detail_gathers_history_evidence_and_extensions(engine: Engine) -> None:
    plan, unit = make_plan(engine, title="Kế hoạch thử"), make_unit(engine)
    coordinator = make_unit(engine, "Sở Y tế")
    user = make_user(engine, "unit", unit)
    task = make_task(engine, plan, unit, coordinators=(coordinator,))
    add_state(engine, task, TaskStatus.in_progress, date(2025, 6, 1), user=user)
    with write_session(engine) as session:
        session.add(
            Evidence(task_id=task.id, reference="Quyết định 12/QĐ-UBND", user_id=user.id, uploaded_at=now())
        )
        session.add(
            ExtensionRequest(
                task_id=task.id,
                requested_deadline=date(2025, 12, 31),
                reason="Chờ vốn",
                requested_by_id=user.id,
                requested_at=now(),
            )
        )
    with read_session(engine) as session:
        detail = task_detail(session, task.id or 0)
        with pytest.raises(NotFound, match="999999"):
            task_detail(session, 999999)
    assert detail.task["coordinating_units"] == ["Sở Y tế"]
    assert detail.plan_title == "Kế hoạch thử"
    assert list(detail.history["status"]) == [TaskStatus.in_progress]
    assert list(detail.evidence["reference"]) == ["Quyết định 12/QĐ-UBND"]
    assert list(detail.extensions["requested_by"]) == [user.display_name]
