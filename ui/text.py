"""User text (titles, notes, comments, file names) shown as text, never as Markdown or HTML."""

from __future__ import annotations

import re

import streamlit as st

# Every character Markdown, Streamlit's :emoji:/:material/…: shortcodes or LaTeX ($) read as markup.
_MARKUP = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~:$=])")


def escape(text: str) -> str:
    """TEXT with every markup character escaped; line breaks kept."""
    escaped = _MARKUP.sub(r"\\\1", text)
    return escaped.replace("\n", "  \n")


def plain(text: str, *, caption: bool = False) -> None:
    """Show user TEXT as it was typed, in the page's normal font."""
    (st.caption if caption else st.markdown)(escape(text))
