"""Repair and validation of one chunk of source rows (no Django, no per-row Python loops
except to word the message of a failing identity number).

Repairs are what is unambiguous: spreadsheet damage of identity numbers, Excel serial
dates, spaces, decimal commas, code words. Each repair is recorded with the original value.
Every failing cell becomes an error naming the row (``_baris``), the column, the value and
the fix, in Bahasa Indonesia. Errors of severity ``error`` send the row to quarantine;
``warning`` is kept with the row.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass, field

import polars as pl

from padu.engine import nik, schema
from padu.engine.intake.codes import CodeMap, code_map, translate
from padu.engine.intake.reader import ROW
from padu.engine.io import dotted_desa

EXCEL_EPOCH = dt.date(1899, 12, 30)
EXCEL_SERIAL_RANGE = (366, 73_050)  # 1901-01-01 .. 2099-12-31
DATE_FORMATS = ["%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y", "%Y/%m/%d", "%d.%m.%Y"]
WARNING_CODES = {"nik_wilayah_tidak_dikenal", "kk_wilayah_tidak_dikenal"}
ERROR_SCHEMA = pl.Schema(
    {
        ROW: pl.Int64,
        "kolom": pl.String,
        "nilai": pl.String,
        "kode": pl.String,
        "tingkat": pl.String,
        "pesan": pl.String,
    }
)
REPAIR_SCHEMA = pl.Schema(
    {
        ROW: pl.Int64,
        "kolom": pl.String,
        "asli": pl.String,
        "hasil": pl.String,
        "jenis": pl.String,
    }
)


@dataclass
class CleanChunk:
    typed: pl.DataFrame  # _baris + the table's columns, typed
    errors: pl.DataFrame  # ERROR_SCHEMA
    repairs: pl.DataFrame  # REPAIR_SCHEMA
    blank: pl.Series  # rows with no value at all

    def quarantined_rows(self) -> pl.Series:
        return self.errors.filter(pl.col("tingkat") == "error")[ROW].unique()


@dataclass
class CleanOptions:
    table: schema.TableName
    mapping: dict[str, str]  # target column -> header in the file
    code_maps: dict[str, CodeMap] = field(default_factory=dict)  # per-source overrides
    known_kecamatan: Collection[str] | None = None
    today: dt.date = field(default_factory=dt.date.today)


class DuplicateTracker:
    """Row ids seen so far in a file, across chunks."""

    def __init__(self) -> None:
        self.seen: set[str] = set()

    def duplicated(self, ids: pl.Series) -> pl.Series:
        inside = ids.is_duplicated() & ~ids.is_first_distinct()
        before = ids.is_in(list(self.seen)) if self.seen else pl.Series([False] * ids.len())
        self.seen.update(ids.drop_nulls().to_list())
        return (inside | before) & ids.is_not_null()


def shown(opts: CleanOptions, name: str) -> str:
    """How a column is named to the user: its header in their file, else its label."""
    return opts.mapping.get(name) or schema.columns(opts.table)[name].label


def error_rows(
    frame: pl.DataFrame,
    mask: pl.Expr,
    column: str,
    code: str,
    message: pl.Expr,
    severity: str = "error",
) -> pl.DataFrame:
    return frame.filter(mask).select(
        pl.col(ROW),
        pl.lit(column).alias("kolom"),
        pl.col(column).cast(pl.String).alias("nilai"),
        pl.lit(code).alias("kode"),
        pl.lit(severity).alias("tingkat"),
        message.alias("pesan"),
    )


def _repairs(
    frame: pl.DataFrame, before: pl.Expr, after: pl.Expr, column: str, kind: str
) -> pl.DataFrame:
    return frame.select(
        pl.col(ROW),
        pl.lit(column).alias("kolom"),
        before.alias("asli"),
        after.cast(pl.String).alias("hasil"),
        pl.lit(kind).alias("jenis"),
    ).filter(pl.col("asli").is_not_null() & (pl.col("asli") != pl.col("hasil")))


def _text(raw: pl.DataFrame, name: str) -> tuple[pl.Expr, list[pl.DataFrame]]:
    tidy = pl.col(name).str.replace_all(r"\s+", " ").str.strip_chars()
    return tidy, [_repairs(raw, pl.col(name), tidy, name, "spasi")]


def _date(
    raw: pl.DataFrame, name: str, shown: str
) -> tuple[pl.Expr, list[pl.DataFrame], list[pl.DataFrame]]:
    value = pl.col(name).str.strip_chars()
    parsed = pl.coalesce(
        *(value.str.strptime(pl.Date, f, strict=False) for f in DATE_FORMATS),
        value.str.slice(0, 10).str.strptime(pl.Date, "%Y-%m-%d", strict=False),
    )
    serial = value.cast(pl.Int64, strict=False)
    is_serial = parsed.is_null() & serial.is_between(*EXCEL_SERIAL_RANGE)
    from_serial = pl.lit(EXCEL_EPOCH) + pl.duration(days=serial)
    result = pl.when(is_serial).then(from_serial).otherwise(parsed)
    repairs = [
        _repairs(
            raw.filter(is_serial),
            pl.col(name),
            from_serial.dt.strftime("%Y-%m-%d"),
            name,
            "serial_excel",
        )
    ]
    bad = value.is_not_null() & result.is_null()
    message = pl.format(
        "Baris {}, kolom {}: '{}' bukan tanggal yang sah. Tulis sebagai TTTT-BB-HH "
        "(mis. 1980-07-31) atau HH-BB-TTTT.",
        pl.col(ROW),
        pl.lit(shown),
        pl.col(name),
    )
    return result, repairs, [error_rows(raw, bad, name, "tanggal_tidak_valid", message)]


def _number(
    raw: pl.DataFrame, name: str, shown: str, integer: bool
) -> tuple[pl.Expr, list[pl.DataFrame], list[pl.DataFrame]]:
    value = pl.col(name).str.strip_chars()
    comma = value.str.contains(r"^-?[0-9]+,[0-9]+$")
    dotted = pl.when(comma).then(value.str.replace(",", ".", literal=True)).otherwise(value)
    number = dotted.cast(pl.Float64, strict=False)
    whole = number.is_not_null() & (number.round(0) == number)
    result = pl.when(whole).then(number).otherwise(None).cast(pl.Int64) if integer else number
    bad = value.is_not_null() & (result.is_null() | (number < 0))
    kind = "bilangan bulat" if integer else "angka"
    message = pl.format(
        "Baris {}, kolom {}: '{}' bukan {} yang sah. Isi {} tidak negatif, tanpa satuan.",
        pl.col(ROW),
        pl.lit(shown),
        pl.col(name),
        pl.lit(kind),
        pl.lit(kind),
    )
    repairs = (
        [] if integer else [_repairs(raw.filter(comma), pl.col(name), dotted, name, "koma_desimal")]
    )
    return result, repairs, [error_rows(raw, bad, name, "angka_tidak_valid", message)]


def _code(raw: pl.DataFrame, opts: CleanOptions, name: str) -> tuple[pl.Expr, list[pl.DataFrame]]:
    spec = schema.columns(opts.table)[name]
    accepted = code_map(opts.table, name, opts.code_maps.get(name))
    result = translate(pl.col(name), accepted)
    if spec.type == "flag":
        result = result.cast(pl.Boolean)
        allowed = "1/ya atau 0/tidak"
    else:
        allowed = ", ".join(f"{c} ({label})" for c, label in spec.codes.items())
    message = pl.format(
        "Baris {}, kolom {}: '{}' tidak dikenal. Isi salah satu: {}.",
        pl.col(ROW),
        pl.lit(shown(opts, name)),
        pl.col(name),
        pl.lit(allowed),
    )
    bad = pl.col(name).is_not_null() & translate(pl.col(name), accepted).is_null()
    return result, [error_rows(raw, bad, name, "kode_tidak_dikenal", message)]


def _region(raw: pl.DataFrame, name: str, shown: str) -> tuple[pl.Expr, list[pl.DataFrame]]:
    dotted = dotted_desa(pl.col(name))
    message = pl.format(
        "Baris {}, kolom {}: '{}' bukan kode desa/kelurahan 10 digit. "
        "Tulis seperti 33.16.01.2001 atau 3316012001.",
        pl.col(ROW),
        pl.lit(shown),
        pl.col(name),
    )
    bad = pl.col(name).is_not_null() & dotted.is_null()
    return dotted, [error_rows(raw, bad, name, "kode_desa_tidak_valid", message)]


def _identity(
    raw: pl.DataFrame, opts: CleanOptions, name: str
) -> tuple[pl.Series, list[pl.DataFrame], list[pl.DataFrame]]:
    is_nik = name == "nik"
    values = raw[name]
    if is_nik:
        checked = nik.check_nik_column(
            values, known_kecamatan=opts.known_kecamatan, today=opts.today
        )
    else:
        checked = nik.check_no_kk_column(values, known_kecamatan=opts.known_kecamatan)
    value_col = "nik" if is_nik else "no_kk"
    both = pl.DataFrame(
        {
            ROW: raw[ROW],
            "asli": values,
            "hasil": checked[value_col],
            "repaired": checked["repaired"],
            "problem": checked["problem"],
        }
    )
    repairs = [
        both.filter("repaired").select(
            ROW,
            pl.lit(name).alias("kolom"),
            "asli",
            "hasil",
            pl.lit("nomor_identitas").alias("jenis"),
        )
    ]
    failing = both.filter(
        pl.col("problem").is_not_null() & ~pl.col("problem").str.ends_with("_kosong")
    )
    parse = nik.parse_nik if is_nik else nik.parse_no_kk
    rows = []
    for row, original, code in failing.select(ROW, "asli", "problem").iter_rows():
        problems = parse(original, known_kecamatan=opts.known_kecamatan)
        text = next((p.message for p in problems.problems if p.code == code), code)
        severity = "warning" if code in WARNING_CODES else "error"
        rows.append(
            (row, name, original, code, severity, f"Baris {row}, kolom {shown(opts, name)}: {text}")
        )
    errors = [pl.DataFrame(rows, schema=ERROR_SCHEMA, orient="row")]
    return checked[value_col], repairs, errors


def clean_chunk(raw_chunk: pl.DataFrame, opts: CleanOptions, ids: DuplicateTracker) -> CleanChunk:
    """Repair and validate one chunk; ``raw_chunk`` has ``_baris`` and the file's headers."""
    columns = schema.columns(opts.table)
    raw = raw_chunk.select(
        pl.col(ROW),
        *[
            (pl.col(opts.mapping[n]) if n in opts.mapping else pl.lit(None, pl.String)).alias(n)
            for n in columns
        ],
    ).with_columns(
        pl.when(pl.all().exclude(ROW) == "").then(None).otherwise(pl.all().exclude(ROW)).name.keep()
    )
    typed: dict[str, pl.Expr | pl.Series] = {}
    repairs: list[pl.DataFrame] = []
    errors: list[pl.DataFrame] = []
    for name, spec in columns.items():
        if spec.type in ("id", "text"):
            expr, rep = _text(raw, name)
            typed[name], repairs = expr, repairs + rep
        elif spec.type == "nik":
            series, rep, err = _identity(raw, opts, name)
            typed[name], repairs, errors = series, repairs + rep, errors + err
        elif spec.type == "date":
            expr, rep, err = _date(raw, name, shown(opts, name))
            typed[name], repairs, errors = expr, repairs + rep, errors + err
        elif spec.type in ("int", "float"):
            expr, rep, err = _number(raw, name, shown(opts, name), spec.type == "int")
            typed[name], repairs, errors = expr, repairs + rep, errors + err
        elif spec.type in ("code", "flag"):
            expr, err = _code(raw, opts, name)
            typed[name], errors = expr, errors + err
        elif spec.type == "region":
            expr, err = _region(raw, name, shown(opts, name))
            typed[name], errors = expr, errors + err
    blank = raw.select(pl.all_horizontal(pl.all().exclude(ROW).is_null()))
    blank_series = blank.to_series()
    for name, spec in columns.items():
        if spec.required:
            message = pl.format(
                "Baris {}, kolom {}: wajib diisi.", pl.col(ROW), pl.lit(shown(opts, name))
            )
            errors.append(
                error_rows(
                    raw.filter(~blank_series), pl.col(name).is_null(), name, "wajib_kosong", message
                )
            )
    primary = next(iter(columns))
    duplicate = ids.duplicated(raw[primary].str.strip_chars())
    message = pl.format(
        "Baris {}, kolom {}: '{}' ganda di berkas ini; setiap baris harus punya ID sendiri.",
        pl.col(ROW),
        pl.lit(shown(opts, primary)),
        pl.col(primary),
    )
    errors.append(
        error_rows(raw.with_columns(_dup=duplicate), pl.col("_dup"), primary, "id_ganda", message)
    )
    typed_frame = raw.select(
        pl.col(ROW),
        *[(v if isinstance(v, pl.Expr) else pl.lit(v)).alias(k) for k, v in typed.items()],
    )
    return CleanChunk(
        typed=_cast(typed_frame, opts.table),
        errors=pl.concat([e.cast(ERROR_SCHEMA) for e in errors if e.height])
        if any(e.height for e in errors)
        else pl.DataFrame(schema=ERROR_SCHEMA),
        repairs=pl.concat([r.cast(REPAIR_SCHEMA) for r in repairs if r.height])
        if any(r.height for r in repairs)
        else pl.DataFrame(schema=REPAIR_SCHEMA),
        blank=blank_series,
    )


DTYPES = {
    "id": pl.String,
    "text": pl.String,
    "nik": pl.String,
    "region": pl.String,
    "code": pl.Int64,
    "int": pl.Int64,
    "flag": pl.Boolean,
    "float": pl.Float64,
    "date": pl.Date,
}


def _cast(frame: pl.DataFrame, table: schema.TableName) -> pl.DataFrame:
    return frame.with_columns(
        pl.col(n).cast(DTYPES[c.type]) for n, c in schema.columns(table).items()
    )
