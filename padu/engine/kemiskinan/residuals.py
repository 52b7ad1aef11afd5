"""The survey's residual distribution around a PMT's prediction (no Django).

The residual of survey family h in desa d of kecamatan k, ``u = y - yhat`` in log per-capita
expenditure, is split as in ELL (Elbers, Lanjouw and Lanjouw 2003) into a kecamatan effect,
a desa effect and a household error. Moment estimators, no normality of the household error:

- household variance: the pooled within-desa variance;
- desa variance: the variance of desa means around their kecamatan's mean, minus the
  household part (nested ANOVA, Henderson method III);
- kecamatan variance: the variance of kecamatan means around the survey mean, minus the
  desa and household parts.

The simulation re-estimates the three variances on every cluster-bootstrap draw of the
survey's desa (:func:`components` with ``times``), so their own uncertainty widens the
intervals, as ELL draws them from their sampling distribution.

Household errors are the within-desa deviations rescaled for the degree of freedom the
desa mean used, kept as an empirical distribution to draw from with the survey weights,
together with the desa each came from: the simulation resamples the survey's desa (a
cluster bootstrap), so the survey's own sampling error (of the level and of the tails of
the distribution), which no area average removes, is part of the interval.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True)
class Residuals:
    sigma2_kecamatan: float  # variance of the kecamatan effect (log units)
    sigma2_desa: float  # variance of the desa effect within its kecamatan
    sigma2_household: float  # variance of the household error
    household: FloatArray  # empirical household errors, weighted mean 0
    weights: FloatArray  # drawing probabilities of ``household`` (sum 1)
    area_codes: npt.NDArray[np.str_]  # survey desa, sorted
    area_mean: FloatArray  # mean residual of each survey desa
    area_n: npt.NDArray[np.int64]  # survey families in each desa
    household_area: npt.NDArray[np.int64]  # survey desa of each household error
    area_weight: FloatArray  # survey weight (families) of each survey desa
    area_within_ss: FloatArray  # within-desa sum of squared residual deviations

    @property
    def sigma2_area(self) -> float:
        return self.sigma2_kecamatan + self.sigma2_desa

    def summary(self) -> dict[str, float]:
        return {
            "varians_kecamatan": round(float(self.sigma2_kecamatan), 6),
            "varians_desa": round(float(self.sigma2_desa), 6),
            "varians_rumah_tangga": round(float(self.sigma2_household), 6),
            "desa_survei": len(self.area_codes),
            "keluarga_survei": int(self.area_n.sum()),
        }


def components(
    codes: npt.NDArray[np.str_],
    n_c: FloatArray,
    mean_c: FloatArray,
    within_ss: FloatArray,
    times: FloatArray | None = None,
) -> tuple[float, float, float]:
    """(kecamatan, desa, household) variances by the nested ANOVA (Henderson method III)
    from per-desa counts, mean residuals and within sums of squares; ``times`` counts each
    desa (a cluster bootstrap draws some twice and others not at all)."""
    t = np.ones(len(codes)) if times is None else times
    n, c = float((t * n_c).sum()), float(t.sum())
    sigma2_e = float((t * within_ss).sum() / max(n - c, 1.0))
    kec, index = np.unique(np.array([x[:8] for x in codes.tolist()]), return_inverse=True)
    present = np.bincount(index, weights=t, minlength=len(kec)) > 0
    k = float(present.sum())
    n_k = np.bincount(index, weights=t * n_c, minlength=len(kec))
    mean_k = np.bincount(index, weights=t * n_c * mean_c, minlength=len(kec)) / np.maximum(n_k, 1.0)
    grand = float((t * n_c * mean_c).sum() / n)
    ss_desa = float((t * n_c * (mean_c - mean_k[index]) ** 2).sum())
    ss_kec = float((n_k * (mean_k - grand) ** 2).sum())
    inner = float((t * n_c**2 / np.maximum(n_k[index], 1.0)).sum())  # sum_k sum_d n_d^2 / n_k
    sigma2_desa = 0.0
    if n - inner > 0:
        sigma2_desa = max(0.0, (ss_desa - (c - k) * sigma2_e) / (n - inner))
    outer = n - float((n_k**2).sum()) / n
    sigma2_kec = 0.0
    if outer > 0:
        excess = ss_kec - (k - 1) * sigma2_e - (inner - float((t * n_c**2).sum()) / n) * sigma2_desa
        sigma2_kec = max(0.0, excess / outer)
    return sigma2_kec, sigma2_desa, sigma2_e


def decompose(
    y: FloatArray,
    prediction: FloatArray,
    weight: FloatArray,
    area: npt.NDArray[np.str_],
) -> Residuals:
    """Split the residuals ``y - prediction`` by the survey desa ``area`` (13-character
    codes). ``weight`` is each family's survey weight (families represented)."""
    u = np.asarray(y, np.float64) - np.asarray(prediction, np.float64)
    w = np.asarray(weight, np.float64)
    codes, index = np.unique(np.asarray(area).astype(str), return_inverse=True)
    n_c = np.bincount(index).astype(np.int64)
    mean_c = np.bincount(index, weights=u) / n_c
    within = u - mean_c[index]
    n, c = len(u), len(codes)
    if n - c < 2 or c < 2:
        raise ValueError(
            "Survei terlalu kecil untuk memisahkan efek wilayah dan rumah tangga: perlu "
            "paling sedikit 2 desa (kode_desa) dan lebih banyak keluarga daripada desa."
        )
    within_ss = np.bincount(index, weights=within**2, minlength=c).astype(np.float64)
    sigma2_kec, sigma2_desa, sigma2_e = components(codes, n_c.astype(np.float64), mean_c, within_ss)
    keep = n_c[index] > 1
    scale = np.sqrt(n_c[index] / np.maximum(n_c[index] - 1, 1))
    household = (within * scale)[keep]
    hw = w[keep] / w[keep].sum()
    household = household - float(hw @ household)
    return Residuals(
        sigma2_kecamatan=sigma2_kec,
        sigma2_desa=sigma2_desa,
        sigma2_household=sigma2_e,
        household=household,
        weights=hw,
        area_codes=codes,
        area_mean=mean_c,
        area_n=n_c,
        household_area=index[keep],
        area_weight=np.bincount(index, weights=w, minlength=c).astype(np.float64),
        area_within_ss=within_ss,
    )
