import io
import json
from datetime import timedelta

import pytest
from sqlalchemy import Engine
from sqlmodel import select

from models import HistoryKind, Role, StatusUpdate, Task, TaskStatus, User
from tests.support.factories import make_plan, make_task, make_unit, make_user
from tracker.cli import main
from tracker.clock import today
from tracker.db import read_session
from tracker.directory import auth

HISTORY_KEYS = {"status", "progress", "effective_on", "note", "by", "recorded_at"}


pytestmark = pytest.mark.usefixtures("cheap_hashing")


def run(
    database_url: str, capsys: pytest.CaptureFixture[str], *args: str, stdin: str = ""
) -> tuple[int, str, str]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("sys.stdin", io.StringIO(stdin))
        code = main(["--db", database_url, *args])
    out, err = capsys.readouterr()
    return code, out, err


def refused_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("Lỗi: ")
    return lines[0]


def stored(engine: Engine, task: Task) -> tuple[Task, list[StatusUpdate]]:
    with read_session(engine) as session:
        current = session.get(Task, task.id)
        assert current is not None
        rows = list(session.exec(select(StatusUpdate).where(StatusUpdate.task_id == task.id)))
        return current, rows


def test_the_first_account_is_made_from_the_command_line_and_can_sign_in(
    engine: Engine, database_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(
        database_url,
        capsys,
        "users",
        "add",
        "vanphong",
        "--role",
        "secretariat",
        "--display-name",
        "Văn phòng UBND",
        "--password-stdin",
        stdin="mat-khau-rat-dai\n",
    )
    assert (code, out.strip()) == (0, "Đã tạo tài khoản 'vanphong' (Tổ giúp việc, Văn phòng).")
    user = auth.authenticate(engine, username="vanphong", password="mat-khau-rat-dai", address="192.0.2.10")
    assert (user.role, user.display_name) == (Role.secretariat, "Văn phòng UBND")


def test_a_unit_account_names_its_unit_as_annexes_write_it(
    engine: Engine, database_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    unit = make_unit(engine, "Sở Khoa học và Công nghệ")
    code, _, err = run(
        database_url,
        capsys,
        "users",
        "add",
        "sokhcn",
        "--role",
        "unit",
        "--unit",
        "Sở KH&CN",
        "--password-stdin",
        stdin="mat-khau-rat-dai\n",
    )
    assert code == 0, err
    code, out, _ = run(database_url, capsys, "users", "list", "--json")
    listed = json.loads(out)
    assert [(u["username"], u["role"], u["unit"]) for u in listed] == [("sokhcn", "unit", unit.name)]


REFUSED_ACCOUNTS = [
    (
        ["--role", "unit", "--unit", "Sở Không Tồn Tại", "--password-stdin"],
        "mat-khau-dai\n",
        "Sở Không Tồn Tại",
    ),
    (["--role", "boss", "--password-stdin"], "mat-khau-dai\n", "Vai trò 'boss'"),
    (["--role", "committee", "--password-stdin"], "ngan\n", "ít nhất 8 ký tự"),
    (["--role", "committee"], "", "--password-stdin"),
]


def test_a_refused_account_is_one_line_on_stderr_and_nothing_is_created(
    engine: Engine, database_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    for extra, stdin, message in REFUSED_ACCOUNTS:
        code, _, err = run(database_url, capsys, "users", "add", "moi", *extra, stdin=stdin)
        assert code == 1
        assert message in refused_line(err)
    with read_session(engine) as session:
        assert list(session.exec(select(User))) == []


# Who may set each status from the command line (the task is in progress, or
# reported done for "confirm").
CASES = {
    "in_progress": (TaskStatus.in_progress, ["--progress", "45"], {"secretariat", "lead"}),
    "paused": (TaskStatus.in_progress, ["--note", "Chờ vốn"], {"secretariat", "lead"}),
    "reported_done": (TaskStatus.in_progress, [], {"secretariat", "lead"}),
    "completed": (TaskStatus.in_progress, [], {"secretariat"}),
    "confirm": (TaskStatus.reported_done, [], {"secretariat"}),
    "cancelled": (TaskStatus.in_progress, ["--note", "Trùng"], {"secretariat"}),
}


def test_each_role_sets_only_the_statuses_it_may(
    engine: Engine, database_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    lead = make_unit(engine)
    actors = {
        "secretariat": make_user(engine, Role.secretariat),
        "committee": make_user(engine, Role.committee),
        "lead": make_user(engine, Role.unit, lead),
        "other": make_user(engine, Role.unit, make_unit(engine)),
    }
    plan = make_plan(engine)
    for case, (start, extra, allowed) in CASES.items():
        target = "completed" if case == "confirm" else case
        for role, actor in actors.items():
            task = make_task(engine, plan, lead, code=f"{case}.{role}", status=start)
            code, out, err = run(
                database_url, capsys, "status", task.code, target, "--by", actor.username, *extra
            )
            after, rows = stored(engine, task)
            if role in allowed:
                assert (code, after.status, len(rows)) == (0, target, 1), (case, role, err)
                assert out.startswith(f"Nhiệm vụ {task.code}: ")
                continue
            assert code == 1, (case, role)
            line = refused_line(err)
            assert f"'{actor.username}'" in line and task.code in line
            assert (after.status, after.version, rows) == (start, task.version, [])


def test_completing_a_reported_task_confirms_the_date_the_unit_reported(
    engine: Engine, database_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    unit = make_unit(engine)
    staff, office = (
        make_user(engine, Role.unit, unit, "donvi"),
        make_user(engine, Role.secretariat, None, "vp"),
    )
    task = make_task(engine, make_plan(engine), unit, code="I.2")
    done_on = today() - timedelta(days=5)
    assert (
        run(database_url, capsys, "status", "I.2", "in_progress", "--by", "donvi", "--progress", "30")[0] == 0
    )
    args = ("status", "I.2", "reported_done", "--by", "donvi", "--on", done_on.isoformat(), "--note", "Xong")
    assert run(database_url, capsys, *args)[0] == 0
    assert run(database_url, capsys, "status", "I.2", "completed", "--by", "vp")[0] == 0
    after, _ = stored(engine, task)
    assert (after.status, after.completed_on) == (TaskStatus.completed, done_on)
    code, out, _ = run(database_url, capsys, "history", "I.2", "--json")
    entries = json.loads(out)
    assert code == 0
    assert all(set(entry) >= HISTORY_KEYS for entry in entries)
    assert [(e["kind"], e["status"], e["progress"], e["effective_on"], e["by"]) for e in entries] == [
        (HistoryKind.status, "in_progress", 30, today().isoformat(), staff.display_name),
        (HistoryKind.status, "reported_done", 100, done_on.isoformat(), staff.display_name),
        (HistoryKind.confirmed, "completed", 100, today().isoformat(), office.display_name),
    ]
    assert entries[1]["note"] == "Xong"
    assert entries[0]["recorded_at"] <= entries[2]["recorded_at"]
    code, out, _ = run(database_url, capsys, "history", "I.2")
    assert code == 0 and len(out.strip().splitlines()) == 3


BAD_INPUT = [
    (["in_progress", "--on", "26/11/2026"], "Ngày '26/11/2026'"),
    (["in_progress", "--progress", "nhiều"], "Tiến độ 'nhiều'"),
    (["in_progress", "--progress", "150"], "Tiến độ 150%"),
    (["done"], "Trạng thái 'done'"),
    (["in_progress", "--by", "khongco"], "'khongco'"),
    (["paused"], "lý do tạm dừng"),
]


def test_bad_input_is_refused_in_one_line_and_changes_nothing(
    engine: Engine, database_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    unit = make_unit(engine)
    make_user(engine, Role.unit, unit, "donvi")
    task = make_task(engine, make_plan(engine), unit, code="I.3")
    for args, message in BAD_INPUT:
        by = [] if "--by" in args else ["--by", "donvi"]
        code, _, err = run(database_url, capsys, "status", "I.3", *args, *by)
        assert code == 1
        assert message in refused_line(err)
    assert stored(engine, task)[1] == []


def test_an_unknown_task_or_plan_is_named(
    engine: Engine, database_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    make_user(engine, Role.secretariat, None, "vp")
    code, _, err = run(database_url, capsys, "status", "IX.9", "in_progress", "--by", "vp")
    assert code == 1 and "'IX.9'" in refused_line(err)
    code, _, err = run(database_url, capsys, "history", "IX.9", "--plan", "99-KH")
    assert code == 1 and "'99-KH'" in refused_line(err)
