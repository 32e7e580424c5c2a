"""Driving the app with AppTest: the dashboard's navigation, as a signed-in user, on the test database.

Pages are reached through dashboard.py (as in the browser) so that st.page_link
and st.switch_page find the pages st.navigation registered. Point the app at
the test database with the `app_url` fixture first.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from streamlit.testing.v1 import AppTest

from models import User
from ui.task_card import card_key

ROOT = Path(__file__).resolve().parents[2]
PAGES = sorted(path.relative_to(ROOT).as_posix() for path in (ROOT / "pages").glob("*.py"))
# Two busy cores shared by several test runs: a page may take seconds.
TIMEOUT = 60


def dashboard(lang: str = "vi") -> AppTest:
    at = AppTest.from_file(ROOT / "dashboard.py", default_timeout=TIMEOUT)
    at.session_state["lang"] = lang
    return at


def page_as(
    user: User | None, page: str, *, query: Mapping[str, str] | None = None, lang: str = "vi"
) -> AppTest:
    """AppTest of PAGE ("pages/task.py") signed in as USER, not yet run."""
    at = dashboard(lang)
    if user is not None:
        at.session_state["user_id"] = user.id
    at.query_params.update(query or {})
    return at.switch_page(page)


# CommonMark's backslash escapes: any ASCII punctuation (ui.text.escape writes them).
_ESCAPED = re.compile(r"\\([!-/:-@\[-`{-~])")


def read(markdown: str) -> str:
    """What a reader sees of MARKDOWN that ui.text.escape made plain: the escapes removed."""
    return _ESCAPED.sub(r"\1", markdown).replace("  \n", "\n")


def shown(elements: Iterable[Any]) -> list[str]:
    """The values of ELEMENTS (at.error, at.toast…) as a reader sees them."""
    return [read(str(element.value)) for element in elements]


def texts(at: AppTest) -> str:
    """Everything the run wrote as text, as a reader sees it, to search for what a user would read."""
    parts = [
        element.value
        for kind in (
            "markdown",
            "caption",
            "info",
            "warning",
            "error",
            "success",
            "title",
            "header",
            "subheader",
            "text",
        )
        for element in getattr(at, kind)
    ]
    return "\n".join(read(str(part)) for part in parts)


def open_card(at: AppTest, task_id: int, kind: str = "lead") -> AppTest:
    """AT with the card of TASK_ID open on "Đơn vị của tôi" (a closed card draws nothing inside)."""
    at.session_state[card_key(kind, task_id)] = True
    return at
