"""Text from users, files and the address bar never becomes a link, an image or HTML.

Every page runs with hostile values in the address and hostile stored names
(plan, unit, task fields, notes, usernames); everything each run would render
as Markdown (bodies, labels, help texts) is parsed as GitHub-flavoured
Markdown, as the browser does, and must hold no link, image or HTML from them.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from google.protobuf.message import Message
from markdown_it import MarkdownIt
from markdown_it.token import Token
from sqlalchemy import Engine
from streamlit.testing.v1 import AppTest

from models import Role, User
from tests.support.annexes import indicator_annex, xlsx
from tests.support.apptest import PAGES, dashboard, page_as, texts
from tests.support.factories import make_plan, make_task, make_unit, make_user
from tests.support.importing import run_import
from tracker.clock import today
from tracker.db import open_database, write_session
from tracker.tasks import workflow
from tracker.tasks.evidence import store_evidence
from tracker.tasks.extensions import request_extension
from ui.text import escape

# The attack of issue 17: a fake "session expired" link, an outside image, raw HTML, bare URLs.
HOSTILE = (
    "**DAM**[Phiên hết hạn - đăng nhập lại](http://evil.example/x) ![x](http://evil.example/i.png) "
    "<img src=x onerror=alert(1)> <a href='http://evil.example'>y</a> www.evil.example https://evil.example/z"
)
# Usernames hold no spaces, codes at most 50 characters.
HOSTILE_WORD = "**DAM**[x](http://evil.example/u)<b>y</b>"
HOSTILE_CODE = "[DAM](http://e.example)"
HOSTILE_FILE = "**DAM**[x](javascript:alert(1))<img src=x onerror=alert(1)>.pdf"
# Every parameter a page reads from the address.
PARAMS = (
    "task",
    "as_of",
    "plan",
    "lead",
    "unit",
    "q",
    "section",
    "coord",
    "from",
    "to",
    "period",
    "scope",
    "format",
)
# Each hostile value holds one of these, whatever escaping did to the rest.
_MARKERS = ("DAM", "evil")
_MARKDOWN = MarkdownIt("gfm-like")
_RENDERED_FIELDS = {"body", "label", "help", "placeholder", "caption"}
# Rendered as Markdown in these elements only (a select box's options are plain text).
_RENDERED_IN = {"Radio": {"options", "captions"}, "ButtonGroup.Option": {"content"}}
_ACTIVE = {"link_open", "image", "html_inline", "html_block"}


def _tokens(tokens: list[Token]) -> Iterator[Token]:
    for token in tokens:
        yield token
        yield from _tokens(token.children or [])


def active_markup(text: str) -> set[str]:
    """The links, images and HTML that TEXT holds as Markdown."""
    return {token.type for token in _tokens(_MARKDOWN.parse(text)) if token.type in _ACTIVE}


def _strings(message: Message) -> Iterator[str]:
    fields = _RENDERED_FIELDS | _RENDERED_IN.get(message.DESCRIPTOR.full_name, set())
    for field, value in message.ListFields():
        single = isinstance(value, (str, bytes, int, float, Message))
        values = [value] if single else list(value)
        for item in values:
            if isinstance(item, Message):
                yield from _strings(item)
            elif isinstance(item, str) and field.name in fields:
                yield item


def _nodes(node: Any) -> Iterator[Any]:
    yield node
    for child in getattr(node, "children", {}).values():
        yield from _nodes(child)


def rendered(at: AppTest) -> list[str]:
    """Every text of the run that Streamlit renders as Markdown."""
    texts: list[str] = []
    # The whole tree: the main area, the sidebar and the events block that holds toasts.
    for node in _nodes(at._tree):
        proto = getattr(node, "proto", None)
        if isinstance(proto, Message):
            texts.extend(_strings(proto))
    return texts


def planted(at: AppTest) -> dict[str, set[str]]:
    """The rendered texts that carry hostile text and turned it into links, images or HTML. Texts
    without it are the app's own (its st.html styles, for one) and are left alone."""
    return {
        text: found
        for text in rendered(at)
        if any(marker in text for marker in _MARKERS) and (found := active_markup(text))
    }


def test_the_check_sees_the_attack_and_the_escape_defeats_it() -> None:
    assert active_markup(HOSTILE) == _ACTIVE - {"html_block"}
    assert active_markup(escape(HOSTILE)) == set()
    assert active_markup(escape(HOSTILE_WORD)) == active_markup(escape(HOSTILE_CODE)) == set()


def _hostile_choices() -> None:
    # Run by AppTest from its source alone: it imports what it uses.
    import streamlit as st

    hostile = "**DAM**[x](http://evil.example/r)"
    st.radio("Chọn", [hostile], captions=[hostile])
    st.pills("Chọn", [hostile])
    st.selectbox("Chọn", [hostile])


def test_the_walk_sees_the_choices_streamlit_renders_as_markdown() -> None:
    at = AppTest.from_function(_hostile_choices).run()
    # The radio's option and caption and the pill; not the select box, whose options are plain text.
    seen = [text for text in rendered(at) if "DAM" in text]
    assert len(seen) == 3
    assert planted(at) == {"**DAM**[x](http://evil.example/r)": {"link_open"}}


def seed_hostile(engine: Engine) -> tuple[User, User, int]:
    """Hostile names everywhere a user or a file can put one; the secretariat, a unit user, the task."""
    plan = make_plan(engine, HOSTILE_WORD, title=HOSTILE)
    unit = make_unit(engine, HOSTILE, short_name=HOSTILE_WORD)
    day = today()
    task = make_task(
        engine,
        plan,
        unit,
        code=HOSTILE_CODE,
        deadline=day + timedelta(days=3),
        title=HOSTILE,
        output=HOSTILE,
        section_code="I",
        section_title=HOSTILE,
        group_title=HOSTILE,
        coordinators=(make_unit(engine, HOSTILE + " phối hợp"),),
    )
    late = make_task(engine, plan, unit, code="I.2", deadline=day - timedelta(days=5), title=HOSTILE)
    reporter = make_user(engine, Role.unit, unit, username=HOSTILE_WORD)
    secretariat = make_user(engine, Role.secretariat, username="van_phong")
    with write_session(engine) as session:
        for user in (reporter, secretariat):
            user.display_name, user.email = HOSTILE, None
            session.add(user)
        workflow.report_done(
            session,
            by=reporter,
            task_id=int(task.id or 0),
            seen_version=1,
            completed_on=day,
            note=HOSTILE,
            evidence_reference=HOSTILE,
        )
        request_extension(
            session,
            by=reporter,
            task_id=int(late.id or 0),
            requested_deadline=day + timedelta(days=60),
            reason=HOSTILE,
        )
        # A file name keeps its last part only: one without a slash stays hostile whole.
        store_evidence(
            session, by=reporter, task_id=int(task.id or 0), file_name=HOSTILE_FILE, data=b"%PDF-1.4"
        )
    # Indicators named by an annex, led by the hostile unit.
    indicators = [["", "Đến năm 2030"], [1, HOSTILE, HOSTILE_WORD, "≥ 80", HOSTILE]]
    run_import(engine, xlsx(indicator_annex(indicators)), skip_errors=True)
    return secretariat, reporter, int(task.id or 0)


@pytest.fixture
def hostile(app_url: str) -> tuple[User, User, int]:
    return seed_hostile(open_database(app_url))


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("query", ["address", "stored"])
def test_no_page_renders_a_link_image_or_html_from_user_text(
    hostile: tuple[User, User, int], page: str, query: str
) -> None:
    secretariat, reporter, task_id = hostile
    params = dict.fromkeys(PARAMS, HOSTILE) if query == "address" else {"task": str(task_id)}
    for user in (secretariat, reporter):
        at = page_as(user, page, query=params).run()
        assert not at.exception, at.exception
        assert planted(at) == {}


def test_the_default_page_and_the_sidebar_show_hostile_names_as_text(hostile: tuple[User, User, int]) -> None:
    # Reached by switch_page, AppTest drops the sidebar that dashboard.py draws: run it as opened.
    for user in hostile[:2]:
        at = dashboard()
        at.session_state["user_id"] = user.id
        at.query_params.update(dict.fromkeys(PARAMS, HOSTILE))
        at.run()
        assert not at.exception, at.exception
        assert any("DAM" in text for text in rendered(at))
        assert planted(at) == {}


def test_errors_and_toasts_that_repeat_what_was_typed_show_it_as_text(
    hostile: tuple[User, User, int],
) -> None:
    secretariat, _, _ = hostile
    at = page_as(secretariat, "pages/admin.py").run()
    for username, shows in ((HOSTILE, "error"), (HOSTILE_WORD.replace("**DAM**", "**DAM2**"), "toast")):
        at.text_input(key="new_account:username").input(username)
        at.selectbox(key="new_account:role").set_value(Role.committee)
        at.text_input(key="new_account:password").input("mat-khau-moi-123")
        at.text_input(key="new_account:repeat").input("mat-khau-moi-123")
        next(button for button in at.form_submit_button if button.form_id == "new_account").click().run()
        assert not at.exception, at.exception
        [message] = getattr(at, shows)
        assert "DAM" in message.value and active_markup(message.value) == set()
        assert planted(at) == {}


def test_the_task_address_of_issue_17_shows_its_value_as_text(hostile: tuple[User, User, int]) -> None:
    secretariat, _, _ = hostile
    at = page_as(secretariat, "pages/task.py", query={"task": HOSTILE}).run()
    [error] = at.error
    assert "DAM" in error.value and active_markup(error.value) == set()


def test_an_annex_full_of_hostile_text_is_previewed_and_imported_as_text(app_url: str) -> None:
    engine = open_database(app_url)
    make_unit(engine, "Sở Tài chính")
    annex = "\n".join(
        [
            "STT;Nội dung nhiệm vụ;Cơ quan chủ trì;Cơ quan phối hợp;Thời gian hoàn thành;Sản phẩm",
            f"1;{HOSTILE};{HOSTILE};{HOSTILE_WORD};Quý II/2025;{HOSTILE}",
            f"2;Đào tạo kỹ năng số;Sở Tài chính;;{HOSTILE_WORD};{HOSTILE}",
        ]
    ).encode("utf-8-sig")
    at = page_as(make_user(engine, Role.secretariat), "pages/import_plan.py").run()
    at.file_uploader(key="import:file").set_value((f"{HOSTILE_WORD}.csv", annex, "text/csv")).run()
    assert not at.exception, at.exception
    assert any("DAM" in text for text in rendered(at))
    assert planted(at) == {}
    # A file without a title block names no plan: the secretariat types its number.
    at.text_input(key=next(k for k in at.session_state if str(k).endswith(":plan"))).input("45-KH/UBND").run()
    next(button for button in at.button if button.label == "Nhập").click().run()
    assert not at.exception, at.exception
    assert "2 nhiệm vụ mới" in texts(at)
    assert planted(at) == {}
