"""The secretariat's unit list: adding and renaming a unit, and merging one (typically one an
import created) into another."""

from __future__ import annotations

import pandas as pd
import streamlit as st
from sqlmodel import Session

from models import User
from tracker.directory.unit_list import UnitEntry
from tracker.directory.units import add_unit, merge_units, rename_unit, set_unit_mailbox
from ui.lang import t
from ui.widgets import data_table
from ui.writes import form_keys, save


def unit_table(entries: list[UnitEntry]) -> None:
    table = pd.DataFrame(
        {
            "name": [entry.name for entry in entries],
            "kind": [t(f"unit_kind_{entry.kind}") for entry in entries],
            "aliases": ["; ".join(entry.aliases) for entry in entries],
            "lead": [entry.lead_tasks for entry in entries],
            "coordinated": [entry.coordinated_tasks for entry in entries],
            "accounts": [entry.accounts for entry in entries],
            "mailbox": [entry.mailbox for entry in entries],
        }
    )
    data_table(
        table,
        column_config={
            "name": st.column_config.TextColumn(t("unit_name"), width="large"),
            "kind": t("unit_kind"),
            "aliases": st.column_config.TextColumn(t("unit_aliases"), width="large"),
            "lead": t("unit_lead_tasks"),
            "coordinated": t("unit_coordinated_tasks"),
            "accounts": t("unit_accounts"),
            "mailbox": t("unit_mailbox"),
        },
    )


def _pick_unit(label: str, names: dict[int, str], *, key: str) -> int | None:
    """A unit's id, chosen by typing its name; None until one is chosen."""
    chosen: int | None = st.selectbox(
        label, [*names], index=None, format_func=names.__getitem__, placeholder=t("pick_unit_hint"), key=key
    )
    return chosen


def merge_form(user: User, entries: list[UnitEntry]) -> None:
    """Fold one unit into another: its tasks, coordinations, accounts and spellings move over."""
    names = {entry.id: entry.name for entry in entries}
    keys = form_keys("merge", "source", "target", "sure")
    with st.form("merge_units", clear_on_submit=False):
        source = _pick_unit(t("merge_source"), names, key=keys[0])
        target = _pick_unit(t("merge_target"), names, key=keys[1])
        sure = st.checkbox(t("merge_sure"), key=keys[2])
        submitted = st.form_submit_button(t("merge"), type="primary")
    if not submitted:
        return
    if source is None or target is None or not sure:
        st.error(t("merge_incomplete"))
        return

    def merge(session: Session) -> None:
        merge_units(session, by=user, source_id=source, target_id=target)

    save(merge, t("saved_merge", source=names[source], target=names[target]), reset=["merge"])


def add_unit_form(user: User) -> None:
    (name_key,) = form_keys("add_unit", "name")
    with st.form("add_unit", clear_on_submit=False):
        name = st.text_input(t("unit_name"), key=name_key)
        submitted = st.form_submit_button(t("add_unit"))
    if submitted:
        save(
            lambda session: add_unit(session, by=user, name=name),
            t("saved_unit_added", name=name.strip()),
            reset=["add_unit"],
        )


def rename_form(user: User, entries: list[UnitEntry]) -> None:
    names = {entry.id: entry.name for entry in entries}
    keys = form_keys("rename_unit", "unit", "name")
    with st.form("rename_unit", clear_on_submit=False):
        unit_id = _pick_unit(t("rename_unit_pick"), names, key=keys[0])
        name = st.text_input(t("rename_unit_name"), key=keys[1])
        submitted = st.form_submit_button(t("rename_unit"))
    if not submitted:
        return
    if unit_id is None or not name.strip():
        st.error(t("rename_incomplete"))
        return
    save(
        lambda session: rename_unit(session, by=user, unit_id=unit_id, name=name),
        t("saved_unit_renamed", old=names[unit_id], new=name.strip()),
        reset=["rename_unit"],
    )


def mailbox_form(user: User, entries: list[UnitEntry]) -> None:
    """The unit's own mailbox, copied on its reminders (tracker.reminders)."""
    by_id = {entry.id: entry for entry in entries}
    names = {entry.id: entry.name for entry in entries}
    keys = form_keys("unit_mailbox", "unit", "mailbox")
    unit_id = _pick_unit(t("rename_unit_pick"), names, key=keys[0])
    if unit_id is None:
        return
    with st.form("unit_mailbox", clear_on_submit=False):
        mailbox = st.text_input(t("unit_mailbox"), value=by_id[unit_id].mailbox, key=f"{keys[1]}:{unit_id}")
        submitted = st.form_submit_button(t("unit_mailbox_save"))
    if submitted:
        save(
            lambda session: set_unit_mailbox(session, by=user, unit_id=unit_id, mailbox=mailbox),
            t("saved_unit_mailbox", name=names[unit_id]),
            reset=["unit_mailbox"],
        )
