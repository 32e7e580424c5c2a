"""The language a user reads the app in (Vietnamese by default) and the lookup of UI strings."""

from __future__ import annotations

from enum import StrEnum

import streamlit as st

from tracker.i18n import LANGS, Lang
from tracker.i18n import label as value_label
from ui.strings import STRINGS

_LANG = "lang"
_NAMES = {"vi": "Tiếng Việt", "en": "English"}


def current_lang() -> Lang:
    lang: Lang = st.session_state.get(_LANG, "vi")
    return lang


def t(key: str, **values: object) -> str:
    """The UI string KEY in the current language, with {placeholders} filled from VALUES."""
    vi, en = STRINGS[key]
    text = en if current_lang() == "en" else vi
    return text.format(**values) if values else text


def label(value: StrEnum | str) -> str:
    """The label of an enum value (status, class, role …) in the current language."""
    return value_label(value, current_lang())


def language_switch() -> None:
    """A sidebar switch between Vietnamese and English, remembered for the session."""

    def remember() -> None:
        st.session_state[_LANG] = st.session_state["lang_switch"]

    st.sidebar.radio(
        t("language"),
        LANGS,
        index=LANGS.index(current_lang()),
        format_func=_NAMES.__getitem__,
        key="lang_switch",
        on_change=remember,
        horizontal=True,
        label_visibility="collapsed",
    )
