"""Where families live: desa/kelurahan, RW, RT and a written address.

Families are spread over the real desa codes of the kabupaten with unequal weights
(kelurahan are larger). Each desa has its own number of RW, each RW a dukuh name (desa) or
a street (kelurahan), so neighbours share an address pattern.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import polars as pl

from padu.engine.synth.names import word_list
from padu.engine.synth.regions import Kabupaten

IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True)
class Places:
    """Per family, sorted by desa, RW, RT: the order of the output files."""

    desa: IntArray  # index into Kabupaten.desa_codes
    kecamatan: IntArray  # index into Kabupaten.kecamatan_codes
    urban: npt.NDArray[np.bool_]
    rw: IntArray
    rt: IntArray
    house_no: IntArray
    desa_effect: npt.NDArray[np.float64]  # welfare effect of the desa (log units)


def place_families(rng: np.random.Generator, kab: Kabupaten, n: int) -> Places:
    n_desa = len(kab.desa_codes)
    kel = kab.desa_kelurahan
    weight = rng.lognormal(0.0, 0.45, n_desa) * np.where(kel, 1.8, 1.0)
    desa = rng.choice(n_desa, size=n, p=weight / weight.sum())
    n_rw = np.where(kel, rng.integers(4, 13, n_desa), rng.integers(2, 9, n_desa))
    n_rt = rng.integers(3, 9, n_desa)
    rw = 1 + (rng.random(n) * n_rw[desa]).astype(np.int64)
    rt = 1 + (rng.random(n) * n_rt[desa]).astype(np.int64)
    house_no = 1 + rng.geometric(0.025, n).astype(np.int64)
    order = np.lexsort((rt, rw, desa))
    desa = desa[order]
    n_kec = len(kab.kecamatan_codes)
    # Poorer and richer places: a kecamatan effect plus a desa effect, urban better off.
    kec_effect = rng.normal(0.0, 0.08, n_kec)
    desa_effect = kec_effect[kab.desa_kecamatan] + rng.normal(0.0, 0.13, n_desa)
    return Places(
        desa=desa,
        kecamatan=kab.desa_kecamatan[desa],
        urban=kel[desa],
        rw=rw[order],
        rt=rt[order],
        house_no=house_no[order],
        desa_effect=desa_effect[desa],
    )


def address_columns(rng: np.random.Generator, kab: Kabupaten, places: Places) -> pl.DataFrame:
    """``kode_desa``, ``alamat`` (dukuh or street, without RT/RW), ``rt``, ``rw`` per family
    (RT/RW zero-padded to 3 digits)."""
    n_desa = len(kab.desa_codes)
    dukuh = word_list("dukuh")
    jalan = word_list("jalan")
    max_rw = int(places.rw.max(initial=1)) + 1
    # A dukuh (desa) or street (kelurahan) per (desa, RW); RW 1 is often "Krajan".
    dukuh_idx = rng.integers(0, len(dukuh), (n_desa, max_rw))
    krajan = rng.random(n_desa) < 0.45
    dukuh_idx[krajan, 1] = 0
    street_idx = rng.integers(0, len(jalan), (n_desa, max_rw))
    word_dusun = rng.random(n_desa) < 0.3
    d, w = places.desa, places.rw
    urban = places.urban
    streets = np.array(jalan, dtype=object)[street_idx[d, w]]
    part = np.where(urban, streets, np.array(dukuh, dtype=object)[dukuh_idx[d, w]])
    prefix = np.where(urban, "Jl.", np.where(word_dusun[d], "Dusun", "Dukuh"))
    codes = pl.Series(kab.desa_codes)
    df = pl.DataFrame(
        {
            "kode_desa": codes.gather(d),
            "prefix": prefix,
            "part": pl.Series(part, dtype=pl.String),
            "urban": urban,
            "no": places.house_no,
            "rt": places.rt,
            "rw": places.rw,
        }
    )
    rt = pl.col("rt").cast(pl.String).str.zfill(3)
    rw = pl.col("rw").cast(pl.String).str.zfill(3)
    number = pl.when(pl.col("urban")).then(pl.format(" No. {}", pl.col("no"))).otherwise(pl.lit(""))
    return df.select(
        "kode_desa",
        pl.format("{} {}{}", "prefix", "part", number).alias("alamat"),
        rt.alias("rt"),
        rw.alias("rw"),
    )
