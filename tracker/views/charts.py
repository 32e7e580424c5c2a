"""How a class looks: one colour, one pattern and one label per class, and the figures.

Colours follow the Okabe–Ito palette, readable with the common colour-vision
deficiencies; every class also has its own fill pattern and its label is
written on or beside the marks, so colour is never the only cue. Figures take
frames from tracker.views.classify / tracker.views.breakdowns and never import streamlit.
"""

from __future__ import annotations

import functools
import hashlib
import pickle
import textwrap
import threading
from collections import OrderedDict
from collections.abc import Callable
from datetime import date
from typing import ParamSpec

import pandas as pd
import plotly.graph_objects as go

from models import TaskClass
from tracker.i18n import SEPARATORS, Lang, day, label, text
from tracker.views.breakdowns import CLASS_COLUMNS
from tracker.views.classify import DATED_CLASSES

CLASS_COLOURS: dict[str, str] = {
    TaskClass.completed_on_time: "#009E73",  # bluish green
    TaskClass.completed_late: "#E69F00",  # orange
    TaskClass.in_progress_on_time: "#0072B2",  # blue
    TaskClass.overdue: "#D55E00",  # vermilion
    TaskClass.recurring: "#999999",  # grey
    TaskClass.undated: "#6E6E6E",  # dark grey
}
# Light tints of the same hues, for table rows and spreadsheet cells with dark text on them.
CLASS_TINTS: dict[str, str] = {
    TaskClass.completed_on_time: "#CCECE3",
    TaskClass.completed_late: "#FAECCC",
    TaskClass.in_progress_on_time: "#CCE3F0",
    TaskClass.overdue: "#F7DFCC",
    TaskClass.recurring: "#EBEBEB",
    TaskClass.undated: "#DCDCDC",
}
CLASS_PATTERNS: dict[str, str] = {
    TaskClass.completed_on_time: "",
    TaskClass.completed_late: "/",
    TaskClass.in_progress_on_time: ".",
    TaskClass.overdue: "x",
    TaskClass.recurring: "-",
    TaskClass.undated: "+",
}
_DATED = [name.value for name in DATED_CLASSES]
# How many figures _kept keeps per kind: the languages, plan scopes and dates viewed lately.
_KEPT_FIGURES = 32

_Arguments = ParamSpec("_Arguments")


def _kept(draw: Callable[_Arguments, go.Figure]) -> Callable[_Arguments, go.Figure]:
    """DRAW, giving back the figure it drew before for arguments of the same values (frames by
    their contents); a figure is never changed once drawn.

    Plotly takes a tenth of a second to build a figure, half a second for the overview's six, and
    most writes (a progress update that moves no task to another class) leave what they show as
    it was: their figures are not drawn again.
    """
    figures: OrderedDict[bytes, go.Figure] = OrderedDict()
    lock = threading.Lock()

    @functools.wraps(draw)
    def kept(*args: _Arguments.args, **kwargs: _Arguments.kwargs) -> go.Figure:
        # Equal pickles are equal values; equal values pickled apart only draw again.
        key = hashlib.blake2b(pickle.dumps((args, sorted(kwargs.items())), protocol=5)).digest()
        with lock:
            found = figures.get(key)
            if found is not None:
                figures.move_to_end(key)
                return found
        figure = draw(*args, **kwargs)
        with lock:
            figures[key] = figure
            while len(figures) > _KEPT_FIGURES:
                figures.popitem(last=False)
        return figure

    return kept


def _layout(figure: go.Figure, title: str, lang: Lang, *, height: int = 420) -> go.Figure:
    figure.update_layout(
        title={"text": title, "x": 0, "xanchor": "left"},
        # Plotly writes numbers and percentages with the language's marks: "23,3%" in Vietnamese.
        separators=SEPARATORS.get(lang, SEPARATORS["vi"]),
        height=height,
        margin={"l": 10, "r": 10, "t": 60, "b": 100},
        # Below the axis labels, in legend order = class order, on any width.
        legend={
            "orientation": "h",
            "yref": "container",
            "yanchor": "bottom",
            "y": 0,
            "x": 0,
            "traceorder": "normal",
        },
        uniformtext={"minsize": 10, "mode": "hide"},
        font={"family": "Arial, sans-serif", "size": 13},
        plot_bgcolor="white",
        barmode="stack",
    )
    return figure


def _empty(title: str, lang: Lang) -> go.Figure:
    figure = _layout(go.Figure(), title, lang, height=240)
    figure.add_annotation(text=text("empty", lang), showarrow=False, x=0.5, y=0.5, xref="paper", yref="paper")
    figure.update_xaxes(visible=False)
    figure.update_yaxes(visible=False)
    return figure


def _wrapped(names: pd.Series) -> list[str]:
    """Long unit names on several short lines: on a phone one long line leaves no room for the bars."""
    return ["<br>".join(textwrap.wrap(str(name), 24)) or str(name) for name in names]


def _marker(name: str) -> dict[str, object]:
    return {"color": CLASS_COLOURS[name], "pattern": {"shape": CLASS_PATTERNS[name], "solidity": 0.3}}


def _class_bar(name: str, lang: Lang, **data: object) -> go.Bar:
    return go.Bar(
        name=label(name, lang),
        marker=_marker(name),
        texttemplate="%{value}",
        textposition="inside",
        insidetextanchor="middle",
        textangle=0,
        **data,
    )


def class_chart(classified: pd.DataFrame, lang: Lang = "vi") -> go.Figure:
    """Donut of the six classes (cancelled tasks left out), labelled with names and counts."""
    counts = classified["task_class"].value_counts().reindex(CLASS_COLUMNS, fill_value=0)
    return _class_figure(counts[counts > 0], lang)


@_kept
def _class_figure(counts: pd.Series, lang: Lang) -> go.Figure:
    title = text("classes", lang)
    if counts.empty:
        return _empty(title, lang)
    figure = go.Figure(
        go.Pie(
            labels=[label(name, lang) for name in counts.index],
            values=counts.to_list(),
            hole=0.5,
            sort=False,
            direction="clockwise",
            marker={
                "colors": [CLASS_COLOURS[name] for name in counts.index],
                "pattern": {"shape": [CLASS_PATTERNS[name] for name in counts.index], "solidity": 0.3},
                "line": {"color": "white", "width": 2},
            },
            textinfo="value+percent",
            # Outside: numbers on a patterned slice are hard to read.
            textposition="outside",
            hovertemplate="%{label}: %{value} (%{percent})<extra></extra>",
        )
    )
    figure.add_annotation(text=f"<b>{int(counts.sum())}</b>", showarrow=False, font={"size": 22})
    return _layout(figure, title, lang)


@_kept
def units_chart(units: pd.DataFrame, lang: Lang = "vi", limit: int = 25) -> go.Figure:
    """Stacked bars of classes per lead unit from breakdowns.unit_table, most overdue on top.

    Each bar carries the unit id as customdata, so a click can open that unit.
    """
    title = text("by_unit", lang)
    if units.empty:
        return _empty(title, lang)
    ordered = units.sort_values([TaskClass.overdue.value, "total"], ascending=False, kind="stable").head(
        limit
    )
    ordered = ordered.iloc[::-1]  # horizontal bars draw bottom-up
    figure = go.Figure(
        [
            _class_bar(
                name,
                lang,
                y=_wrapped(ordered["lead_unit"]),
                x=ordered[name],
                orientation="h",
                customdata=ordered["lead_unit_id"].astype("Float64").fillna(-1).astype(int),
                hovertemplate=f"%{{y}}<br>{label(name, lang)}: %{{x}}<extra></extra>",
            )
            for name in CLASS_COLUMNS
        ]
    )
    figure.update_xaxes(title=text("tasks", lang))
    figure.update_yaxes(automargin=True)
    return _layout(figure, title, lang, height=max(300, 34 * len(ordered) + 140))


@_kept
def deadlines_chart(by_month: pd.DataFrame, as_of: date, lang: Lang = "vi") -> go.Figure:
    """Stacked bars of tasks by deadline month (breakdowns.deadlines_by_month) with the as-of line."""
    title = text("by_month", lang)
    if by_month.empty:
        return _empty(title, lang)
    grid = by_month.pivot_table(index="month", columns="task_class", values="count", fill_value=0)
    present = [name for name in CLASS_COLUMNS if name in grid.columns]
    figure = go.Figure(
        [
            _class_bar(
                name,
                lang,
                x=grid.index,
                y=grid[name],
                xperiod="M1",
                xperiodalignment="middle",
                hovertemplate=f"%{{x|%m/%Y}}<br>{label(name, lang)}: %{{y}}<extra></extra>",
            )
            for name in present
        ]
    )
    _as_of_line(figure, as_of, lang)
    figure.update_xaxes(title=text("month", lang), tickformat="%m/%Y", dtick=_month_step(grid.index))
    figure.update_yaxes(title=text("tasks", lang))
    return _layout(figure, title, lang)


def _month_step(months: pd.Index) -> str:
    """A tick every 1, 3, 6 or 12 months: about a dozen labels over the span, whatever its length."""
    span = (months.max().year - months.min().year) * 12 + months.max().month - months.min().month + 1
    step = next((step for step in (1, 3, 6) if span <= 12 * step), 12)
    return f"M{step}"


def _as_of_line(figure: go.Figure, as_of: date, lang: Lang) -> None:
    # add_vline's own annotation cannot be placed on a date axis: draw the two parts.
    line_at = pd.Timestamp(as_of)
    figure.add_shape(
        type="line",
        x0=line_at,
        x1=line_at,
        y0=0,
        y1=1,
        yref="paper",
        line={"color": "#222222", "dash": "dash"},
    )
    figure.add_annotation(
        x=line_at,
        y=1,
        yref="paper",
        text=f"{text('as_of', lang)} {day(as_of)}",
        showarrow=False,
        yanchor="bottom",
    )


def timeline_chart(classified: pd.DataFrame, as_of: date, lang: Lang = "vi", limit: int = 60) -> go.Figure:
    """Gantt-like bars of dated tasks, nearest deadlines first, coloured and patterned by class.

    A bar runs from the plan's issue date (or the task's creation when unknown)
    to the deadline, ending instead on the completion date for completed tasks.
    """
    dated = classified[classified["task_class"].isin(_DATED)]
    shown = dated.assign(gap=(dated["deadline"] - pd.Timestamp(as_of)).abs()).nsmallest(limit, "gap")
    shown = shown.sort_values(["deadline", "plan_id", "position"], ascending=False, kind="stable")
    end = shown["completed_on"].fillna(shown["deadline"])
    begin = pd.to_datetime(shown["plan_issued_on"]).fillna(shown["created_at"].dt.normalize())
    # A bar needs length: a task that entered after its end shows its last month.
    begin = begin.where(begin < end, end - pd.Timedelta(days=30))
    bars = pd.DataFrame(
        {
            "task_class": shown["task_class"],
            "begin": begin,
            "end": end,
            "row": shown["plan_number"] + " · " + shown["code"],
            "title": shown["title"],
        }
    )
    return _timeline_figure(bars, as_of, lang)


@_kept
def _timeline_figure(bars: pd.DataFrame, as_of: date, lang: Lang) -> go.Figure:
    """The timeline's BARS (class, begin, end, row label and title of each task shown)."""
    title = text("timeline", lang)
    if bars.empty:
        return _empty(title, lang)
    shown, begin, end, rows = bars, bars["begin"], bars["end"], bars["row"]
    figure = go.Figure()
    for name in _DATED:
        part = shown["task_class"] == name
        if not part.any():
            continue
        figure.add_trace(
            go.Bar(
                name=label(name, lang),
                base=begin[part],
                x=(end[part] - begin[part]).dt.total_seconds() * 1000,
                y=rows[part],
                orientation="h",
                marker={
                    "color": CLASS_COLOURS[name],
                    "pattern": {"shape": CLASS_PATTERNS[name], "solidity": 0.3},
                },
                customdata=shown.loc[part, ["title"]],
                hovertemplate="%{y}: %{customdata[0]}<extra>" + label(name, lang) + "</extra>",
            )
        )
    figure.update_xaxes(type="date", tickformat="%m/%Y")
    figure.update_yaxes(type="category", automargin=True)
    _as_of_line(figure, as_of, lang)
    figure = _layout(figure, title, lang, height=max(320, 22 * len(shown) + 140))
    figure.update_layout(barmode="overlay")
    return figure


@_kept
def trend_chart(trend: pd.DataFrame, lang: Lang = "vi") -> go.Figure:
    """Completed and overdue counts at each cut-off (queries.trend_table); lines differ in dash and marker."""
    title = text("trend", lang)
    if trend.empty:
        return _empty(title, lang)
    figure = go.Figure(
        [
            go.Scatter(
                x=trend["date"],
                y=trend["completed"],
                name=text("completed", lang),
                mode="lines+markers+text",
                text=trend["completed"],
                textposition="top center",
                line={"color": CLASS_COLOURS[TaskClass.completed_on_time], "width": 3},
                marker={"symbol": "circle", "size": 9},
            ),
            go.Scatter(
                x=trend["date"],
                y=trend[TaskClass.overdue.value],
                name=text("overdue", lang),
                mode="lines+markers+text",
                text=trend[TaskClass.overdue.value],
                textposition="bottom center",
                line={"color": CLASS_COLOURS[TaskClass.overdue], "width": 3, "dash": "dash"},
                marker={"symbol": "x", "size": 10},
            ),
        ]
    )
    figure.update_xaxes(tickformat="%d/%m/%Y", tickvals=trend["date"])
    figure.update_yaxes(title=text("tasks", lang), rangemode="tozero")
    return _layout(figure, title, lang)


@_kept
def heatmap_chart(grid: pd.DataFrame, lang: Lang = "vi", limit: int = 30) -> go.Figure:
    """Tasks due per unit and month (breakdowns.unit_month_heatmap), busiest first, counts written in."""
    title = text("heatmap", lang)
    if grid.empty:
        return _empty(title, lang)
    shown = grid.head(limit)
    figure = go.Figure(
        go.Heatmap(
            z=shown.to_numpy(),
            x=[f"{month:%m/%Y}" for month in shown.columns],
            y=_wrapped(shown.index.to_series()),
            colorscale="Blues",
            # The counts are written in the cells: a colour scale would only take width.
            showscale=False,
            texttemplate="%{z}",
            hovertemplate="%{y}<br>%{x}: %{z}<extra></extra>",
        )
    )
    figure.update_yaxes(autorange="reversed", automargin=True)
    figure.update_xaxes(title=text("month", lang), type="category")
    return _layout(figure, title, lang, height=max(300, 34 * len(shown) + 160))


@_kept
def plans_chart(plans: pd.DataFrame, lang: Lang = "vi") -> go.Figure:
    """Stacked bars of classes per plan (breakdowns.plan_table)."""
    title = text("by_plan", lang)
    if plans.empty:
        return _empty(title, lang)
    ordered = plans.iloc[::-1]
    figure = go.Figure(
        [
            _class_bar(
                name,
                lang,
                y=ordered["plan_number"],
                x=ordered[name],
                orientation="h",
                hovertemplate=f"%{{y}}<br>{label(name, lang)}: %{{x}}<extra></extra>",
            )
            for name in CLASS_COLUMNS
        ]
    )
    figure.update_xaxes(title=text("tasks", lang))
    figure.update_yaxes(title=text("plan", lang), automargin=True, type="category")
    return _layout(figure, title, lang, height=max(260, 40 * len(ordered) + 140))
