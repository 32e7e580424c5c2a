"""The indicators page: the table and tiles at D, the drill-down, recording and confirming a value."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine
from sqlmodel import select

from models import Indicator, IndicatorConfirmation, IndicatorValue, Role, Task, Unit, User
from tests.support.annexes import indicator_annex, task_and_indicator_workbook, xlsx
from tests.support.apptest import page_as, shown, texts
from tests.support.factories import make_user
from tests.support.importing import run_import
from tracker.db import open_database, read_session, write_session
from tracker.directory.units import find_unit
from tracker.indicators.values import find_indicator, record_value


@pytest.fixture
def app_engine(app_url: str) -> Engine:
    engine = open_database(app_url)
    run_import(engine, xlsx(indicator_annex()))
    return engine


def _unit(engine: Engine, name: str) -> Unit:
    with read_session(engine) as session:
        unit = find_unit(session, name)
    assert unit is not None
    return unit


def _indicator_id(engine: Engine, code: str) -> int:
    with read_session(engine) as session:
        indicator_id = find_indicator(session, code).id
    assert indicator_id is not None
    return indicator_id


def _record(engine: Engine, user: User, code: str, value: float | bool) -> None:
    with write_session(engine) as session:
        record_value(session, by=user, indicator_id=_indicator_id(engine, code), value=value, period="2025")


def test_the_table_and_tiles_show_the_indicators_at_d(app_engine: Engine) -> None:
    office = make_user(app_engine, Role.secretariat, username="vanphong")
    _record(app_engine, office, "2030.1", 85)
    _record(app_engine, office, "2030.5", 9)
    at = page_as(office, "pages/indicators.py").run()
    assert not at.exception, at.exception
    table = at.dataframe[0].value
    assert list(table["Mã"])[:3] == ["2030.1", "2030.2", "2030.3"]
    assert len(table) == 12
    tiles = {metric.label: metric.value for metric in at.metric}
    assert tiles == {"Đạt": "1", "Đang thực hiện": "1", "Không đạt": "0", "Chưa có số liệu": "10"}


def test_filters_by_status_come_from_the_address(app_engine: Engine) -> None:
    office = make_user(app_engine, Role.secretariat, username="vanphong")
    _record(app_engine, office, "2030.1", 85)
    at = page_as(office, "pages/indicators.py", query={"status": "met"}).run()
    assert list(at.dataframe[0].value["Mã"]) == ["2030.1"]


def test_the_lead_unit_records_a_value_and_the_secretariat_confirms_it(app_engine: Engine) -> None:
    staff = make_user(app_engine, Role.unit, _unit(app_engine, "Sở KH&CN"), username="khcn")
    indicator = str(_indicator_id(app_engine, "2030.1"))
    at = page_as(staff, "pages/indicators.py", query={"indicator": indicator}).run()
    assert not at.exception, at.exception
    at.text_input(key="indicator_value:" + indicator + ":value").input("82,5")
    at.text_input(key="indicator_value:" + indicator + ":period").input("2025")
    next(button for button in at.button if button.label == "Lưu kết quả").click()
    at.run()
    assert not at.exception, at.exception
    with read_session(app_engine) as session:
        assert [row.value for row in session.exec(select(IndicatorValue))] == [82.5]
    office = make_user(app_engine, Role.secretariat, username="vanphong")
    at = page_as(office, "pages/indicators.py", query={"indicator": indicator}).run()
    assert "chờ xác nhận" in texts(at)
    next(b for b in at.button if b.label == "Xác nhận").click()
    at.run()
    assert not at.exception, at.exception
    with read_session(app_engine) as session:
        assert len(list(session.exec(select(IndicatorConfirmation)))) == 1


def test_a_target_in_words_is_assessed_with_a_choice_of_dat_or_chua_dat(app_engine: Engine) -> None:
    staff = make_user(app_engine, Role.unit, _unit(app_engine, "Sở KH&CN"), username="khcn")
    indicator = str(_indicator_id(app_engine, "2045.1"))
    at = page_as(staff, "pages/indicators.py", query={"indicator": indicator}).run()
    assert not at.exception, at.exception
    choice = at.radio(key="indicator_value:" + indicator + ":value")
    assert (choice.options, choice.value) == (["Đạt", "Chưa đạt"], None)
    assert "indicator_value:" + indicator + ":value" not in [box.key for box in at.text_input]
    at.text_input(key="indicator_value:" + indicator + ":period").input("2025")
    save = next(button for button in at.button if button.label == "Lưu kết quả")
    save.click().run()
    assert shown(at.error) == ["Chọn 'Đạt' hoặc 'Chưa đạt' trước khi lưu kết quả."]
    with read_session(app_engine) as session:
        assert list(session.exec(select(IndicatorValue))) == []
    at.radio(key="indicator_value:" + indicator + ":value").set_value(True)
    next(button for button in at.button if button.label == "Lưu kết quả").click().run()
    assert not at.exception, at.exception
    with read_session(app_engine) as session:
        assert [(row.value, row.reached) for row in session.exec(select(IndicatorValue))] == [(None, True)]
    assert "Đạt" in list(at.dataframe[-1].value["Giá trị"])


def test_a_numeric_target_refuses_an_assessment_in_one_line(app_engine: Engine) -> None:
    office = make_user(app_engine, Role.secretariat, username="vanphong")
    indicator = str(_indicator_id(app_engine, "2030.1"))
    at = page_as(office, "pages/indicators.py", query={"indicator": indicator}).run()
    at.text_input(key="indicator_value:" + indicator + ":value").input("Đã đạt")
    at.text_input(key="indicator_value:" + indicator + ":period").input("2025")
    next(button for button in at.button if button.label == "Lưu kết quả").click().run()
    assert not at.exception, at.exception
    refusal = "Chỉ tiêu 2030.1 có mục tiêu bằng số (≥ 80): kết quả là một số, không phải 'Đã đạt'."
    assert shown(at.error) == [refusal]
    with read_session(app_engine) as session:
        assert list(session.exec(select(IndicatorValue))) == []


def test_another_units_staff_sees_no_form(app_engine: Engine) -> None:
    staff = make_user(app_engine, Role.unit, _unit(app_engine, "Sở Tài chính"), username="taichinh")
    indicator = str(_indicator_id(app_engine, "2030.1"))
    at = page_as(staff, "pages/indicators.py", query={"indicator": indicator}).run()
    assert not at.exception, at.exception
    assert "Lưu kết quả" not in [button.label for button in at.button]
    assert "2030.1. Tỷ lệ người dân sử dụng dịch vụ công trực tuyến" in texts(at)


def test_the_overview_gets_indicator_tiles(app_url: str) -> None:
    engine = open_database(app_url)
    run_import(engine, task_and_indicator_workbook())
    office = make_user(engine, Role.secretariat, username="vanphong")
    at = page_as(office, "pages/overview.py").run()
    assert not at.exception, at.exception
    assert "Chỉ tiêu" in [subheader.value for subheader in at.subheader]
    assert {metric.label for metric in at.metric} >= {"Đạt", "Không đạt", "Chưa có số liệu"}


def test_the_import_page_imports_the_task_and_the_indicator_sheet(app_url: str) -> None:
    engine = open_database(app_url)
    at = page_as(make_user(engine, Role.secretariat), "pages/import_plan.py").run()
    xlsx_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    at.file_uploader(key="import:file").set_value(("ke-hoach.xlsx", task_and_indicator_workbook(), xlsx_type))
    at.run()
    assert not at.exception, at.exception
    assert "Bảng chỉ tiêu" in [subheader.value for subheader in at.subheader]
    assert "Chỉ tiêu: 12 mới, 0 cập nhật, 0 không đổi" in texts(at)
    next(button for button in at.button if button.label == "Nhập").click().run()
    assert not at.exception, at.exception
    with read_session(engine) as session:
        assert len(list(session.exec(select(Indicator)))) == 12
        assert len(list(session.exec(select(Task)))) == 4


def test_the_secretariat_confirms_a_value_from_its_queue(app_engine: Engine) -> None:
    staff = make_user(app_engine, Role.unit, _unit(app_engine, "Sở KH&CN"), username="khcn")
    _record(app_engine, staff, "2030.6.1", 97)
    office = make_user(app_engine, Role.secretariat, username="vanphong")
    at = page_as(office, "pages/queue.py").run()
    assert not at.exception, at.exception
    assert "Kết quả chỉ tiêu chờ xác nhận (1)" in [tab.label for tab in at.tabs]
    assert "2030.6.1. Tỷ lệ hộ gia đình có cáp quang" in texts(at)
    next(button for button in at.button if button.label == "Xác nhận").click().run()
    assert not at.exception, at.exception
    assert "Không có kết quả chỉ tiêu nào chờ xác nhận." in texts(at)
