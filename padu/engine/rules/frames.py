"""Lenient typing of keluarga and art frames for the rules (no Django).

:func:`io.read_table` refuses a file with a single bad cell; the quality check must instead
see every record, so here a cell that does not fit its column becomes null *and* a
``nilai_tidak_valid`` finding. Frames that are already typed (a register snapshot) pass
through with light casting. Identity numbers stay as written: the identity rules repair
and judge them with :mod:`padu.engine.nik`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import polars as pl

from padu.engine import io, schema

FINDING_SCHEMA = pl.Schema(
    {"table": pl.String, "record_id": pl.String, "field": pl.String, "detail": pl.String}
)
KEYS = {"keluarga": "id_keluarga", "art": "id_art"}
#: Optional keluarga columns some rules use, beyond DTKS-CSV v1.
EXTRA_COLUMNS: dict[str, schema.ColumnType] = {"desil": "int", "tgl_verifikasi": "date"}
_KEEP_AS_TEXT = {"id", "text", "nik"}
_PROBLEM = {
    "code": "bukan kode yang dikenal",
    "int": "bukan bilangan bulat",
    "float": "bukan angka",
    "flag": "bukan ya/tidak (1/0)",
    "date": "bukan tanggal TTTT-BB-HH",
}


class RulesInputError(ValueError):
    """Input the rules cannot run on at all (a missing key column); message in Bahasa
    Indonesia, naming the table and column."""


@dataclass(frozen=True)
class Reference:
    """What the rules compare against: the day of the check and the known region codes
    (dotted). ``None`` skips the check that needs the list."""

    today: date
    known_kecamatan: frozenset[str] | None = None
    known_desa: frozenset[str] | None = None
    vanished_desa: frozenset[str] = frozenset()


def _region(raw: pl.Expr) -> pl.Expr:
    digits = raw.str.replace_all(".", "", literal=True)
    dotted = pl.format(
        "{}.{}.{}.{}",
        digits.str.slice(0, 2),
        digits.str.slice(2, 2),
        digits.str.slice(4, 2),
        digits.str.slice(6, 4),
    )
    return pl.when(digits.str.contains(r"^[0-9]{10}$")).then(dotted)


def _parse_text(kind: schema.ColumnType, raw: pl.Expr) -> pl.Expr:
    if kind in ("code", "int"):
        return raw.str.replace(r"\.0$", "").cast(pl.Int64, strict=False)
    if kind == "float":
        return raw.str.replace(",", ".", literal=True).cast(pl.Float64, strict=False)
    if kind == "flag":
        lower = raw.str.to_lowercase()
        return (
            pl.when(lower.is_in(io.TRUE_WORDS))
            .then(True)
            .when(lower.is_in(io.FALSE_WORDS))
            .then(False)
        )
    if kind == "date":
        return pl.coalesce(raw.str.strptime(pl.Date, f, strict=False) for f in io.DATE_FORMATS)
    return raw


def _cast_typed(kind: schema.ColumnType, column: pl.Expr) -> pl.Expr:
    target = {
        "code": pl.Int64,
        "int": pl.Int64,
        "float": pl.Float64,
        "flag": pl.Boolean,
        "date": pl.Date,
    }.get(kind, pl.String)
    return column.cast(target, strict=False)


def _columns(table: schema.TableName) -> dict[str, schema.ColumnType]:
    found = {name: col.type for name, col in schema.columns(table).items()}
    if table == "keluarga":
        found.update(EXTRA_COLUMNS)
    return found


def prepare(frame: pl.DataFrame, table: schema.TableName) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Typed copy of ``frame`` (every schema column present, nulls where absent or bad)
    with ``record_id`` and, for keluarga, ``kode_desa_raw``; and the bad cells as findings
    (``table, record_id, field, detail``)."""
    key = KEYS[table]
    required = [key] + (["id_keluarga"] if table == "art" else [])
    missing = [c for c in required if c not in frame.columns]
    if missing:
        raise RulesInputError(
            f"Data {table}: kolom {', '.join(missing)} tidak ada. Tambahkan kolom tersebut "
            "pada baris judul (lihat format DTKS-CSV v1)."
        )
    frame = frame.with_columns(
        record_id=pl.coalesce(
            pl.col(key).cast(pl.String), pl.format("baris {}", pl.int_range(2, pl.len() + 2))
        )
    )
    parsed: list[pl.Expr] = []
    bad: list[pl.DataFrame] = []
    columns = _columns(table)
    specs = schema.columns(table)
    for name, kind in columns.items():
        if name not in frame.columns:
            parsed.append(_cast_typed(kind, pl.lit(None)).alias(name))
            continue
        column = pl.col(name)
        if kind in _KEEP_AS_TEXT or kind == "region":
            parsed.append(column.cast(pl.String))
            continue
        if frame.schema[name] == pl.String:
            value = _parse_text(kind, column)
        else:
            value = _cast_typed(kind, column)
        if kind == "code" and name in specs:
            codes = pl.Series(list(specs[name].codes), dtype=pl.Int64).implode()
            value = pl.when(value.is_in(codes)).then(value)
        parsed.append(value.alias(name))
    typed = frame.select(
        "record_id",
        *parsed,
        *[c for c in frame.columns if c not in columns and c != "record_id"],
    )
    for name, kind in columns.items():
        if name not in frame.columns or kind in _KEEP_AS_TEXT or kind == "region":
            continue
        wrong = frame[name].is_not_null() & typed[name].is_null()
        if not wrong.any():
            continue
        rows = frame.filter(wrong)
        bad.append(
            rows.select(
                table=pl.lit(table),
                record_id="record_id",
                field=pl.lit(name),
                detail=pl.format(
                    "Kolom {} berisi '{}', {}.",
                    pl.lit(name),
                    pl.col(name).cast(pl.String),
                    pl.lit(_PROBLEM.get(kind, "tidak valid")),
                ),
            )
        )
    if table == "keluarga":
        typed = typed.with_columns(
            kode_desa_raw=pl.col("kode_desa"), kode_desa=_region(pl.col("kode_desa"))
        )
    found = pl.concat([pl.DataFrame(schema=FINDING_SCHEMA), *bad])
    return typed, found
