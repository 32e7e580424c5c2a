"""What report the secretariat asks for: period (a Decree 09 cut-off or any date), scope, plans, format.

Every choice is kept in the address, so a report can be shared as a link.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import streamlit as st

from tracker.clock import today
from tracker.errors import TrackerError
from tracker.views.filters import filter_options
from tracker.views.periods import PeriodKind, parse_known_on, recent_periods
from ui.filters import as_of_filter, choice_filter, plan_filter, text_filter
from ui.format import day
from ui.lang import current_lang, t
from ui.reads import classified_tasks
from ui.text import escape

CUSTOM = "custom"
FORMATS = {"xlsx": ".xlsx (Excel)", "docx": ".docx (Word)"}
# How many past periods of each kind the list offers.
_OFFERED = 12


@dataclass(frozen=True)
class ReportChoice:
    as_of: date
    period: PeriodKind | None
    plan_ids: list[int] | None
    unit_id: int | None
    section: str | None
    file_format: str
    # The recorded-time cut-off (advanced): None counts every entry made so far.
    known_on: datetime | None = None


def _period() -> tuple[date, PeriodKind | None]:
    kinds = {
        PeriodKind.month.value: t("period_month"),
        PeriodKind.quarter.value: t("period_quarter"),
        PeriodKind.half_year.value: t("period_half_year"),
        PeriodKind.year.value: t("period_year"),
        CUSTOM: t("period_custom"),
    }
    kind = choice_filter("period", t("report_period_kind"), kinds)
    if kind == CUSTOM:
        return as_of_filter(), None
    periods = {
        period.end.isoformat(): t(
            "period_option",
            name=period.label(current_lang()),
            start=day(period.start),
            end=day(period.end),
        )
        for period in recent_periods(kind, today(), _OFFERED)
    }
    chosen = choice_filter(f"{kind}_period", t("report_period"), periods, radio=False)
    return date.fromisoformat(chosen), PeriodKind(kind)


def _scope(as_of: date, plan_ids: list[int] | None) -> tuple[int | None, str | None]:
    scopes = {"all": t("scope_all"), "section": t("scope_section"), "unit": t("scope_unit")}
    scope = choice_filter("scope", t("report_scope"), scopes)
    if scope == "all":
        return None, None
    options = filter_options(classified_tasks(as_of, plan_ids))
    if scope == "section":
        sections = options.sections or {"": t("no_sections")}
        return None, choice_filter("section", t("col_section"), sections, radio=False) or None
    units = {str(unit_id): name for unit_id, name in options.lead_units.items()} or {"": t("no_lead_units")}
    unit = choice_filter("unit", t("col_lead_unit"), units, radio=False)
    return (int(unit) if unit else None), None


def _known_on() -> datetime | None:
    with st.expander(t("report_advanced")):
        text = text_filter("known_on", t("report_known_on"), placeholder="YYYY-MM-DD HH:MM:SS")
        st.caption(t("report_known_on_help"))
    try:
        return parse_known_on(text)
    except TrackerError as error:
        st.error(escape(str(error)))
        st.stop()


def report_choice() -> ReportChoice:
    """The form of the reports page, in two columns: when and what on the left, how on the right."""
    when, what = st.columns(2)
    with when:
        as_of, period = _period()
        file_format = choice_filter("format", t("report_format"), FORMATS)
        known_on = _known_on()
    with what:
        plan_ids = plan_filter()
        unit_id, section = _scope(as_of, plan_ids)
    return ReportChoice(as_of, period, plan_ids, unit_id, section, file_format, known_on)
