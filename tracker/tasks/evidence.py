"""Evidence of a task's output: a document reference, a link and/or a stored file.

A file's bytes are stored in the database (EvidenceFile), in the transaction
that records the evidence, so a record never points at a file that is not
there and a backup of the database holds every file. The uploaded name is
metadata shown to users; it never becomes part of a path on the server.
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection, Sequence
from importlib import import_module
from pathlib import PurePath

from sqlmodel import Session, col, select

from models import Evidence, EvidenceFile, HistoryKind, Task, User
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


# Types a browser may open from a download; anything else (HTML, SVG, scripts)
# is sent as plain bytes, so a planted file can never run in the app's origin.
_DOWNLOAD_TYPES = {
    ".pdf": "application/pdf",
    ".doc": "application/msword",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xls": "application/vnd.ms-excel",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".ppt": "application/vnd.ms-powerpoint",
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ".odt": "application/vnd.oasis.opendocument.text",
    ".ods": "application/vnd.oasis.opendocument.spreadsheet",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".zip": "application/zip",
}
_BYTES = "application/octet-stream"


def download_type(file_name: str) -> str:
    """The content type to serve an evidence file with: a known document type, else plain bytes."""
    return _DOWNLOAD_TYPES.get(PurePath(file_name).suffix.lower(), _BYTES)


def check_size(file_name: str, size: int) -> None:
    """Refuse a file over MAX_BYTES, naming it and its size."""
    if size > MAX_BYTES:
        raise InvalidValue(
            f"Tệp '{_display_name(file_name)}' nặng {megabytes(size)}, "
            f"vượt giới hạn {MAX_BYTES // 1024 // 1024} MB."
        )


def saved_names(shown: Sequence[str], taken: Collection[str] = ()) -> list[str]:
    """A name to save each file under in one folder: its shown name, numbered when taken.

    Names are made safe again (a name from an older version or another tool may
    hold a path) and compared without case, as Windows and macOS folders do.
    """
    used = {name.casefold() for name in taken}
    names: list[str] = []
    for name in shown:
        safe = _display_name(name)
        stem, suffix = PurePath(safe).stem, PurePath(safe).suffix
        candidate, number = safe, 1
        while candidate.casefold() in used:
            number += 1
            candidate = f"{stem} ({number}){suffix}"
        used.add(candidate.casefold())
        names.append(candidate)
    return names


def _store_bytes(session: Session, digest: str, data: bytes) -> None:
    """Keep DATA under DIGEST unless it is there already.

    Two writers storing the same new bytes at once both succeed: the second insert yields.
    """
    present = select(EvidenceFile.sha256).where(EvidenceFile.sha256 == digest)
    if session.exec(present).first() is not None:
        return
    # Only the dialect in use is loaded (as tracker.db.renew_stamps does).
    dialect = import_module(f"sqlalchemy.dialects.{session.get_bind().dialect.name}")
    row = dialect.insert(EvidenceFile).values(sha256=digest, data=data)
    session.execute(row.on_conflict_do_nothing(index_elements=["sha256"]))


def attach_evidence(
    session: Session,
    *,
    by: User,
    task_id: int,
    reference: str = "",
    link: str = "",
    file_name: str = "",
    data: bytes = b"",
) -> Evidence:
    """Record evidence without checking permission or writing history (callers do)."""
    reference, link = reference.strip(), _check_link(link)
    if not (reference or link or data):
        raise InvalidValue("Minh chứng cần ít nhất số hiệu văn bản, đường dẫn hoặc một tệp đính kèm.")
    check_size(file_name, len(data))
    evidence = Evidence(
        task_id=task_id,
        reference=reference,
        link=link,
        file_name=_display_name(file_name) if data else "",
        sha256=hashlib.sha256(data).hexdigest() if data else "",
        size=len(data),
        user_id=by.id,
        uploaded_at=now(),
    )
    if data:
        _store_bytes(session, evidence.sha256, data)
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
) -> Evidence:
    """Add evidence to a task, with its history row; file up to 20 MB."""
    task = session.get(Task, task_id)
    if task is None:
        raise NotFound(f"Không có nhiệm vụ mã số {task_id}.")
    require_current(session, by, Action.add_evidence, task_scope(session, task))
    evidence = attach_evidence(
        session, by=by, task_id=task_id, reference=reference, link=link, file_name=file_name, data=data
    )
    record_event(
        session, task_id=task_id, kind=HistoryKind.evidence, by=by, evidence=describe_evidence(evidence)
    )
    return evidence


def read_evidence(session: Session, *, evidence_id: int) -> tuple[Evidence, bytes]:
    """The evidence record and its file's bytes (empty when it has no file)."""
    evidence = session.get(Evidence, evidence_id)
    if evidence is None:
        raise NotFound(f"Không có minh chứng mã số {evidence_id}.")
    if not evidence.file_name:
        return evidence, b""
    stored = session.get(EvidenceFile, evidence.sha256)
    if stored is None:
        # Only a file lost before it was moved into the database (migration 0006) is missing.
        raise NotFound(
            f"Tệp minh chứng '{evidence.file_name}' không còn trong cơ sở dữ liệu; "
            "hãy nạp lại tệp này cho nhiệm vụ."
        )
    return evidence, stored.data


def list_evidence(session: Session, task_id: int) -> list[Evidence]:
    query = (
        select(Evidence)
        .where(Evidence.task_id == task_id)
        .order_by(col(Evidence.uploaded_at), col(Evidence.id))
    )
    return list(session.exec(query))
