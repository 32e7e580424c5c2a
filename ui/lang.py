"""The language a user reads the app in (Vietnamese by default) and the lookup of UI strings."""

from __future__ import annotations

from enum import StrEnum

import streamlit as st

from tracker.i18n import LANGS, Lang
from tracker.i18n import label as value_label
from ui.strings import STRINGS

_LANG = "lang"
# The address keeps a language other than Vietnamese (?lang=en), so a reload or a shared link keeps it.
_PARAM = "lang"
_DEFAULT: Lang = "vi"
_NAMES = {"vi": "Tiếng Việt", "en": "English"}


def current_lang() -> Lang:
    lang: Lang = st.session_state.get(_LANG, _DEFAULT)
    return lang


def _keep_in_address() -> None:
    """A new session takes its language from the address; every run writes it back there,
    since a change of page clears the address's parameters."""
    if _LANG not in st.session_state:
        asked = st.query_params.get(_PARAM)
        st.session_state[_LANG] = asked if asked in LANGS else _DEFAULT
    if current_lang() == _DEFAULT:
        st.query_params.pop(_PARAM, None)
    else:
        st.query_params[_PARAM] = current_lang()


def t(key: str, **values: object) -> str:
    """The UI string KEY in the current language, with {placeholders} filled from VALUES."""
    vi, en = STRINGS[key]
    text = en if current_lang() == "en" else vi
    return text.format(**values) if values else text


def label(value: StrEnum | str) -> str:
    """The label of an enum value (status, class, role …) in the current language."""
    return value_label(value, current_lang())


def language_switch() -> None:
    """A sidebar switch between Vietnamese and English, remembered for the session and in the address."""
    _keep_in_address()

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
