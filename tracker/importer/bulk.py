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


def insert_rows(session: Session, table: Table, rows: Sequence[Mapping[str, object]]) -> None:
    """INSERT ROWS into TABLE. Every row has the same keys and names every column that has a
    default or is NOT NULL: the driver, not SQLAlchemy, sees the values."""
    if not rows:
        return
    connection = session.connection()
    dialect = connection.dialect
    names = list(rows[0])
    statement = insert(table).compile(dialect=dialect, column_keys=names)
    converters: list[Callable[[Any], Any] | None] = [
        table.c[name].type.dialect_impl(dialect).bind_processor(dialect) for name in names
    ]
    pairs = list(zip(names, converters, strict=True))
    converted = [
        {name: convert(row[name]) if convert else row[name] for name, convert in pairs} for row in rows
    ]
    if statement.positional:
        order = statement.positiontup or []
        values = [tuple(row[name] for name in order) for row in converted]
        connection.exec_driver_sql(statement.string, values)
    else:
        connection.exec_driver_sql(statement.string, converted)
