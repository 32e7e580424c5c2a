"""Streamlit's own words on our screens, in the user's language.

Streamlit lets the file uploader's label and help be ours (every call passes
them through t()) but writes its button ("Upload") and its limit line ("20MB
per file • XLSX") in English, with a decimal point. Neither can be set, so a
style sheet replaces the button's words with ours and hides the limit line:
every uploader's label states the limit and the file types itself.
"""

from __future__ import annotations

import json

import streamlit as st

from ui.lang import t

_DROPZONE = 'section[data-testid="stFileUploaderDropzone"]'


def streamlit_texts() -> None:
    """The style sheet that puts our words in place of Streamlit's own; drawn on every run."""
    # json.dumps quotes and escapes a string the way CSS reads it.
    button = json.dumps(t("upload_button"), ensure_ascii=False)
    st.sidebar.html(
        "<style>"
        '[data-testid="stFileUploaderDropzoneInstructions"] { display: none; }'
        f"{_DROPZONE} > span > button > * {{ display: none; }}"
        f"{_DROPZONE} > span > button::after {{ content: {button}; }}"
        "</style>"
    )
