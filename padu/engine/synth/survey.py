"""A SUSENAS-like survey sample of the synthetic families, for training a PMT.

Design: strata are kecamatan x urban/rural; the sample is allocated in proportion to a
power (default square root) of each stratum's number of families, so small (urban)
strata are sampled at higher rates; families are drawn by simple random sampling within
strata. ``bobot`` is the number of persons each sampled family represents:
(families in stratum / sampled in stratum) x family size. ``kode_desa`` names the desa of
each sampled family (the survey's cluster, as SUSENAS identifies its census blocks), so
small-area estimates can separate the desa effect from the household error.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import numpy.typing as npt
import polars as pl

from padu.engine import schema
from padu.engine.pmt.features import person_aggregates
from padu.engine.synth.welfare import params

IDENTITY_COLUMNS = ("id_keluarga", "no_kk", "kode_desa", "alamat", "rt", "rw", "perkotaan")
EXTRA_COLUMNS = (
    "kode_desa",
    "jumlah_art",
    "kode_kabupaten",
    "perkotaan",
    "pengeluaran_per_kapita",
    "bobot",
    "art_bekerja",
    "pendidikan_kepala",
    "umur_kepala",
    "kepala_perempuan",
    "art_balita",
    "art_lansia",
    "art_disabilitas",
    "art_sekolah",
)


def survey_columns() -> list[str]:
    proxies = [c for c in schema.column_names("keluarga") if c not in IDENTITY_COLUMNS]
    return [*proxies, *EXTRA_COLUMNS]


def allocate(sizes: npt.NDArray[np.int64], n: int, power: float) -> npt.NDArray[np.int64]:
    """Sample size per stratum: proportional to ``size ** power``, at most the stratum."""
    alloc = np.zeros(len(sizes), dtype=np.int64)
    free = sizes > 0
    remaining = n
    while remaining > 0 and free.any():
        share = np.where(free, sizes.astype(np.float64) ** power, 0.0)
        want = remaining * share / share.sum()
        base = np.floor(want).astype(np.int64)
        extra = remaining - int(base.sum())
        order = np.argsort(-(want - base), kind="stable")
        base[order[:extra]] += 1
        capped = alloc + base > sizes
        if not capped.any():
            alloc += base
            break
        remaining -= int((sizes[capped] - alloc[capped]).sum())
        alloc[capped] = sizes[capped]
        free &= ~capped
    return alloc


def draw_survey(
    rng: np.random.Generator,
    keluarga: pl.DataFrame,
    art: pl.DataFrame,
    truth: pl.DataFrame,
    n: int,
    kode_kabupaten: str,
    reference_date: date,
) -> pl.DataFrame:
    if n > keluarga.height:
        raise ValueError(
            f"Sampel survei ({n}) lebih besar dari jumlah keluarga ({keluarga.height}). "
            "Kecilkan sampel survei atau tambah jumlah keluarga."
        )
    stratum = keluarga.select(
        (pl.col("kode_desa").str.slice(0, 8) + "/" + pl.col("perkotaan").cast(pl.String)).alias("s")
    )["s"]
    codes = (stratum.rank("dense").to_numpy() - 1).astype(np.int64)
    sizes = np.bincount(codes).astype(np.int64)
    power = float(params()["survei"]["alokasi_pangkat"])
    take = allocate(sizes, n, power)
    key = rng.random(keluarga.height)
    order = np.lexsort((key, codes))
    starts = np.concatenate(([0], np.cumsum(sizes)[:-1]))
    rank = np.empty(keluarga.height, dtype=np.int64)
    rank[order] = np.arange(keluarga.height) - starts[codes[order]]
    chosen = rank < take[codes]
    household_weight = sizes[codes] / np.maximum(take[codes], 1)

    aggregates = person_aggregates(art, reference_date)
    sample = (
        keluarga.with_columns(_w=pl.Series(household_weight))
        .filter(pl.Series(chosen))
        .join(aggregates, on="id_keluarga", how="left", maintain_order="left")
        .join(
            truth.select("id_keluarga", "pengeluaran_per_kapita"),
            on="id_keluarga",
            maintain_order="left",
        )
        .with_columns(
            kode_kabupaten=pl.lit(kode_kabupaten),
            bobot=(pl.col("_w") * pl.col("jumlah_art")).round(2),
        )
    )
    return sample.select(survey_columns())
