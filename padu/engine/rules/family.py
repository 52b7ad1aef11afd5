"""Family structure and date rules: heads, relationships against ages, impossible dates.

Relationship rules compare members with the family's head, so they run only in families
with exactly one head (the others already get ``tanpa_kepala`` or ``kepala_ganda``).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import polars as pl

from padu.engine.rules.base import DAYS_PER_YEAR, Data, hits, rule, where, years_between

HEAD, SPOUSE, CHILD, GRANDCHILD = 1, 2, 3, 5
_hub, _born, _died = pl.col("hub_kepala_keluarga"), pl.col("tgl_lahir"), pl.col("tgl_meninggal")


def family_facts(art: pl.DataFrame) -> pl.DataFrame:
    """One row per ``id_keluarga`` present in ``art``: member counts and the head's and
    youngest spouse's birth dates."""
    alive = (pl.col("status_hidup") != 2).fill_null(True)
    return art.group_by("id_keluarga").agg(
        n=pl.len(),
        n_living=alive.sum(),
        n_head=(_hub == HEAD).sum(),
        head_born=_born.filter(_hub == HEAD).first(),
        spouse_born=_born.filter(_hub == SPOUSE).max(),
    )


def _members(data: Data) -> pl.DataFrame:
    """Members of one-head families with the head's and spouse's birth dates."""
    facts = data.families.filter(pl.col("n_head") == 1).select(
        "id_keluarga", "head_born", "spouse_born"
    )
    return data.art.join(facts, on="id_keluarga", how="inner")


def _family_rows(data: Data, condition: pl.Expr) -> pl.DataFrame:
    facts = data.keluarga.join(data.families, on="id_keluarga", how="left")
    return where(facts, condition)


@rule("tanpa_kepala")
def tanpa_kepala(data: Data, params: dict[str, Any]) -> pl.DataFrame:
    rows = _family_rows(data, pl.col("n_head").fill_null(0) == 0)
    detail = pl.when(pl.col("n").is_null()).then(pl.lit("Keluarga tidak punya anggota."))
    return hits(rows, "keluarga", field="hub_kepala_keluarga", detail=detail)


@rule("kepala_ganda")
def kepala_ganda(data: Data, params: dict[str, Any]) -> pl.DataFrame:
    rows = _family_rows(data, pl.col("n_head") > 1)
    detail = pl.format("{} anggota tercatat sebagai kepala keluarga.", "n_head")
    return hits(rows, "keluarga", field="hub_kepala_keluarga", detail=detail)


def _born_before_head(data: Data, relation: int) -> pl.DataFrame:
    rows = where(_members(data), (_hub == relation) & (_born < pl.col("head_born")))
    detail = pl.format(
        "Lahir {}, kepala keluarga lahir {}.",
        _born.dt.strftime("%d-%m-%Y"),
        pl.col("head_born").dt.strftime("%d-%m-%Y"),
    )
    return hits(rows, "art", field="hub_kepala_keluarga", detail=detail)


@rule("anak_lebih_tua")
def anak_lebih_tua(data: Data, params: dict[str, Any]) -> pl.DataFrame:
    return _born_before_head(data, CHILD)


@rule("cucu_lebih_tua")
def cucu_lebih_tua(data: Data, params: dict[str, Any]) -> pl.DataFrame:
    return _born_before_head(data, GRANDCHILD)


@rule("anak_selisih_umur_kecil")
def anak_selisih_umur_kecil(data: Data, params: dict[str, Any]) -> pl.DataFrame:
    gap = float(params["selisih_minimal_tahun"])
    members = _members(data)
    parent = pl.max_horizontal("head_born", "spouse_born")  # the younger parent
    rows = where(
        members,
        (_hub == CHILD) & (_born >= pl.col("head_born")) & (years_between(parent, _born) < gap),
    )
    detail = pl.format(
        "Selisih umur dengan orang tua termuda: {} tahun.", years_between(parent, _born).round(1)
    )
    return hits(rows, "art", field="tgl_lahir", detail=detail)


@rule("anak_kawin_muda")
def anak_kawin_muda(data: Data, params: dict[str, Any]) -> pl.DataFrame:
    age = years_between(_born, pl.lit(data.ref.today))
    limit = float(params["umur_minimal"])
    rows = where(data.art, pl.col("status_kawin").is_in([2, 3, 4]) & (age < limit))
    detail = pl.format("Umur {} tahun.", age.floor().cast(pl.Int64))
    return hits(rows, "art", field="status_kawin", detail=detail)


@rule("selisih_umur_pasangan")
def selisih_umur_pasangan(data: Data, params: dict[str, Any]) -> pl.DataFrame:
    gap = years_between(pl.col("head_born"), _born).abs()
    rows = where(_members(data), (_hub == SPOUSE) & (gap > float(params["selisih_maksimal_tahun"])))
    detail = pl.format("Selisih umur dengan kepala keluarga {} tahun.", gap.floor().cast(pl.Int64))
    return hits(rows, "art", field="tgl_lahir", detail=detail)


@rule("keluarga_tidak_ada")
def keluarga_tidak_ada(data: Data, params: dict[str, Any]) -> pl.DataFrame:
    rows = data.art.join(data.keluarga.select("id_keluarga"), on="id_keluarga", how="anti")
    detail = pl.format("ID keluarga tertulis: '{}'.", pl.col("id_keluarga"))
    return hits(rows, "art", field="id_keluarga", detail=detail)


# ---- dates ----------------------------------------------------------------------------


@rule("tgl_lahir_masa_depan")
def tgl_lahir_masa_depan(data: Data, params: dict[str, Any]) -> pl.DataFrame:
    rows = where(data.art, _born > data.ref.today)
    detail = pl.format("Tanggal lahir tercatat {}.", _born.dt.strftime("%d-%m-%Y"))
    return hits(rows, "art", field="tgl_lahir", detail=detail)


@rule("umur_lebih_110")
def umur_lebih_110(data: Data, params: dict[str, Any]) -> pl.DataFrame:
    limit = float(params["umur_maksimal"])
    oldest = data.ref.today - timedelta(days=round(limit * DAYS_PER_YEAR))
    alive = (pl.col("status_hidup") != 2).fill_null(True)
    rows = where(data.art, alive & (_born < oldest))
    detail = pl.format("Tanggal lahir tercatat {}.", _born.dt.strftime("%d-%m-%Y"))
    return hits(rows, "art", field="tgl_lahir", detail=detail)


@rule("meninggal_sebelum_lahir")
def meninggal_sebelum_lahir(data: Data, params: dict[str, Any]) -> pl.DataFrame:
    rows = where(data.art, _died < _born)
    detail = pl.format(
        "Lahir {}, meninggal {}.", _born.dt.strftime("%d-%m-%Y"), _died.dt.strftime("%d-%m-%Y")
    )
    return hits(rows, "art", field="tgl_meninggal", detail=detail)


@rule("meninggal_masa_depan")
def meninggal_masa_depan(data: Data, params: dict[str, Any]) -> pl.DataFrame:
    rows = where(data.art, _died > data.ref.today)
    detail = pl.format("Tanggal meninggal tercatat {}.", _died.dt.strftime("%d-%m-%Y"))
    return hits(rows, "art", field="tgl_meninggal", detail=detail)


@rule("hidup_ada_tgl_meninggal")
def hidup_ada_tgl_meninggal(data: Data, params: dict[str, Any]) -> pl.DataFrame:
    rows = where(data.art, (pl.col("status_hidup") == 1) & _died.is_not_null())
    return hits(rows, "art", field="tgl_meninggal")
