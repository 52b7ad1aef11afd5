"""Repair and validation of one chunk of source rows (no Django, no per-row Python loops:
the message of a failing identity number is worded once per distinct problem).

One lazy Polars query computes every typed value and every flag of a failing rule or a
repair over the whole chunk; error and repair rows are then cut from the flagged rows only.
Code and date columns are translated once per distinct value, then looked up.

Repairs are what is unambiguous: spreadsheet damage of identity numbers, Excel serial
dates, spaces, decimal commas, code words. Each repair is recorded with the original value.
Every failing cell becomes an error naming the row (``_baris``), the column, the value and
the fix, in Bahasa Indonesia. Errors of severity ``error`` send the row to quarantine;
``warning`` is kept with the row.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable
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
    """Row ids seen so far in a file, across chunks (kept as Polars text, not Python
    strings: a set turned into a list for every chunk made the check quadratic)."""

    def __init__(self, seen: Iterable[str] = ()) -> None:
        self.seen = pl.Series("id", list(seen), dtype=pl.String)

    def add(self, ids: Iterable[str]) -> None:
        self.seen = pl.concat([self.seen, pl.Series("id", list(ids), dtype=pl.String)])

    def duplicated(self, ids: pl.Series) -> pl.Series:
        inside = ids.is_duplicated() & ~ids.is_first_distinct()
        before = ids.is_in(self.seen.implode())
        self.seen = pl.concat([self.seen, ids.drop_nulls().unique().rename("id")], rechunk=False)
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


@dataclass
class _Check:
    """One validation rule: ``flag`` (a Boolean column of the checked frame) marks the
    failing rows; the other expressions are evaluated on those rows only."""

    column: str
    flag: str
    code: pl.Expr
    message: pl.Expr
    severity: pl.Expr


@dataclass
class _Fix:
    """One kind of repair: ``flag`` marks the candidate rows; ``changed_only`` keeps only
    those whose original differs from the result."""

    column: str
    flag: str
    before: pl.Expr
    after: pl.Expr
    kind: str
    changed_only: bool = True


@dataclass
class _Plan:
    """Columns computed over the whole chunk in three passes: what later ones share
    (``first``), the typed values (``second``), the flags of checks and repairs
    (``flags``); then the error and repair rows are cut from the flagged rows."""

    first: dict[str, pl.Expr] = field(default_factory=dict)
    second: dict[str, pl.Expr] = field(default_factory=dict)
    flags: dict[str, pl.Expr] = field(default_factory=dict)
    checks: list[_Check] = field(default_factory=list)
    fixes: list[_Fix] = field(default_factory=list)

    def check(
        self,
        column: str,
        mask: pl.Expr,
        code: str | pl.Expr,
        message: pl.Expr,
        severity: str | pl.Expr = "error",
    ) -> None:
        flag = f"_e{len(self.checks)}"
        self.flags[flag] = mask.fill_null(False)
        self.checks.append(
            _Check(
                column,
                flag,
                pl.lit(code) if isinstance(code, str) else code,
                message,
                pl.lit(severity) if isinstance(severity, str) else severity,
            )
        )

    def fix(
        self,
        column: str,
        mask: pl.Expr,
        before: pl.Expr,
        after: pl.Expr,
        kind: str,
        changed_only: bool = True,
    ) -> None:
        flag = f"_r{len(self.fixes)}"
        self.flags[flag] = mask.fill_null(False)
        self.fixes.append(_Fix(column, flag, before, after, kind, changed_only))


def _typed(name: str) -> str:
    return f"_t_{name}"


def _text(plan: _Plan, name: str) -> None:
    tidy = pl.col(name).str.replace_all(r"\s+", " ").str.strip_chars()
    plan.second[_typed(name)] = tidy
    plan.fix(name, pl.col(name).is_not_null(), pl.col(name), pl.col(_typed(name)), "spasi")


def _date(plan: _Plan, frame: pl.DataFrame, name: str, shown: str) -> None:
    value = pl.col(name).str.strip_chars()
    # Many rows share a date: each distinct text is parsed once, then looked up.
    distinct = frame.select(pl.col(name).unique().drop_nulls()).select(
        pl.col(name),
        pl.coalesce(
            *(value.str.strptime(pl.Date, f, strict=False) for f in DATE_FORMATS),
            value.str.slice(0, 10).str.strptime(pl.Date, "%Y-%m-%d", strict=False),
        ).alias("date"),
        value.cast(pl.Int64, strict=False).alias("serial"),
    )
    parsed, serial = f"_dp_{name}", f"_ds_{name}"
    dates, serials = distinct.drop_nulls("date"), distinct.drop_nulls("serial")
    plan.first[parsed] = pl.col(name).replace_strict(
        dates[name], dates["date"], default=None, return_dtype=pl.Date
    )
    plan.first[serial] = pl.col(name).replace_strict(
        serials[name], serials["serial"], default=None, return_dtype=pl.Int64
    )
    is_serial = pl.col(parsed).is_null() & pl.col(serial).is_between(*EXCEL_SERIAL_RANGE)
    from_serial = pl.lit(EXCEL_EPOCH) + pl.duration(days=pl.col(serial))
    plan.second[_typed(name)] = pl.when(is_serial).then(from_serial).otherwise(pl.col(parsed))
    plan.fix(name, is_serial, pl.col(name), from_serial.dt.strftime("%Y-%m-%d"), "serial_excel")
    message = pl.format(
        "Baris {}, kolom {}: '{}' bukan tanggal yang sah. Tulis sebagai TTTT-BB-HH "
        "(mis. 1980-07-31) atau HH-BB-TTTT.",
        pl.col(ROW),
        pl.lit(shown),
        pl.col(name),
    )
    bad = pl.col(name).is_not_null() & pl.col(_typed(name)).is_null()
    plan.check(name, bad, "tanggal_tidak_valid", message)


def _number(plan: _Plan, name: str, shown: str, integer: bool) -> None:
    value = pl.col(name).str.strip_chars()
    comma = value.str.contains(r"^-?[0-9]+,[0-9]+$")
    dotted = pl.when(comma).then(value.str.replace(",", ".", literal=True)).otherwise(value)
    number = f"_n_{name}"
    plan.first[number] = dotted.cast(pl.Float64, strict=False)
    whole = pl.col(number).is_not_null() & (pl.col(number).round(0) == pl.col(number))
    plan.second[_typed(name)] = (
        pl.when(whole).then(pl.col(number)).otherwise(None).cast(pl.Int64)
        if integer
        else pl.col(number)
    )
    bad = pl.col(name).is_not_null() & (pl.col(_typed(name)).is_null() | (pl.col(number) < 0))
    kind = "bilangan bulat" if integer else "angka"
    message = pl.format(
        "Baris {}, kolom {}: '{}' bukan {} yang sah. Isi {} tidak negatif, tanpa satuan.",
        pl.col(ROW),
        pl.lit(shown),
        pl.col(name),
        pl.lit(kind),
        pl.lit(kind),
    )
    if not integer:
        plan.fix(name, comma, pl.col(name), dotted, "koma_desimal")
    plan.check(name, bad, "angka_tidak_valid", message)


def _code(plan: _Plan, frame: pl.DataFrame, opts: CleanOptions, name: str) -> None:
    spec = schema.columns(opts.table)[name]
    accepted = code_map(opts.table, name, opts.code_maps.get(name))
    # A code column holds few distinct values: each is translated once, then looked up.
    distinct = frame.select(pl.col(name).unique().drop_nulls())
    known = distinct.select(pl.col(name), translate(pl.col(name), accepted).alias("code"))
    known = known.filter(pl.col("code").is_not_null())
    codes = f"_c_{name}"
    plan.first[codes] = pl.col(name).replace_strict(
        known[name], known["code"], default=None, return_dtype=pl.Int64
    )
    if spec.type == "flag":
        plan.second[_typed(name)] = pl.col(codes).cast(pl.Boolean)
        allowed = "1/ya atau 0/tidak"
    else:
        plan.second[_typed(name)] = pl.col(codes)
        allowed = ", ".join(f"{c} ({label})" for c, label in spec.codes.items())
    message = pl.format(
        "Baris {}, kolom {}: '{}' tidak dikenal. Isi salah satu: {}.",
        pl.col(ROW),
        pl.lit(shown(opts, name)),
        pl.col(name),
        pl.lit(allowed),
    )
    bad = pl.col(name).is_not_null() & pl.col(codes).is_null()
    plan.check(name, bad, "kode_tidak_dikenal", message)


def _region(plan: _Plan, name: str, shown: str) -> None:
    plan.second[_typed(name)] = dotted_desa(pl.col(name))
    message = pl.format(
        "Baris {}, kolom {}: '{}' bukan kode desa/kelurahan 10 digit. "
        "Tulis seperti 33.16.01.2001 atau 3316012001.",
        pl.col(ROW),
        pl.lit(shown),
        pl.col(name),
    )
    bad = pl.col(name).is_not_null() & pl.col(_typed(name)).is_null()
    plan.check(name, bad, "kode_desa_tidak_valid", message)


# What the message of each identity problem depends on besides its code: rows with the
# same code and key get the same text, worded once by the scalar check in ``nik.py``.
_IDENTITY_KEY_PARTS = {
    "bukan_angka": lambda v: v,
    "panjang": lambda v: v.str.len_chars().cast(pl.String),
    "wilayah_tidak_dikenal": lambda v: v.str.slice(0, 6),
    "tanggal_tidak_valid": lambda v: v.str.slice(6, 6),
}


def _identity_key(problem: pl.Expr, value: pl.Expr) -> pl.Expr:
    part: pl.Expr = pl.lit("")
    for suffix, key in _IDENTITY_KEY_PARTS.items():
        part = pl.when(problem.str.ends_with(suffix)).then(key(value)).otherwise(part)
    return pl.concat_str(problem, pl.lit("|"), part.fill_null(""))


def _identity(plan: _Plan, frame: pl.DataFrame, opts: CleanOptions, name: str) -> pl.DataFrame:
    """Adds the checked identity columns to ``frame``; problems and repairs go to ``plan``."""
    is_nik = name == "nik"
    value, problem, key = f"_v_{name}", f"_p_{name}", f"_k_{name}"
    # Members of a family share its No. KK: a column with many repeats is checked once per
    # distinct value and joined back.
    distinct = frame[name].unique(maintain_order=True)
    values = distinct if distinct.len() < frame.height // 2 else frame[name]
    if is_nik:
        checked = nik.check_nik_column(
            values, known_kecamatan=opts.known_kecamatan, today=opts.today
        )
    else:
        checked = nik.check_no_kk_column(values, known_kecamatan=opts.known_kecamatan)
    columns = [
        checked["nik" if is_nik else "no_kk"].alias(value),
        checked["repaired"].alias(f"_rep_{name}"),
        checked["problem"].alias(problem),
    ]
    if values is distinct:
        found = pl.DataFrame([values.alias(key), *columns])
        frame = frame.join(
            found, left_on=name, right_on=key, how="left", nulls_equal=True, maintain_order="left"
        )
    else:
        frame = frame.with_columns(columns)
    failing = pl.col(problem).is_not_null() & ~pl.col(problem).str.ends_with("_kosong")
    keyed = frame.filter(failing).select(
        pl.col(ROW),
        _identity_key(pl.col(problem), pl.col(value)).alias(key),
        pl.col(name),
        pl.col(problem),
    )
    parse = nik.parse_nik if is_nik else nik.parse_no_kk
    texts: dict[str, str] = {}
    for text_key, original, code in keyed.unique(key, keep="first").drop(ROW).iter_rows():
        problems = parse(original, known_kecamatan=opts.known_kecamatan)
        texts[text_key] = next((p.message for p in problems.problems if p.code == code), code)
    text = f"_m_{name}"
    worded = keyed.select(
        pl.col(ROW), pl.col(key).replace_strict(texts, return_dtype=pl.String).alias(text)
    )
    frame = frame.join(worded, on=ROW, how="left", maintain_order="left")
    plan.second[_typed(name)] = pl.col(value)
    plan.fix(name, pl.col(f"_rep_{name}"), pl.col(name), pl.col(value), "nomor_identitas", False)
    message = pl.format(
        "Baris {}, kolom {}: {}", pl.col(ROW), pl.lit(shown(opts, name)), pl.col(text)
    )
    severity = pl.when(pl.col(problem).is_in(list(WARNING_CODES)))
    plan.check(
        name,
        failing,
        pl.col(problem),
        message,
        severity.then(pl.lit("warning")).otherwise(pl.lit("error")),
    )
    return frame


def clean_chunk(raw_chunk: pl.DataFrame, opts: CleanOptions, ids: DuplicateTracker) -> CleanChunk:
    """Repair and validate one chunk; ``raw_chunk`` has ``_baris`` and the file's headers.

    Every typed value and every flag of a failing rule or a repair is computed in one lazy
    query over the chunk (parsed dates, numbers and translated codes once each); error and
    repair rows are then cut from the flagged rows only, their messages worded for those
    rows alone."""
    columns = schema.columns(opts.table)
    frame = raw_chunk.select(
        pl.col(ROW),
        *[
            (pl.col(opts.mapping[n]) if n in opts.mapping else pl.lit(None, pl.String)).alias(n)
            for n in columns
        ],
    ).with_columns(
        pl.when(pl.all().exclude(ROW) == "").then(None).otherwise(pl.all().exclude(ROW)).name.keep()
    )
    plan = _Plan()
    for name, spec in columns.items():
        if spec.type in ("id", "text"):
            _text(plan, name)
        elif spec.type == "nik":
            frame = _identity(plan, frame, opts, name)
        elif spec.type == "date":
            _date(plan, frame, name, shown(opts, name))
        elif spec.type in ("int", "float"):
            _number(plan, name, shown(opts, name), spec.type == "int")
        elif spec.type in ("code", "flag"):
            _code(plan, frame, opts, name)
        elif spec.type == "region":
            _region(plan, name, shown(opts, name))
    plan.first["_kosong"] = pl.all_horizontal(pl.col(n).is_null() for n in columns)
    for name, spec in columns.items():
        if spec.required:
            message = pl.format(
                "Baris {}, kolom {}: wajib diisi.", pl.col(ROW), pl.lit(shown(opts, name))
            )
            plan.check(name, ~pl.col("_kosong") & pl.col(name).is_null(), "wajib_kosong", message)
    primary = next(iter(columns))
    frame = frame.with_columns(ids.duplicated(frame[primary].str.strip_chars()).alias("_dup"))
    message = pl.format(
        "Baris {}, kolom {}: '{}' ganda di berkas ini; setiap baris harus punya ID sendiri.",
        pl.col(ROW),
        pl.lit(shown(opts, primary)),
        pl.col(primary),
    )
    plan.check(primary, pl.col("_dup"), "id_ganda", message)
    checked = (
        frame.lazy()
        .with_columns(**plan.first)
        .with_columns(**plan.second)
        .with_columns(**plan.flags)
        .collect(engine="in-memory")
    )
    typed = checked.select(pl.col(ROW), *[pl.col(_typed(n)).alias(n) for n in columns])
    return CleanChunk(
        typed=_cast(typed, opts.table),
        errors=_errors(checked, plan.checks),
        repairs=_repairs(checked, plan.fixes),
        blank=checked["_kosong"].alias(primary),
    )


def _errors(checked: pl.DataFrame, checks: list[_Check]) -> pl.DataFrame:
    frames = [
        checked.lazy()
        .filter(pl.col(c.flag))
        .select(
            pl.col(ROW),
            pl.lit(c.column).alias("kolom"),
            pl.col(c.column).cast(pl.String).alias("nilai"),
            c.code.alias("kode"),
            c.severity.alias("tingkat"),
            c.message.alias("pesan"),
        )
        for c in checks
        if checked[c.flag].any()
    ]
    if not frames:
        return pl.DataFrame(schema=ERROR_SCHEMA)
    return pl.concat(frames).collect(engine="in-memory").cast(ERROR_SCHEMA)


def _repairs(checked: pl.DataFrame, fixes: list[_Fix]) -> pl.DataFrame:
    frames = []
    for f in fixes:
        if not checked[f.flag].any():
            continue
        rows = (
            checked.lazy()
            .filter(pl.col(f.flag))
            .select(
                pl.col(ROW),
                pl.lit(f.column).alias("kolom"),
                f.before.cast(pl.String).alias("asli"),
                f.after.cast(pl.String).alias("hasil"),
                pl.lit(f.kind).alias("jenis"),
            )
        )
        if f.changed_only:
            rows = rows.filter(pl.col("asli").is_not_null() & (pl.col("asli") != pl.col("hasil")))
        frames.append(rows)
    if not frames:
        return pl.DataFrame(schema=REPAIR_SCHEMA)
    return pl.concat(frames).collect(engine="in-memory").cast(REPAIR_SCHEMA)


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
