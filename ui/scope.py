"""A task as the pages read it: rows of a frame, and the TaskScope tracker.tasks.permissions needs."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, cast

import pandas as pd

from tracker.tasks.permissions import TaskScope


def _unit_id(value: Any) -> int | None:
    return None if value is None or pd.isna(value) else int(value)


def rows_of(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """FRAME's rows as mappings by column name (the frames of tracker.views name columns by text)."""
    return cast("list[dict[str, Any]]", frame.to_dict("records"))


def scope_of(task: Mapping[str, Any]) -> TaskScope:
    """TASK is a row of a task frame, or TaskDetail.task: code, lead unit, coordinators, status."""
    coordinators: Iterable[Any] = task.get("coordinating_unit_ids") or ()
    return TaskScope(
        code=str(task["code"]),
        lead_unit_id=_unit_id(task.get("lead_unit_id")),
        coordinator_unit_ids=frozenset(int(unit) for unit in coordinators),
        status=str(task["status"]),
    )
