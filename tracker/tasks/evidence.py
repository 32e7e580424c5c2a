"""Evidence of a task's output: a document reference, a link and/or a stored file.

Files are stored under the evidence folder by their sha256 alone; the uploaded
name is metadata shown to users and never becomes part of a path, so no name
can reach outside the folder.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

from sqlmodel import Session

from models import Evidence, HistoryKind, Task, User
from tracker.clock import now
from tracker.errors import InvalidValue, NotFound
from tracker.i18n import megabytes
from tracker.tasks.history import record_event
from tracker.tasks.permissions import Action, require_current, task_scope

MAX_BYTES = 20 * 1024 * 1024
MAX_NAME = 255
_UNNAMED = "tep-minh-chung"


def _display_name(file_name: str) -> str:
    """The last part of an uploaded name, without control characters."""
    last = file_name.replace("\\", "/").rsplit("/", 1)[-1]
    shown = "".join(ch for ch in last if ch.isprintable()).strip()
    return shown[:MAX_NAME] if shown not in ("", ".", "..") else _UNNAMED


def _check_link(link: str) -> str:
    link = link.strip()
    if link and not link.lower().startswith(("http://", "https://")):
        raise InvalidValue(f"Đường dẫn minh chứng '{link}' phải bắt đầu bằng http:// hoặc https://.")
    return link


def _write_file(folder: Path, data: bytes, digest: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / digest
    if target.exists():
        return
    # Write aside then rename, so a reader never sees half a file. A file whose
    # transaction later rolls back stays as an unreferenced, harmless blob.
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=".upload-")
    with os.fdopen(handle, "wb") as out:
        out.write(data)
    os.replace(temporary, target)


def attach_evidence(
    session: Session,
    *,
    by: User,
    task_id: int,
    reference: str = "",
    link: str = "",
    file_name: str = "",
    data: bytes = b"",
    evidence_dir: Path | None,
) -> Evidence:
    """Record evidence without checking permission or writing history (callers do); a file is
    stored under EVIDENCE_DIR (the setting), which a caller passing a file must give."""
    reference, link = reference.strip(), _check_link(link)
    if not (reference or link or data):
        raise InvalidValue("Minh chứng cần ít nhất số hiệu văn bản, đường dẫn hoặc một tệp đính kèm.")
    if len(data) > MAX_BYTES:
        raise InvalidValue(
            f"Tệp '{_display_name(file_name)}' nặng {megabytes(len(data))}, "
            f"vượt giới hạn {MAX_BYTES // 1024 // 1024} MB."
        )
    digest = hashlib.sha256(data).hexdigest() if data else ""
    if data:
        if evidence_dir is None:
            raise ValueError("attach_evidence: a file needs the evidence folder")
        _write_file(evidence_dir, data, digest)
    evidence = Evidence(
        task_id=task_id,
        reference=reference,
        link=link,
        file_name=_display_name(file_name) if data else "",
        stored_name=digest,
        sha256=digest,
        size=len(data),
        user_id=by.id,
        uploaded_at=now(),
    )
    session.add(evidence)
    session.flush()
    return evidence


def describe_evidence(evidence: Evidence) -> str:
    """One line naming the evidence, for history and lists."""
    return " · ".join(part for part in (evidence.reference, evidence.link, evidence.file_name) if part)


def store_evidence(
    session: Session,
    *,
    by: User,
    task_id: int,
    file_name: str = "",
    data: bytes = b"",
    reference: str = "",
    link: str = "",
    evidence_dir: Path,
) -> Evidence:
    """Add evidence to a task, with its history row; file up to 20 MB, stored under EVIDENCE_DIR."""
    task = session.get(Task, task_id)
    if task is None:
        raise NotFound(f"Không có nhiệm vụ mã số {task_id}.")
    require_current(session, by, Action.add_evidence, task_scope(session, task))
    evidence = attach_evidence(
        session,
        by=by,
        task_id=task_id,
        reference=reference,
        link=link,
        file_name=file_name,
        data=data,
        evidence_dir=evidence_dir,
    )
    record_event(
        session, task_id=task_id, kind=HistoryKind.evidence, by=by, evidence=describe_evidence(evidence)
    )
    return evidence


def read_evidence(session: Session, *, evidence_id: int, evidence_dir: Path) -> tuple[Evidence, bytes]:
    """The evidence record and its file's bytes (empty when it has no file), read from EVIDENCE_DIR."""
    evidence = session.get(Evidence, evidence_id)
    if evidence is None:
        raise NotFound(f"Không có minh chứng mã số {evidence_id}.")
    if not evidence.stored_name:
        return evidence, b""
    path = evidence_dir / evidence.stored_name
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise NotFound(
            f"Tệp minh chứng '{evidence.file_name}' không còn trong thư mục lưu trữ; "
            "hãy khôi phục thư mục minh chứng từ bản sao lưu."
        ) from None
    return evidence, data
