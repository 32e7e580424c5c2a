"""`evidence add` keeps the app's rules; `evidence get` writes a task's files under safe, distinct names."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import select

from models import HistoryKind, Role, StatusUpdate, Task, User
from tests.support.factories import make_plan, make_task, make_unit, make_user, run_cli
from tracker.db import read_session, write_session
from tracker.tasks.evidence import list_evidence, read_evidence, saved_names, store_evidence

PDF = b"%PDF-1.7 bien ban nghiem thu"


@pytest.fixture
def staff_and_task(engine: Engine) -> tuple[User, Task]:
    unit = make_unit(engine)
    plan = make_plan(engine, "45-KH/UBND")
    return make_user(engine, Role.unit, unit, username="so-khcn"), make_task(engine, plan, unit, code="II.3")


def _one_error(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Lỗi: "), err
    return lines[0]


def test_add_stores_the_file_with_its_history_row(
    engine: Engine,
    database_url: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    staff_and_task: tuple[User, Task],
) -> None:
    _, task = staff_and_task
    upload = tmp_path / "Biên bản.pdf"
    upload.write_bytes(PDF)
    code, out, _ = run_cli(
        database_url, capsys, "evidence", "add", "II.3", str(upload), "--by", "so-khcn", "--note", "QĐ 12"
    )
    assert code == 0
    assert "Biên bản.pdf" in out
    with read_session(engine) as session:
        (item,) = list_evidence(session, task.id or 0)
        assert read_evidence(session, evidence_id=item.id or 0)[1] == PDF
        rows = session.exec(select(StatusUpdate).where(StatusUpdate.task_id == task.id)).all()
    assert (item.reference, item.file_name) == ("QĐ 12", "Biên bản.pdf")
    assert [(row.kind, row.evidence) for row in rows] == [(HistoryKind.evidence, "QĐ 12 · Biên bản.pdf")]


def test_add_refuses_what_the_app_refuses(
    engine: Engine,
    database_url: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    staff_and_task: tuple[User, Task],
) -> None:
    _, task = staff_and_task
    make_user(engine, Role.unit, make_unit(engine), username="so-khac")
    upload = tmp_path / "a.pdf"
    upload.write_bytes(PDF)
    big = tmp_path / "lon.pdf"
    with big.open("wb") as out:
        out.truncate(20 * 1024 * 1024 + 1)
    empty = tmp_path / "rong.pdf"
    empty.write_bytes(b"")
    refusals = {
        ("II.3", str(upload), "so-khac"): "bổ sung minh chứng",
        ("II.3", str(big), "so-khcn"): "vượt giới hạn 20 MB",
        ("II.3", str(empty), "so-khcn"): "rỗng",
        ("II.3", str(tmp_path / "khong-co.pdf"), "so-khcn"): "Không đọc được tệp",
        ("II.3", str(tmp_path), "so-khcn"): "Không đọc được tệp",
        ("IX.9", str(upload), "so-khcn"): "Không có nhiệm vụ mã 'IX.9'",
        ("II.3", str(upload), "ai-do"): "Không có tài khoản 'ai-do'",
    }
    for (task_code, path, by), reason in refusals.items():
        code, _, err = run_cli(database_url, capsys, "evidence", "add", task_code, path, "--by", by)
        assert code == 1
        assert reason in _one_error(err)
    with read_session(engine) as session:
        assert list_evidence(session, task.id or 0) == []


def test_a_code_in_two_plans_needs_the_plan(
    engine: Engine,
    database_url: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    staff_and_task: tuple[User, Task],
) -> None:
    _, task = staff_and_task
    other = make_task(engine, make_plan(engine, "46-KH/UBND"), None, code="II.3")
    upload = tmp_path / "a.pdf"
    upload.write_bytes(PDF)
    code, _, err = run_cli(database_url, capsys, "evidence", "add", "II.3", str(upload), "--by", "so-khcn")
    assert code == 1 and "--plan" in _one_error(err)
    add = ("evidence", "add", "II.3", str(upload), "--by", "so-khcn", "--plan", "45-KH/UBND")
    assert run_cli(database_url, capsys, *add)[0] == 0
    with read_session(engine) as session:
        assert [len(list_evidence(session, t.id or 0)) for t in (task, other)] == [1, 0]
    code, _, _ = run_cli(
        database_url, capsys, "evidence", "get", "II.3", "--plan", "45-KH/UBND", "--out", str(tmp_path / "o")
    )
    assert code == 0 and (tmp_path / "o" / "a.pdf").read_bytes() == PDF


def test_get_writes_each_file_under_a_safe_distinct_name_and_never_over_a_file(
    engine: Engine,
    database_url: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    staff_and_task: tuple[User, Task],
) -> None:
    staff, task = staff_and_task
    uploads = [("bien-ban.pdf", b"1"), ("Bien-ban.pdf", b"2"), ("../../ra-ngoai.sh", b"3"), ("..", b"4")]
    with write_session(engine) as session:
        for name, data in uploads:
            store_evidence(session, by=staff, task_id=task.id or 0, file_name=name, data=data)
        store_evidence(session, by=staff, task_id=task.id or 0, reference="Công văn 5, không có tệp")
    out = tmp_path / "ra" / "minh-chung"
    out.mkdir(parents=True)
    (out / "bien-ban.pdf").write_bytes(b"da co san")

    code, printed, _ = run_cli(database_url, capsys, "evidence", "get", "II.3", "--out", str(out))

    assert code == 0
    written = {path.name: path.read_bytes() for path in out.iterdir()}
    assert written == {
        "bien-ban.pdf": b"da co san",
        "bien-ban (2).pdf": b"1",
        "Bien-ban (3).pdf": b"2",
        "ra-ngoai.sh": b"3",
        "tep-minh-chung": b"4",
    }
    # Nothing was written outside the folder asked for.
    assert sorted((tmp_path / "ra").rglob("*")) == sorted([out, *(out / name for name in written)])
    assert len(printed.splitlines()) == 4


def test_get_of_a_task_without_files_says_so(
    database_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], staff_and_task: tuple[User, Task]
) -> None:
    code, out, _ = run_cli(database_url, capsys, "evidence", "get", "II.3", "--out", str(tmp_path / "o"))
    assert (code, out.strip()) == (0, "Nhiệm vụ II.3 chưa có tệp minh chứng nào.")


def test_saved_names_keep_the_extension_and_ignore_case() -> None:
    assert saved_names(["a.PDF", "A.pdf", "b"], taken=["A (2).pdf"]) == ["a.PDF", "A (3).pdf", "b"]


def test_get_into_a_folder_that_cannot_be_written_says_so(
    engine: Engine,
    database_url: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    staff_and_task: tuple[User, Task],
) -> None:
    staff, task = staff_and_task
    with write_session(engine) as session:
        store_evidence(session, by=staff, task_id=task.id or 0, file_name="a.pdf", data=PDF)
    blocked = tmp_path / "la-tep"
    blocked.write_bytes(b"")
    code, _, err = run_cli(database_url, capsys, "evidence", "get", "II.3", "--out", str(blocked / "con"))
    assert code == 1
    assert _one_error(err).endswith(
        f"Không tạo được thư mục '{blocked / 'con'}': một phần của đường dẫn là tệp, không phải thư mục."
    )


def test_add_of_a_missing_file_says_so_in_vietnamese(
    database_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], staff_and_task: tuple[User, Task]
) -> None:
    missing = tmp_path / "khong-co.pdf"
    code, _, err = run_cli(database_url, capsys, "evidence", "add", "II.3", str(missing), "--by", "so-khcn")
    assert code == 1
    assert _one_error(err).endswith(f"Không đọc được tệp '{missing}': không có tệp hoặc thư mục này.")
