"""Eligibility and inclusion-error rules: aid to the deceased, to ASN/TNI/Polri families,
to the well-off, and above a programme's desil limit. Programme lists and limits are
rule parameters (catalogue data)."""

from __future__ import annotations

from typing import Any

import polars as pl

from padu.engine.rules.base import Data, NotApplicable, any_flag, empty, hits, rule, where


def _programmes(params: dict[str, Any], frame: pl.DataFrame) -> list[str]:
    return [c for c in params["program"] if c in frame.columns]


def _receiving(params: dict[str, Any], frame: pl.DataFrame) -> pl.Expr:
    return any_flag(_programmes(params, frame), frame)


def _aided_with_member(data: Data, params: dict[str, Any], member: pl.Expr) -> pl.DataFrame:
    """Aided families with at least one living member matching ``member``."""
    alive = (pl.col("status_hidup") != 2).fill_null(True)
    matching = data.art.filter((member & alive).fill_null(False)).group_by("id_keluarga").len()
    families = data.keluarga.join(matching, on="id_keluarga", how="inner")
    return where(families, _receiving(params, families))


@rule("semua_meninggal_terima_bantuan")
def semua_meninggal_terima_bantuan(data: Data, params: dict[str, Any]) -> pl.DataFrame:
    facts = data.keluarga.join(data.families, on="id_keluarga", how="inner")
    rows = where(facts, (pl.col("n_living") == 0) & _receiving(params, facts))
    detail = pl.format("{} anggota, semuanya meninggal.", "n")
    return hits(rows, "keluarga", field="status_hidup", detail=detail)


@rule("asn_penerima_bansos")
def asn_penerima_bansos(data: Data, params: dict[str, Any]) -> pl.DataFrame:
    member = pl.col("lapangan_usaha").is_in([int(c) for c in params["lapangan_usaha"]])
    rows = _aided_with_member(data, params, member)
    detail = pl.format("{} anggota bekerja di pemerintahan (ASN/TNI/Polri).", "len")
    return hits(rows, "keluarga", field="lapangan_usaha", detail=detail)


@rule("pengusaha_penerima_bansos")
def pengusaha_penerima_bansos(data: Data, params: dict[str, Any]) -> pl.DataFrame:
    member = pl.col("status_pekerjaan").is_in([int(c) for c in params["status_pekerjaan"]])
    rows = _aided_with_member(data, params, member)
    return hits(rows, "keluarga", field="status_pekerjaan")


@rule("aset_mewah_penerima_bansos")
def aset_mewah_penerima_bansos(data: Data, params: dict[str, Any]) -> pl.DataFrame:
    frame = data.keluarga
    assets = [c for c in params["aset"] if c in frame.columns]
    power = pl.col("daya_listrik").is_between(int(params["daya_listrik_minimal"]), 5)
    rich = any_flag(assets, frame) | power
    rows = where(frame, _receiving(params, frame) & rich)
    owned = [pl.when(pl.col(c).fill_null(False)).then(pl.lit(c)) for c in assets]
    owned.append(pl.when(power.fill_null(False)).then(pl.lit("daya_listrik")))
    detail = pl.format(
        "Yang dimiliki: {}.", pl.concat_str(owned, separator=", ", ignore_nulls=True)
    )
    return hits(rows, "keluarga", field=assets[0] if assets else "daya_listrik", detail=detail)


@rule("desil_di_atas_batas")
def desil_di_atas_batas(data: Data, params: dict[str, Any]) -> pl.DataFrame:
    frame = data.keluarga
    if frame["desil"].null_count() == frame.height:
        raise NotApplicable("kolom desil belum ada atau kosong")
    found = []
    for programme, limit in params["batas"].items():
        if programme not in frame.columns:
            continue
        rows = where(frame, pl.col(programme) & (pl.col("desil") > int(limit)))
        detail = pl.format(
            "Desil {}, batas {} adalah desil {}.", "desil", pl.lit(programme), pl.lit(limit)
        )
        found.append(hits(rows, "keluarga", field=programme, detail=detail))
    return pl.concat(found) if found else empty()
