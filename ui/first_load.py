"""The first page load after the server starts: no flash of raw page names in the sidebar.

On the very first run of a server process Streamlit still assumes the pages/
folder of older apps: it lists every file there under its file name ("my
unit", "queue") until the script's own st.navigation arrives, a second or two
later once the app's modules are imported. A hidden navigation sent at once
replaces that list; the app's navigation then replaces it in turn.
"""

from __future__ import annotations

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager


def _nothing() -> None:
    """The placeholder's page: never run, the app's navigation follows in the same run."""


def hide_folder_pages() -> None:
    """Hide Streamlit's list of pages/ at once, on the one run that shows it."""
    if PagesManager.uses_pages_directory:
        st.navigation([st.Page(_nothing, title="…")], position="hidden")
