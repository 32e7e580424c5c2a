"""The secretariat brings earlier progress in through the import page: preview, then one write."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import Engine
from sqlmodel import col, select
from streamlit.testing.v1 import AppTest

from models import Role, StatusUpdate, Task, TaskStatus
from tests.support.apptest import page_as
from tests.support.factories import make_plan, make_task, make_unit, make_user
from tracker.clock import today
from tracker.db import open_database, read_session

PROGRESS_CSV = "\n".join(
    [
        "STT;Nội dung nhiệm vụ;Kết quả thực hiện;Ngày hoàn thành;Tiến độ (%)",
        "1;Kho dữ liệu;Đã hoàn thành;20/6/2025;",
        "2;Đào tạo;Đang triển khai;;40",
    ]
).encode("utf-8-sig")


@pytest.fixture
def app_engine(app_url: str) -> Engine:
    engine = open_database(app_url)
    plan = make_plan(engine, "45-KH/UBND", issued_on=date(2025, 3, 10))
    unit = make_unit(engine, "Sở Tài chính")
    for code in ("1", "2"):
        make_task(engine, plan, unit, code=code, deadline=date(2025, 6, 30))
    return engine


def upload(engine: Engine, data: bytes) -> AppTest:
    at = page_as(make_user(engine, Role.secretariat), "pages/import_plan.py").run()
    return at.file_uploader(key="progress_import:file").set_value(("theo-doi.csv", data, "text/csv")).run()


def states(engine: Engine) -> list[tuple[str, str, date]]:
    with read_session(engine) as session:
        query = (
            select(Task.code, StatusUpdate.status, StatusUpdate.effective_on)
            .join(Task, col(Task.id) == StatusUpdate.task_id)
            .where(col(StatusUpdate.status).is_not(None))
            .order_by(col(Task.code))
        )
        return [tuple(row) for row in session.exec(query)]  # type: ignore[misc]


def test_a_progress_sheet_is_previewed_then_written_on_the_dates_it_states(app_engine: Engine) -> None:
    at = upload(app_engine, PROGRESS_CSV)
    assert not at.exception
    metrics = {metric.label: metric.value for metric in at.metric}
    assert (metrics["Dòng khớp nhiệm vụ"], metrics["Lỗi"]) == ("2", "0")
    assert states(app_engine) == [], "a preview writes nothing"

    next(button for button in at.button if button.label == "Ghi lịch sử").click().run()

    assert not at.exception
    assert states(app_engine) == [
        ("1", TaskStatus.completed, date(2025, 6, 20)),
        ("2", TaskStatus.in_progress, today()),
    ]


def test_a_sheet_with_a_bad_row_offers_no_write(app_engine: Engine) -> None:
    at = upload(app_engine, PROGRESS_CSV + "\n9;Không có;Đã hoàn thành;1/7/2025;".encode())
    assert next(error.value for error in at.error).startswith("Có 1 dòng lỗi")
    assert "Dòng 4: không có nhiệm vụ mã '9' trong kế hoạch." in at.dataframe[0].value.iloc[:, 2].tolist()
    assert not [button for button in at.button if button.label == "Ghi lịch sử"]
