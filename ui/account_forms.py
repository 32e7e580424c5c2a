"""The secretariat's account management: the list, a new account, changes to one account."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

import pandas as pd
import streamlit as st

from models import Role, User
from tracker.directory import accounts
from ui import format as fmt
from ui.lang import label, t
from ui.widgets import data_table
from ui.writes import form_keys, save

ROLES = list(Role)


def _unit_choice(units: Mapping[int, str], key: str, current: int | None = None) -> int | None:
    choices: list[int | None] = [None, *units]
    return st.selectbox(
        t("account_unit"),
        choices,
        index=choices.index(current) if current in choices else 0,
        format_func=lambda unit: t("no_unit_choice") if unit is None else units[unit],
        help=t("account_unit_help"),
        key=key,
    )


def account_table(users: list[User], units: Mapping[int, str], waits: Mapping[str, datetime]) -> None:
    """The accounts; WAITS: until when sign-ins to a username wait after failed attempts."""
    table = pd.DataFrame(
        {
            "username": [user.username for user in users],
            "name": [user.display_name for user in users],
            "email": [user.email or "" for user in users],
            "role": [label(user.role) for user in users],
            "unit": [units.get(user.unit_id, "") if user.unit_id else "" for user in users],
            "active": [user.active for user in users],
            "locked": [fmt.moment(waits.get(user.username)) for user in users],
            "last_login": [fmt.moment(user.last_login_at) for user in users],
        }
    )
    data_table(
        table,
        column_config={
            "username": t("username"),
            "name": t("display_name"),
            "email": t("email"),
            "role": t("role"),
            "unit": t("account_unit"),
            "active": st.column_config.CheckboxColumn(t("active")),
            "locked": t("locked_until"),
            "last_login": t("last_login"),
        },
    )


def create_account_form(user: User, units: Mapping[int, str]) -> None:
    keys = form_keys("new_account", "username", "name", "email", "role", "unit", "password", "repeat")
    with st.form("new_account", clear_on_submit=False):
        left, right = st.columns(2)
        username = left.text_input(t("username"), key=keys[0])
        display_name = right.text_input(t("display_name"), key=keys[1])
        email = left.text_input(t("email"), help=t("email_help"), key=keys[2])
        role = right.selectbox(t("role"), ROLES, index=ROLES.index(Role.unit), format_func=label, key=keys[3])
        unit_id = _unit_choice(units, keys[4])
        password = left.text_input(t("password"), type="password", key=keys[5])
        repeat = right.text_input(t("password_repeat"), type="password", key=keys[6])
        submitted = st.form_submit_button(t("create_account"), type="primary")
    if not submitted:
        return
    if password != repeat:
        st.error(t("passwords_differ"))
        return
    save(
        lambda session: accounts.create_user(
            session,
            by=user,
            username=username,
            role=role,
            password=password,
            display_name=display_name,
            unit_id=unit_id,
            email=email,
        ),
        t("saved_account_created", username=username.strip()),
        reset=["new_account"],
    )


def manage_account(user: User, target: User, units: Mapping[int, str]) -> None:
    """Role and unit, a new password, and (de)activation of TARGET."""
    target_id = int(target.id or 0)
    role_keys = form_keys(f"account:{target_id}", "role", "unit")
    with st.form(f"account_role:{target_id}", clear_on_submit=False):
        role = st.selectbox(
            t("role"), ROLES, index=ROLES.index(Role(target.role)), format_func=label, key=role_keys[0]
        )
        unit_id = _unit_choice(units, role_keys[1], target.unit_id)
        changed = st.form_submit_button(t("save_role"))
    if changed:
        save(
            lambda session: accounts.change_role(
                session, by=user, user_id=target_id, role=role, unit_id=unit_id
            ),
            t("saved_role", username=target.username),
            reset=[f"account:{target_id}"],
        )
    password_keys = form_keys(f"account:{target_id}", "password", "repeat")
    with st.form(f"account_password:{target_id}", clear_on_submit=False):
        password = st.text_input(t("new_password"), type="password", key=password_keys[0])
        repeat = st.text_input(t("password_repeat"), type="password", key=password_keys[1])
        reset = st.form_submit_button(t("reset_password"))
    if reset:
        if password != repeat:
            st.error(t("passwords_differ"))
        else:
            save(
                lambda session: accounts.reset_password(
                    session, by=user, user_id=target_id, password=password
                ),
                t("saved_password", username=target.username),
                reset=[f"account:{target_id}"],
            )
    if st.button(t("unlock_account"), key=f"account:{target_id}:unlock", help=t("unlock_account_help")):
        save(
            lambda session: accounts.unlock_user(session, by=user, user_id=target_id),
            t("saved_unlocked", username=target.username),
        )
    if target.active and st.button(t("deactivate"), key=f"account:{target_id}:deactivate"):
        save(
            lambda session: accounts.deactivate_user(session, by=user, user_id=target_id),
            t("saved_deactivated", username=target.username),
        )
    if not target.active and st.button(t("reactivate"), key=f"account:{target_id}:reactivate"):
        save(
            lambda session: accounts.reactivate_user(session, by=user, user_id=target_id),
            t("saved_reactivated", username=target.username),
        )
