"""How indicators are shown: a table row per indicator, the history of one, its chart.

Pages and reports use the same frames, so a column means the same everywhere.
Colours follow the Okabe–Ito palette of tracker.views.charts; every status is
also written out, so colour is never the only cue.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import plotly.graph_objects as go

from models import IndicatorStatus
from tracker import i18n
from tracker.i18n import SEPARATORS, Lang, label
from tracker.indicators.queries import IndicatorAt, ValueAt
from tracker.indicators.status import path_value, year_end
from tracker.indicators.values import result_text, value_text

STATUS_COLOURS: dict[str, str] = {
    IndicatorStatus.met: "#009E73",  # bluish green
    IndicatorStatus.in_progress: "#0072B2",  # blue
    IndicatorStatus.not_met: "#D55E00",  # vermilion
    IndicatorStatus.no_data: "#999999",  # grey
}
# Light tints of the same hues, for spreadsheet cells with dark text on them.
STATUS_TINTS: dict[str, str] = {
    IndicatorStatus.met: "#CCECE3",
    IndicatorStatus.in_progress: "#CCE3F0",
    IndicatorStatus.not_met: "#F7DFCC",
    IndicatorStatus.no_data: "#EBEBEB",
}


def text(key: str, lang: Lang = "vi") -> str:
    """An indicator text of tracker.i18n.TEXTS (kept there under "indicator_" keys)."""
    return i18n.text(f"indicator_{key}", lang)


def _confirmation(value: ValueAt | None, lang: Lang) -> str:
    if value is None:
        return ""
    return text("confirmed", lang) if value.confirmed else text("awaiting", lang)


# The columns of an indicator's row, in order; `status` holds the IndicatorStatus value.
ROW_KEYS = (
    "code", "section", "title", "measure_unit", "baseline", "target", "target_year", "lead_unit",
    "actual", "period", "confirmation", "status", "behind",
)  # fmt: skip


def indicator_records(indicators: Sequence[IndicatorAt], lang: Lang = "vi") -> pd.DataFrame:
    """One row per indicator keyed by ROW_KEYS, values readable in LANG (the status as its value)."""
    rows = []
    for indicator in indicators:
        actual = indicator.actual
        rows.append(
            {
                "code": indicator.code,
                "section": indicator.section,
                "title": indicator.title,
                "measure_unit": indicator.measure_unit,
                "baseline": value_text(indicator.goal.baseline, lang),
                "target": indicator.target_text,
                "target_year": indicator.goal.target_year,
                "lead_unit": indicator.lead_unit,
                "actual": result_text(actual.result, lang) if actual else "",
                "period": actual.period if actual else "",
                "confirmation": _confirmation(actual, lang),
                "status": str(indicator.status),
                "behind": text("yes", lang) if indicator.behind else "",
            }
        )
    return pd.DataFrame(rows, columns=list(ROW_KEYS))


def indicator_frame(indicators: Sequence[IndicatorAt], lang: Lang = "vi") -> pd.DataFrame:
    """`indicator_records` with headings in LANG and each status as its label, for a page's table."""
    frame = indicator_records(indicators, lang)
    frame["status"] = [label(status, lang) for status in frame["status"]]
    return frame.rename(columns={key: text(key, lang) for key in ROW_KEYS})


def values_frame(indicator: IndicatorAt, lang: Lang = "vi") -> pd.DataFrame:
    """The values of one indicator known at D, the latest period first."""
    columns = ("period", "value", "confirmation", "source", "evidence", "note", "recorded_by", "recorded_at")
    rows = [
        {
            text("period", lang): value.period,
            text("value", lang): result_text(value.result, lang),
            text("confirmation", lang): _confirmation(value, lang),
            text("source", lang): value.source,
            text("evidence", lang): value.evidence,
            text("note", lang): value.note,
            text("recorded_by", lang): value.recorded_by,
            text("recorded_at", lang): i18n.moment(value.recorded_at),
        }
        for value in reversed(indicator.history)
    ]
    return pd.DataFrame(rows, columns=[text(key, lang) for key in columns])


def _numbers(values: Sequence[ValueAt]) -> list[ValueAt]:
    """The values that are numbers: an assessment has no place on a number line."""
    return [value for value in values if value.value is not None]


def trend_values(indicator: IndicatorAt) -> list[float]:
    """The confirmed numbers, oldest period first, for a small trend line in a table."""
    return [value.result for value in _numbers(indicator.history) if value.confirmed]


def _values_trace(values: list[ValueAt], name: str, *, confirmed: bool) -> go.Scatter:
    colour = STATUS_COLOURS[IndicatorStatus.in_progress]
    return go.Scatter(
        x=[value.period_end for value in values],
        y=[value.value for value in values],
        text=[value.period for value in values],
        name=name,
        mode="lines+markers" if confirmed else "markers",
        line={"color": colour, "width": 3},
        marker={"size": 10, "color": colour if confirmed else "white", "line": {"color": colour, "width": 2}},
        hovertemplate="%{text}: %{y}<extra></extra>",
    )


def indicator_chart(indicator: IndicatorAt, lang: Lang = "vi") -> go.Figure:
    """The values of INDICATOR over their periods against its target line (and its path,
    when a baseline gives one); values awaiting confirmation drawn hollow."""
    figure = go.Figure()
    confirmed = [value for value in _numbers(indicator.history) if value.confirmed]
    awaiting = [value for value in _numbers(indicator.history) if not value.confirmed]
    goal = indicator.goal
    dates = [value.period_end for value in indicator.history]
    if goal.target_year is not None:
        dates.append(year_end(goal.target_year))
    if goal.baseline is not None and goal.baseline_year is not None:
        dates.append(year_end(goal.baseline_year))
    if goal.target is not None and dates:
        span = [min(dates), max(dates)]
        levels = [goal.target.value] + ([goal.target.high] if goal.target.high is not None else [])
        for level in levels:
            figure.add_trace(
                go.Scatter(
                    x=span,
                    y=[level, level],
                    name=f"{text('target_line', lang)}: {indicator.target_text}",
                    mode="lines",
                    line={"color": STATUS_COLOURS[IndicatorStatus.met], "width": 2, "dash": "dash"},
                    showlegend=level == levels[0],
                    hoverinfo="skip",
                )
            )
    if goal.baseline_year is not None and goal.target_year is not None:
        start, end = year_end(goal.baseline_year), year_end(goal.target_year)
        ends = [path_value(goal, start), path_value(goal, end)]
        if None not in ends:
            figure.add_trace(
                go.Scatter(
                    x=[start, end],
                    y=ends,
                    name=text("path_line", lang),
                    mode="lines",
                    line={"color": STATUS_COLOURS[IndicatorStatus.no_data], "width": 2, "dash": "dot"},
                    hoverinfo="skip",
                )
            )
    figure.add_trace(_values_trace(confirmed, text("values_line", lang), confirmed=True))
    if awaiting:
        figure.add_trace(_values_trace(awaiting, text("awaiting_line", lang), confirmed=False))
    figure.update_layout(
        title={"text": f"{indicator.code}. {text('chart_title', lang)}", "x": 0, "xanchor": "left"},
        height=380,
        margin={"l": 10, "r": 10, "t": 60, "b": 60},
        legend={"orientation": "h", "yref": "container", "yanchor": "bottom", "y": 0, "x": 0},
        font={"family": "Arial, sans-serif", "size": 13},
        separators=SEPARATORS.get(lang, SEPARATORS["vi"]),
        plot_bgcolor="white",
        yaxis={"title": indicator.measure_unit, "gridcolor": "#E5E5E5"},
    )
    return figure
