"""Identity evidence of person records for linkage, vectorised over Polars (no Django).

:func:`prepare_records` turns the linkage input (``record_id, source, nik, no_kk, nama,
tgl_lahir, jenis_kelamin, tempat_lahir, nama_ibu, kode_desa, alamat, rt, rw``; any column
but ``record_id`` may be missing or blank) into one row of comparable fields per record:

- ``nik``: 16 digits after undoing spreadsheet damage (:mod:`padu.engine.numbers`), else
  blank; ``nik_awal``: the digits kept by a float-damaged NIK (``3.31601E+15`` ->
  ``331601``: only evidence of the kecamatan); ``nik_tgl``/``nik_jk``: the birth date and
  sex encoded in the NIK (day + 40 for women);
- ``tgl``: the birth date in any of the sources' formats; ``tgl_default``: 1 January or
  1 July (a date written when the real one was unknown); ``tgl_tukar``: day and month
  swapped; ``tgl_nik_cocok``: the NIK's date agrees with the record's (day, month, year);
  ``tgl_baik``: the record's date, or the NIK's when the record has none or only a default
  date of the same year;
- ``jk``: 1 or 2 from ``L/P``, ``1/2``, ``LAKI-LAKI/PEREMPUAN``, else from the NIK;
- ``kk``: No. KK digits; ``desa``: 10-digit desa code; ``kec``: its kecamatan (6 digits);
  ``rt``/``rw``: numbers without padding;
- names from :func:`padu.engine.linkage.normalise.name_columns` (``nama_*``) and the
  mother's name (``ibu_norm``).

:func:`nik_relation` classifies a pair of NIKs (exact, one digit wrong, adjacent digits
swapped, float-damaged prefix agreeing, different, unknown).
"""

from __future__ import annotations

from datetime import date

import polars as pl

from padu.engine.linkage.normalise import name_columns, normalise_name
from padu.engine.numbers import repair_number_column

__all__ = ["INPUT_COLUMNS", "NIK_RELATIONS", "nik_relation", "prepare_records"]

INPUT_COLUMNS = [
    "record_id", "source", "nik", "no_kk", "nama", "tgl_lahir", "jenis_kelamin",
    "tempat_lahir", "nama_ibu", "kode_desa", "alamat", "rt", "rw",
]  # fmt: skip

NIK_RELATIONS = ("sama", "satu_digit", "tertukar", "awal_sama", "beda", "tidak_diketahui")

_DATE_FORMATS = ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y", "%Y/%m/%d", "%d.%m.%Y", "%Y%m%d")
_MALE = ["1", "L", "LK", "LAKI-LAKI", "LAKI LAKI", "LAKI", "PRIA"]
_FEMALE = ["2", "P", "PR", "PEREMPUAN", "WANITA"]


def _digits_16(values: pl.Series) -> tuple[pl.Series, pl.Series]:
    """(16-digit number or null, digits kept by float damage or null)."""
    repaired = repair_number_column(values)
    value = repaired["value"]
    good = value.str.contains(r"^[1-9][0-9]{15}$").fill_null(False)
    number = pl.select(pl.when(good).then(value))[:, 0]
    mantissa = values.cast(pl.String).str.extract(r"^\s*'?([0-9])[.,]([0-9]+)[eE]\+?15\s*$", 1)
    rest = values.cast(pl.String).str.extract(r"^\s*'?([0-9])[.,]([0-9]+)[eE]\+?15\s*$", 2)
    prefix = pl.select(
        pl.when(repaired["float_damage"]).then(pl.concat_str(mantissa, rest).str.slice(0, 15))
    )[:, 0]
    return number, prefix


def _nik_birth(nik: pl.Expr, today: date) -> tuple[pl.Expr, pl.Expr]:
    """Birth date and sex encoded in a NIK (null where the digits are not a date)."""
    coded = nik.str.slice(6, 2).cast(pl.Int32, strict=False)
    month = nik.str.slice(8, 2).cast(pl.Int32, strict=False)
    yy = nik.str.slice(10, 2).cast(pl.Int32, strict=False)
    female = coded.is_between(41, 71)
    day = pl.when(female).then(coded - 40).otherwise(coded)
    sex = pl.when(female).then(pl.lit(2)).when(coded.is_between(1, 31)).then(pl.lit(1))
    century = today.year // 100 * 100
    later = (yy * 10000 + month * 100 + day) > (
        (today.year % 100) * 10000 + today.month * 100 + today.day
    )
    year = century + yy - pl.when(later).then(100).otherwise(0)
    ok = sex.is_not_null() & month.is_between(1, 12) & day.is_between(1, 31)
    month_text, day_text = month.cast(pl.String).str.zfill(2), day.cast(pl.String).str.zfill(2)
    text = pl.format("{}-{}-{}", year, month_text, day_text)
    born = pl.when(ok).then(text.str.to_date("%Y-%m-%d", strict=False))
    return born, pl.when(ok).then(sex).cast(pl.Int8)


def _parse_date(text: pl.Expr) -> pl.Expr:
    clean = text.str.strip_chars()
    return pl.coalesce(*(clean.str.to_date(f, strict=False) for f in _DATE_FORMATS))


def _code_number(text: pl.Expr) -> pl.Expr:
    digits = text.str.replace_all(r"[^0-9]", "").str.strip_chars_start("0")
    return pl.when(text.is_not_null() & (text.str.strip_chars() != "")).then(
        pl.when(digits == "").then(pl.lit("0")).otherwise(digits)
    )


def prepare_records(records: pl.DataFrame, *, today: date | None = None) -> pl.DataFrame:
    """One row of comparable identity evidence per input record (same order)."""
    if "record_id" not in records.columns:
        raise ValueError("Kolom record_id wajib ada pada berkas orang untuk linkage.")
    today = today or date.today()
    frame = records.select(
        [
            pl.col(c).cast(pl.String) if c in records.columns else pl.lit(None, pl.String).alias(c)
            for c in INPUT_COLUMNS
        ]
    )
    nik, nik_prefix = _digits_16(frame["nik"])
    kk, _ = _digits_16(frame["no_kk"])
    frame = frame.with_columns(nik=nik, nik_awal=nik_prefix, kk=kk)
    nik_tgl, nik_jk = _nik_birth(pl.col("nik"), today)
    sex_text = pl.col("jenis_kelamin").str.strip_chars().str.to_uppercase()
    record_sex = (
        pl.when(sex_text.is_in(_MALE)).then(pl.lit(1)).when(sex_text.is_in(_FEMALE)).then(2)
    ).cast(pl.Int8)
    tgl = pl.col("tgl")
    frame = frame.with_columns(
        nik_tgl=nik_tgl, nik_jk=nik_jk, tgl=_parse_date(pl.col("tgl_lahir")), jk_catat=record_sex
    )
    default = (tgl.dt.day() == 1) & tgl.dt.month().is_in([1, 7])
    swapped = pl.date(tgl.dt.year(), tgl.dt.day(), tgl.dt.month())
    nik_agrees = (
        (pl.col("nik_tgl").dt.day() == tgl.dt.day())
        & (pl.col("nik_tgl").dt.month() == tgl.dt.month())
        & (pl.col("nik_tgl").dt.year() % 100 == tgl.dt.year() % 100)
    )
    use_nik = pl.col("nik_tgl").is_not_null() & (
        tgl.is_null() | (default & (pl.col("nik_tgl").dt.year() == tgl.dt.year()))
    )
    frame = frame.with_columns(
        tgl_default=default.fill_null(False),
        tgl_tukar=pl.when((tgl.dt.day() <= 12) & (tgl.dt.day() != tgl.dt.month())).then(swapped),
        tgl_nik_cocok=nik_agrees,
        tgl_baik=pl.when(use_nik).then(pl.col("nik_tgl")).otherwise(tgl),
        jk=pl.coalesce("jk_catat", "nik_jk"),
        desa=pl.col("kode_desa").str.replace_all(r"[^0-9]", ""),
        rt=_code_number(pl.col("rt")),
        rw=_code_number(pl.col("rw")),
        ibu_norm=normalise_name(frame["nama_ibu"]),
    )
    frame = pl.concat([frame, name_columns(frame["nama"], "nama")], how="horizontal")
    frame = frame.with_columns(
        desa=pl.when(pl.col("desa").str.len_chars() == 10).then("desa"),
        tahun=pl.col("tgl_baik").dt.year(),
    ).with_columns(kec=pl.col("desa").str.slice(0, 6))
    return frame.drop("tgl_lahir", "jenis_kelamin", "kode_desa", "nama_ibu")


def _hamming(left: pl.Expr, right: pl.Expr) -> pl.Expr:
    return pl.sum_horizontal(
        [(left.str.slice(i, 1) != right.str.slice(i, 1)).cast(pl.Int32) for i in range(16)]
    )


def _adjacent_swap(left: pl.Expr, right: pl.Expr) -> pl.Expr:
    crossed = [
        (left.str.slice(i, 1) == right.str.slice(i + 1, 1))
        & (left.str.slice(i + 1, 1) == right.str.slice(i, 1))
        & (left.str.slice(i, 1) != left.str.slice(i + 1, 1))
        for i in range(15)
    ]
    return pl.any_horizontal(crossed) & (_hamming(left, right) == 2)


def nik_relation(
    left: pl.Expr, right: pl.Expr, left_prefix: pl.Expr, right_prefix: pl.Expr
) -> pl.Expr:
    """How two records' NIKs relate: one of :data:`NIK_RELATIONS`."""
    prefix_left = pl.when(left.is_not_null() & right_prefix.is_not_null()).then(
        left.str.starts_with(right_prefix)
    )
    prefix_right = pl.when(right.is_not_null() & left_prefix.is_not_null()).then(
        right.str.starts_with(left_prefix)
    )
    both = left.is_not_null() & right.is_not_null()
    return (
        pl.when(both & (left == right))
        .then(pl.lit("sama"))
        .when(both & (_hamming(left, right) == 1))
        .then(pl.lit("satu_digit"))
        .when(both & _adjacent_swap(left, right))
        .then(pl.lit("tertukar"))
        .when(both)
        .then(pl.lit("beda"))
        .when(pl.coalesce(prefix_left, prefix_right))
        .then(pl.lit("awal_sama"))
        .when(pl.coalesce(prefix_left, prefix_right) == False)  # noqa: E712
        .then(pl.lit("beda"))
        .otherwise(pl.lit("tidak_diketahui"))
    )
