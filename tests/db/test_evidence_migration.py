"""Migration 0006 moves the evidence folder's files into the database; a missing file is reported."""

from __future__ import annotations

import hashlib
import logging
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import Engine, text

from tests.support.factories import make_plan, make_task, make_unit
from tracker.db import alembic_config, read_session, upgrade
from tracker.errors import NotFound
from tracker.tasks.evidence import read_evidence

KEPT = b"%PDF-1.7 bien ban"
DAMAGED = b"%PDF-1.7 da sua sau khi luu"


def _old_evidence(engine: Engine, task_id: int, file_name: str, data: bytes, folder: Path) -> None:
    """A record as the folder-based code wrote it, its file under the folder by sha256."""
    digest = hashlib.sha256(data).hexdigest()
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO evidence (task_id, reference, link, file_name, stored_name, sha256, size,"
                " uploaded_at) VALUES (:task, '', '', :name, :digest, :digest, :size, '2026-11-20 09:00:00')"
            ),
            {"task": task_id, "name": file_name, "digest": digest, "size": len(data)},
        )
    folder.mkdir(exist_ok=True)
    (folder / digest).write_bytes(data)


def test_old_files_move_into_the_database_and_a_lost_one_is_reported(
    engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    task = make_task(engine, make_plan(engine), make_unit(engine), code="1")
    command.downgrade(alembic_config(engine), "0006-1")
    folder = tmp_path / "evidence"
    _old_evidence(engine, task.id or 0, "bien-ban.pdf", KEPT, folder)
    _old_evidence(engine, task.id or 0, "mat.pdf", b"lost", folder)
    _old_evidence(engine, task.id or 0, "sua.pdf", b"original", folder)
    _old_evidence(engine, task.id or 0, "ban-sao.pdf", KEPT, folder)
    (folder / hashlib.sha256(b"lost").hexdigest()).unlink()
    (folder / hashlib.sha256(b"original").hexdigest()).write_bytes(DAMAGED)
    monkeypatch.setenv("TRACKER_EVIDENCE_DIR", str(folder))

    with caplog.at_level(logging.WARNING):
        upgrade(engine)

    with read_session(engine) as session:
        assert read_evidence(session, evidence_id=1)[1] == KEPT
        assert read_evidence(session, evidence_id=4)[1] == KEPT
        for evidence_id in (2, 3):
            with pytest.raises(NotFound, match="không còn trong cơ sở dữ liệu"):
                read_evidence(session, evidence_id=evidence_id)
    reported = caplog.text
    assert "Minh chứng số 2: không đọc được tệp 'mat.pdf'" in reported
    assert "Minh chứng số 3: tệp 'sua.pdf'" in reported
    assert "Đã chuyển tệp của 2/4 minh chứng" in reported


def test_downgrading_writes_the_files_back_to_the_folder(
    engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    task = make_task(engine, make_plan(engine), make_unit(engine), code="1")
    folder = tmp_path / "evidence"
    monkeypatch.setenv("TRACKER_EVIDENCE_DIR", str(folder))
    command.downgrade(alembic_config(engine), "0006-1")
    _old_evidence(engine, task.id or 0, "bien-ban.pdf", KEPT, folder)
    upgrade(engine)
    (folder / hashlib.sha256(KEPT).hexdigest()).unlink()

    command.downgrade(alembic_config(engine), "0006-1")

    assert (folder / hashlib.sha256(KEPT).hexdigest()).read_bytes() == KEPT
