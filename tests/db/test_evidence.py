import hashlib
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import select

from models import HistoryKind, Role, StatusUpdate, Task, User
from tests.support.factories import make_plan, make_task, make_unit, make_user
from tracker.db import read_session, write_session
from tracker.errors import InvalidValue, NotFound, PermissionDenied
from tracker.tasks.evidence import read_evidence, store_evidence
from tracker.views.queries import task_detail

PDF = b"%PDF-1.7 quyet dinh so 123/QD-UBND"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return tmp_path / "evidence"


@pytest.fixture
def staff_and_task(engine: Engine) -> tuple[User, Task]:
    unit = make_unit(engine)
    return make_user(engine, Role.unit, unit), make_task(engine, make_plan(engine), unit, code="I.4")


def store(engine: Engine, folder: Path, by: User, task: Task, **fields: object) -> int:
    with write_session(engine) as session:
        stored = store_evidence(session, by=by, task_id=task.id, evidence_dir=folder, **fields)  # type: ignore[arg-type]
        assert stored.id is not None
        return stored.id


def test_a_file_is_stored_by_its_sha256_and_read_back(
    engine: Engine, folder: Path, staff_and_task: tuple[User, Task]
) -> None:
    staff, task = staff_and_task
    evidence_id = store(
        engine, folder, staff, task, file_name="QĐ 123.pdf", data=PDF, reference="Quyết định số 123/QĐ-UBND"
    )
    digest = hashlib.sha256(PDF).hexdigest()
    assert [p.name for p in folder.iterdir()] == [digest]
    with read_session(engine) as session:
        stored, data = read_evidence(session, evidence_id=evidence_id, evidence_dir=folder)
        listed = task_detail(session, task.id).evidence  # type: ignore[arg-type]
        row = session.exec(select(StatusUpdate).where(StatusUpdate.task_id == task.id)).one()
    assert data == PDF
    assert (stored.file_name, stored.sha256, stored.size) == ("QĐ 123.pdf", digest, len(PDF))
    assert list(listed["id"]) == [evidence_id]
    assert (row.kind, row.evidence, row.status) == (
        HistoryKind.evidence,
        "Quyết định số 123/QĐ-UBND · QĐ 123.pdf",
        None,
    )


HOSTILE_NAMES = [
    ("../../etc/passwd", "passwd"),
    ("/etc/shadow", "shadow"),
    ("..\\..\\windows\\win.ini", "win.ini"),
    ("bad\x00name.pdf", "badname.pdf"),
    ("..", "tep-minh-chung"),
    ("", "tep-minh-chung"),
]


def test_an_uploaded_name_never_leaves_the_folder(
    engine: Engine, folder: Path, staff_and_task: tuple[User, Task]
) -> None:
    staff, task = staff_and_task
    for name, shown in HOSTILE_NAMES:
        evidence_id = store(engine, folder, staff, task, file_name=name, data=PDF)
        with read_session(engine) as session:
            stored, _ = read_evidence(session, evidence_id=evidence_id, evidence_dir=folder)
        assert stored.file_name == shown
        assert [p.name for p in folder.iterdir()] == [stored.sha256]
        assert (folder / stored.stored_name).resolve().parent == folder.resolve()


def test_files_over_twenty_megabytes_are_refused(
    engine: Engine, folder: Path, staff_and_task: tuple[User, Task]
) -> None:
    staff, task = staff_and_task
    with pytest.raises(InvalidValue) as refused:
        store(engine, folder, staff, task, file_name="to.pdf", data=b"x" * (20 * 1024 * 1024 + 1))
    assert str(refused.value) == "Tệp 'to.pdf' nặng 20,0 MB, vượt giới hạn 20 MB."
    assert not folder.exists() or list(folder.iterdir()) == []


def test_a_reference_or_link_alone_is_evidence_and_links_must_be_web_addresses(
    engine: Engine, folder: Path, staff_and_task: tuple[User, Task]
) -> None:
    staff, task = staff_and_task
    evidence_id = store(engine, folder, staff, task, link="https://tinh.gov.vn/vb/123")
    with read_session(engine) as session:
        assert read_evidence(session, evidence_id=evidence_id, evidence_dir=folder)[1] == b""
    with pytest.raises(InvalidValue, match="'javascript:alert"):
        store(engine, folder, staff, task, link="javascript:alert(1)")
    with pytest.raises(InvalidValue, match="cần ít nhất"):
        store(engine, folder, staff, task)


def test_only_those_who_may_update_the_task_add_evidence(
    engine: Engine, folder: Path, staff_and_task: tuple[User, Task]
) -> None:
    _, task = staff_and_task
    for outsider in (make_user(engine, Role.committee), make_user(engine, Role.unit, make_unit(engine))):
        with pytest.raises(PermissionDenied, match="bổ sung minh chứng"):
            store(engine, folder, outsider, task, reference="Công văn 1")
    store(engine, folder, make_user(engine, Role.secretariat), task, reference="Công văn 1")


def test_a_missing_file_is_reported_plainly(
    engine: Engine, folder: Path, staff_and_task: tuple[User, Task]
) -> None:
    staff, task = staff_and_task
    evidence_id = store(engine, folder, staff, task, file_name="a.pdf", data=PDF)
    for path in folder.iterdir():
        path.unlink()
    with read_session(engine) as session, pytest.raises(NotFound, match=r"'a\.pdf' không còn"):
        read_evidence(session, evidence_id=evidence_id, evidence_dir=folder)
