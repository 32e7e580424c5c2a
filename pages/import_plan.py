"""Nhập kế hoạch (secretariat): upload an annex, check the preview, import it; past imports below."""

import streamlit as st

from tracker.importer.guards import MAX_FILE_BYTES
from tracker.tasks.permissions import Action, can
from ui.import_history import import_history_table
from ui.import_steps import UPLOAD, import_steps, last_result
from ui.lang import t
from ui.progress_import import progress_import
from ui.reads import imports, units
from ui.session import require_user
from ui.writes import form_keys

user = require_user()
st.title(t("page_import"))
if not can(user, Action.import_plan):
    st.info(t("secretariat_only"))
    st.stop()

last_result()
upload = st.file_uploader(
    t("import_file"),
    type=["xlsx", "xls", "csv"],
    max_upload_size=MAX_FILE_BYTES // 1024 // 1024,
    key=form_keys(UPLOAD, "file")[0],
    help=t("import_file_help"),
)
if upload is not None:
    import_steps(user, upload.name, upload.getvalue(), units())

st.subheader(t("progress_import"))
progress_import(user)

st.subheader(t("import_history"))
import_history_table(imports())
