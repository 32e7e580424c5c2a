"""The overview's KPI tiles: value at the as-of date, change since the previous report, sparkline."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import streamlit as st

from tracker.i18n import number
from tracker.views.overview import Kpi
from ui.lang import current_lang, label, t
from ui.session import settings

# Headline figures first, then one tile per class (labelled with the class's own name).
_HEADLINE = ("total", "completion_rate", "on_time_rate", "due_soon", "awaiting_confirmation")


def _texts(key: str) -> tuple[str, str | None]:
    """The tile's title and its help; a class tile is titled with the class's label."""
    headline = {
        "total": (t("kpi_total"), t("kpi_help_total")),
        "completion_rate": (t("kpi_completion_rate"), t("kpi_help_completion_rate")),
        "on_time_rate": (t("kpi_on_time_rate"), t("kpi_help_on_time_rate")),
        "due_soon": (t("kpi_due_soon"), t("kpi_help_due_soon", days=settings().due_soon_days)),
        "awaiting_confirmation": (t("kpi_awaiting"), t("kpi_help_awaiting")),
    }
    return headline.get(key, (label(key), None))


def _number(value: float, decimals: int = 0) -> str:
    return number(value, decimals, current_lang())


def _signed(value: float, decimals: int = 0) -> str:
    sign = "+" if value > 0 else "-" if value < 0 else ""
    return sign + _number(abs(value), decimals)


def _value(kpi: Kpi) -> str:
    if kpi.value is None:
        return "—"
    return f"{_number(kpi.value * 100, 1)}%" if kpi.is_rate else _number(kpi.value)


def _change(kpi: Kpi) -> str | None:
    change = kpi.change
    if change is None:
        return None
    return t("points_change", value=_signed(change * 100, 1)) if kpi.is_rate else _signed(change)


def _colour(kpi: Kpi) -> Literal["normal", "inverse", "off"]:
    if not kpi.change or kpi.rise_is_good is None:
        return "off"
    return "normal" if kpi.rise_is_good else "inverse"


def _tile(kpi: Kpi, *, sparkline: bool) -> None:
    title, help_text = _texts(kpi.key)
    st.metric(
        title,
        _value(kpi),
        _change(kpi),
        _colour(kpi),
        delta_arrow="auto" if kpi.change else "off",
        border=True,
        chart_data=[value for value in kpi.history if value is not None] if sparkline else None,
        chart_type="line",
        help=help_text,
    )


def kpi_tiles(kpis: Sequence[Kpi]) -> None:
    """Headline figures in a row, each with its course over the cut-offs; then the classes three to a row
    (their names fit), kept short: the trend chart shows how the classes moved.
    """
    by_key = {kpi.key: kpi for kpi in kpis}
    headline = [by_key[key] for key in _HEADLINE]
    classes = [kpi for kpi in kpis if kpi.key not in _HEADLINE]
    for row in (headline, classes[:3], classes[3:]):
        for column, kpi in zip(st.columns(len(row)), row, strict=True):
            with column:
                _tile(kpi, sparkline=row is headline)
