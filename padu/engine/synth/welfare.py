"""The hidden welfare level of each family and the truth derived from it.

The welfare level is the log of monthly per-capita expenditure. It has a permanent part
(the family's welfare index, desa and urban effects, family size and composition), which
housing, assets, education and work also follow, and a transitory part that no proxy
sees, so a proxy-means test recovers only part of it, as in real PMTs. Its level is
calibrated so that the person-weighted poverty rate against the poverty line matches the
kabupaten's published rate.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from typing import Any

import numpy as np
import numpy.typing as npt
import polars as pl
import yaml

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

TRANSITORY_SD = 0.36  # the part of log expenditure no proxy sees
PERMANENT_SD = 0.40  # province-wide spread of the permanent part
ASSET_NOISE_SD = 0.75  # noise between permanent welfare and housing/assets


@cache
def params() -> dict[str, Any]:
    text = (files("padu.engine.synth") / "params.yaml").read_text("utf-8")
    loaded: dict[str, Any] = yaml.safe_load(text)
    return loaded


def poverty_line() -> float:
    return float(params()["garis_kemiskinan"])


@dataclass(frozen=True)
class Welfare:
    log_pce: FloatArray  # kesejahteraan: log monthly per-capita expenditure
    permanent: FloatArray  # the part proxies follow (same units)
    signal: FloatArray  # standardised permanent welfare against the province (about N(0,1))


def family_summaries(
    fam: IntArray, age: FloatArray, alive: BoolArray, n: int
) -> dict[str, FloatArray]:
    """Living members, share of children under 15 and of members 60+, per family."""
    size = np.bincount(fam[alive], minlength=n).astype(np.float64)
    kids = np.bincount(fam[alive & (age < 15.0)], minlength=n)
    old = np.bincount(fam[alive & (age >= 60.0)], minlength=n)
    return {"size": size, "kids": kids / size, "old": old / size}


def draw_welfare(
    rng: np.random.Generator,
    wz: FloatArray,
    desa_effect: FloatArray,
    urban: BoolArray,
    female_head: BoolArray,
    summaries: dict[str, FloatArray],
    poverty_rate: float,
) -> Welfare:
    size = summaries["size"]
    permanent = (
        0.33 * wz
        + desa_effect
        + 0.16 * urban
        - 0.06 * female_head
        - 0.28 * (np.log(size) - np.log(3.3))
        - 0.25 * summaries["kids"]
        - 0.05 * summaries["old"]
    )
    log_pce = permanent + rng.normal(0.0, TRANSITORY_SD, len(wz))
    # Calibrate the level: the person-weighted share below the line is the target rate.
    order = np.argsort(log_pce, kind="stable")
    cum = np.cumsum(size[order]) / size.sum()
    q = log_pce[order][min(int(np.searchsorted(cum, poverty_rate)), len(order) - 1)]
    shift = np.log(poverty_line()) - q
    log_pce += shift
    permanent = permanent + shift
    # What housing and assets show: permanent welfare seen through the family's own
    # circumstances (inheritance, tastes, savings), scaled to about N(0, 1) province-wide.
    reference = np.log(float(params()["median_pengeluaran"]))
    seen = (permanent - reference) / PERMANENT_SD + rng.normal(0.0, ASSET_NOISE_SD, len(wz))
    return Welfare(log_pce, permanent, seen / np.sqrt(1.0 + ASSET_NOISE_SD**2))


def person_weighted_desil(value: FloatArray, weight: FloatArray) -> IntArray:
    """Desil 1-10 with equal numbers of people (weights) in each, 1 the lowest values."""
    order = np.argsort(value, kind="stable")
    w = weight[order]
    mid = (np.cumsum(w) - w / 2.0) / w.sum()
    desil = np.empty(len(value), dtype=np.int64)
    desil[order] = np.clip(np.floor(mid * 10.0).astype(np.int64) + 1, 1, 10)
    return desil


def truth_frame(ids: pl.Series, welfare: Welfare, size: FloatArray) -> pl.DataFrame:
    pce = np.round(np.exp(welfare.log_pce)).astype(np.int64)
    return pl.DataFrame(
        {
            "id_keluarga": ids,
            "kesejahteraan": np.round(welfare.log_pce, 6),
            "pengeluaran_per_kapita": pce,
            "miskin": (pce < poverty_line()).astype(np.int8),
            "desil_benar": person_weighted_desil(welfare.log_pce, size).astype(np.int8),
        }
    )
