"""Narrowing a task frame: the filters of the task list, one function for all of them."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from itertools import chain

import pandas as pd

from tracker.textfold import collation_key, fold

# Folding costs ~25 µs a text: remember the folded texts so that typing in the
# search box of a big plan does not refold every task on each keystroke.
_folded = lru_cache(maxsize=200_000)(fold)
_SEARCHED = ("code", "title", "group_title", "section_title", "output", "lead_unit")


def _search_mask(frame: pd.DataFrame, search: str) -> pd.Series:
    words = fold(search).split()
    texts = frame[_SEARCHED[0]].astype(str)
    for name in _SEARCHED[1:]:
        texts = texts + " " + frame[name].fillna("").astype(str)
    folded = texts.map(_folded)
    mask = pd.Series(True, index=frame.index)
    for word in words:
        mask &= folded.str.contains(word, regex=False)
    return mask


def _any_unit(lists: pd.Series, unit_ids: Collection[int]) -> pd.Series:
    exploded = lists.explode()
    return exploded.isin(list(unit_ids)).groupby(level=0).any().reindex(lists.index, fill_value=False)


def filter_tasks(
    frame: pd.DataFrame,
    *,
    search: str = "",
    sections: Collection[str] = (),
    lead_unit_ids: Collection[int] = (),
    coordinator_unit_ids: Collection[int] = (),
    classes: Collection[str] = (),
    statuses: Collection[str] = (),
    deadline_from: date | None = None,
    deadline_to: date | None = None,
    recurring: bool | None = None,
) -> pd.DataFrame:
    """The rows of a task frame that pass every filter given; empty filters pass all.
    LEAD_UNIT_IDS keeps a task any of whose joint leads is among them.

    SEARCH ignores case and diacritics (đ/Đ included) and needs every word to
    appear in the code, title, group, section, product or lead unit. A deadline
    range leaves out tasks without a deadline.
    """
    mask = pd.Series(True, index=frame.index)
    if search.strip():
        mask &= _search_mask(frame, search)
    if sections:
        mask &= frame["section_code"].isin(list(sections))
    if lead_unit_ids:
        mask &= _any_unit(frame["lead_unit_ids"], lead_unit_ids)
    if coordinator_unit_ids:
        mask &= _any_unit(frame["coordinating_unit_ids"], coordinator_unit_ids)
    if classes:
        mask &= frame["task_class"].isin(list(classes))
    if statuses:
        mask &= frame["status"].isin(list(statuses))
    deadline = pd.to_datetime(frame["deadline"])
    if deadline_from is not None:
        mask &= deadline >= pd.Timestamp(deadline_from)
    if deadline_to is not None:
        mask &= deadline <= pd.Timestamp(deadline_to)
    if recurring is not None:
        mask &= frame["recurring"] == recurring
    return frame[mask]


@dataclass(frozen=True)
class FilterOptions:
    """What the filters of a task frame can choose from, each value with the name a user reads."""

    sections: dict[str, str]
    lead_units: dict[int, str]
    coordinating_units: dict[int, str]


def _named(ids: pd.Series, names: pd.Series) -> dict[int, str]:
    """Each unit id of the lists IDS with its name in NAMES, by name (the first name an id has)."""
    named: dict[int, str] = {}
    for unit_id, name in zip(
        chain.from_iterable(ids.tolist()), chain.from_iterable(names.tolist()), strict=True
    ):
        if unit_id is not None and name is not None:
            named.setdefault(int(unit_id), name)
    return dict(sorted(named.items(), key=lambda pair: collation_key(pair[1])))


def filter_options(frame: pd.DataFrame) -> FilterOptions:
    """The sections (annex order), lead units and coordinating units (by name) found in a task frame."""
    sections = frame[["section_code", "section_title"]].drop_duplicates("section_code")
    sections = sections[sections["section_code"] != ""]
    return FilterOptions(
        sections={
            code: f"{code}. {title}" if title else code
            for code, title in zip(sections["section_code"], sections["section_title"], strict=True)
        },
        lead_units=_named(frame["lead_unit_ids"], frame["lead_units"]),
        coordinating_units=_named(frame["coordinating_unit_ids"], frame["coordinating_units"]),
    )
