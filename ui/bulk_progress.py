"""Many progress values at once: one editable table, one save, one transaction.

The edits are read from the editor's own state (its `edited_rows`) and never
written back into it: Streamlit's data_editor loses every second edit when its
output is fed back as its input.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st
from sqlmodel import Session

from models import User
from tracker.clock import today
from tracker.tasks import workflow
from tracker.tasks.lifecycle import OPEN
from tracker.tasks.permissions import Action, can
from ui import format as fmt
from ui.lang import label, t
from ui.scope import rows_of, scope_of
from ui.writes import form_keys, save, seen_version

BULK = "bulk_progress"


def bulk_progress_table(user: User, tasks: pd.DataFrame) -> None:
    """The tasks of TASKS whose progress USER may update, editable in place."""
    rows = [task for task in rows_of(tasks) if can(user, Action.update_progress, scope_of(task))]
    if not rows:
        st.info(t("bulk_nothing"))
        return
    seen = {int(task["id"]): seen_version(f"bulk:{task['id']}", int(task["version"])) for task in rows}
    # The open statuses to choose from; a closed task's own status too, so it is drawn as a label.
    statuses = list(dict.fromkeys([*OPEN, *(str(task["status"]) for task in rows)]))
    table = pd.DataFrame(
        {
            "code": [task["code"] for task in rows],
            "title": [task["title"] for task in rows],
            "deadline": [fmt.deadline(task) for task in rows],
            "status": [task["status"] for task in rows],
            "progress": [int(task["progress"]) for task in rows],
        }
    )
    st.caption(t("bulk_help"))
    (editor,) = form_keys(BULK, "edits")
    st.data_editor(
        table,
        key=editor,
        hide_index=True,
        width="stretch",
        disabled=["code", "title", "deadline"],
        column_config={
            "code": st.column_config.TextColumn(t("col_code"), width="small"),
            "title": st.column_config.TextColumn(t("col_title"), width="large"),
            "deadline": st.column_config.TextColumn(t("col_deadline")),
            "status": st.column_config.SelectboxColumn(
                t("col_status"),
                options=statuses,
                format_func=lambda status: label(str(status)),
                required=True,
            ),
            "progress": st.column_config.NumberColumn(
                t("col_progress"), min_value=0, max_value=100, step=5, format="%d%%", required=True
            ),
        },
    )
    edits: dict[Any, dict[str, Any]] = st.session_state[editor]["edited_rows"]
    if not st.button(t("bulk_save", count=len(edits)), disabled=not edits, type="primary"):
        return
    changes = [(rows[int(row)], change) for row, change in edits.items()]

    def apply(session: Session) -> None:
        for task, change in changes:
            workflow.update_progress(
                session,
                by=user,
                task_id=int(task["id"]),
                seen_version=seen[int(task["id"])],
                status=change.get("status", task["status"]),
                progress=int(change.get("progress", task["progress"])),
                effective_on=today(),
            )

    save(apply, t("saved_bulk", count=len(changes)), reset=[BULK])
