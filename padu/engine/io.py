"""Reading DTKS-CSV v1 files into typed Polars frames (no Django).

This is the strict reader for files in the native format (the synthetic generator's output,
Padu's own exports). Messy files from other sources go through intake, which maps and
repairs columns first. Every problem names the file, row, column and value.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import polars as pl

from padu.engine import schema

TRUE_WORDS = ["1", "ya", "y", "true", "benar"]
FALSE_WORDS = ["0", "tidak", "t", "false", "salah"]
DATE_FORMATS = ["%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y"]
MAX_REPORTED = 20


@dataclass(frozen=True)
class CellProblem:
    file: str
    row: int  # 1-based line number in the file, the header being line 1
    column: str
    value: str
    message: str

    def __str__(self) -> str:
        return f"{self.file} baris {self.row}, kolom {self.column}: '{self.value}' {self.message}"


class DtksFileError(ValueError):
    """A file that cannot be read as DTKS-CSV v1; ``problems`` lists the cells at fault."""

    def __init__(self, message: str, problems: list[CellProblem] | None = None) -> None:
        self.problems = problems or []
        details = "".join(f"\n  - {p}" for p in self.problems[:MAX_REPORTED])
        more = len(self.problems) - MAX_REPORTED
        if more > 0:
            details += f"\n  ... dan {more} masalah lain"
        super().__init__(message + details)


def _separator(path: Path) -> str:
    with path.open("rb") as handle:
        first = handle.readline().decode("utf-8-sig", errors="replace")
    return ";" if first.count(";") > first.count(",") else ","


def read_raw(path: Path) -> pl.DataFrame:
    """All columns as text, header normalised to lower case with underscores."""
    if not path.is_file():
        raise DtksFileError(f"Berkas {path} tidak ditemukan.")
    frame = pl.read_csv(
        path,
        separator=_separator(path),
        infer_schema=False,
        encoding="utf8-lossy",
    )
    frame.columns = [c.strip().lower().replace(" ", "_").lstrip("\ufeff") for c in frame.columns]
    return frame.with_columns(pl.all().str.strip_chars()).with_columns(
        pl.when(pl.all() == "").then(None).otherwise(pl.all()).name.keep()
    )


def _parse(column: schema.Column, raw: pl.Expr) -> pl.Expr:
    if column.type in ("code", "int"):
        return raw.cast(pl.Int64, strict=False)
    if column.type == "float":
        return raw.str.replace(",", ".", literal=True).cast(pl.Float64, strict=False)
    if column.type == "flag":
        lower = raw.str.to_lowercase()
        return (
            pl.when(lower.is_in(TRUE_WORDS))
            .then(True)
            .when(lower.is_in(FALSE_WORDS))
            .then(False)
            .otherwise(None)
        )
    if column.type == "date":
        return pl.coalesce(raw.str.strptime(pl.Date, f, strict=False) for f in DATE_FORMATS)
    if column.type == "region":
        return dotted_desa(raw)
    return raw


def dotted_desa(raw: pl.Expr) -> pl.Expr:
    """A desa/kelurahan code written plain or dotted (spaces allowed) as ``33.16.01.2001``;
    null when it is not 10 digits."""
    digits = raw.str.replace_all(r"[.\s]", "")
    dotted = pl.concat_str(
        digits.str.slice(0, 2),
        pl.lit("."),
        digits.str.slice(2, 2),
        pl.lit("."),
        digits.str.slice(4, 2),
        pl.lit("."),
        digits.str.slice(6, 4),
    )
    return pl.when(digits.str.contains(r"^[0-9]{10}$")).then(dotted).otherwise(None)


def _problem_message(column: schema.Column) -> str:
    if column.type == "code":
        allowed = ", ".join(str(c) for c in column.codes)
        return f"bukan kode yang dikenal; isi salah satu dari: {allowed}."
    return {
        "int": "bukan bilangan bulat; isi angka tanpa titik atau koma.",
        "float": "bukan angka; isi angka, desimal dengan titik.",
        "flag": "bukan ya/tidak; isi 1 (ya) atau 0 (tidak).",
        "date": "bukan tanggal; tulis sebagai TTTT-BB-HH, mis. 1980-07-31.",
        "region": "bukan kode desa/kelurahan 10 digit; mis. 33.16.01.2001.",
    }.get(column.type, "tidak valid.")


def read_table(path: Path, table: schema.TableName) -> pl.DataFrame:
    """Read keluarga.csv or art.csv into typed columns, in schema order.

    Missing optional columns become null; unknown columns are kept as text after the schema
    columns. Raises :class:`DtksFileError` listing every cell that does not fit its type.
    """
    raw = read_raw(path)
    columns = schema.columns(table)
    missing = [name for name, col in columns.items() if col.required and name not in raw.columns]
    if missing:
        raise DtksFileError(
            f"{path.name}: kolom wajib tidak ada: {', '.join(missing)}. "
            "Tambahkan kolom tersebut pada baris judul (lihat format DTKS-CSV v1)."
        )
    raw = raw.with_columns(
        pl.lit(None, dtype=pl.String).alias(name) for name in columns if name not in raw.columns
    )
    parsed = raw.select(
        [_parse(col, pl.col(name)).alias(name) for name, col in columns.items()]
        + [pl.col(c) for c in raw.columns if c not in columns]
    )
    problems = _cell_problems(path.name, raw, parsed, columns)
    if problems:
        raise DtksFileError(f"{path.name}: {len(problems)} sel tidak sesuai format.", problems)
    return parsed


def _cell_problems(
    filename: str, raw: pl.DataFrame, parsed: pl.DataFrame, columns: dict[str, schema.Column]
) -> list[CellProblem]:
    problems: list[CellProblem] = []
    primary = next(iter(columns))
    for name, col in columns.items():
        bad = raw[name].is_not_null() & parsed[name].is_null()
        if col.type == "code":
            bad = bad | (parsed[name].is_not_null() & ~parsed[name].is_in(list(col.codes)))
        if col.required:
            bad = bad | raw[name].is_null()
        if name == primary:  # the row id: id_keluarga in keluarga.csv, id_art in art.csv
            bad = bad | (raw[name].is_not_null() & raw[name].is_duplicated())
        rows = pl.DataFrame({"value": raw[name], "bad": bad}).with_row_index("i").filter("bad")
        for i, value in rows.select("i", "value").head(MAX_REPORTED).iter_rows():
            if value is None:
                message = "wajib diisi."
            elif name == primary:
                message = "ganda; setiap baris harus punya ID sendiri."
            else:
                message = _problem_message(col)
            problems.append(CellProblem(filename, i + 2, name, value or "", message))
    return problems
