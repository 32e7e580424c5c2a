"""Indicators on the pages: cached reads, the status tiles, the table, the drill-down and its forms."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

import streamlit as st
from sqlmodel import Session

from models import Indicator, IndicatorStatus, IndicatorValue, User
from tracker.errors import NotFound
from tracker.indicators.queries import STATUS_ORDER, IndicatorAt, ValueAt, indicators_at
from tracker.indicators.values import confirm_value, read_result, record_value, result_text
from tracker.indicators.views import (
    STATUS_COLOURS,
    indicator_chart,
    indicator_frame,
    text,
    trend_values,
    values_frame,
)
from tracker.tasks.permissions import Action, can, indicator_scope
from ui.cached import INDICATORS, cached_read, reading
from ui.format import by_whom
from ui.lang import current_lang, label, t
from ui.text import escape, plain
from ui.writes import form_keys, save


@cached_read(INDICATORS)
def indicators(as_of: date, plan_ids: Sequence[int] | None) -> list[IndicatorAt]:
    """The indicators of the plans at AS_OF (tracker.indicators.queries), cached until a write."""
    with reading() as session:
        return indicators_at(session, as_of=as_of, plan_ids=None if plan_ids is None else list(plan_ids))


def indicator_tiles(counts: Mapping[IndicatorStatus, int]) -> None:
    """One tile per status: met, in progress, not met, no data."""
    st.subheader(t("indicator_tiles"))
    for column, status in zip(st.columns(len(STATUS_ORDER)), STATUS_ORDER, strict=True):
        with column:
            st.metric(label(status), counts.get(status, 0), border=True)


def indicator_table(shown: Sequence[IndicatorAt], *, key: str) -> IndicatorAt | None:
    """SHOWN as a table with each status as a coloured tag and a small trend; the row picked, if any."""
    lang = current_lang()
    frame = indicator_frame(shown, lang)
    status, trend = text("status", lang), text("trend", lang)
    frame[status] = frame[status].map(lambda name: [name])
    frame[trend] = [trend_values(indicator) for indicator in shown]
    colours = {label(status): STATUS_COLOURS[status] for status in STATUS_ORDER}
    event = st.dataframe(
        frame,
        key=key,
        hide_index=True,
        placeholder="—",
        on_select="rerun",
        selection_mode="single-row",
        column_config={
            text("title", lang): st.column_config.TextColumn(width="large"),
            status: st.column_config.MultiselectColumn(
                options=list(colours), color=list(colours.values()), width="medium"
            ),
            trend: st.column_config.LineChartColumn(width="small"),
        },
        column_order=[
            text(name, lang)
            for name in ("code", "title", "measure_unit", "target", "target_year", "actual", "period")
        ]
        + [text("confirmation", lang), status, text("behind", lang), trend, text("lead_unit", lang)],
        height=min(38 + 35 * len(frame), 560),
    )
    st.caption(t("indicator_pick_hint"))
    picked = event.selection.rows
    return shown[picked[0]] if picked else None


def indicator_detail(user: User, indicator: IndicatorAt) -> None:
    """The drill-down: the indicator, its values on a chart against the target, the forms."""
    lang = current_lang()
    st.subheader(escape(f"{indicator.code}. {indicator.title}"))
    facts = [
        f"{text('target', lang)}: {indicator.target_text or '—'}",
        f"{text('target_year', lang)}: {indicator.goal.target_year or '—'}",
        f"{text('lead_unit', lang)}: {indicator.lead_unit or '—'}",
        f"{text('status', lang)}: {label(indicator.status)}",
    ]
    if indicator.behind:
        facts.append(t("indicator_behind"))
    plain(" · ".join(facts))
    if indicator.group:
        plain(indicator.group, caption=True)
    # A target in words has no line to draw: its assessments are in the table below.
    if indicator.goal.target is not None:
        st.plotly_chart(indicator_chart(indicator, lang))
    history = values_frame(indicator, lang)
    if history.empty:
        st.info(t("indicator_no_values"))
    else:
        st.dataframe(history, hide_index=True)
    scope = indicator_scope(indicator.code, indicator.lead_unit_id)
    if can(user, Action.confirm_indicator_value, scope):
        _confirm_buttons(user, indicator)
    if can(user, Action.record_indicator_value, scope):
        _record_form(user, indicator)


def _confirm_buttons(user: User, indicator: IndicatorAt) -> None:
    """A confirm button beside each value awaiting confirmation, the latest first."""
    for value in reversed(indicator.history):
        if not value.confirmed:
            _confirm_button(user, value)


def awaiting_item(user: User, indicator: IndicatorAt, value: ValueAt) -> None:
    """One value in the secretariat's queue: its indicator, the value, who recorded it, a button."""
    with st.container(border=True):
        st.markdown(f"**{escape(f'{indicator.code}. {indicator.title}')}**")
        plain(
            f"{text('target', current_lang())}: {indicator.target_text or '—'} · {indicator.lead_unit}",
            caption=True,
        )
        _confirm_button(user, value)


def _confirm_button(user: User, value: ValueAt) -> None:
    line, button = st.columns([4, 1])
    with line:
        shown = result_text(value.result, current_lang())
        waiting = t("indicator_awaiting", period=value.period, value=shown)
        plain(f"{waiting} {by_whom(value.recorded_by, value.recorded_at)}")
    if button.button(t("indicator_confirm"), key=f"confirm_value:{value.id}"):
        save(lambda session: confirm_value(session, by=user, value_id=value.id), t("indicator_confirmed"))


def _record_form(user: User, indicator: IndicatorAt) -> None:
    """The form for a value: a number, or for a target in words a choice of Đạt / Chưa đạt."""
    form = f"indicator_value:{indicator.id}"
    value_key, period_key, source_key, evidence_key, note_key = form_keys(
        form, "value", "period", "source", "evidence", "note"
    )
    lang = current_lang()
    in_words = indicator.goal.target is None
    typed, assessment = "", None
    with st.form(form):
        st.markdown(f"**{t('indicator_record')}**")
        value_column, period_column = st.columns(2)
        if in_words:
            assessment = value_column.radio(
                t("indicator_assessment"),
                (True, False),
                format_func=lambda reached: result_text(reached, lang),
                index=None,
                horizontal=True,
                key=value_key,
            )
        else:
            typed = value_column.text_input(t("indicator_value"), key=value_key, placeholder="72,5")
        period = period_column.text_input(
            t("indicator_period"), key=period_key, placeholder=t("indicator_period_hint")
        )
        source = st.text_input(t("indicator_source"), key=source_key)
        evidence = st.text_input(t("indicator_evidence"), key=evidence_key)
        note = st.text_area(t("indicator_note"), key=note_key)
        if not st.form_submit_button(t("indicator_save"), type="primary"):
            return
    if in_words and assessment is None:
        st.error(t("indicator_assessment_missing"))
        return

    def record(session: Session) -> IndicatorValue:
        stored = session.get(Indicator, indicator.id)
        if stored is None:
            raise NotFound(f"Không có chỉ tiêu mã số {indicator.id}.")
        value = assessment if assessment is not None else read_result(stored, typed)
        return record_value(
            session,
            by=user,
            indicator_id=indicator.id,
            value=value,
            period=period,
            source=source,
            evidence=evidence,
            note=note,
        )

    save(record, t("indicator_saved"), reset=[form])
