"""Identity rules: NIK and No. KK format, region, birth date and sex, duplicates.

The numbers are repaired and decoded by :mod:`padu.engine.nik` (``check_nik_column``,
``check_no_kk_column``) when the data are prepared; these rules read its columns
(``_nik``, ``_nik_problem``, ``_nik_birth``, ``_nik_sex``, ``_nik_kec``, and ``_kk*``).
"""

from __future__ import annotations

from typing import Any

import polars as pl

from padu.engine.rules.base import Data, NotApplicable, empty, hits, rule, where

_FORMAT_PROBLEMS = {
    "nik_kosong": ("nik", ["art"]),
    "nik_panjang": ("nik", ["art"]),
    "nik_bukan_angka": ("nik", ["art"]),
    "nik_float_rusak": ("nik", ["art"]),
    "nik_tanggal_tidak_valid": ("nik", ["art"]),
    "nik_nomor_urut_nol": ("nik", ["art"]),
    "kk_kosong": ("kk", ["keluarga"]),
    "kk_panjang": ("kk", ["keluarga", "art"]),
    "kk_bukan_angka": ("kk", ["keluarga", "art"]),
    "kk_float_rusak": ("kk", ["keluarga", "art"]),
}


def _frame(data: Data, table: str) -> pl.DataFrame:
    return data.keluarga if table == "keluarga" else data.art


def _format_rule(code: str, kind: str, tables: list[str]) -> None:
    column = "nik" if kind == "nik" else "no_kk"

    def check(data: Data, params: dict[str, Any]) -> pl.DataFrame:
        found = []
        for table in tables:
            frame = _frame(data, table)
            rows = where(frame, pl.col(f"_{kind}_problem") == code)
            found.append(
                hits(rows, table, field=column, detail=pl.format("Tertulis: '{}'.", column))
            )
        return pl.concat(found)

    check.__doc__ = f"Records whose {column} has the problem {code} (padu.engine.nik)."
    rule(code)(check)


for _code, (_kind, _tables) in _FORMAT_PROBLEMS.items():
    _format_rule(_code, _kind, _tables)


def _unknown_region(kec: pl.Expr, data: Data, params: dict[str, Any]) -> pl.Expr:
    """A 16-digit number whose kecamatan is unknown: judged against the known kecamatan
    for their provinces, and against the list of province codes for the others."""
    known = data.ref.known_kecamatan
    if known is None:
        raise NotApplicable("daftar kode kecamatan tidak tersedia")
    provinces = sorted({code[:2] for code in known})
    all_provinces = [f"{int(p):02d}" for p in params.get("kode_provinsi", [])]
    province = kec.str.slice(0, 2)
    known_codes = pl.Series(sorted(known), dtype=pl.String).implode()
    return (
        pl.when(province.is_in(provinces))
        .then(~kec.is_in(known_codes))
        .otherwise(~province.is_in(all_provinces) if all_provinces else pl.lit(False))
    )


@rule("nik_wilayah_tidak_dikenal")
def nik_wilayah_tidak_dikenal(data: Data, params: dict[str, Any]) -> pl.DataFrame:
    kec = pl.col("_nik_kec")
    rows = where(data.art, kec.is_not_null() & _unknown_region(kec, data, params))
    return hits(rows, "art", field="nik", detail=pl.format("NIK {}: kecamatan {}.", "_nik", kec))


@rule("kk_wilayah_tidak_dikenal")
def kk_wilayah_tidak_dikenal(data: Data, params: dict[str, Any]) -> pl.DataFrame:
    kec = pl.col("_kk_kec")
    found = []
    for table in ("keluarga", "art"):
        rows = where(_frame(data, table), kec.is_not_null() & _unknown_region(kec, data, params))
        found.append(
            hits(
                rows,
                table,
                field="no_kk",
                detail=pl.format("Nomor KK {}: kecamatan {}.", "_kk", kec),
            )
        )
    return pl.concat(found)


@rule("nik_tgl_lahir_beda")
def nik_tgl_lahir_beda(data: Data, params: dict[str, Any]) -> pl.DataFrame:
    nik, born = pl.col("_nik_birth"), pl.col("tgl_lahir")
    differs = (
        (nik.dt.day() != born.dt.day())
        | (nik.dt.month() != born.dt.month())
        | (nik.dt.year() % 100 != born.dt.year() % 100)
    )
    rows = where(data.art, nik.is_not_null() & born.is_not_null() & differs)
    detail = pl.format(
        "Tanggal pada NIK: {}; tanggal lahir tercatat: {}.",
        nik.dt.strftime("%d-%m-%y"),
        born.dt.strftime("%d-%m-%Y"),
    )
    return hits(rows, "art", field="tgl_lahir", detail=detail)


@rule("nik_jenis_kelamin_beda")
def nik_jenis_kelamin_beda(data: Data, params: dict[str, Any]) -> pl.DataFrame:
    sex, nik_sex = pl.col("jenis_kelamin"), pl.col("_nik_sex").cast(pl.Int64)
    rows = where(data.art, nik_sex.is_not_null() & sex.is_in([1, 2]) & (sex != nik_sex))
    word = {1: "laki-laki", 2: "perempuan"}
    detail = pl.format(
        "NIK menunjukkan {}, tercatat {}.",
        nik_sex.replace_strict(word, return_dtype=pl.String),
        sex.replace_strict(word, return_dtype=pl.String, default=""),
    )
    return hits(rows, "art", field="jenis_kelamin", detail=detail)


def _with_peers(data: Data, columns: list[str]) -> pl.DataFrame:
    """This check's persons plus the register's other persons (flagged ``_peer``)."""
    own = data.art.select(*columns, _peer=pl.lit(False))
    if data.peers.height == 0:
        return own
    peers = data.peers.select(*columns).cast(own.select(columns).schema)
    return pl.concat([own, peers.with_columns(_peer=pl.lit(True))])


@rule("nik_ganda")
def nik_ganda(data: Data, params: dict[str, Any]) -> pl.DataFrame:
    people = _with_peers(data, ["record_id", "id_keluarga", "_nik"]).filter(
        pl.col("_nik").str.contains("^[0-9]{16}$")
    )
    counted = people.with_columns(_n=pl.len().over("_nik"))
    rows = counted.filter((pl.col("_n") > 1) & ~pl.col("_peer"))
    detail = pl.format("NIK {} tercatat pada {} orang.", "_nik", "_n")
    return hits(rows, "art", field="nik", detail=detail)


@rule("orang_dua_keluarga")
def orang_dua_keluarga(data: Data, params: dict[str, Any]) -> pl.DataFrame:
    people = _with_peers(data, ["record_id", "id_keluarga", "nama", "tgl_lahir", "nama_ibu"])
    key = ["_nama", "tgl_lahir", "_ibu"]
    people = people.with_columns(
        _nama=pl.col("nama").str.to_uppercase().str.replace_all(r"\s+", " "),
        _ibu=pl.col("nama_ibu").str.to_uppercase().str.replace_all(r"\s+", " "),
    ).drop_nulls(key)
    counted = people.with_columns(_k=pl.col("id_keluarga").n_unique().over(key))
    rows = counted.filter((pl.col("_k") > 1) & ~pl.col("_peer"))
    return hits(rows, "art", field="nama", detail=pl.format("Tercatat di {} keluarga.", "_k"))


@rule("kk_beda_keluarga")
def kk_beda_keluarga(data: Data, params: dict[str, Any]) -> pl.DataFrame:
    family = data.keluarga.select("id_keluarga", _kk_keluarga="_kk")
    digits = "^[0-9]{16}$"
    joined = data.art.join(family, on="id_keluarga", how="inner")
    rows = where(
        joined,
        pl.col("_kk").str.contains(digits)
        & pl.col("_kk_keluarga").str.contains(digits)
        & (pl.col("_kk") != pl.col("_kk_keluarga")),
    )
    detail = pl.format("Nomor KK anggota {}, Nomor KK keluarga {}.", "_kk", "_kk_keluarga")
    return hits(rows, "art", field="no_kk", detail=detail) if rows.height else empty()
