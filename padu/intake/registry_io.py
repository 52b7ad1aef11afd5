"""Reading and updating register rows in bulk for promotion (bypassing the ORM, rule 4)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import polars as pl
from django.db import connection, models

from padu.core.bulk import for_database, insert_frame

BATCH = 5_000


def fetch_current(
    model: type[models.Model], ids: list[int], columns: list[str], like: pl.Schema
) -> pl.DataFrame:
    """Current values of ``columns`` for the given ids, typed like ``like``."""
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(c) for c in columns)
    rows: list[tuple[Any, ...]] = []
    with connection.cursor() as cursor:
        for start in range(0, len(ids), BATCH):
            part = ids[start : start + BATCH]
            marks = ", ".join(["%s"] * len(part))
            cursor.execute(f"SELECT id, {names} FROM {table} WHERE id IN ({marks})", part)
            rows.extend(cursor.fetchall())
    frame = pl.DataFrame(rows, schema=["id", *columns], orient="row", infer_schema_length=None)
    casts = []
    for column in columns:
        dtype = like[column]
        if dtype == pl.Date and frame.schema[column] == pl.String:
            casts.append(pl.col(column).str.to_date("%Y-%m-%d", strict=False))
        else:
            casts.append(pl.col(column).cast(dtype, strict=False))
    return frame.with_columns(pl.col("id").cast(pl.Int64), *casts)


def update_rows(model: type[models.Model], frame: pl.DataFrame, now: dt.datetime) -> None:
    """Set the frame's columns (all but ``id``) on the rows with its ids, and ``updated_at``."""
    table = model._meta.db_table
    quoted = connection.ops.quote_name(table)
    columns = [c for c in frame.columns if c != "id"]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            names = ", ".join(connection.ops.quote_name(c) for c in ["id", *columns])
            cursor.execute(
                f"CREATE TEMP TABLE padu_update ON COMMIT DROP AS "
                f"SELECT {names} FROM {quoted} WITH NO DATA"
            )
            insert_frame("padu_update", frame)
            sets = ", ".join(
                f"{connection.ops.quote_name(c)} = s.{connection.ops.quote_name(c)}"
                for c in columns
            )
            cursor.execute(
                f"UPDATE {quoted} AS t SET {sets}, updated_at = %s "
                "FROM padu_update s WHERE t.id = s.id",
                [now],
            )
            cursor.execute("DROP TABLE padu_update")
        else:
            sets = ", ".join(f"{connection.ops.quote_name(c)} = %s" for c in columns)
            data = for_database(frame.select(*columns, "id"))
            cursor.executemany(
                f"UPDATE {quoted} SET {sets}, updated_at = %s WHERE id = %s",
                [(*row[:-1], now, row[-1]) for row in data.rows()],
            )
