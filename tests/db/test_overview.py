"""The read side behind the committee's pages: overview tiles and lists, readable rows, filter options,
the exported list and the report periods offered."""

from __future__ import annotations

import io
from datetime import date, datetime
from typing import Any

import openpyxl
import pandas as pd
from sqlalchemy import Engine

from models import Plan, Task, TaskClass, TaskStatus, Unit
from tests.support.factories import add_state, backdate_task, make_plan, make_task, make_unit
from tracker.db import read_session
from tracker.i18n import label
from tracker.views.export import tasks_xlsx
from tracker.views.filters import filter_options
from tracker.views.overview import WATCH_LIMIT, kpis, overview_view, read_overview
from tracker.views.periods import PeriodKind, recent_periods
from tracker.views.queries import classified_tasks
from tracker.views.rows import class_tag_colours, task_rows

AS_OF = date(2025, 7, 20)
LONG_AGO = datetime(2025, 1, 2, 8)


def old_task(engine: Engine, plan: Plan, unit: Unit, code: str, **fields: Any) -> Task:
    """A task that existed long before the dates the tests look at."""
    return backdate_task(engine, make_task(engine, plan, unit, code=code, **fields), LONG_AGO)


def test_tiles_compare_the_last_two_cut_offs() -> None:
    zeros = {name: [0, 0, 0] for name in (*TaskClass, "due_soon", "awaiting_confirmation", "on_time_rate")}
    trend = pd.DataFrame(
        zeros
        | {
            "date": pd.to_datetime(["2025-05-14", "2025-06-14", "2025-07-20"]),
            "total": [10, 10, 12],
            TaskClass.overdue.value: [1, 3, 2],
            "completion_rate": [None, 0.5, 0.75],
        }
    )
    tiles = {tile.key: tile for tile in kpis(trend)}
    assert (tiles["total"].value, tiles["total"].change) == (12, 2)
    assert tiles["overdue"].change == -1 and tiles["overdue"].rise_is_good is False
    assert tiles["completion_rate"].change == 0.25 and tiles["completion_rate"].is_rate
    assert tiles["completion_rate"].history == (None, 0.5, 0.75)


def test_overview_counts_since_the_previous_cut_off_and_cuts_long_watch_lists(engine: Engine) -> None:
    plan, unit = make_plan(engine, "45-KH/TU"), make_unit(engine, "Sở Nội vụ")
    july = date(2025, 7, 1)
    overdue = [old_task(engine, plan, unit, f"I.{n}", deadline=july) for n in range(WATCH_LIMIT + 5)]
    add_state(engine, overdue[0], TaskStatus.completed, date(2025, 7, 16))
    with read_session(engine) as session:
        overview = read_overview(session, as_of=AS_OF, due_soon_days=7, period=PeriodKind.month)
    assert overview.previous_cutoff == date(2025, 7, 14)
    view = overview_view(overview, "vi")
    tiles = {tile.key: tile for tile in view.kpis}
    assert (tiles["overdue"].value, tiles["overdue"].previous) == (WATCH_LIMIT + 4, WATCH_LIMIT + 5)
    assert len(view.overdue) == WATCH_LIMIT and view.overdue_total == WATCH_LIMIT + 4
    assert view.unit_names == {unit.id: "Sở Nội vụ"}


def test_rows_read_cancelled_tasks_as_cancelled_and_carry_class_tags(engine: Engine) -> None:
    plan, unit = make_plan(engine), make_unit(engine)
    done = old_task(engine, plan, unit, "I.1", deadline=date(2025, 7, 1))
    dropped = old_task(engine, plan, unit, "I.2", deadline=date(2025, 7, 1))
    add_state(engine, done, TaskStatus.completed, date(2025, 6, 30))
    add_state(engine, dropped, TaskStatus.cancelled, date(2025, 6, 30))
    with read_session(engine) as session:
        classified = classified_tasks(session, as_of=AS_OF, due_soon_days=7)
    rows = task_rows(classified, "en", class_tags=True).set_index("code")
    assert rows.loc["I.1", "task_class"] == ["Completed on time"]
    assert rows.loc["I.2", "task_class"] == [label(TaskStatus.cancelled, "en")]
    assert set(class_tag_colours("en")) >= {"Completed on time", label(TaskStatus.cancelled, "en")}


def test_filter_options_list_sections_in_annex_order_and_units_by_name(engine: Engine) -> None:
    plan = make_plan(engine)
    tax, health = make_unit(engine, "Sở Tài chính"), make_unit(engine, "Sở Y tế")
    old_task(engine, plan, health, "II.1", section_code="II", section_title="Hạ tầng", position=2)
    old_task(engine, plan, tax, "I.1", section_code="I", section_title="Thể chế", position=1)
    old_task(engine, plan, tax, "I.2", section_code="I", position=3, coordinators=(health,))
    with read_session(engine) as session:
        options = filter_options(classified_tasks(session, as_of=AS_OF, due_soon_days=7))
    assert options.sections == {"I": "I. Thể chế", "II": "II. Hạ tầng"}
    assert list(options.lead_units.values()) == ["Sở Tài chính", "Sở Y tế"]
    assert options.coordinating_units == {health.id: "Sở Y tế"}


def test_exported_list_has_real_dates_and_no_formula(engine: Engine) -> None:
    plan, unit = make_plan(engine, "45-KH/TU"), make_unit(engine)
    old_task(engine, plan, unit, "I.1", title="=1+1", deadline=date(2025, 6, 30))
    with read_session(engine) as session:
        classified = classified_tasks(session, as_of=AS_OF, due_soon_days=7)
    sheet = openpyxl.load_workbook(io.BytesIO(tasks_xlsx(classified, as_of=AS_OF))).active
    assert sheet is not None
    assert sheet["A2"].value == "Tính đến ngày 20/07/2025 — 1 nhiệm vụ"
    title, deadline = sheet["D4"], sheet["G4"]
    assert (title.value, title.data_type) == ("=1+1", "s")
    assert deadline.value == datetime(2025, 6, 30) and deadline.number_format == "DD/MM/YYYY"


def test_reports_offered_are_those_already_cut_off() -> None:
    months = recent_periods(PeriodKind.month, date(2025, 7, 10), 2)
    assert [(period.start, period.end) for period in months] == [
        (date(2025, 5, 15), date(2025, 6, 14)),
        (date(2025, 4, 15), date(2025, 5, 14)),
    ]
    assert recent_periods(PeriodKind.quarter, date(2025, 6, 14), 1)[0].end == date(2025, 6, 14)
    assert recent_periods(PeriodKind.year, date(2025, 12, 13), 1)[0].end == date(2024, 12, 14)
