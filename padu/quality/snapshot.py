"""Reading the register for the rules in bulk (raw SQL into Polars, no ORM objects).

Record ids are the database keys as text: ``id_keluarga`` is ``Keluarga.pk`` and ``id_art``
is ``Person.pk``. Blank text is null, as in a file; soft-deleted rows are left out.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

import polars as pl
from django.db import connection

from padu.core.bulk import fetch_frame
from padu.engine import schema
from padu.engine.rules import Reference
from padu.registry.models import Keluarga, Person
from padu.wilayah.models import Desa, Kecamatan

CHUNK = 5_000


def _quote(name: str) -> str:
    return connection.ops.quote_name(name)


def _fetch(sql: str, params: Sequence[Any], names: list[str]) -> pl.DataFrame:
    """As :func:`fetch_frame`, with empty text as missing (what the rules expect)."""
    frame = fetch_frame(sql, params, names)
    return frame.with_columns(
        pl.when(pl.col(c) == "").then(None).otherwise(pl.col(c)).alias(c)
        for c, t in frame.schema.items()
        if t == pl.String
    )


def _chunks(ids: Sequence[int]) -> Iterable[Sequence[int]]:
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]


def _select(
    table: str, columns: list[str], where: str, ids: Sequence[int] | None, id_column: str
) -> pl.DataFrame:
    names = [c.split(" AS ")[-1] for c in columns]
    select = f"SELECT {', '.join(columns)} FROM {_quote(table)} WHERE {where}"
    if ids is None:
        return _fetch(select, [], names)
    parts = [
        _fetch(
            f"{select} AND {id_column} IN ({', '.join(['%s'] * len(chunk))})", list(chunk), names
        )
        for chunk in _chunks(list(ids))
    ]
    if not parts:
        return pl.DataFrame(schema=dict.fromkeys(names, pl.String))
    return pl.concat(parts, how="diagonal_relaxed")


def _to_dates(frame: pl.DataFrame, names: list[str]) -> pl.DataFrame:
    """SQLite gives dates as text, PostgreSQL as dates: both become Date."""
    converted = []
    for name in names:
        dtype = frame.schema[name]
        column = pl.col(name)
        if dtype == pl.String:
            converted.append(column.str.slice(0, 10).str.to_date("%Y-%m-%d", strict=False))
        elif isinstance(dtype, pl.Datetime):
            converted.append(column.dt.date())
        else:
            converted.append(column.cast(pl.Date))
    return frame.with_columns(converted)


def read_keluarga(ids: Sequence[int] | None = None) -> pl.DataFrame:
    """Families (all, or those with these keys) with the DTKS-CSV columns and
    ``tgl_verifikasi``."""
    names = [c for c in schema.column_names("keluarga") if c != "id_keluarga"]
    columns = ["CAST(id AS VARCHAR(20)) AS id_keluarga", *names, "verified_at AS tgl_verifikasi"]
    frame = _select(Keluarga._meta.db_table, columns, "deleted_at IS NULL", ids, "id")
    return _to_dates(frame, ["tgl_verifikasi"])


def read_art(keluarga_ids: Sequence[int] | None = None) -> pl.DataFrame:
    """Members of those families (or of all), with the DTKS-CSV columns."""
    names = [c for c in schema.column_names("art") if c not in ("id_art", "id_keluarga")]
    columns = [
        "CAST(id AS VARCHAR(20)) AS id_art",
        "CAST(keluarga_id AS VARCHAR(20)) AS id_keluarga",
        *names,
    ]
    frame = _select(
        Person._meta.db_table, columns, "deleted_at IS NULL", keluarga_ids, "keluarga_id"
    )
    return _to_dates(frame, ["tgl_lahir", "tgl_meninggal"])


def _upper(column: str) -> pl.Expr:
    return pl.col(column).str.to_uppercase().str.replace_all(r"\s+", " ")


def read_peers(
    art: pl.DataFrame, exclude_keluarga: Sequence[int], *, by_name: bool = False
) -> pl.DataFrame:
    """Other persons of the register sharing a NIK, or a name and birth date, with ``art``:
    what the duplicate rules compare with in an incremental check. Name and birth date are
    looked up only with ``by_name`` (a scan of every person on a register without an index
    on ``tgl_lahir``); the full check always compares every person with every other."""
    columns = [
        "CAST(id AS VARCHAR(20)) AS record_id",
        "CAST(keluarga_id AS VARCHAR(20)) AS id_keluarga",
        "nik",
        "nama",
        "tgl_lahir",
        "nama_ibu",
    ]
    names = [c.split(" AS ")[-1] for c in columns]
    table = _quote(Person._meta.db_table)
    found = []
    niks = art["nik"].drop_nulls().unique().to_list()
    for start in range(0, len(niks), CHUNK):
        chunk = niks[start : start + CHUNK]
        sql = (
            f"SELECT {', '.join(columns)} FROM {table} WHERE deleted_at IS NULL "
            f"AND nik IN ({', '.join(['%s'] * len(chunk))})"
        )
        found.append(_fetch(sql, chunk, names))
    # Same name and birth date: candidates by birth date (an indexed column), names
    # compared here as the rule compares them (upper case).
    pairs = art.select(_upper("nama"), "tgl_lahir").drop_nulls().unique()
    days = pairs["tgl_lahir"].unique().to_list() if by_name else []
    for start in range(0, len(days), CHUNK):
        chunk_days = days[start : start + CHUNK]
        sql = (
            f"SELECT {', '.join(columns)} FROM {table} WHERE deleted_at IS NULL "
            f"AND tgl_lahir IN ({', '.join(['%s'] * len(chunk_days))})"
        )
        same_day = _to_dates(_fetch(sql, chunk_days, names), ["tgl_lahir"])
        same = same_day.with_columns(_n=_upper("nama")).join(
            pairs.rename({"nama": "_n"}), on=["_n", "tgl_lahir"], how="semi"
        )
        found.append(same.drop("_n"))
    if not found:
        return pl.DataFrame(schema=dict.fromkeys(names, pl.String))
    peers = pl.concat([_to_dates(f, ["tgl_lahir"]) for f in found], how="diagonal_relaxed")
    excluded = [str(i) for i in exclude_keluarga]
    return peers.unique("record_id").filter(~pl.col("id_keluarga").is_in(excluded))


def register_reference(today: date) -> Reference:
    """Today with the region codes of the database: every desa ever loaded is known, the
    inactive ones are vanished. No regions loaded: the region rules are skipped."""
    kecamatan = frozenset(Kecamatan.objects.values_list("code", flat=True))
    desa = dict(Desa.objects.values_list("code", "active"))
    return Reference(
        today=today,
        known_kecamatan=kecamatan or None,
        known_desa=frozenset(desa) or None,
        vanished_desa=frozenset(code for code, active in desa.items() if not active),
    )
