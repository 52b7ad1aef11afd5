"""Housing, utilities, assets and livestock of each family, following its welfare.

Most items are ordered categories drawn from a latent ``slope * welfare + urban shift +
noise``; the cut points come from target shares for an average Jawa Tengah family, so a
poorer kabupaten gets worse housing. Dependent items are kept consistent (no toilet ->
jenis_kloset 4, not electric -> daya_listrik blank, no electricity -> no fridge, ...).
"""

from __future__ import annotations

from statistics import NormalDist

import numpy as np
import numpy.typing as npt

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]

URBAN_MEAN = 0.2  # urban shifts are centred on this share


def ordered(
    rng: np.random.Generator,
    signal: FloatArray,
    urban: BoolArray,
    codes: list[int],
    shares: list[float],
    slope: float,
    urban_shift: float = 0.0,
) -> IntArray:
    """Codes listed worst to best with their target shares for an average family."""
    total = sum(shares)
    cum = np.cumsum(np.asarray(shares[:-1]) / total)
    sd = float(np.sqrt(slope**2 + 1.0))
    cuts = np.array([NormalDist().inv_cdf(float(c)) * sd for c in cum])
    latent = slope * signal + urban_shift * (urban - URBAN_MEAN) + rng.standard_normal(len(signal))
    return np.asarray(codes, dtype=np.int64)[np.searchsorted(cuts, latent)]


def has(
    rng: np.random.Generator,
    signal: FloatArray,
    urban: BoolArray,
    share: float,
    slope: float,
    urban_shift: float = 0.0,
) -> BoolArray:
    return ordered(rng, signal, urban, [0, 1], [1.0 - share, share], slope, urban_shift) == 1


def housing(
    rng: np.random.Generator,
    h: FloatArray,
    urban: BoolArray,
    size: FloatArray,
    government: BoolArray,
    elderly_only: BoolArray,
    coastal: bool,
    livestock: float,
) -> dict[str, IntArray]:
    n = len(h)
    u = rng.random(n)
    rural = ~urban
    out: dict[str, IntArray] = {}
    # Tenure: renting is urban; official housing goes with government work.
    p_rent = 0.03 + 0.09 * urban
    p_dinas = 0.002 + 0.02 * government
    bangunan = np.select(
        [u < p_rent, u < p_rent + 0.07, u < p_rent + 0.07 + p_dinas, u < p_rent + 0.075 + p_dinas],
        [2, 3, 4, 5],
        1,
    )
    v = rng.random(n)
    lahan = np.where(
        bangunan == 1,
        np.select([v < 0.9, v < 0.97, v < 0.99], [1, 2, 3], 4),
        np.where(bangunan == 4, 3, np.where(v < 0.95, 2, 4)),
    )
    out["status_bangunan"], out["status_lahan"] = bangunan, lahan
    area = np.exp(
        np.log(68.0) + 0.2 * h + 0.15 * np.log(size / 3.3) - 0.3 * urban + rng.normal(0, 0.35, n)
    )
    out["luas_lantai"] = np.clip(np.round(area), 12, 600).astype(np.int64)
    out["jenis_lantai"] = ordered(
        rng,
        h,
        urban,
        [9, 7, 8, 6, 5, 4, 3, 2, 1],
        [8.5, 0.3, 0.6, 19, 0.5, 5, 0.5, 64, 1.6],
        1.2,
        0.4,
    )
    out["jenis_dinding"] = ordered(
        rng, h, urban, [6, 4, 5, 2, 3, 1], [0.5, 4.5, 0.3, 2, 8, 84.7], 1.1, 0.5
    )
    weak = out["jenis_dinding"] != 1
    out["kondisi_dinding"] = np.where(rng.random(n) < _sigmoid(-2.2 - 1.0 * h + 1.4 * weak), 2, 1)
    out["jenis_atap"] = ordered(
        rng, h, urban, [9, 8, 6, 5, 7, 4, 3, 2, 1], [0.2, 0.1, 3, 4, 0.2, 83, 4, 4, 1.5], 0.9, 0.6
    )
    weak = np.isin(out["jenis_atap"], [5, 6, 8, 9])
    out["kondisi_atap"] = np.where(rng.random(n) < _sigmoid(-2.3 - 1.0 * h + 1.0 * weak), 2, 1)
    rooms = np.round(out["luas_lantai"] / 24.0 + rng.normal(0.3, 0.7, n))
    out["jumlah_kamar"] = np.clip(rooms, 1, 8).astype(np.int64)
    out["sumber_air_minum"] = ordered(
        rng,
        h,
        urban,
        [10, 9, 11, 7, 12, 8, 6, 4, 5, 3, 2, 1],
        [0.5, 2, 0.3, 4, 0.3, 5, 22, 2, 25, 8, 28, 3],
        0.8,
        1.2,
    )
    _utilities(rng, h, urban, size, out)
    _toilet(rng, h, urban, out)
    _assets(rng, h, urban, elderly_only, coastal, out)
    _livestock(rng, h, rural, livestock, out)
    for k, other in (("jenis_lantai", 10), ("jenis_dinding", 7), ("jenis_atap", 10)):
        out[k] = np.where(rng.random(n) < 0.002, other, out[k])
    return out


def _sigmoid(x: FloatArray) -> FloatArray:
    return 1.0 / (1.0 + np.exp(-x))


def _utilities(
    rng: np.random.Generator,
    h: FloatArray,
    urban: BoolArray,
    size: FloatArray,
    out: dict[str, IntArray],
) -> None:
    n = len(h)
    light = ordered(rng, h, urban, [3, 2, 1], [0.5, 0.4, 99.1], 1.3, 1.0)
    daya = ordered(rng, h, urban, [6, 1, 2, 3, 4, 5], [3, 30, 45, 17, 4, 1], 1.5, 0.5)
    out["sumber_penerangan"] = light
    out["daya_listrik"] = np.where(light == 1, daya, np.where(light == 2, 6, -1))
    fuel = ordered(
        rng, h, urban, [8, 7, 6, 5, 3, 4, 2, 1], [15, 0.3, 0.1, 0.3, 77, 0.5, 5.5, 1.3], 1.3, 1.5
    )
    no_cook = rng.random(n) < np.where(size <= 1, 0.02, 0.002)
    out["bahan_bakar_memasak"] = np.where(no_cook, 9, np.where((light == 3) & (fuel == 1), 3, fuel))


def _toilet(
    rng: np.random.Generator, h: FloatArray, urban: BoolArray, out: dict[str, IntArray]
) -> None:
    n = len(h)
    fasilitas = ordered(rng, h, urban, [4, 3, 2, 1], [4, 1, 6, 89], 1.3, 0.8)
    kloset = ordered(rng, h, urban, [3, 2, 1], [3, 2, 95], 1.0, 0.5)
    kloset = np.where(fasilitas == 4, 4, kloset)
    u = rng.random(n)
    tinja = ordered(rng, h, urban, [4, 3, 2, 1], [4, 10, 3, 83], 1.0, 0.8)
    tinja = np.where(kloset == 3, np.where(u < 0.85, 3, 4), tinja)
    tinja = np.where(fasilitas == 4, np.select([u < 0.6, u < 0.95], [4, 5], 6), tinja)
    out["fasilitas_bab"], out["jenis_kloset"], out["pembuangan_tinja"] = fasilitas, kloset, tinja


def _assets(
    rng: np.random.Generator,
    h: FloatArray,
    urban: BoolArray,
    elderly_only: BoolArray,
    coastal: bool,
    out: dict[str, IntArray],
) -> None:
    n = len(h)
    electric = out["sumber_penerangan"] != 3
    big_power = np.isin(out["daya_listrik"], [3, 4, 5])
    gas = has(rng, h, urban, 0.04, 1.2) | (out["bahan_bakar_memasak"] == 2)
    items: dict[str, BoolArray] = {
        "aset_tabung_gas": gas,
        "aset_kulkas": has(rng, h, urban, 0.62, 1.0, 0.5) & electric,
        "aset_ac": has(rng, h, urban, 0.04, 1.7, 0.8) & big_power,
        "aset_pemanas_air": has(rng, h, urban, 0.03, 1.6, 0.5)
        & electric
        & (out["daya_listrik"] != 1),
        "aset_telepon_rumah": has(rng, h, urban, 0.02, 1.0, 0.8),
        "aset_tv": has(rng, h, urban, 0.30, 1.3, 0.4) & electric,
        "aset_emas": has(rng, h, urban, 0.20, 1.0),
        "aset_komputer": has(rng, h, urban, 0.14, 1.4, 0.6) & electric,
        "aset_sepeda": has(rng, h, urban, 0.45, 0.1, -0.3),
        "aset_sepeda_motor": has(rng, h - 0.9 * elderly_only, urban, 0.84, 0.8),
        "aset_mobil": has(rng, h, urban, 0.09, 1.5, 0.3),
    }
    boats = 0.03 if coastal else 0.001
    perahu = has(rng, -h, urban, boats, 0.3, -1.0)
    items["aset_perahu"] = perahu
    items["aset_motor_tempel"] = perahu & (rng.random(n) < 0.4)
    items["aset_perahu_motor"] = rng.random(n) < (0.012 if coastal else 0.0003) * (1 - urban)
    items["aset_kapal"] = items["aset_perahu_motor"] & (rng.random(n) < 0.08) & (h > 0.5)
    items["aset_smartphone"] = has(rng, h - 1.2 * elderly_only, urban, 0.82, 0.7, 0.4)
    land = has(rng, h, urban, 0.30, 0.6, -1.5)
    items["aset_lahan"] = land
    area = np.exp(np.where(urban, np.log(400.0), np.log(2000.0)) + 0.4 * h + rng.normal(0, 0.7, n))
    out["luas_lahan"] = np.where(land, np.clip(np.round(area, -1), 20, 50000), -1).astype(np.int64)
    items["aset_rumah_lain"] = has(rng, h, urban, 0.05, 1.4, 0.3)
    for name, value in items.items():
        out[name] = value.astype(np.int64)


def _livestock(
    rng: np.random.Generator,
    h: FloatArray,
    rural: BoolArray,
    factor: float,
    out: dict[str, IntArray],
) -> None:
    """Cattle and goats are rural savings, kept mostly by middle and poorer farmers."""
    n = len(h)
    bell = np.exp(-0.5 * ((h + 0.3) / 1.3) ** 2)
    where = np.where(rural, 1.0, 0.08) * bell * factor
    for name, p, mean in (
        ("ternak_sapi", 0.13, 0.9),
        ("ternak_kerbau", 0.004, 0.5),
        ("ternak_kuda", 0.0008, 0.2),
        ("ternak_babi", 0.0004, 1.5),
        ("ternak_kambing", 0.10, 2.0),
    ):
        owns = rng.random(n) < np.minimum(p * where, 0.9)
        count = 1 + rng.poisson(mean + 0.3 * np.maximum(h, 0.0), n)
        out[name] = np.where(owns, count, 0).astype(np.int64)
