"""Task detail: every field, the actions the user's role allows, evidence, extensions, history.

The task comes from the address (?task=ID) so a link to it can be shared.
"""

import streamlit as st

from tracker.clock import today
from tracker.errors import TrackerError
from ui import task_view
from ui.coordination_forms import coordinator_states
from ui.lang import t
from ui.links import TASK_PARAM
from ui.reads import classified_tasks, task_detail
from ui.session import require_user
from ui.task_actions import task_actions
from ui.task_picker import pick_task
from ui.text import escape
from ui.widgets import not_in_plan_mark

user = require_user()
task_id = pick_task(lambda: classified_tasks(today()), st.query_params.get(TASK_PARAM))
if task_id is None:
    st.stop()
try:
    detail = task_detail(task_id)
except TrackerError as error:
    st.error(escape(str(error)))
    st.stop()
task = detail.task

st.title(t("task_heading", code=escape(str(task["code"]))))
st.subheader(escape(str(task["title"])))
not_in_plan_mark(task["missing_since"])
task_view.fields(task, detail.plan_title)
task_actions(user, task)
coordinator_states(detail.coordination)

evidence, extensions, history = st.tabs(
    [
        t("tab_evidence_list", count=len(detail.evidence)),
        t("tab_extensions", count=len(detail.extensions)),
        t("tab_history", count=len(detail.history)),
    ]
)
with evidence:
    task_view.evidence_list(detail.evidence)
with extensions:
    task_view.extensions(user, task, detail.extensions)
with history:
    task_view.history(detail.history)
