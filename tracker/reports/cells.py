"""Column values as spreadsheet writers take them, for the report and the exported task list.

Dates become real dates, counts plain numbers, texts strings without the
control characters XML cannot hold (pasted from elsewhere), None where a cell
stays empty, so the writer can skip it.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
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
    return list(text_cells(series).to_pylist())


def text_cells(series: pd.Series) -> pa.Array:
    """SERIES as texts without the control characters XML cannot hold, null where a cell stays
    empty: in Arrow, as the .xlsx writer lays out a column of 100,000 texts."""
    texts = pa.array(series.fillna("").astype(str), pa.string())
    # Arrow's RE2 reads openpyxl's pattern (octal ranges) as Python's re does.
    cleaned = pc.replace_substring_regex(texts, ILLEGAL_CHARACTERS_RE.pattern, "")
    return pc.if_else(pc.equal(cleaned, ""), pa.scalar(None, pa.string()), cleaned)


def xml_text(value: str) -> str:
    return str(ILLEGAL_CHARACTERS_RE.sub("", value))
