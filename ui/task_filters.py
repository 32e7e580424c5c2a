"""The task list's filters, each kept in the address; they give the arguments of task_filter.filter_tasks."""

from __future__ import annotations

from typing import Any

import streamlit as st

from models import TaskClass, TaskStatus
from tracker.views.filters import FilterOptions
from ui.filters import LEAD_UNITS, choice_filter, date_filter, multi_filter, text_filter
from ui.lang import label, t

_RECURRING = {"": None, "only": True, "none": False}
_IN_EXPANDER = ("section", "class", "status", LEAD_UNITS, "coord", "from", "to", "recurring")


def task_filters(options: FilterOptions) -> dict[str, Any]:
    """Search box on top, the other filters in an expander (open when one is set)."""
    search = text_filter("q", t("search"), placeholder=t("search_hint"))
    expanded = any(param in st.query_params for param in _IN_EXPANDER)
    with st.expander(t("more_filters"), icon=":material/filter_list:", expanded=expanded):
        left, middle, right = st.columns(3)
        with left:
            sections = multi_filter("section", t("col_section"), options.sections, parse=str)
            classes = multi_filter(
                "class", t("col_class"), {name.value: label(name) for name in TaskClass}, parse=str
            )
            statuses = multi_filter(
                "status", t("col_status"), {name.value: label(name) for name in TaskStatus}, parse=str
            )
        with middle:
            leads = multi_filter(LEAD_UNITS, t("col_lead_unit"), options.lead_units, parse=int)
            coordinators = multi_filter("coord", t("col_coordinating"), options.coordinating_units, parse=int)
        with right:
            deadline_from = date_filter("from", t("deadline_from"))
            deadline_to = date_filter("to", t("deadline_to"))
            recurring = choice_filter(
                "recurring",
                t("recurring_filter"),
                {"": t("recurring_any"), "only": t("recurring_only"), "none": t("recurring_none")},
                horizontal=False,
            )
    return {
        "search": search,
        "sections": sections,
        "lead_unit_ids": leads,
        "coordinator_unit_ids": coordinators,
        "classes": classes,
        "statuses": statuses,
        "deadline_from": deadline_from,
        "deadline_to": deadline_to,
        "recurring": _RECURRING[recurring],
    }
