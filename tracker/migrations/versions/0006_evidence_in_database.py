"""evidence files in the database: their bytes move from the evidence folder into table evidencefile

Revision ID: 0006
Revises: 0011
Create Date: 2026-12-01 12:00:00

The folder is TRACKER_EVIDENCE_DIR, or data/evidence when it is not set; this
migration is the only reader of that setting. A record whose file is missing
from the folder (or differs from its sha256) keeps its record, is reported on
stderr and is shown to users as missing; the upgrade goes on.
"""

import hashlib
import logging
import os
from collections.abc import Sequence
from pathlib import Path

import sqlalchemy as sa
import sqlmodel
from alembic import op

from tracker.config import ROOT

revision: str = "0006"
# Brief: "0002"; chained after main's 0009 (data versions) since the merge, so the branch has one head.
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

log = logging.getLogger(__name__)

_files = sa.table("evidencefile", sa.column("sha256", sa.String()), sa.column("data", sa.LargeBinary()))


def evidence_folder() -> Path:
    configured = os.environ.get("TRACKER_EVIDENCE_DIR", "").strip()
    return Path(configured) if configured else ROOT / "data" / "evidence"


def _read_file(folder: Path, evidence_id: int, stored_name: str, file_name: str, digest: str) -> bytes | None:
    """The bytes of one old evidence file, or None (reported) when it is missing or damaged."""
    path = folder / stored_name
    try:
        data = path.read_bytes()
    except OSError as error:
        log.warning(
            "Minh chứng số %s: không đọc được tệp '%s' (%s) tại %s; bản ghi giữ lại, tệp coi như mất.",
            evidence_id,
            file_name,
            error.strerror or error,
            path,
        )
        return None
    if digest and hashlib.sha256(data).hexdigest() != digest:
        log.warning(
            "Minh chứng số %s: tệp '%s' tại %s không khớp mã sha256 đã ghi; bản ghi giữ lại, tệp coi như mất.",
            evidence_id,
            file_name,
            path,
        )
        return None
    return data


def upgrade() -> None:
    connection = op.get_bind()
    stored = connection.execute(
        sa.text("SELECT id, stored_name, file_name, sha256 FROM evidence WHERE stored_name <> '' ORDER BY id")
    ).all()
    with op.batch_alter_table("evidence", schema=None) as batch_op:
        batch_op.drop_column("stored_name")
    op.create_table(
        "evidencefile",
        sa.Column("sha256", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("sha256"),
    )
    folder = evidence_folder()
    moved: set[str] = set()
    # One file in memory at a time: a folder of 20 MB files must not fill it.
    for evidence_id, stored_name, file_name, digest in stored:
        if digest in moved:
            continue
        data = _read_file(folder, evidence_id, stored_name, file_name, digest)
        if data is not None:
            connection.execute(sa.insert(_files).values(sha256=digest, data=data))
            moved.add(digest)
    if stored:
        kept = sum(digest in moved for *_, digest in stored)
        log.warning("Đã chuyển tệp của %s/%s minh chứng từ %s vào cơ sở dữ liệu.", kept, len(stored), folder)


def downgrade() -> None:
    connection = op.get_bind()
    folder = evidence_folder()
    folder.mkdir(parents=True, exist_ok=True)
    with op.batch_alter_table("evidence", schema=None) as batch_op:
        batch_op.add_column(sa.Column("stored_name", sa.String(), nullable=False, server_default=""))
    digests = connection.execute(sa.select(_files.c.sha256)).scalars().all()
    for digest in digests:
        data = connection.execute(sa.select(_files.c.data).where(_files.c.sha256 == digest)).scalar_one()
        (folder / digest).write_bytes(data)
        connection.execute(
            sa.text("UPDATE evidence SET stored_name = sha256 WHERE sha256 = :digest"), {"digest": digest}
        )
    op.drop_table("evidencefile")
