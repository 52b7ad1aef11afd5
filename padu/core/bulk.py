"""Bulk writes that bypass the ORM (DESIGN.md rule 4): COPY on PostgreSQL, executemany in the
caller's transaction on SQLite. Frames are written in chunks so memory stays bounded. Also
the matching bulk read: one SQL query into a Polars frame."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Mapping, Sequence
from typing import Any

import polars as pl
from django.db import connection

CHUNK_ROWS = 50_000


def fetch_frame(sql: str, params: Sequence[Any], names: list[str]) -> pl.DataFrame:
    """The rows of one query as a frame with columns ``names`` (text columns when empty)."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    if not rows:
        return pl.DataFrame(schema=dict.fromkeys(names, pl.String))
    return pl.DataFrame(rows, schema=names, orient="row", infer_schema_length=None)


def next_ids(table: str, count: int) -> int:
    """The first of ``count`` free primary keys of ``table``; call inside the transaction
    after :func:`lock_tables` so no other writer takes them."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {connection.ops.quote_name(table)}")
        (maximum,) = cursor.fetchone()
    return int(maximum) + 1


def insert_numbered(
    table: str, frame: pl.DataFrame, constants: Mapping[str, Any] | None = None
) -> int:
    """:func:`insert_frame` with fresh consecutive ids in front (call after
    :func:`lock_tables`); returns the first id."""
    first = next_ids(table, frame.height)
    ids = pl.int_range(first, first + frame.height, dtype=pl.Int64).alias("id")
    insert_frame(table, frame.select(ids, pl.all()), constants)
    return first


def lock_tables(*tables: str) -> None:
    """Serialise bulk writers (PostgreSQL); SQLite's IMMEDIATE transactions already do."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for table in tables:
                cursor.execute(
                    f"LOCK TABLE {connection.ops.quote_name(table)} IN SHARE ROW EXCLUSIVE MODE"
                )


def reset_sequence(table: str) -> None:
    """After inserting explicit ids on PostgreSQL, move the id sequence past them."""
    if connection.vendor != "postgresql":
        return
    quoted = connection.ops.quote_name(table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT setval(pg_get_serial_sequence(%s, 'id'), "
            f"(SELECT COALESCE(MAX(id), 1) FROM {quoted}))",
            [table],
        )


def for_database(frame: pl.DataFrame) -> pl.DataFrame:
    """Dates, times and JSON as text the database parses; everything else as is."""
    converted = []
    for name, dtype in frame.schema.items():
        column = pl.col(name)
        if dtype == pl.Date:
            converted.append(column.dt.strftime("%Y-%m-%d"))
        elif isinstance(dtype, pl.Datetime):
            converted.append(column.dt.strftime("%Y-%m-%d %H:%M:%S%.6f+00:00"))
        elif isinstance(dtype, pl.Struct | pl.List):
            converted.append(column.struct.json_encode())
        else:
            converted.append(column)
    return frame.select(converted)


def _sql_literal(value: Any) -> str:
    """A constant of a bulk insert as SQL text, formatted as :func:`for_database` formats it."""
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            raise ValueError("naive UTC datetimes only, as the bulk writers use")
        value = value.strftime("%Y-%m-%d %H:%M:%S.%f+00:00")
    elif isinstance(value, dt.date):
        value = value.isoformat()
    if not isinstance(value, str):
        raise TypeError(f"no SQL literal for {type(value).__name__}")
    return "'" + value.replace("'", "''") + "'"


def insert_frame(
    table: str, frame: pl.DataFrame, constants: Mapping[str, Any] | None = None
) -> int:
    """Insert all rows of ``frame`` into ``table`` (columns named as the table's).

    ``constants`` are columns with one value for every row (timestamps of the run, its id,
    empty bookkeeping): SQLite gets them written once into the statement instead of bound
    for each row (a quarter of the time of inserting a register row); COPY gets them as
    columns."""
    if frame.height == 0:
        return 0
    constants = dict(constants or {})
    if connection.vendor == "postgresql":
        frame = frame.with_columns(pl.lit(v).alias(k) for k, v in constants.items())
        constants = {}
    frame = for_database(frame)
    names = [*frame.columns, *constants]
    columns = ", ".join(connection.ops.quote_name(c) for c in names)
    with connection.cursor() as cursor:
        for start in range(0, frame.height, CHUNK_ROWS):
            chunk = frame.slice(start, CHUNK_ROWS)
            if connection.vendor == "postgresql":
                buffer = io.BytesIO()
                chunk.write_csv(buffer, include_header=False, null_value="\\N")
                sql = (
                    f"COPY {connection.ops.quote_name(table)} ({columns}) "
                    "FROM STDIN WITH (FORMAT csv, NULL '\\N')"
                )
                with cursor.cursor.copy(sql) as copy:  # psycopg 3
                    copy.write(buffer.getvalue())
            else:
                # Django's SQLite cursor turns %s into ? and %% into %: literals keep their %.
                literals = [_sql_literal(v).replace("%", "%%") for v in constants.values()]
                values = ["%s"] * len(frame.columns) + literals
                sql = (
                    f"INSERT INTO {connection.ops.quote_name(table)} ({columns}) "
                    f"VALUES ({', '.join(values)})"
                )
                # Rows zipped from column lists as SQLite takes them: 14% quicker than
                # building every row tuple first (``rows()``).
                columns_as_lists = (chunk[c].to_list() for c in chunk.columns)
                rows: Any = zip(*columns_as_lists, strict=True)  # sqlite3 takes any iterable
                cursor.executemany(sql, rows)
    return frame.height
