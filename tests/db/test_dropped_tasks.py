"""Tasks a revision of the annex no longer lists: out of the plan from that revision, counted
apart (not_in_plan), waiting in the secretariat's queue to be cancelled or kept; never deleted."""

from __future__ import annotations

import json
import time
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import select

from models import HistoryKind, Plan, Role, StatusUpdate, Task, TaskStatus, Unit, User
from tests.db.test_reports import docx_text, sheet_rows
from tests.support.annexes import SMALL_TASKS, Row, annex, xlsx
from tests.support.factories import make_user, run_cli
from tests.support.importing import preview, run_import
from tracker.clock import now, today
from tracker.db import read_session, write_session
from tracker.errors import InvalidValue, PermissionDenied, StaleVersion
from tracker.reports.content import build_report
from tracker.reports.docx import write_docx
from tracker.reports.issued import task_classes
from tracker.reports.xlsx import write_xlsx
from tracker.tasks.workflow import cancel_task, keep_in_plan
from tracker.views.queues import dropped_tasks

# SMALL_TASKS without II.2 ("Trung tâm dữ liệu tỉnh").
REVISED: list[Row] = [row for row in SMALL_TASKS if row[1] != "Trung tâm dữ liệu tỉnh"]


def tasks(engine: Engine) -> dict[str, Task]:
    with read_session(engine) as session:
        return {task.code: task for task in session.exec(select(Task).join(Plan))}


def kinds(engine: Engine, task: Task) -> list[str]:
    with read_session(engine) as session:
        query = select(StatusUpdate).where(StatusUpdate.task_id == task.id).order_by(StatusUpdate.id)  # type: ignore[arg-type]
        return [row.kind for row in session.exec(query)]


def last_row(engine: Engine, task: Task) -> StatusUpdate:
    with read_session(engine) as session:
        query = select(StatusUpdate).where(StatusUpdate.task_id == task.id).order_by(StatusUpdate.id.desc())  # type: ignore[union-attr]
        found = session.exec(query).first()
    assert found is not None
    return found


def lead_unit(engine: Engine) -> Unit:
    """The unit leading II.2."""
    with read_session(engine) as session:
        found = session.exec(select(Unit).where(Unit.name == "Sở Tài chính")).one()
    return found


def report(database_url: str, capsys: pytest.CaptureFixture[str], *args: str) -> dict[str, object]:
    code, out, err = run_cli(database_url, capsys, "report", "--json", *args)
    assert code == 0, err
    found: dict[str, object] = json.loads(out)
    return found


@pytest.fixture
def secretariat(engine: Engine) -> User:
    return make_user(engine, Role.secretariat, username="totgv")


@pytest.fixture
def dropped(engine: Engine) -> Task:
    """II.2 of SMALL_TASKS, dropped today by a revision."""
    run_import(engine, xlsx(annex(SMALL_TASKS)))
    run_import(engine, xlsx(annex(REVISED)))
    return tasks(engine)["II.2"]


def test_the_preview_names_the_tasks_a_revision_drops(engine: Engine) -> None:
    run_import(engine, xlsx(annex(SMALL_TASKS)))
    found = preview(engine, xlsx(annex(REVISED)))
    assert (found.missing, found.dropped) == (["II.2"], ["II.2"])
    changes = found.changes_frame()
    assert changes[["action", "code", "title"]].values.tolist() == [
        ["dropped", "II.2", "Trung tâm dữ liệu tỉnh"]
    ]


def test_a_revision_drops_a_task_it_no_longer_lists_and_deletes_nothing(
    engine: Engine, database_url: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    run_import(engine, xlsx(annex(SMALL_TASKS)))
    before = tasks(engine)
    revised = tmp_path / "phu-luc-sua-doi.xlsx"
    revised.write_bytes(xlsx(annex(REVISED)))
    code, out, _ = run_cli(database_url, capsys, "import", str(revised), "--json")
    result = json.loads(out)
    assert code == 0
    assert (result["missing"], result["dropped"]) == (["II.2"], ["II.2"])
    after = tasks(engine)
    assert set(after) == set(before)
    task = after["II.2"]
    assert (task.missing_since, task.version) == (today(), before["II.2"].version + 1)
    row = last_row(engine, task)
    assert (row.kind, row.effective_on, row.status) == (HistoryKind.dropped, today(), None)
    assert "không còn nhiệm vụ này" in row.note
    assert all(after[code].missing_since is None for code in after if code != "II.2")
    listed = {
        entry["code"]: entry["missing_since"]
        for entry in json.loads(run_cli(database_url, capsys, "tasks", "--json")[1])
    }
    assert listed == {"I.1": None, "I.2": None, "II.1": None, "II.2": today().isoformat()}


def test_a_second_revision_without_the_task_does_not_drop_it_again(engine: Engine, dropped: Task) -> None:
    result = run_import(engine, xlsx(annex(REVISED)))
    assert (result.missing, result.dropped) == (["II.2"], [])
    task = tasks(engine)["II.2"]
    assert (task.missing_since, task.version) == (dropped.missing_since, dropped.version)
    assert kinds(engine, task).count(HistoryKind.dropped) == 1


def test_a_task_listed_again_is_back_in_the_plan(engine: Engine, dropped: Task) -> None:
    result = run_import(engine, xlsx(annex(SMALL_TASKS)))
    assert (result.missing, result.dropped) == ([], [])
    task = tasks(engine)["II.2"]
    assert (task.missing_since, task.version) == (None, dropped.version + 1)
    row = last_row(engine, task)
    assert (row.kind, row.effective_on) == (HistoryKind.relisted, today())
    # Both rows take effect today: the last recorded says where the task stands.
    assert kinds(engine, task)[-2:] == [HistoryKind.dropped, HistoryKind.relisted]


def test_not_in_plan_is_counted_apart_from_the_day_of_the_revision(
    engine: Engine, database_url: str, capsys: pytest.CaptureFixture[str], dropped: Task
) -> None:
    yesterday = (today() - timedelta(days=1)).isoformat()
    before = report(database_url, capsys, "--as-of", yesterday)
    after = report(database_url, capsys, "--as-of", today().isoformat())
    assert (before["total"], before["not_in_plan"], before["cancelled"]) == (4, 0, 0)
    assert (after["total"], after["not_in_plan"], after["cancelled"]) == (3, 1, 0)
    for figures in (before, after):
        counts = figures["counts"]
        assert isinstance(counts, dict)
        assert sum(counts.values()) == figures["total"]
    # II.2 is a recurring task ("Thường xuyên"): it leaves that class.
    assert isinstance(before["counts"], dict) and isinstance(after["counts"], dict)
    assert after["counts"]["recurring"] == before["counts"]["recurring"] - 1
    units = after["units"]
    assert isinstance(units, list)
    # Its lead unit counts no task of its own any more.
    finance = next(unit for unit in units if unit["unit"] == "Sở Tài chính")
    assert (finance["total"], sum(finance["counts"].values())) == (0, 0)


def test_a_report_known_before_the_revision_still_counts_the_task(
    engine: Engine, database_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    run_import(engine, xlsx(annex(SMALL_TASKS)))
    # Recorded times have whole seconds: the revision is recorded after the cut-off.
    known_on = now()
    time.sleep(1.1)
    run_import(engine, xlsx(annex(REVISED)))
    as_of = today().isoformat()
    then = report(database_url, capsys, "--as-of", as_of, "--known-on", known_on.isoformat(sep=" "))
    assert (then["total"], then["not_in_plan"]) == (4, 0)
    assert report(database_url, capsys, "--as-of", as_of)["not_in_plan"] == 1


def test_the_secretariat_keeps_a_dropped_task_from_its_queue(
    engine: Engine, database_url: str, capsys: pytest.CaptureFixture[str], dropped: Task, secretariat: User
) -> None:
    with read_session(engine) as session:
        waiting = dropped_tasks(session)
    assert [(item.code, item.missing_since, item.version) for item in waiting] == [
        ("II.2", today(), dropped.version)
    ]
    assert dropped.id is not None
    with write_session(engine) as session:
        keep_in_plan(
            session, by=secretariat, task_id=dropped.id, seen_version=dropped.version, note="Vẫn làm"
        )
    task = tasks(engine)["II.2"]
    assert (task.missing_since, task.version, task.status) == (
        None,
        dropped.version + 1,
        TaskStatus.not_started,
    )
    row = last_row(engine, task)
    assert (row.kind, row.user_id, row.note) == (HistoryKind.kept, secretariat.id, "Vẫn làm")
    assert (row.field, row.old_value) == ("missing_since", today().isoformat())
    with read_session(engine) as session:
        assert dropped_tasks(session) == []
    figures = report(database_url, capsys, "--as-of", today().isoformat())
    assert (figures["total"], figures["not_in_plan"]) == (4, 0)
    # Kept: a later revision that still leaves it out does not drop it again...
    assert run_import(engine, xlsx(annex(REVISED))).dropped == []
    assert tasks(engine)["II.2"].missing_since is None
    # ...until a revision lists it again and a later one leaves it out once more.
    run_import(engine, xlsx(annex(SMALL_TASKS)))
    assert last_row(engine, task).kind == HistoryKind.relisted
    assert run_import(engine, xlsx(annex(REVISED))).dropped == ["II.2"]


def test_the_secretariat_cancels_a_dropped_task_from_its_queue(
    engine: Engine, database_url: str, capsys: pytest.CaptureFixture[str], dropped: Task, secretariat: User
) -> None:
    assert dropped.id is not None
    with write_session(engine) as session, pytest.raises(InvalidValue, match="lý do hủy"):
        cancel_task(session, by=secretariat, task_id=dropped.id, seen_version=dropped.version, reason=" ")
    with write_session(engine) as session:
        cancel_task(
            session,
            by=secretariat,
            task_id=dropped.id,
            seen_version=dropped.version,
            reason="Bỏ khỏi kế hoạch",
        )
    task = tasks(engine)["II.2"]
    assert (task.status, task.missing_since) == (TaskStatus.cancelled, today())
    row = last_row(engine, task)
    assert (row.kind, row.status, row.note) == (HistoryKind.status, TaskStatus.cancelled, "Bỏ khỏi kế hoạch")
    with read_session(engine) as session:
        assert dropped_tasks(session) == []
    figures = report(database_url, capsys, "--as-of", today().isoformat())
    assert (figures["total"], figures["not_in_plan"], figures["cancelled"]) == (3, 0, 1)


@pytest.mark.parametrize("role", [Role.unit, Role.committee])
def test_only_the_secretariat_keeps_a_task_in_the_plan(engine: Engine, dropped: Task, role: Role) -> None:
    user = make_user(engine, role, lead_unit(engine) if role == Role.unit else None)
    assert dropped.id is not None
    with write_session(engine) as session, pytest.raises(PermissionDenied, match="giữ trong kế hoạch"):
        keep_in_plan(session, by=user, task_id=dropped.id, seen_version=dropped.version)
    assert tasks(engine)["II.2"].missing_since == today()


def test_keeping_checks_the_version_seen_and_that_the_task_is_out_of_the_plan(
    engine: Engine, dropped: Task, secretariat: User
) -> None:
    assert dropped.id is not None
    with write_session(engine) as session, pytest.raises(StaleVersion):
        keep_in_plan(session, by=secretariat, task_id=dropped.id, seen_version=dropped.version - 1)
    listed = tasks(engine)["I.1"]
    assert listed.id is not None
    with write_session(engine) as session, pytest.raises(InvalidValue, match="vẫn có trong kế hoạch"):
        keep_in_plan(session, by=secretariat, task_id=listed.id, seen_version=listed.version)


def test_keep_from_the_command_line(
    database_url: str, capsys: pytest.CaptureFixture[str], engine: Engine, dropped: Task, secretariat: User
) -> None:
    code, _, err = run_cli(database_url, capsys, "keep", "I.1", "--by", "totgv")
    assert code == 1
    assert err.count("\n") == 1 and err.startswith("Lỗi: Nhiệm vụ I.1 vẫn có trong kế hoạch")
    make_user(engine, Role.unit, lead_unit(engine), username="sotc")
    code, _, err = run_cli(database_url, capsys, "keep", "II.2", "--by", "sotc")
    assert code == 1
    assert err.count("\n") == 1 and "không được phép giữ trong kế hoạch nhiệm vụ II.2" in err
    code, out, _ = run_cli(database_url, capsys, "keep", "II.2", "--by", "totgv", "--note", "Vẫn làm")
    assert (code, out) == (0, "Nhiệm vụ II.2: giữ trong kế hoạch.\n")
    assert tasks(engine)["II.2"].missing_since is None


def test_the_written_reports_count_the_task_apart_in_their_summary(engine: Engine, dropped: Task) -> None:
    with read_session(engine) as session:
        made = build_report(session, as_of=today(), due_soon_days=7)
    xlsx_summary = {row[0]: row[1:] for row in sheet_rows(write_xlsx(made), "Tổng hợp")}
    assert xlsx_summary["Tổng số nhiệm vụ"][0] == 3
    assert xlsx_summary["Không còn trong kế hoạch (không tính vào tổng số)"][0] == 1
    _, tables = docx_text(write_docx(made))
    docx_summary = {row[0]: row[1:] for row in tables[1]}
    assert docx_summary["Tổng số nhiệm vụ"][0] == "3"
    assert docx_summary["Không còn trong kế hoạch (không tính vào tổng số)"][0] == "1"
    annex_rows = made.annex.rows.set_index("code")
    assert annex_rows.loc["II.2", "class_label"] == "Không còn trong kế hoạch (không tính)"
    assert task_classes(made)["12-KH/UBND II.2"] == "not_in_plan"
