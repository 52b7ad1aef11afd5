"""Region, housing, completeness and staleness rules, and the bad cells found when the
data were prepared (``nilai_tidak_valid``)."""

from __future__ import annotations

from typing import Any

import polars as pl

from padu.engine.rules.base import Data, NotApplicable, empty, hits, rule, where

NOT_ELECTRIC, NO_TOILET, SEPTIC_TANK = 3, 4, 1


@rule("desa_tidak_dikenal")
def desa_tidak_dikenal(data: Data, params: dict[str, Any]) -> pl.DataFrame:
    known = data.ref.known_desa
    if known is None:
        raise NotApplicable("daftar kode desa/kelurahan tidak tersedia")
    codes = pl.Series(sorted(known), dtype=pl.String).implode()
    code = pl.col("kode_desa")
    rows = where(
        data.keluarga,
        pl.col("kode_desa_raw").is_not_null() & (code.is_null() | ~code.is_in(codes)),
    )
    detail = pl.format("Tertulis: '{}'.", "kode_desa_raw")
    return hits(rows, "keluarga", field="kode_desa", detail=detail)


@rule("desa_tidak_aktif")
def desa_tidak_aktif(data: Data, params: dict[str, Any]) -> pl.DataFrame:
    vanished = pl.Series(sorted(data.ref.vanished_desa), dtype=pl.String).implode()
    rows = where(data.keluarga, pl.col("kode_desa").is_in(vanished))
    return hits(rows, "keluarga", field="kode_desa", detail=pl.format("Kode {}.", "kode_desa"))


@rule("bab_tanpa_fasilitas_septik")
def bab_tanpa_fasilitas_septik(data: Data, params: dict[str, Any]) -> pl.DataFrame:
    condition = (pl.col("fasilitas_bab") == NO_TOILET) & (pl.col("pembuangan_tinja") == SEPTIC_TANK)
    return hits(where(data.keluarga, condition), "keluarga", field="pembuangan_tinja")


@rule("tidak_listrik_ada_daya")
def tidak_listrik_ada_daya(data: Data, params: dict[str, Any]) -> pl.DataFrame:
    condition = (pl.col("sumber_penerangan") == NOT_ELECTRIC) & pl.col("daya_listrik").is_not_null()
    return hits(where(data.keluarga, condition), "keluarga", field="daya_listrik")


@rule("luas_lantai_tidak_wajar")
def luas_lantai_tidak_wajar(data: Data, params: dict[str, Any]) -> pl.DataFrame:
    facts = data.keluarga.join(
        data.families.select("id_keluarga", "n"), on="id_keluarga", how="left"
    )
    area, persons = pl.col("luas_lantai"), pl.col("n").fill_null(0).clip(lower_bound=1)
    per_person = area / persons
    rows = where(facts, (area <= 0) | (per_person > float(params["maks_per_orang"])))
    detail = pl.format("Luas lantai {} m2 untuk {} anggota.", area, persons)
    return hits(rows, "keluarga", field="luas_lantai", detail=detail)


@rule("kamar_tanpa_luas")
def kamar_tanpa_luas(data: Data, params: dict[str, Any]) -> pl.DataFrame:
    condition = (pl.col("jumlah_kamar") > 0) & pl.col("luas_lantai").is_null()
    return hits(where(data.keluarga, condition), "keluarga", field="luas_lantai")


def _blank(data: Data, table: str, columns: list[str]) -> pl.DataFrame:
    """One finding per blank cell of ``columns``, except cells already reported as bad."""
    frame = data.keluarga if table == "keluarga" else data.art
    found = [
        hits(
            where(frame, pl.col(c).is_null()),
            table,
            field=c,
            detail=pl.format("Kolom {} kosong.", pl.lit(c)),
        )
        for c in columns
        if c in frame.columns
    ]
    if not found:
        return empty()
    return pl.concat(found).join(data.bad, on=["table", "record_id", "field"], how="anti")


@rule("wajib_kosong")
def wajib_kosong(data: Data, params: dict[str, Any]) -> pl.DataFrame:
    columns = params["kolom"]
    return pl.concat(
        [_blank(data, table, list(columns.get(table, []))) for table in ("keluarga", "art")]
    )


@rule("data_program_kosong")
def data_program_kosong(data: Data, params: dict[str, Any]) -> pl.DataFrame:
    frame = data.keluarga
    needed_by: dict[str, list[str]] = {}
    for programme, columns in params["kolom"].items():
        if programme in frame.columns:
            for column in columns:
                needed_by.setdefault(column, []).append(programme)
    found = []
    for column, programmes in needed_by.items():
        receiving = [pl.when(pl.col(p).fill_null(False)).then(pl.lit(p)) for p in programmes]
        names = pl.concat_str(receiving, separator=", ", ignore_nulls=True)
        rows = where(
            frame.with_columns(_for=names), pl.col(column).is_null() & (pl.col("_for") != "")
        )
        detail = pl.format("Kolom {} kosong; diperlukan untuk {}.", pl.lit(column), "_for")
        found.append(hits(rows, "keluarga", field=column, detail=detail))
    found = [f for f in found if f.height]
    return (
        pl.concat(found).join(data.bad, on=["table", "record_id", "field"], how="anti")
        if found
        else empty()
    )


@rule("nilai_tidak_valid")
def nilai_tidak_valid(data: Data, params: dict[str, Any]) -> pl.DataFrame:
    return data.bad


@rule("verifikasi_kedaluwarsa")
def verifikasi_kedaluwarsa(data: Data, params: dict[str, Any]) -> pl.DataFrame:
    checked = pl.col("tgl_verifikasi")
    never_count = bool(params.get("kosong_dianggap_lama", False))
    if data.keluarga["tgl_verifikasi"].null_count() == data.keluarga.height and not never_count:
        raise NotApplicable("kolom tgl_verifikasi belum ada atau kosong")
    months = int(params["bulan"])
    limit = pl.lit(data.ref.today).dt.offset_by(f"-{months}mo")
    stale = (checked < limit) | (checked.is_null() & never_count)
    detail = (
        pl.when(checked.is_null())
        .then(pl.lit("Belum pernah diverifikasi."))
        .otherwise(pl.format("Terakhir diverifikasi {}.", checked.dt.strftime("%d-%m-%Y")))
    )
    return hits(where(data.keluarga, stale), "keluarga", field="tgl_verifikasi", detail=detail)
