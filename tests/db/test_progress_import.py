"""Bringing the past in: a progress sheet becomes backdated history, all rows or none."""

import json
from datetime import date, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import col, select

from models import Evidence, HistoryKind, Plan, Role, StatusUpdate, Task, TaskStatus, Unit
from tests.support.annexes import csv_text, xlsx
from tests.support.factories import add_state, make_plan, make_task, make_unit, make_user, run_cli
from tests.support.importing import row_counts
from tracker.db import read_session

pytestmark = pytest.mark.usefixtures("cheap_hashing")

HEADER = [
    "STT",
    "Nội dung nhiệm vụ",
    "Kết quả thực hiện",
    "Ngày hoàn thành",
    "Tiến độ (%)",
    "Ghi chú",
    "Số văn bản",
]


def progress_sheet(rows: list[list[object]]) -> list[list[object]]:
    """A tracking sheet as a secretariat keeps it: a title, the header, the rows."""
    return [["BẢNG THEO DÕI TIẾN ĐỘ THỰC HIỆN KẾ HOẠCH 12-KH/UBND"], [], HEADER, *rows]


@pytest.fixture
def plan(engine: Engine) -> tuple[Plan, Unit, dict[str, Task]]:
    plan = make_plan(engine, "12-KH/UBND", issued_on=date(2025, 3, 10))
    unit = make_unit(engine, "Sở Khoa học và Công nghệ")
    tasks = {
        code: make_task(engine, plan, unit, code=code, title=title, deadline=date(2025, 6, 30))
        for code, title in (
            ("I.1", "Ban hành quy chế quản lý dữ liệu"),
            ("I.2", "Rà soát thủ tục hành chính"),
            ("II.1", "Phủ sóng 5G toàn tỉnh"),
        )
    }
    make_user(engine, Role.secretariat, username="vanphong")
    make_user(engine, Role.unit, unit, username="canbo")
    return plan, unit, tasks


def history(engine: Engine, task: Task) -> list[StatusUpdate]:
    with read_session(engine) as session:
        query = select(StatusUpdate).where(StatusUpdate.task_id == task.id).order_by(col(StatusUpdate.id))
        return list(session.exec(query))


def current(engine: Engine, task: Task) -> Task:
    with read_session(engine) as session:
        found = session.get(Task, task.id)
        assert found is not None
        return found


def test_a_tracking_sheet_becomes_history_effective_when_things_happened(
    engine: Engine,
    database_url: str,
    plan: tuple[Plan, Unit, dict[str, Task]],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    _, _, tasks = plan
    sheet = tmp_path / "theo-doi.xlsx"
    rows: list[list[object]] = [
        ["I.1", "Ban hành quy chế", "Đã hoàn thành", datetime(2025, 6, 20), 100, "", "15/QĐ-UBND"],
        ["I.2", "Rà soát", "Đang triển khai", "", "40%", "Đang lấy ý kiến", ""],
        [
            "II.1",
            "Phủ sóng 5G",
            "Hoàn thành quá hạn (Quyết định số 7/QĐ-STTTT ngày 15/7/2025)",
            "",
            "",
            "",
            "",
        ],
    ]
    sheet.write_bytes(xlsx(progress_sheet(rows)))

    code, out, err = run_cli(
        database_url,
        capsys,
        "progress-import",
        str(sheet),
        "--by",
        "vanphong",
        "--on",
        "2025-09-30",
        "--json",
    )

    assert (code, err) == (0, "")
    summary = json.loads(out)
    assert summary["written"] == 3 and summary["errors"] == []
    assert [(row["code"], row["status"], row["effective_on"]) for row in summary["rows"]] == [
        ("I.1", "completed", "2025-06-20"),
        ("I.2", "in_progress", "2025-09-30"),
        ("II.1", "completed", "2025-07-15"),
    ]
    done = history(engine, tasks["I.1"])[-1]
    assert (done.kind, done.status, done.completed_on, done.effective_on) == (
        HistoryKind.status,
        TaskStatus.completed,
        date(2025, 6, 20),
        date(2025, 6, 20),
    )
    assert done.recorded_at.date() > done.effective_on, "recorded now, effective in the past"
    assert "theo-doi.xlsx, dòng 4" in done.note and "15/QĐ-UBND" in done.evidence
    ongoing = current(engine, tasks["I.2"])
    assert (ongoing.status, ongoing.progress) == (TaskStatus.in_progress, 40)
    assert "Đang lấy ý kiến" in history(engine, tasks["I.2"])[-1].note
    with read_session(engine) as session:
        kept = list(session.exec(select(Evidence).where(Evidence.task_id == tasks["II.1"].id)))
    assert [evidence.file_name for evidence in kept] == ["theo-doi.xlsx"]


def test_a_csv_without_codes_is_matched_by_title(
    engine: Engine,
    database_url: str,
    plan: tuple[Plan, Unit, dict[str, Task]],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    _, _, tasks = plan
    sheet = tmp_path / "bao-cao-ky-truoc.csv"
    rows = [
        ["Nội dung nhiệm vụ", "Tình hình thực hiện", "Ghi chú"],
        ["Rà soát thủ tục hành chính", "Chưa thực hiện", "Chờ hướng dẫn"],
        ["PHỦ SÓNG 5G TOÀN TỈNH", "Đang thực hiện", ""],
    ]
    sheet.write_text(csv_text(rows), encoding="utf-8")

    code, out, _ = run_cli(
        database_url,
        capsys,
        "progress-import",
        str(sheet),
        "--by",
        "vanphong",
        "--on",
        "2025-08-31",
        "--json",
    )

    assert code == 0
    assert [(row["code"], row["status"]) for row in json.loads(out)["rows"]] == [
        ("I.2", "not_started"),
        ("II.1", "in_progress"),
    ]
    assert history(engine, tasks["II.1"])[-1].effective_on == date(2025, 8, 31)


def test_bad_rows_are_named_by_row_and_column_and_nothing_is_written(
    engine: Engine,
    database_url: str,
    plan: tuple[Plan, Unit, dict[str, Task]],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    sheet = tmp_path / "loi.xlsx"
    rows: list[list[object]] = [
        ["I.1", "", "Đã hoàn thành", datetime(2025, 6, 20), "", "", ""],
        ["IX.9", "", "Đã hoàn thành", datetime(2025, 6, 20), "", "", ""],
        ["I.2", "", "Làm được một nửa", "", "", "", ""],
        ["II.1", "", "Đã hoàn thành", "", "", "", ""],
    ]
    sheet.write_bytes(xlsx(progress_sheet(rows)))
    before = row_counts(engine)

    code, out, err = run_cli(
        database_url, capsys, "progress-import", str(sheet), "--by", "vanphong", "--on", "2025-09-30"
    )

    assert code != 0 and out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Lỗi: Bảng tiến độ có 3 dòng lỗi nên chưa ghi gì")
    assert "Dòng 5: không có nhiệm vụ mã 'IX.9'" in lines[0]
    assert "Dòng 6, cột 'Kết quả thực hiện': không hiểu trạng thái 'Làm được một nửa'" in lines[0]
    assert "Dòng 7, cột 'Ngày hoàn thành': nhiệm vụ đã hoàn thành nhưng thiếu ngày hoàn thành" in lines[0]
    assert row_counts(engine) == before

    code, out, _ = run_cli(
        database_url, capsys, "progress-import", str(sheet), "--by", "vanphong", "--dry-run", "--json"
    )
    summary = json.loads(out)
    assert code == 0 and summary["written"] == 0
    assert [(e["row"], e["column"]) for e in summary["errors"]] == [
        (5, "STT"),
        (6, "Kết quả thực hiện"),
        (7, "Ngày hoàn thành"),
    ]
    assert row_counts(engine) == before


@pytest.mark.parametrize(
    ("cells", "message"),
    [
        (["Đang triển khai", "", "140"], "tiến độ '140' không hợp lệ"),
        (["Đang triển khai", "", 100], "tiến độ 100% nhưng trạng thái chưa hoàn thành"),
        (["Đã hoàn thành", "Thường xuyên", ""], "không đọc được ngày hoàn thành 'Thường xuyên'"),
        (["Đã hoàn thành", datetime(2025, 10, 5), ""], "05/10/2025 không hợp lệ"),
    ],
)
def test_each_cell_is_checked(
    engine: Engine,
    database_url: str,
    plan: tuple[Plan, Unit, dict[str, Task]],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    cells: list[object],
    message: str,
) -> None:
    status, completed_on, progress = cells
    sheet = tmp_path / "o.xlsx"
    sheet.write_bytes(xlsx(progress_sheet([["I.1", "", status, completed_on, progress, "", ""]])))

    code, _, err = run_cli(
        database_url, capsys, "progress-import", str(sheet), "--by", "vanphong", "--on", "2025-09-30"
    )

    assert code != 0 and message in err


def test_an_entry_older_than_the_tasks_state_fills_in_the_past_only(
    engine: Engine,
    database_url: str,
    plan: tuple[Plan, Unit, dict[str, Task]],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    _, _, tasks = plan
    task = tasks["I.2"]
    add_state(engine, task, TaskStatus.in_progress, date(2025, 10, 1), progress=70)
    with read_session(engine) as session:
        stored = session.get(Task, task.id)
        assert stored is not None
        stored_state = (stored.status, stored.progress, stored.version)
    sheet = tmp_path / "cu.xlsx"
    sheet.write_bytes(xlsx(progress_sheet([["I.2", "", "Đang triển khai", "", 30, "", ""]])))

    code, _, _ = run_cli(
        database_url, capsys, "progress-import", str(sheet), "--by", "vanphong", "--on", "2025-08-31"
    )

    assert code == 0
    latest = current(engine, task)
    assert (latest.status, latest.progress, latest.version) == stored_state
    past = history(engine, task)[-1]
    assert (past.progress, past.effective_on) == (30, date(2025, 8, 31))


def test_only_the_secretariat_brings_progress_in(
    engine: Engine,
    database_url: str,
    plan: tuple[Plan, Unit, dict[str, Task]],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    sheet = tmp_path / "p.xlsx"
    sheet.write_bytes(xlsx(progress_sheet([["I.2", "", "Đang triển khai", "", 30, "", ""]])))
    before = row_counts(engine)

    code, _, err = run_cli(database_url, capsys, "progress-import", str(sheet), "--by", "canbo")

    assert code != 0 and err.startswith("Lỗi: ")
    assert row_counts(engine) == before


def test_a_sheet_without_a_status_column_is_refused_plainly(
    engine: Engine,
    database_url: str,
    plan: tuple[Plan, Unit, dict[str, Task]],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    sheet = tmp_path / "khong-phai.xlsx"
    sheet.write_bytes(xlsx([["STT", "Nội dung nhiệm vụ", "Cơ quan chủ trì"], ["1", "Việc", "Sở"]]))

    code, _, err = run_cli(database_url, capsys, "progress-import", str(sheet), "--by", "vanphong")

    assert code != 0 and "Không tìm thấy bảng tiến độ trong tệp 'khong-phai.xlsx'" in err
