"""The reminders page's parts: what the next run would send, the "send now" button, the log."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from models import ReminderLog, Role, User
from tracker.errors import TrackerError
from tracker.reminders.digests import Digest
from tracker.reminders.items import Item, Reason
from tracker.reminders.letters import write_letters
from tracker.reminders.mail import deadline_words, subject, timing_words
from tracker.reminders.run import Preview, RunResult, run_reminders
from tracker.reminders.summary import set_weekly_summary
from ui import format as fmt
from ui.lang import current_lang, t
from ui.reads import letters_to_overdue_units, reminder_letter
from ui.session import engine, flash, settings
from ui.text import escape
from ui.widgets import data_table
from ui.writes import save

REASON_KEYS = {reason: f"reason_{reason.value}" for reason in Reason}
_RESULT = "reminders:last_run"


def reason_label(reason: Reason) -> str:
    return t(REASON_KEYS[reason])


def item_table(items: tuple[Item, ...] | list[Item], as_of: date) -> None:
    table = pd.DataFrame(
        {
            "reason": [reason_label(item.reason) for item in items],
            "code": [item.code for item in items],
            "title": [item.title for item in items],
            "unit": [item.unit for item in items],
            "deadline": [deadline_words(item, current_lang()) for item in items],
            "timing": [timing_words(item, as_of, current_lang()) for item in items],
        }
    )
    data_table(
        table,
        column_config={
            "reason": t("reminder_reason"),
            "code": t("reminder_code"),
            "title": st.column_config.TextColumn(t("reminder_task"), width="large"),
            "unit": t("reminder_unit"),
            "deadline": t("reminder_deadline"),
            "timing": t("reminder_timing"),
        },
    )


def preview_list(preview: Preview, as_of: date) -> None:
    if not preview.outgoing:
        st.success(t("reminders_nothing", held=preview.held_back))
    else:
        st.caption(t("reminders_preview_help", count=len(preview.outgoing), held=preview.held_back))
    for message in preview.outgoing:
        heading = escape(f"{subject(message.digest)} → {', '.join(message.to)}")
        with st.expander(heading, icon=":material/mail:"):
            item_table(message.digest.items, as_of)
    for digest in preview.unreachable:
        unreachable(digest, as_of)


def unreachable(digest: Digest, as_of: date) -> None:
    with st.expander(t("reminders_no_address", title=escape(digest.title)), icon=":material/mail_off:"):
        st.caption(t("reminders_no_address_help"))
        item_table(digest.items, as_of)


def send_button(as_of: date, *, configured: bool) -> None:
    """ "Gửi ngay": one run now, the same as the daily command; its result shows after the rerun."""
    if not st.button(t("reminders_send_now"), type="primary", disabled=not configured):
        return
    try:
        with st.spinner(t("reminders_sending")):
            result = run_reminders(engine(), settings=settings(), as_of=as_of)
    except TrackerError as error:
        st.error(escape(str(error)))
        return
    st.session_state[_RESULT] = result
    flash(t("reminders_sent", sent=len(result.sent), failed=len(result.failed)))
    st.rerun()


def last_result() -> None:
    result: RunResult | None = st.session_state.pop(_RESULT, None)
    if result is None:
        return
    for failure in result.failed:
        st.error(t("reminders_failed", to=escape(", ".join(failure["to"])), error=escape(failure["error"])))


def log_table(rows: list[ReminderLog]) -> None:
    if not rows:
        st.info(t("reminders_log_empty"))
        return
    table = pd.DataFrame(
        {
            "when": [fmt.moment(row.attempted_at) for row in rows],
            "to": [row.recipient for row in rows],
            "subject": [row.subject for row in rows],
            "result": [t("reminder_sent") if row.sent else t("reminder_failed") for row in rows],
            "error": [row.error for row in rows],
        }
    )
    data_table(
        table,
        column_config={
            "when": t("reminder_when"),
            "to": t("reminder_to"),
            "subject": st.column_config.TextColumn(t("reminder_subject"), width="large"),
            "result": t("reminder_result"),
            "error": t("reminder_error"),
        },
    )


def letter_button(unit_id: int, unit_name: str, as_of: date) -> None:
    """The secretariat's download of the reminder letter to one unit (tracker.reminders.letters)."""
    data, reason = reminder_letter(unit_id, as_of)
    if reason:
        st.caption(escape(reason))
        return
    st.download_button(
        t("download_letter"),
        data,
        file_name=f"cong-van-don-doc-{as_of:%Y%m%d}-{unit_id}.docx",
        mime="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        key=f"letter:{unit_id}",
        icon=":material/mail:",
        on_click="ignore",
        help=t("download_letter_help", unit=unit_name),
    )


def overdue_letters_button(as_of: date) -> None:
    """The secretariat's download of one file with a reminder letter to each unit with overdue
    tasks, written when asked for (a letter per unit can be many pages)."""
    letters, reason = letters_to_overdue_units(as_of)
    if reason:
        st.caption(escape(reason))
        return
    st.download_button(
        t("download_overdue_letters", count=len(letters)),
        lambda: write_letters(letters, place=settings().province),
        file_name=f"cong-van-don-doc-{as_of:%Y%m%d}.docx",
        mime="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        key="letters:overdue",
        icon=":material/mail:",
        on_click="ignore",
        help=t("download_overdue_letters_help"),
    )


def weekly_summary_toggle(user: User) -> None:
    """A committee member's choice, in the sidebar, to receive the weekly summary by e-mail."""
    if user.role != Role.committee or user.id is None:
        return
    user_id = user.id
    wanted = st.sidebar.toggle(
        t("weekly_summary_toggle"),
        value=user.weekly_summary,
        disabled=not user.email,
        help=t("weekly_summary_help") if user.email else t("weekly_summary_no_email"),
        key="weekly_summary",
    )
    if wanted != user.weekly_summary:
        save(
            lambda session: set_weekly_summary(session, by=user, user_id=user_id, wanted=wanted),
            t("saved_weekly_summary_on") if wanted else t("saved_weekly_summary_off"),
        )
