"""Figures: one look per class everywhere, labels in both languages, empty frames handled."""

from __future__ import annotations

from datetime import date

import pandas as pd
import plotly.graph_objects as go
import pytest

from models import TaskClass
from tracker.i18n import label
from tracker.views.breakdowns import deadlines_by_month, plan_table, unit_month_heatmap, unit_table
from tracker.views.charts import (
    CLASS_COLOURS,
    CLASS_PATTERNS,
    CLASS_TINTS,
    class_chart,
    deadlines_chart,
    heatmap_chart,
    plans_chart,
    timeline_chart,
    trend_chart,
    units_chart,
)

AS_OF = date(2025, 6, 30)


def frame() -> pd.DataFrame:
    rows = []
    classes = [
        TaskClass.completed_on_time,
        TaskClass.overdue,
        TaskClass.in_progress_on_time,
        TaskClass.overdue,
    ]
    for number, task_class in enumerate(classes, start=1):
        rows.append(
            {
                "id": number,
                "plan_id": 1 + number % 2,
                "plan_number": f"{1 + number % 2}-KH/TU",
                "plan_issued_on": pd.Timestamp("2025-03-10"),
                "position": number,
                "code": f"I.{number}",
                "title": f"Nhiệm vụ {number}",
                "lead_unit_id": 10 + number % 2,
                "lead_unit": f"Sở {number % 2}",
                "lead_unit_ids": [10 + number % 2],
                "lead_units": [f"Sở {number % 2}"],
                "lead_unit_kinds": ["unit"],
                "task_class": task_class.value,
                "deadline": pd.Timestamp(f"2025-0{4 + number}-15"),
                "completed_on": pd.Timestamp("2025-04-01") if number == 1 else pd.NaT,
                "created_at": pd.Timestamp("2025-03-20 08:00"),
                "cancelled": False,
                "not_in_plan": False,
                "counted": True,
                "due_soon": False,
                "awaiting_confirmation": False,
                "days_overdue": pd.NA,
                "days_left": pd.NA,
            }
        )
    rows.append(rows[0] | {"id": 9, "task_class": TaskClass.recurring.value, "deadline": pd.NaT})
    return pd.DataFrame(rows)


def test_every_class_has_a_colour_a_tint_a_pattern_and_two_labels() -> None:
    for task_class in TaskClass:
        assert CLASS_COLOURS[task_class].startswith("#")
        assert CLASS_TINTS[task_class].startswith("#")
        assert task_class in CLASS_PATTERNS
        assert label(task_class, "vi") != label(task_class, "en") != task_class.value
    assert len(set(CLASS_COLOURS.values())) == len(TaskClass)
    assert len(set(CLASS_PATTERNS.values())) == len(TaskClass)


def test_class_chart_uses_the_class_colours_and_language() -> None:
    figure = class_chart(frame(), "en")
    pie = figure.data[0]
    assert list(pie.labels) == [
        "Completed on time",
        "Not completed, within deadline",
        "Overdue, not completed",
        "Recurring",
    ]
    assert list(pie.values) == [1, 1, 2, 1]
    assert pie.marker.colors[2] == CLASS_COLOURS[TaskClass.overdue]
    assert pie.marker.pattern.shape[2] == CLASS_PATTERNS[TaskClass.overdue]


def test_units_chart_puts_the_most_overdue_unit_on_top_and_carries_unit_ids() -> None:
    figure = units_chart(unit_table(frame()), "vi")
    overdue = next(trace for trace in figure.data if trace.name == label(TaskClass.overdue, "vi"))
    # Horizontal bars draw bottom-up: the last category is the top bar.
    assert list(overdue.y)[-1] == "Sở 0"
    assert list(overdue.x)[-1] == 2
    assert set(overdue.customdata) == {10, 11}
    assert figure.data[0].name == label(TaskClass.completed_on_time, "vi")


def test_deadlines_chart_draws_the_as_of_line() -> None:
    figure = deadlines_chart(deadlines_by_month(frame()), AS_OF, "vi")
    assert figure.layout.shapes[0].x0 == pd.Timestamp(AS_OF)
    assert "30/06/2025" in figure.layout.annotations[0].text
    assert sum(sum(trace.y) for trace in figure.data) == 4


def test_timeline_ends_completed_tasks_on_their_completion_date() -> None:
    figure = timeline_chart(frame(), AS_OF, "vi")
    done = next(trace for trace in figure.data if trace.name == label(TaskClass.completed_on_time, "vi"))
    start = pd.Timestamp(done.base[0])
    assert start == pd.Timestamp("2025-03-10")
    assert start + pd.Timedelta(milliseconds=done.x[0]) == pd.Timestamp("2025-04-01")
    assert sum(len(trace.y) for trace in figure.data) == 4


def test_trend_heatmap_and_plans_build() -> None:
    trend = pd.DataFrame(
        {"date": [pd.Timestamp("2025-05-14"), pd.Timestamp(AS_OF)], "completed": [1, 2], "overdue": [3, 1]}
    )
    lines = trend_chart(trend, "en")
    assert [trace.name for trace in lines.data] == ["Completed", "Overdue"]
    assert lines.data[1].line.dash == "dash"
    heat = heatmap_chart(unit_month_heatmap(frame()), "vi")
    assert int(heat.data[0].z.sum()) == 4
    plans = plans_chart(plan_table(frame()), "vi")
    assert sorted(plans.data[0].y) == ["1-KH/TU", "2-KH/TU"]


@pytest.mark.parametrize("build", [class_chart, lambda f, lang: timeline_chart(f, AS_OF, lang)])
def test_empty_frames_give_a_friendly_figure(build: object) -> None:
    empty = frame().iloc[0:0]
    figure = build(empty, "vi")  # type: ignore[operator]
    assert isinstance(figure, go.Figure)
    assert figure.layout.annotations[0].text == "Chưa có nhiệm vụ để hiển thị"


@pytest.mark.parametrize(("lang", "separators"), [("vi", ",."), ("en", ".,")])
def test_figures_write_numbers_with_the_marks_of_the_language(lang: str, separators: str) -> None:
    # Plotly formats the donut's percentages itself: Vietnamese gets "23,3%" as the tiles do.
    assert class_chart(frame(), lang).layout.separators == separators
    assert plans_chart(plan_table(frame()), lang).layout.separators == separators


def test_a_figure_is_drawn_again_only_when_what_it_shows_changes() -> None:
    classified = frame().assign(progress=40)
    # A progress update that moves no task to another class: a new frame, the same figures.
    progressed = classified.assign(progress=60)
    assert class_chart(progressed) is class_chart(classified)
    assert timeline_chart(progressed, AS_OF) is timeline_chart(classified, AS_OF)
    assert units_chart(unit_table(progressed)) is units_chart(unit_table(classified))
    # A task that falls overdue, or another language: drawn again.
    moved = classified.assign(task_class=TaskClass.overdue.value)
    assert class_chart(moved) is not class_chart(classified)
    assert timeline_chart(moved, AS_OF) is not timeline_chart(classified, AS_OF)
    assert units_chart(unit_table(moved)) is not units_chart(unit_table(classified))
    assert class_chart(classified, "en") is not class_chart(classified)
