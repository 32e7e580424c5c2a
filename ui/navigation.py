"""The pages a signed-in user may open, in the order the sidebar lists them.

A page shows up once its file exists, so pages can land one by one. What a
role may see follows tracker.tasks.permissions: a page that changes data appears for
those who may make that change. Each page keeps the URL of its file name
(/task, /my_unit), which links and AppTest.switch_page rely on.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn

import streamlit as st
from streamlit.navigation.page import StreamlitPage

from models import Role, User
from tracker.tasks.permissions import Action, can
from ui.lang import t

ROOT = Path(__file__).resolve().parent.parent


def _may(action: Action) -> Callable[[User], bool]:
    return lambda user: can(user, action)


def _has_unit(user: User) -> bool:
    return user.unit_id is not None and can(user, Action.view_all)


@dataclass(frozen=True)
class PageSpec:
    file: str
    title_key: str
    icon: str
    visible: Callable[[User], bool]
    # Sidebar group: what needs doing, then following the plans, then running the app.
    section: str


WORK, FOLLOW, RUN = "nav_work", "nav_follow", "nav_run"
PAGES: tuple[PageSpec, ...] = (
    PageSpec("pages/my_unit.py", "page_my_unit", ":material/apartment:", _has_unit, WORK),
    PageSpec("pages/queue.py", "page_queue", ":material/fact_check:", _may(Action.confirm), WORK),
    PageSpec("pages/overview.py", "page_overview", ":material/dashboard:", _may(Action.view_all), FOLLOW),
    PageSpec("pages/tasks.py", "page_tasks", ":material/list_alt:", _may(Action.view_all), FOLLOW),
    PageSpec("pages/task.py", "page_task", ":material/description:", _may(Action.view_all), FOLLOW),
    # Per-unit results feed the emulation rankings: report content, not a unit's business.
    PageSpec("pages/units.py", "page_units", ":material/leaderboard:", _may(Action.export_reports), FOLLOW),
    PageSpec("pages/reports.py", "page_reports", ":material/summarize:", _may(Action.export_reports), FOLLOW),
    PageSpec("pages/import_plan.py", "page_import", ":material/upload_file:", _may(Action.import_plan), RUN),
    PageSpec("pages/admin.py", "page_admin", ":material/manage_accounts:", _may(Action.manage_accounts), RUN),
)
# The first of these the user may see opens when no page is asked for: unit staff come
# to do their unit's work, everyone else to see the whole picture.
_DEFAULT_ORDER = {
    Role.unit: ("pages/my_unit.py", "pages/overview.py", "pages/tasks.py"),
    Role.committee: ("pages/overview.py", "pages/tasks.py"),
    Role.secretariat: ("pages/overview.py", "pages/queue.py", "pages/tasks.py"),
}


def visible_pages(user: User) -> list[PageSpec]:
    return [spec for spec in PAGES if (ROOT / spec.file).exists() and spec.visible(user)]


def gate(screen: Callable[[], object]) -> NoReturn:
    """Run SCREEN whatever page the address names, so nothing else is listed or reached before sign-in.

    Without a call to st.navigation Streamlit would list every file of pages/.
    SCREEN also answers at each page's address, so a shared link (/task?task=12)
    still points at its page once the user has signed in.
    """
    title = t("app_short")

    def run() -> None:
        screen()

    addresses = [st.Page(run, title=title, url_path=Path(spec.file).stem) for spec in PAGES]
    st.navigation([st.Page(run, title=title, default=True), *addresses], position="hidden").run()
    st.stop()


def navigation(user: User) -> StreamlitPage:
    """st.navigation over the pages USER may see; returns the page to run."""
    specs = visible_pages(user)
    if not specs:
        gate(lambda: st.warning(t("no_pages")))
    files = [spec.file for spec in specs]
    default = next((file for file in _DEFAULT_ORDER.get(Role(user.role), ()) if file in files), files[0])
    sections: dict[str, list[StreamlitPage]] = {}
    for spec in specs:
        page = st.Page(
            ROOT / spec.file, title=t(spec.title_key), icon=spec.icon, default=spec.file == default
        )
        sections.setdefault(t(spec.section), []).append(page)
    return st.navigation(sections)
