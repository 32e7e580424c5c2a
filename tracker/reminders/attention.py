"""What a signed-in user finds under "Cần chú ý": the items their reminder e-mail would hold.

A unit's staff see their unit's items, the secretariat its queue; the
committee follows the figures and has no items.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
from sqlmodel import Session

from models import Role
from tracker.reminders.items import Item, Scope, secretariat_items, unit_items


def attention_items(
    session: Session,
    *,
    role: str,
    unit_id: int | None,
    as_of: date,
    due_soon_days: int,
    tasks: pd.DataFrame | None = None,
) -> list[Item]:
    """The items of a user of ROLE (and UNIT_ID, for unit staff) at AS_OF; TASKS, when given,
    the tasks classified at AS_OF already read (tracker.views.queries.classified_tasks)."""
    if role == Role.secretariat:
        return secretariat_items(session, as_of)
    if role == Role.unit and unit_id is not None:
        scope = Scope(session, as_of, due_soon_days, only=unit_id, tasks=tasks)
        return unit_items(scope).get(unit_id, [])
    return []
