"""Column values as spreadsheet writers take them, for the report and the exported task list.

Dates become real dates, counts plain numbers, texts strings without the
control characters XML cannot hold (pasted from elsewhere), None where a cell
stays empty, so the writer can skip it.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE


def column_values(series: pd.Series, kind: str) -> list[Any]:
    """SERIES as cell values; KIND is "date", "int", "rate", "rank" (a number, or a text in its
    place) or text (any other)."""
    if kind == "date":
        return [None if pd.isna(value) else value.date() for value in pd.to_datetime(series)]
    if kind in ("int", "rate"):
        numbers = pd.to_numeric(series, errors="coerce").astype("float64")
        number = int if kind == "int" else float
        return [None if pd.isna(value) else number(value) for value in numbers]
    if kind == "rank":
        return [value if isinstance(value, int) else xml_text(str(value)) for value in series.tolist()]
    texts = series.fillna("").astype(str).str.replace(ILLEGAL_CHARACTERS_RE.pattern, "", regex=True)
    return [text or None for text in texts.tolist()]


def xml_text(value: str) -> str:
    return str(ILLEGAL_CHARACTERS_RE.sub("", value))
