"""ELL/EBP-style simulation of FGT poverty measures per kabupaten, kecamatan and desa.

Each family of the register has a predicted log per-capita expenditure ``yhat`` from the
PMT. A draw adds a kecamatan and desa effect ``eta_d`` and a household error ``e_h`` drawn
from the survey's residual distribution (:mod:`residuals`): ``y = yhat + eta_d + e_h``.
For a desa the survey sampled, the effects are drawn from their conditional (empirical
Bayes) distribution given the mean survey residuals of the desa and its kecamatan;
elsewhere from N(0, sigma2) of the kecamatan and desa components. Each draw also resamples
the survey's desa (a cluster bootstrap within each kabupaten): the household errors come
from the resampled desa, the level moves by the resampled mean residual and the variance
components are re-estimated, so the survey's own sampling error is in the interval. Per
draw the person-weighted FGT P0, P1, P2 (and the extreme-poverty P0) of every area are
computed; the estimate is the mean over draws and the interval the 5th and 95th
percentiles (90%). Sums are additive, so the kecamatan and
kabupaten figures come from the desa sums of the same draw.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import polars as pl

from padu.engine.kemiskinan.lines import PovertyLine
from padu.engine.kemiskinan.residuals import Residuals, components

FloatArray = npt.NDArray[np.float64]
LEVELS = {5: "kabupaten", 8: "kecamatan", 13: "desa"}
MEASURES = ("p0", "p1", "p2", "p0_ekstrem")
INTERVAL = (5.0, 95.0)


@dataclass(frozen=True)
class Population:
    """Families of the register: prediction, persons and desa, ordered as given."""

    prediction: FloatArray
    persons: FloatArray
    desa: npt.NDArray[np.str_]

    @classmethod
    def of(
        cls, prediction: npt.ArrayLike, persons: npt.ArrayLike, desa: npt.ArrayLike
    ) -> Population:
        pred = np.asarray(prediction, np.float64)
        size = np.asarray(persons, np.float64)
        codes = np.asarray(desa).astype(str)
        if not (len(pred) == len(size) == len(codes)):
            raise ValueError("Prediksi, jumlah orang dan kode desa harus sama panjang.")
        bad = np.flatnonzero(np.char.str_len(codes) != 13)
        if len(bad):
            raise ValueError(
                f"Kode desa tidak lengkap pada keluarga ke-{int(bad[0]) + 1} ('{codes[bad[0]]}'): "
                "tulis kode Kemendagri 13 karakter, mis. 33.16.01.2001."
            )
        return cls(pred, size, codes)


def _f(values: npt.ArrayLike) -> FloatArray:
    return np.asarray(values, dtype=np.float64)


def _eb(sigma2: float, noise: FloatArray, mean: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Conditional mean and variance of an effect given a mean residual with ``noise``."""
    gamma = sigma2 / (sigma2 + noise) if sigma2 > 0 else np.zeros_like(noise)
    return gamma * mean, sigma2 * (1.0 - gamma)


@dataclass(frozen=True)
class Layout:
    """Population desa, their kecamatan and kabupaten, and the survey's data on them."""

    desa_index: npt.NDArray[np.int64]  # per family
    kec_of_desa: npt.NDArray[np.int64]
    kab_of_desa: npt.NDArray[np.int64]
    kab_codes: npt.NDArray[np.str_]
    n_kec: int
    sampled: npt.NDArray[np.bool_]  # per desa: in the survey
    n_d: FloatArray  # survey families per desa
    sum_d: FloatArray  # sum of their residuals
    n_k: FloatArray
    s_k: FloatArray
    sq_k: FloatArray


def layout(pop: Population, res: Residuals) -> Layout:
    desa_codes, desa_index = np.unique(pop.desa, return_inverse=True)
    kec_codes, kec_of_desa = np.unique([c[:8] for c in desa_codes.tolist()], return_inverse=True)
    kab_codes, kab_of_desa = np.unique([c[:5] for c in desa_codes.tolist()], return_inverse=True)
    pos = np.minimum(np.searchsorted(res.area_codes, desa_codes), len(res.area_codes) - 1)
    sampled = res.area_codes[pos] == desa_codes
    n_d = np.where(sampled, res.area_n[pos], 0).astype(np.float64)
    sum_d = np.where(sampled, res.area_mean[pos] * n_d, 0.0)
    k = len(kec_codes)
    return Layout(
        desa_index=desa_index,
        kec_of_desa=kec_of_desa,
        kab_of_desa=kab_of_desa,
        kab_codes=kab_codes,
        n_kec=k,
        sampled=sampled,
        n_d=n_d,
        sum_d=sum_d,
        n_k=_f(np.bincount(kec_of_desa, weights=n_d, minlength=k)),
        s_k=_f(np.bincount(kec_of_desa, weights=sum_d, minlength=k)),
        sq_k=_f(np.bincount(kec_of_desa, weights=n_d**2, minlength=k)),
    )


def area_effects(
    lay: Layout, s2_kec: float, s2_desa: float, s2_e: float, eb: bool = True
) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray]:
    """Mean and standard deviation of each kecamatan's and each desa's effect."""
    kec_mean = np.zeros(lay.n_kec)
    kec_var = np.full(lay.n_kec, s2_kec)
    desa_mean = np.zeros(len(lay.sampled))
    desa_var = np.full(len(lay.sampled), s2_desa)
    if eb:
        seen = lay.n_k > 0
        safe = np.maximum(lay.n_k, 1.0)
        noise = s2_desa * lay.sq_k / safe**2 + s2_e / safe
        m, v = _eb(s2_kec, noise[seen], lay.s_k[seen] / safe[seen])
        kec_mean[seen], kec_var[seen] = m, v
        sampled = lay.sampled
        u_d = lay.sum_d[sampled] / lay.n_d[sampled] - kec_mean[lay.kec_of_desa[sampled]]
        m, v = _eb(s2_desa, s2_e / lay.n_d[sampled], u_d)
        desa_mean[sampled], desa_var[sampled] = m, v
    return kec_mean, np.sqrt(kec_var), desa_mean, np.sqrt(desa_var)


def draws(
    pop: Population,
    res: Residuals,
    *,
    n_draws: int,
    seed: int,
    shift: FloatArray | None = None,
    eb: bool = True,
) -> Iterator[tuple[npt.NDArray[np.int64], FloatArray]]:
    """Per draw: (desa index of every family, simulated log per-capita expenditure).

    ``shift`` (per family, log units) is added to the prediction: the calibration."""
    lay = layout(pop, res)
    base = pop.prediction if shift is None else pop.prediction + shift
    survey_kab = np.array([c[:5] for c in res.area_codes.tolist()])
    kab_names = sorted(set(survey_kab.tolist()))
    groups = [np.flatnonzero(survey_kab == k) for k in kab_names]
    kab_pos = {k: i for i, k in enumerate(kab_names)}
    kab_of_survey_area = np.array([kab_pos[k] for k in survey_kab.tolist()])
    pop_kab = np.array([kab_pos.get(k, -1) for k in lay.kab_codes.tolist()])
    area_sum = res.area_weight * res.area_mean
    full = np.bincount(kab_of_survey_area, weights=area_sum) / np.bincount(
        kab_of_survey_area, weights=res.area_weight
    )
    n_c = res.area_n.astype(np.float64)
    rng = np.random.default_rng(seed)
    for _ in range(n_draws):
        # Cluster bootstrap of the survey within each kabupaten: its level, its errors and
        # its variance components.
        times = np.zeros(len(res.area_codes))
        for g in groups:
            np.add.at(times, rng.choice(g, len(g)), 1.0)
        boot = np.bincount(kab_of_survey_area, weights=times * area_sum) / np.bincount(
            kab_of_survey_area, weights=times * res.area_weight
        )
        level = np.append(boot - full, 0.0)[pop_kab]
        s2_kec, s2_desa, s2_e = components(
            res.area_codes, n_c, res.area_mean, res.area_within_ss, times
        )
        kec_mean, kec_sd, desa_mean, desa_sd = area_effects(lay, s2_kec, s2_desa, s2_e, eb)
        cumulative = np.cumsum(res.weights * times[res.household_area])
        cumulative /= cumulative[-1]
        kec = kec_mean + kec_sd * rng.standard_normal(lay.n_kec)
        desa = desa_mean + desa_sd * rng.standard_normal(len(desa_mean))
        eta = desa + kec[lay.kec_of_desa] + level[lay.kab_of_desa]
        pick = np.searchsorted(cumulative, rng.random(len(base)), side="right")
        pick = np.minimum(pick, len(cumulative) - 1)
        yield lay.desa_index, base + eta[lay.desa_index] + res.household[pick]


def estimate(
    pop: Population,
    res: Residuals,
    line: PovertyLine,
    *,
    n_draws: int = 100,
    seed: int = 1,
    shift: FloatArray | None = None,
    eb: bool = True,
) -> pl.DataFrame:
    """One row per area (kabupaten, kecamatan, desa): FGT estimates in percent (P1 and P2
    as indices x 100, as BPS publishes them), 90% intervals, families and persons."""
    if n_draws < 2:
        raise ValueError("Jumlah simulasi harus paling sedikit 2.")
    desa_codes = np.unique(pop.desa)
    n_desa = len(desa_codes)
    log_line, log_extreme = np.log(line.garis), np.log(line.ekstrem)
    sums = np.zeros((len(MEASURES), n_draws, n_desa))
    w = pop.persons
    for d, (index, y) in enumerate(draws(pop, res, n_draws=n_draws, seed=seed, shift=shift, eb=eb)):
        gap = np.maximum(0.0, 1.0 - np.exp(y - log_line))
        poor = y < log_line
        sums[0, d] = np.bincount(index, weights=w * poor, minlength=n_desa)
        sums[1, d] = np.bincount(index, weights=w * gap, minlength=n_desa)
        sums[2, d] = np.bincount(index, weights=w * gap * gap, minlength=n_desa)
        sums[3, d] = np.bincount(index, weights=w * (y < log_extreme), minlength=n_desa)
    index = np.searchsorted(desa_codes, pop.desa)
    persons = np.bincount(index, weights=w, minlength=n_desa)
    families = np.bincount(index, minlength=n_desa).astype(np.float64)
    frames = []
    for length, level in LEVELS.items():
        # Desa codes are sorted, so each wider area is a contiguous run of desa.
        codes, starts = np.unique(
            np.array([c[:length] for c in desa_codes.tolist()]), return_index=True
        )
        area_persons = np.add.reduceat(persons, starts)
        columns: dict[str, object] = {"kode_wilayah": codes, "tingkat": level}
        for m, name in enumerate(MEASURES):
            share = 100.0 * np.add.reduceat(sums[m], starts, axis=1) / np.maximum(area_persons, 1.0)
            low, high = np.percentile(share, INTERVAL, axis=0)
            columns[name] = share.mean(axis=0)
            columns[f"{name}_bawah"] = low
            columns[f"{name}_atas"] = high
        columns["keluarga"] = np.add.reduceat(families, starts).astype(np.int64)
        columns["orang"] = np.round(area_persons).astype(np.int64)
        frames.append(pl.DataFrame(columns))
    out = pl.concat(frames)
    rounded = [c for c in out.columns if c.startswith("p")]
    return out.with_columns(pl.col(rounded).round(4))


def true_fgt(
    log_pce: npt.ArrayLike, persons: npt.ArrayLike, desa: npt.ArrayLike, line: PovertyLine
) -> pl.DataFrame:
    """FGT of known expenditure per area, same units as :func:`estimate` (for tests and
    benchmarks on generated data, where the truth is known)."""
    y = np.asarray(log_pce, np.float64)
    w = np.asarray(persons, np.float64)
    gap = np.maximum(0.0, 1.0 - np.exp(y - np.log(line.garis)))
    frame = pl.DataFrame(
        {
            "desa": np.asarray(desa).astype(str),
            "w": w,
            "p0": w * (y < np.log(line.garis)),
            "p1": w * gap,
            "p2": w * gap * gap,
            "p0_ekstrem": w * (y < np.log(line.ekstrem)),
        }
    )
    out = []
    for length, level in LEVELS.items():
        out.append(
            frame.group_by(pl.col("desa").str.slice(0, length).alias("kode_wilayah"))
            .agg(pl.col("w", *MEASURES).sum())
            .select(
                "kode_wilayah",
                pl.lit(level).alias("tingkat"),
                *((100.0 * pl.col(m) / pl.col("w")).alias(m) for m in MEASURES),
            )
        )
    return pl.concat(out).sort("tingkat", "kode_wilayah")
