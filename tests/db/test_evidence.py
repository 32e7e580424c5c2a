import hashlib
import threading

import pytest
from sqlalchemy import Engine, func
from sqlmodel import select

from models import Evidence, EvidenceFile, HistoryKind, Role, StatusUpdate, Task, User
from tests.support.factories import make_plan, make_task, make_unit, make_user
from tracker.db import read_session, write_session
from tracker.errors import InvalidValue, NotFound, PermissionDenied
from tracker.tasks.evidence import download_type, list_evidence, read_evidence, store_evidence
from tracker.views.queries import task_detail

PDF = b"%PDF-1.7 quyet dinh so 123/QD-UBND"


@pytest.fixture
def staff_and_task(engine: Engine) -> tuple[User, Task]:
    unit = make_unit(engine)
    return make_user(engine, Role.unit, unit), make_task(engine, make_plan(engine), unit, code="I.4")


def store(engine: Engine, by: User, task: Task, **fields: object) -> int:
    with write_session(engine) as session:
        stored = store_evidence(session, by=by, task_id=task.id, **fields)  # type: ignore[arg-type]
        assert stored.id is not None
        return stored.id


def _stored_files(engine: Engine) -> int:
    with read_session(engine) as session:
        return session.exec(select(func.count()).select_from(EvidenceFile)).one()


def test_a_file_is_stored_in_the_database_and_read_back(
    engine: Engine, staff_and_task: tuple[User, Task]
) -> None:
    staff, task = staff_and_task
    evidence_id = store(
        engine, staff, task, file_name="QĐ 123.pdf", data=PDF, reference="Quyết định số 123/QĐ-UBND"
    )
    digest = hashlib.sha256(PDF).hexdigest()
    with read_session(engine) as session:
        assert session.get(EvidenceFile, digest).data == PDF  # type: ignore[union-attr]
    with read_session(engine) as session:
        stored, data = read_evidence(session, evidence_id=evidence_id)
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


def test_an_uploaded_name_keeps_only_its_last_part(engine: Engine, staff_and_task: tuple[User, Task]) -> None:
    staff, task = staff_and_task
    for name, shown in HOSTILE_NAMES:
        evidence_id = store(engine, staff, task, file_name=name, data=PDF)
        with read_session(engine) as session:
            stored, data = read_evidence(session, evidence_id=evidence_id)
        assert (stored.file_name, data) == (shown, PDF)


def test_the_file_and_its_record_are_written_or_rolled_back_together(
    engine: Engine, staff_and_task: tuple[User, Task]
) -> None:
    staff, task = staff_and_task
    with pytest.raises(RuntimeError), write_session(engine) as session:
        store_evidence(session, by=staff, task_id=task.id or 0, file_name="a.pdf", data=PDF)
        raise RuntimeError("the save fails after the file was written")
    with read_session(engine) as session:
        assert session.exec(select(func.count()).select_from(Evidence)).one() == 0
    assert _stored_files(engine) == 0


def test_one_file_attached_many_times_is_stored_once(
    engine: Engine, staff_and_task: tuple[User, Task]
) -> None:
    staff, task = staff_and_task
    with write_session(engine) as session:
        for _ in range(3):
            store_evidence(session, by=staff, task_id=task.id or 0, file_name="bang-theo-doi.xlsx", data=PDF)
    store(engine, staff, task, file_name="lan-sau.pdf", data=PDF)
    with read_session(engine) as session:
        shown = [
            read_evidence(session, evidence_id=item.id or 0) for item in list_evidence(session, task.id or 0)
        ]
    assert [(item.file_name, data) for item, data in shown] == [
        *[("bang-theo-doi.xlsx", PDF)] * 3,
        ("lan-sau.pdf", PDF),
    ]
    assert _stored_files(engine) == 1


def test_writers_storing_the_same_new_file_at_once_all_succeed(
    engine: Engine, staff_and_task: tuple[User, Task]
) -> None:
    staff, task = staff_and_task
    start = threading.Barrier(4)
    failures: list[BaseException] = []

    def add() -> None:
        try:
            start.wait()
            store(engine, staff, task, file_name="cung-tep.pdf", data=PDF)
        except BaseException as error:  # reported by the assertion below
            failures.append(error)

    threads = [threading.Thread(target=add) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    with read_session(engine) as session:
        assert len(list_evidence(session, task.id or 0)) == 4
    assert _stored_files(engine) == 1


def test_the_task_page_knows_a_file_is_stored_without_reading_it(
    engine: Engine, staff_and_task: tuple[User, Task]
) -> None:
    staff, task = staff_and_task
    with_file = store(engine, staff, task, file_name="a.pdf", data=PDF)
    store(engine, staff, task, reference="Công văn 1")
    with read_session(engine) as session:
        shown = task_detail(session, task.id or 0).evidence
    assert "data" not in shown.columns
    assert dict(zip(shown["id"], shown["stored"], strict=True)) == {with_file: True, with_file + 1: False}


@pytest.mark.parametrize(
    ("name", "served_as"),
    [
        ("QĐ 123.PDF", "application/pdf"),
        ("bao-cao.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        ("trang.html", "application/octet-stream"),
        ("anh.svg", "application/octet-stream"),
        ("script.js", "application/octet-stream"),
        ("khong-duoi", "application/octet-stream"),
    ],
)
def test_downloads_are_served_as_a_document_type_or_plain_bytes(name: str, served_as: str) -> None:
    assert download_type(name) == served_as


def test_files_over_twenty_megabytes_are_refused(engine: Engine, staff_and_task: tuple[User, Task]) -> None:
    staff, task = staff_and_task
    with pytest.raises(InvalidValue) as refused:
        store(engine, staff, task, file_name="to.pdf", data=b"x" * (20 * 1024 * 1024 + 1))
    assert str(refused.value) == "Tệp 'to.pdf' nặng 20,0 MB, vượt giới hạn 20 MB."
    assert _stored_files(engine) == 0


def test_a_twenty_megabyte_file_is_stored_whole(engine: Engine, staff_and_task: tuple[User, Task]) -> None:
    staff, task = staff_and_task
    data = bytes(range(256)) * (20 * 1024 * 4)
    evidence_id = store(engine, staff, task, file_name="lon.pdf", data=data)
    with read_session(engine) as session:
        assert read_evidence(session, evidence_id=evidence_id)[1] == data


def test_a_reference_or_link_alone_is_evidence_and_links_must_be_web_addresses(
    engine: Engine, staff_and_task: tuple[User, Task]
) -> None:
    staff, task = staff_and_task
    evidence_id = store(engine, staff, task, link="https://tinh.gov.vn/vb/123")
    with read_session(engine) as session:
        assert read_evidence(session, evidence_id=evidence_id)[1] == b""
    with pytest.raises(InvalidValue, match="'javascript:alert"):
        store(engine, staff, task, link="javascript:alert(1)")
    with pytest.raises(InvalidValue, match="cần ít nhất"):
        store(engine, staff, task)


def test_only_those_who_may_update_the_task_add_evidence(
    engine: Engine, staff_and_task: tuple[User, Task]
) -> None:
    _, task = staff_and_task
    for outsider in (make_user(engine, Role.committee), make_user(engine, Role.unit, make_unit(engine))):
        with pytest.raises(PermissionDenied, match="bổ sung minh chứng"):
            store(engine, outsider, task, reference="Công văn 1")
    store(engine, make_user(engine, Role.secretariat), task, reference="Công văn 1")


def test_a_missing_file_is_reported_plainly(engine: Engine, staff_and_task: tuple[User, Task]) -> None:
    staff, task = staff_and_task
    evidence_id = store(engine, staff, task, file_name="a.pdf", data=PDF)
    with write_session(engine) as session:
        session.delete(session.get(EvidenceFile, hashlib.sha256(PDF).hexdigest()))
    with read_session(engine) as session, pytest.raises(NotFound, match=r"'a\.pdf' không còn"):
        read_evidence(session, evidence_id=evidence_id)
