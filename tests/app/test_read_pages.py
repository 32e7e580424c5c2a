"""The committee's pages (overview, units, task list, reports) driven by AppTest as each role.

Numbers on screen are checked against tracker's own functions on the same
database: the pages must show what the classification says, nothing else.
"""

from __future__ import annotations

import io
import shutil
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import openpyxl
import pandas as pd
import pytest
from sqlalchemy.engine import make_url
from sqlmodel import select
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.testing.v1 import AppTest

from models import Plan, Role, TaskClass, Unit, User
from tests.support.apptest import page_as, shown, texts
from tests.support.factories import make_plan, make_task, make_unit, make_user
from tests.support.world import World, read_world
from tracker import db
from tracker.clock import today
from tracker.config import SAMPLE_PLAN
from tracker.db import open_database, read_session, write_session
from tracker.demo import seed_demo_progress
from tracker.i18n import label
from tracker.importer.apply import apply_import
from tracker.importer.preview import preview_import
from tracker.tasks.permissions import SYSTEM
from tracker.views.breakdowns import unit_table
from tracker.views.classify import CLASSES, summarize
from tracker.views.filters import filter_tasks
from tracker.views.queries import classified_tasks
from ui.navigation import visible_pages

READ_PAGES = ("pages/overview.py", "pages/units.py", "pages/tasks.py", "pages/reports.py")
ROLES = (Role.committee, Role.secretariat, Role.unit)
EMPTY_STATE = "Chưa có nhiệm vụ nào"


def _sample_database(path: Path) -> None:
    """The sample annex with demo progress, a unit account for the unit leading most tasks."""
    url = f"sqlite:///{path}"
    engine = open_database(url)
    make_user(engine, Role.secretariat, username="van_phong")
    make_user(engine, Role.committee, username="lanh_dao")
    with write_session(engine) as session:
        preview = preview_import(session, data=SAMPLE_PLAN.read_bytes(), file_name=SAMPLE_PLAN.name)
        apply_import(session, preview=preview, by=SYSTEM, skip_errors=True)
        plan = session.exec(select(Plan)).one()
        assert plan.id is not None
        seed_demo_progress(session, plan_id=plan.id, today=today())
    with read_session(engine) as session:
        busiest = (
            classified_tasks(session, as_of=today(), due_soon_days=7)["lead_unit_id"].value_counts().index[0]
        )
        unit = session.get(Unit, int(busiest))
    make_user(engine, Role.unit, unit, username="don_vi")
    engine.dispose()
    db.get_engine.cache_clear()
    db._upgraded.discard(url)


@pytest.fixture(scope="module")
def sample_file(tmp_path_factory: pytest.TempPathFactory, sqlite_template: Path) -> Path:
    """Built once per module (importing and seeding take seconds), copied for each test."""
    path = tmp_path_factory.mktemp("sample") / "sample.db"
    shutil.copy(sqlite_template, path)
    _sample_database(path)
    return path


@pytest.fixture
def sample(app_url: str, sample_file: Path) -> World:
    shutil.copy(sample_file, str(make_url(app_url).database))
    return read_world(open_database(app_url))


@pytest.fixture
def empty(app_url: str) -> World:
    engine = open_database(app_url)
    unit = make_unit(engine, "Sở Khoa học và Công nghệ")
    users = {role: make_user(engine, role, unit if role == Role.unit else None) for role in ROLES}
    return World(engine, users)


@pytest.fixture
def downloads(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[Callable[[], Any]]]:
    """The callables behind deferred download buttons, so a test can make the file a click would."""
    made: list[Callable[[], Any]] = []
    register = MediaFileManager.add_deferred

    def remember(self: MediaFileManager, data: Callable[[], Any], *args: Any, **kwargs: Any) -> str:
        made.append(data)
        return register(self, data, *args, **kwargs)

    monkeypatch.setattr(MediaFileManager, "add_deferred", remember)
    yield made


def run(user: User, page: str, **query: str) -> AppTest:
    at = page_as(user, page, query=query).run()
    assert not at.exception, shown(at.exception)
    return at


def may_see(user: User, page: str) -> bool:
    return page in {spec.file for spec in visible_pages(user)}


def metrics(at: AppTest) -> dict[str, str]:
    return {metric.label: metric.value for metric in at.metric}


def percent(rate: float | None) -> str:
    return "—" if rate is None else f"{rate * 100:.1f}%".replace(".", ",")


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("page", READ_PAGES)
def test_each_page_the_role_may_see_runs_with_the_sample_plan(sample: World, role: Role, page: str) -> None:
    user = sample.users[role]
    if not may_see(user, page):
        assert role == Role.unit and page in ("pages/units.py", "pages/reports.py")
        return
    at = run(user, page)
    assert EMPTY_STATE not in texts(at)
    assert at.title, "the page has a heading"


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("page", READ_PAGES)
def test_each_page_has_a_helpful_empty_state(empty: World, role: Role, page: str) -> None:
    user = empty.users[role]
    if not may_see(user, page):
        return
    at = run(user, page)
    assert "Tổ giúp việc nhập phụ lục ở trang Nhập kế hoạch" in texts(at)


def test_overview_tiles_are_the_classification_summary(sample: World) -> None:
    at = run(sample.users[Role.committee], "pages/overview.py")
    summary = summarize(sample.classified())
    shown = metrics(at)
    assert shown["Tổng số nhiệm vụ"] == str(summary.total)
    for name in CLASSES:
        assert shown[label(name)] == str(summary.counts[name]), name
    assert shown["Sắp đến hạn"] == str(summary.due_soon)
    assert shown["Chờ xác nhận"] == str(summary.awaiting_confirmation)
    assert shown["Tỷ lệ hoàn thành"] == percent(summary.completion_rate)
    assert shown["Tỷ lệ đúng hạn"] == percent(summary.on_time_rate)
    assert summary.counts[TaskClass.overdue] > 0, "the demo has overdue tasks to show"
    overdue_tab = next(tab for tab in at.tabs if tab.label.startswith("Quá hạn"))
    assert len(overdue_tab.dataframe[0].value) == summary.counts[TaskClass.overdue]


def test_overview_at_a_past_date_from_the_address(sample: World) -> None:
    past = date(today().year, 1, 14)
    at = run(sample.users[Role.committee], "pages/overview.py", as_of=past.isoformat())
    summary = summarize(sample.classified(past))
    assert summary.counts != summarize(sample.classified()).counts, "else the test proves nothing"
    assert metrics(at)["Tổng số nhiệm vụ"] == str(summary.total)
    assert metrics(at)[label(TaskClass.completed_on_time)] == str(summary.counts[TaskClass.completed_on_time])


def test_kpi_change_is_counted_since_the_previous_cut_off(sample: World) -> None:
    as_of = date(today().year, 6, 30)
    at = run(sample.users[Role.committee], "pages/overview.py", as_of=as_of.isoformat(), period="quarter")
    now, before = summarize(sample.classified(as_of)), summarize(sample.classified(date(as_of.year, 6, 14)))
    tile = next(metric for metric in at.metric if metric.label == label(TaskClass.completed_on_time))
    change = now.counts[TaskClass.completed_on_time] - before.counts[TaskClass.completed_on_time]
    assert tile.proto.delta == (f"{change:+d}" if change else "0")
    assert "14/06" in texts(at)


def test_overview_drills_down_to_the_unit_in_the_address(sample: World) -> None:
    unit_id = sample.users[Role.unit].unit_id
    assert unit_id is not None
    at = run(sample.users[Role.committee], "pages/overview.py", unit=str(unit_id))
    expected = filter_tasks(sample.classified(), lead_unit_ids=[unit_id])
    led = at.dataframe[0].value
    assert sorted(led["code"]) == sorted(expected["code"])
    assert at.selectbox(key="filter:vi:unit").value == unit_id


def test_overview_in_english(sample: World) -> None:
    at = page_as(sample.users[Role.committee], "pages/overview.py", lang="en").run()
    assert not at.exception
    assert at.title[0].value == "Overview"
    assert "Completion rate" in metrics(at)
    assert label(TaskClass.overdue, "en") in metrics(at)


def test_units_table_is_unit_table(sample: World) -> None:
    """The ranked table is unit_table's, its rates in per cents (drawn as whole per cents: Streamlit
    would write "33.33%" with a decimal point)."""
    at = run(sample.users[Role.secretariat], "pages/units.py")
    shown = at.dataframe[0].value
    expected = unit_table(sample.classified())
    expected = expected.assign(completion_rate=expected["completion_rate"] * 100)
    columns = ["rank", "lead_unit", "total", *(name.value for name in CLASSES), "completion_rate"]
    pd.testing.assert_frame_equal(
        shown[columns].reset_index(drop=True), expected[columns].reset_index(drop=True), check_dtype=False
    )


def test_search_without_diacritics_finds_the_task(sample: World) -> None:
    at = run(sample.users[Role.committee], "pages/tasks.py")
    at.text_input(key="filter:vi:q").input("chuyen doi so").run()
    assert not at.exception
    found = at.dataframe[0].value
    expected = filter_tasks(sample.classified(), search="chuyển đổi số")
    assert 0 < len(found) < len(sample.classified())
    assert sorted(found["code"]) == sorted(expected["code"])
    assert at.query_params["q"] == "chuyen doi so", "the search is in the address, to share"


def test_task_filters_come_from_the_address(sample: World) -> None:
    unit_id = sample.users[Role.unit].unit_id
    assert unit_id is not None
    at = run(sample.users[Role.committee], "pages/tasks.py", lead=str(unit_id), **{"class": "overdue"})
    expected = filter_tasks(sample.classified(), lead_unit_ids=[unit_id], classes=["overdue"])
    assert sorted(at.dataframe[0].value["code"]) == sorted(expected["code"])


def test_filtered_task_list_downloads_as_xlsx_without_formulas(
    app_url: str, downloads: list[Callable[[], Any]]
) -> None:
    engine = open_database(app_url)
    plan, unit = make_plan(engine, "45-KH/TU"), make_unit(engine, "Sở Nội vụ")
    make_task(engine, plan, unit, code="I.1", title='=HYPERLINK("http://x","y") chuyển đổi số')
    make_task(engine, plan, unit, code="I.2", title="Một nhiệm vụ khác")
    at = run(make_user(engine, Role.committee), "pages/tasks.py", q="chuyen doi")
    assert len(at.dataframe[0].value) == 1
    sheet = openpyxl.load_workbook(io.BytesIO(downloads[-1]())).active
    assert sheet is not None
    rows = list(sheet.iter_rows(min_row=4, values_only=True))
    assert [row[1] for row in rows] == ["I.1"]
    title = sheet.cell(row=4, column=4)
    assert title.data_type == "s" and str(title.value).startswith("=HYPERLINK")


def test_report_download_matches_the_summary(sample: World, downloads: list[Callable[[], Any]]) -> None:
    at = run(sample.users[Role.secretariat], "pages/reports.py", period="custom")
    summary = summarize(sample.classified())
    sheet = openpyxl.load_workbook(io.BytesIO(downloads[-1]()))["Tổng hợp"]
    figures = {row[0]: row[1] for row in sheet.iter_rows(values_only=True) if row and row[0]}
    assert figures["Tổng số nhiệm vụ"] == summary.total
    assert figures[f"– {label(TaskClass.overdue)}"] == summary.counts[TaskClass.overdue]
    assert figures["Đã hoàn thành"] == summary.completed
    assert f"{today():%d/%m/%Y}" in texts(at)


def test_report_for_a_decree_09_month_is_cut_off_on_the_14th(sample: World) -> None:
    at = run(sample.users[Role.committee], "pages/reports.py")
    cut_off = at.selectbox(key="filter:vi:month_period").value
    assert date.fromisoformat(cut_off).day == 14
    first_line = at.table[0].value.iloc[0]
    total = summarize(sample.classified(date.fromisoformat(cut_off))).total
    assert (first_line["Chỉ tiêu"], first_line["Kỳ này"]) == ("Tổng số nhiệm vụ", str(total))


def test_filters_survive_a_language_switch(sample: World) -> None:
    at = run(sample.users[Role.committee], "pages/overview.py")
    at.radio(key="filter:vi:period").set_value("quarter").run()
    at.session_state["lang"] = "en"
    at.run()
    assert not at.exception
    assert at.radio(key="filter:en:period").value == "quarter"
    assert at.query_params["period"] == "quarter"


@pytest.mark.parametrize("page", ("pages/overview.py", "pages/units.py", "pages/tasks.py"))
def test_tables_show_a_dash_not_none_where_a_value_is_missing(sample: World, page: str) -> None:
    # Recurring and undated tasks have no deadline date; Streamlit writes "None" unless told otherwise.
    at = run(sample.users[Role.secretariat], page)
    assert at.dataframe
    assert {table.proto.placeholder for table in at.dataframe} == {"—"}


def test_a_report_table_is_drawn_when_opened(sample: World) -> None:
    at = run(sample.users[Role.secretariat], "pages/reports.py")
    assert not at.dataframe, "closed tables send nothing"
    at.session_state["report_table:Theo đơn vị"] = True
    at.run()
    assert not at.exception, shown(at.exception)
    (table,) = at.dataframe
    assert {"rank", "lead_unit"} <= set(table.value.columns)
