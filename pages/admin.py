"""Administration (secretariat): accounts and units."""

import streamlit as st

from tracker.tasks.permissions import Action, can
from ui.account_forms import account_table, create_account_form, manage_account
from ui.lang import t
from ui.reads import sign_in_waits, unit_entries, units, users
from ui.session import require_user
from ui.unit_admin import add_unit_form, mailbox_form, merge_form, rename_form, unit_table

user = require_user()
st.title(t("page_admin"))
if not can(user, Action.manage_accounts):
    st.info(t("secretariat_only"))
    st.stop()

accounts_tab, units_tab = st.tabs([t("tab_accounts"), t("tab_units")])
with accounts_tab:
    everyone, unit_names = users(), units()
    account_table(everyone, unit_names, sign_in_waits())
    with st.expander(t("new_account"), icon=":material/person_add:"):
        create_account_form(user, units(collectives=False))
    by_id = {account.id: account for account in everyone}
    chosen = st.selectbox(
        t("pick_account"),
        [*by_id],
        index=None,
        format_func=lambda account_id: f"{by_id[account_id].username} — {by_id[account_id].display_name}",
        placeholder=t("pick_account_hint"),
    )
    if chosen is not None:
        manage_account(user, by_id[chosen], units(collectives=False))
with units_tab:
    entries = unit_entries()
    if not entries:
        st.info(t("no_units"))
    else:
        unit_table(entries)
    with st.expander(t("add_unit_title"), icon=":material/add_business:"):
        st.caption(t("add_unit_help"))
        add_unit_form(user)
    if entries:
        with st.expander(t("rename_unit_title"), icon=":material/edit:"):
            st.caption(t("rename_unit_help"))
            rename_form(user, entries)
        with st.expander(t("unit_mailbox_title"), icon=":material/mail:"):
            st.caption(t("unit_mailbox_help"))
            mailbox_form(user, entries)
        st.subheader(t("merge_title"))
        st.caption(t("merge_help"))
        merge_form(user, entries)
