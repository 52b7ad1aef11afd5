"""Conflicts on BLT-DD lists found through linkage (no Django).

``anggota`` holds the members of listed families: ``id_keluarga``, ``kunci_orang`` (one key
per real person: the linkage cluster where the person is linked, otherwise the NIK) and
``kode_desa``. ``kepesertaan`` holds ``kunci_orang`` and ``program`` (a programme name) of
people who receive another programme. :func:`tandai` adds a ``konflik`` list column to a
list: "the same person is on the list of desa X" and "a member receives programme Y".
"""

from __future__ import annotations

import polars as pl

KOSONG = pl.List(pl.String)


def _di_desa_lain(daftar: pl.DataFrame, anggota: pl.DataFrame) -> pl.DataFrame:
    listed = anggota.join(daftar.select("id_keluarga"), on="id_keluarga", how="semi").filter(
        pl.col("kunci_orang").is_not_null() & (pl.col("kunci_orang") != "")
    )
    pairs = listed.join(listed, on="kunci_orang", suffix="_lain").filter(
        pl.col("id_keluarga") != pl.col("id_keluarga_lain")
    )
    return pairs.group_by("id_keluarga").agg(
        pl.format(
            "Orang yang sama ada di daftar {} (keluarga {})",
            pl.col("kode_desa_lain"),
            pl.col("id_keluarga_lain"),
        )
        .unique()
        .sort()
        .alias("k1")
    )


def _program_lain(
    daftar: pl.DataFrame, anggota: pl.DataFrame, kepesertaan: pl.DataFrame
) -> pl.DataFrame:
    listed = anggota.join(daftar.select("id_keluarga"), on="id_keluarga", how="semi")
    found = listed.join(kepesertaan.select("kunci_orang", "program"), on="kunci_orang")
    return found.group_by("id_keluarga").agg(
        pl.format("Anggota juga penerima {}", pl.col("program")).unique().sort().alias("k2")
    )


def tandai(
    daftar: pl.DataFrame, anggota: pl.DataFrame, kepesertaan: pl.DataFrame | None = None
) -> pl.DataFrame:
    """``daftar`` with ``konflik`` (list of texts, empty when none), row order kept."""
    out = daftar.join(
        _di_desa_lain(daftar, anggota), on="id_keluarga", how="left", maintain_order="left"
    )
    if kepesertaan is not None and kepesertaan.height:
        out = out.join(
            _program_lain(daftar, anggota, kepesertaan),
            on="id_keluarga",
            how="left",
            maintain_order="left",
        )
    else:
        out = out.with_columns(pl.lit(None, dtype=KOSONG).alias("k2"))
    return out.with_columns(
        konflik=pl.concat_list(
            pl.col("k1").fill_null(pl.lit([], dtype=KOSONG)),
            pl.col("k2").fill_null(pl.lit([], dtype=KOSONG)),
        )
    ).drop("k1", "k2")
