"""Inserting thousands of rows in one statement, straight to the database driver.

SQLAlchemy builds and converts a parameter dictionary per row of an
executemany; at 15,000 rows that costs several times the inserts themselves.
Here each column's own converter (its type's bind processor for the dialect)
is applied to the values and the driver gets plain tuples or dictionaries.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from sqlalchemy import Table, insert
from sqlmodel import Session

from tracker.db import note_written


def insert_rows(session: Session, table: Table, rows: Sequence[Mapping[str, object]]) -> None:
    """INSERT ROWS into TABLE. Every row has the same keys and names every column that has a
    default or is NOT NULL: the driver, not SQLAlchemy, sees the values."""
    if not rows:
        return
    note_written(session, table.name)
    connection = session.connection()
    dialect = connection.dialect
    names = list(rows[0])
    statement = insert(table).compile(dialect=dialect, column_keys=names)
    converters: dict[str, Callable[[Any], Any] | None] = {
        name: table.c[name].type.dialect_impl(dialect).bind_processor(dialect) for name in names
    }
    order = (statement.positiontup or []) if statement.positional else names
    # Column by column, and zip builds the row tuples, instead of a dictionary and then a tuple
    # per row. A column repeats a few values (deadlines, the import's time stamp): each distinct
    # value is converted once.
    columns: list[list[Any]] = []
    for name in order:
        column = [row[name] for row in rows]
        convert = converters[name]
        if convert is not None:
            converted = {value: convert(value) for value in set(column)}
            column = [converted[value] for value in column]
        columns.append(column)
    if statement.positional:
        connection.exec_driver_sql(statement.string, list(zip(*columns, strict=True)))
    else:
        connection.exec_driver_sql(
            statement.string, [dict(zip(names, values, strict=True)) for values in zip(*columns, strict=True)]
        )
