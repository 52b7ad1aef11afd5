"""Register snapshots as Polars frames for the PMT engine (bulk reads, no ORM objects)."""

from __future__ import annotations

import polars as pl
from django.db import connection

from padu.engine import schema
from padu.engine.pmt import features


def _read(sql: str, params: list[str], columns: list[str]) -> pl.DataFrame:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return pl.DataFrame(rows, schema=columns, orient="row", infer_schema_length=None)


def keluarga_frame(prefix: str) -> pl.DataFrame:
    """Live families whose desa code starts with ``prefix`` ("" = all), DTKS-CSV columns plus
    ``pk`` (the register id); ``id_keluarga`` is the register id as text (unique)."""
    names = [c for c in schema.column_names("keluarga") if c != "id_keluarga"]
    cols = ", ".join(connection.ops.quote_name(c) for c in names)
    frame = _read(
        f"SELECT id, {cols} FROM registry_keluarga WHERE deleted_at IS NULL "
        "AND kode_desa LIKE %s ORDER BY id",
        [prefix + "%"],
        ["pk", *names],
    )
    flags = [
        c for c, col in schema.columns("keluarga").items() if col.type == "flag" and c in names
    ]
    return frame.with_columns(
        pl.col("pk").cast(pl.String).alias("id_keluarga"),
        *(pl.col(c).cast(pl.Int8) for c in flags),
    )


def art_frame(prefix: str) -> pl.DataFrame:
    """Live members of those families with the columns the PMT aggregates use."""
    names = [
        "tgl_lahir",
        "jenis_kelamin",
        "pendidikan",
        "partisipasi_sekolah",
        "bekerja",
        "disabilitas",
        "status_hidup",
    ]
    cols = ", ".join(f"p.{connection.ops.quote_name(c)}" for c in names)
    frame = _read(
        f"SELECT p.keluarga_id, {cols} FROM registry_person p "
        "JOIN registry_keluarga k ON k.id = p.keluarga_id "
        "WHERE p.deleted_at IS NULL AND k.deleted_at IS NULL AND k.kode_desa LIKE %s "
        "ORDER BY p.keluarga_id, p.id",
        [prefix + "%"],
        ["keluarga_id", *names],
    )
    return frame.with_columns(
        pl.col("keluarga_id").cast(pl.String).alias("id_keluarga"),
        pl.col("tgl_lahir").cast(pl.Date),
        pl.col("bekerja", "disabilitas").cast(pl.Int8),
    )


def population(prefix: str, reference_date: object) -> pl.DataFrame:
    return features.population_frame(keluarga_frame(prefix), art_frame(prefix), reference_date)  # type: ignore[arg-type]
