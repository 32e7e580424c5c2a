"""Classified tasks as people read them: one row per task, labels in their language.

The task lists of the dashboard and the exported list share these rows, so a
task reads the same on screen and in the spreadsheet.
"""

from __future__ import annotations

import pandas as pd

from models import NOT_IN_PLAN, TaskStatus
from tracker.i18n import Lang, label
from tracker.views.charts import CLASS_COLOURS

ROW_COLUMNS = (
    "id",
    "plan",
    "code",
    "section",
    "title",
    "lead_unit",
    "coordinating_units",
    "deadline",
    "deadline_text",
    "task_class",
    "status",
    "progress",
    "days_overdue",
    "days_left",
    "completed_on",
)


# Cancelled tasks and tasks out of their plan have no class; their tag is neutral and says so in words.
_CANCELLED_COLOUR = "#DDDDDD"


def class_tag_colours(lang: Lang = "vi") -> dict[str, str]:
    """Each label the class column can hold, with its colour (the class colours of tracker.views.charts)."""
    colours = {label(name, lang): colour for name, colour in CLASS_COLOURS.items()}
    return colours | {label(name, lang): _CANCELLED_COLOUR for name in (TaskStatus.cancelled, NOT_IN_PLAN)}


def labels(values: pd.Series, lang: Lang = "vi") -> pd.Series:
    """The label of each of VALUES in LANG ("" where missing)."""
    # A handful of distinct values: look each up once, not once per task.
    names = {value: label(value, lang) for value in values.dropna().unique()}
    return values.map(names).fillna("")


def task_rows(classified: pd.DataFrame, lang: Lang = "vi", *, class_tags: bool = False) -> pd.DataFrame:
    """CLASSIFIED (tracker.views.classify) as readable rows, in its order, with the columns of ROW_COLUMNS.

    Class and status are labels in LANG; cancelled tasks read as cancelled in
    the class column, tasks out of their plan as such. With CLASS_TAGS the class is a one-label list, the form
    a table shows as a coloured tag.
    """
    classes = classified["task_class"].where(~classified["cancelled"], classified["status"])
    classes = classes.where(~classified["not_in_plan"], NOT_IN_PLAN)
    class_labels = labels(classes, lang)
    rows = pd.DataFrame(
        {
            "id": classified["id"],
            "plan": classified["plan_number"],
            "code": classified["code"],
            "section": classified["section_code"],
            "title": classified["title"],
            # Every joint lead, as the annex names them.
            "lead_unit": classified["lead_units"].map("; ".join),
            "coordinating_units": classified["coordinating_units"].map("; ".join),
            "deadline": classified["deadline"],
            "deadline_text": classified["deadline_text"],
            "task_class": class_labels.map(lambda name: [name]) if class_tags else class_labels,
            "status": labels(classified["status"], lang),
            "progress": classified["progress"],
            "days_overdue": classified["days_overdue"],
            "days_left": classified["days_left"],
            "completed_on": classified["completed_on"],
        },
        index=classified.index,
    )
    return rows.reset_index(drop=True)
