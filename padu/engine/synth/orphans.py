"""Orphans with known truth on top of a generated register (for the asuh tests and
benchmark): the register's own orphans (a parent on the KK who died), children raised by
their grandparents after both parents died (the parents' KK, in another desa of the same
kecamatan or the same one, records them as deceased), and parents whose death only another
source (Dukcapil) knows.

``truth`` lists every child under the age limit whose father and/or mother is dead, by the
generator's own construction: a child's parents are the members of its KK carrying exactly
the names on its record (``kinship.py`` writes them so), or for a moved child the couple it
was taken from. Deterministic for a seed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import polars as pl

AGE_LIMIT = 18


@dataclass(frozen=True)
class Orphans:
    keluarga: pl.DataFrame
    art: pl.DataFrame
    deaths: pl.DataFrame  # nik, tgl_meninggal: Dukcapil death records
    truth: pl.DataFrame  # id_art, jenis, jalur


def _young(art: pl.DataFrame, reference: dt.date, limit: int) -> pl.Expr:
    born_after = reference.replace(year=reference.year - limit)
    return (pl.col("tgl_lahir") > born_after) & (pl.col("status_hidup") != 2)


def add_orphans(
    keluarga: pl.DataFrame,
    art: pl.DataFrame,
    *,
    seed: int,
    reference: dt.date,
    share_grandparents: float = 0.01,
    share_deaths: float = 0.005,
    limit: int = AGE_LIMIT,
) -> Orphans:
    rng = np.random.default_rng([seed, 27_022])
    young = _young(art, reference, limit)
    couples = (
        art.filter(pl.col("hub_kepala_keluarga").is_in([1, 2]) & (pl.col("status_hidup") != 2))
        .group_by("id_keluarga")
        .agg(
            man=pl.col("id_art").filter(pl.col("jenis_kelamin") == 1).first(),
            woman=pl.col("id_art").filter(pl.col("jenis_kelamin") == 2).first(),
        )
        .drop_nulls()
    )
    with_children = (
        art.filter(young & (pl.col("hub_kepala_keluarga") == 3)).select("id_keluarga").unique()
    )
    eligible = couples.join(with_children, on="id_keluarga", how="semi").sort("id_keluarga")
    n_move = round(share_grandparents * keluarga.height)
    n_death = round(share_deaths * keluarga.height)
    picked = rng.permutation(eligible.height)
    moved = eligible[picked[:n_move].tolist()]
    reported = eligible[picked[n_move : n_move + n_death].tolist()]

    # Grandparent households: heads of 55 and over, in the same kecamatan.
    heads = art.filter(pl.col("hub_kepala_keluarga") == 1).join(
        keluarga.select("id_keluarga", "no_kk", "kode_desa"), on="id_keluarga"
    )
    old_heads = heads.filter(
        pl.col("tgl_lahir") <= reference.replace(year=reference.year - 55)
    ).select("id_keluarga", "no_kk", kec=pl.col("kode_desa").str.slice(0, 8))
    place = keluarga.select("id_keluarga", kec=pl.col("kode_desa").str.slice(0, 8))
    days = rng.integers(30, 5 * 365, size=max(moved.height, 1))
    died = pl.DataFrame(
        {
            "id_keluarga": moved["id_keluarga"],
            "mati_pada": [reference - dt.timedelta(days=int(d)) for d in days[: moved.height]],
        },
        schema={"id_keluarga": pl.String, "mati_pada": pl.Date},
    )
    parents = pl.concat([moved["man"], moved["woman"]]).to_frame("id_art")
    children = (
        art.filter(young & (pl.col("hub_kepala_keluarga") == 3))
        .join(moved.select("id_keluarga"), on="id_keluarga", how="semi")
        .select("id_art", "id_keluarga")
        .join(place, on="id_keluarga")
    )
    by_kec = old_heads.group_by("kec").agg(pl.col("id_keluarga"), pl.col("no_kk"))
    children = children.join(by_kec, on="kec", how="inner")
    choice = (
        [int(rng.integers(0, len(ks))) for ks in children["id_keluarga_right"].to_list()]
        if children.height
        else []
    )
    targets = (
        children.with_columns(
            ke=pl.Series(
                [ks[i] for ks, i in zip(children["id_keluarga_right"], choice, strict=True)],
                dtype=pl.String,
            ),
            kk=pl.Series(
                [kk[i] for kk, i in zip(children["no_kk"], choice, strict=True)], dtype=pl.String
            ),
        )
        .filter(pl.col("ke") != pl.col("id_keluarga"))
        .select("id_art", "ke", "kk")
    )
    art = (
        art.join(parents.with_columns(mati=pl.lit(True)), on="id_art", how="left")
        .join(
            art.select("id_art", "id_keluarga").join(died, on="id_keluarga").drop("id_keluarga"),
            on="id_art",
            how="left",
        )
        .with_columns(
            status_hidup=pl.when(pl.col("mati")).then(2).otherwise(pl.col("status_hidup")),
            tgl_meninggal=pl.when(pl.col("mati"))
            .then(pl.col("mati_pada"))
            .otherwise(pl.col("tgl_meninggal")),
        )
        .drop("mati", "mati_pada")
        .join(targets, on="id_art", how="left")
        .with_columns(
            id_keluarga=pl.coalesce("ke", "id_keluarga"),
            no_kk=pl.coalesce("kk", "no_kk"),
            hub_kepala_keluarga=pl.when(pl.col("ke").is_not_null())
            .then(5)
            .otherwise(pl.col("hub_kepala_keluarga")),
        )
        .drop("ke", "kk")
    )
    # Deaths only Dukcapil knows: the father of the picked families.
    deaths = (
        art.join(reported.select(id_art="man"), on="id_art", how="semi")
        .select("nik", tgl_meninggal=pl.lit(reference - dt.timedelta(days=60)))
        .sort("nik")
    )
    truth = _truth(art, keluarga, targets, deaths, reference, limit)
    return Orphans(keluarga, art, deaths, truth)


def _truth(
    art: pl.DataFrame,
    keluarga: pl.DataFrame,
    moved: pl.DataFrame,
    deaths: pl.DataFrame,
    reference: dt.date,
    limit: int,
) -> pl.DataFrame:
    young = art.filter(_young(art, reference, limit))
    dead_nik = set(deaths["nik"].to_list())
    members = art.select(
        "id_keluarga", "nama", "jenis_kelamin", "nik",
        mati=(pl.col("status_hidup") == 2),
    )  # fmt: skip
    out = young.select("id_art", "id_keluarga", "nama_ayah", "nama_ibu")
    for who, sex, column in (("ayah", 1, "nama_ayah"), ("ibu", 2, "nama_ibu")):
        parent = (
            members.filter(pl.col("jenis_kelamin") == sex)
            .select(
                "id_keluarga",
                pl.col("nama").alias(column),
                pl.col("mati").alias(f"{who}_mati"),
                pl.col("nik").alias(f"{who}_nik"),
            )
            .unique(["id_keluarga", column], keep="first")
        )
        out = out.join(parent, on=["id_keluarga", column], how="left")
    out = out.with_columns(
        ayah_dukcapil=pl.col("ayah_nik").is_in(list(dead_nik)),
        ibu_dukcapil=pl.col("ibu_nik").is_in(list(dead_nik)),
    ).with_columns(
        ayah=pl.col("ayah_mati").fill_null(False) | pl.col("ayah_dukcapil"),
        ibu=pl.col("ibu_mati").fill_null(False) | pl.col("ibu_dukcapil"),
    )
    moved_ids = moved.select("id_art")
    in_family = out.join(moved_ids, on="id_art", how="anti").filter(pl.col("ayah") | pl.col("ibu"))
    same = in_family.select(
        "id_art",
        jenis=pl.when(pl.col("ayah") & pl.col("ibu"))
        .then(pl.lit("yatim_piatu"))
        .when(pl.col("ayah"))
        .then(pl.lit("yatim"))
        .otherwise(pl.lit("piatu")),
        jalur=pl.when(pl.col("ayah_dukcapil") | pl.col("ibu_dukcapil"))
        .then(pl.lit("kematian"))
        .otherwise(pl.lit("keluarga")),
    )
    raised = moved_ids.join(young.select("id_art"), on="id_art", how="semi").select(
        "id_art", jenis=pl.lit("yatim_piatu"), jalur=pl.lit("lintas_keluarga")
    )
    return pl.concat([same, raised]).sort("id_art")
