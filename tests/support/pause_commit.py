"""Run `python -m tracker ARGS` and stop for good just before a write transaction commits.

    python -m tests.support.pause_commit MARKER TABLE ARGS...

When a write transaction (tracker.db.write_session) is about to commit, the
number of rows of TABLE as that transaction sees them is written to MARKER and
the process sleeps, so a test can kill it at a known point: every statement of
the transaction has run, none of it is committed. The count proves it.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, event

from tracker.cli import main


def _install(marker: Path, table: str) -> None:
    @event.listens_for(Engine, "commit")
    def pause(connection: Any) -> None:
        # Migrations on open commit too; only write_session's transactions are marked immediate.
        if not connection.get_execution_options().get("immediate", False):
            return
        cursor = connection.connection.dbapi_connection.cursor()
        cursor.execute(f'SELECT count(*) FROM "{table}"')
        (count,) = cursor.fetchone()
        cursor.close()
        # Written aside then renamed, so the test never reads half a marker.
        partial = marker.with_name(marker.name + ".partial")
        partial.write_text(str(count), encoding="utf-8")
        partial.replace(marker)
        time.sleep(600)


if __name__ == "__main__":
    _install(Path(sys.argv[1]), sys.argv[2])
    sys.exit(main(sys.argv[3:]))
