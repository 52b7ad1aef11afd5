"""Targeting and poverty metrics, survey-weighted, with bootstrap intervals (no Django).

Conventions: ``w`` is the number of persons a family represents (its size in the register,
``bobot`` in a survey); ``score`` is lower for poorer families; ``welfare`` is the true
(log) per-capita expenditure; ``target`` marks the families a programme should reach (poor by
the poverty line, or the true bottom share at the programme's coverage).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import numpy.typing as npt
from sklearn.metrics import roc_auc_score

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]


def _f(values: npt.ArrayLike) -> FloatArray:
    return np.asarray(values, dtype=np.float64)


def select_bottom(score: npt.ArrayLike, w: npt.ArrayLike, coverage: float) -> BoolArray:
    """The poorest families by ``score`` holding ``coverage`` of the persons.

    A family is in when the middle of its persons lies below the coverage (the desil rule);
    ties keep the input order (pass rows sorted by id for determinism)."""
    s, weights = _f(score), _f(w)
    order = np.argsort(s, kind="stable")
    cum = np.cumsum(weights[order])
    mid = (cum - weights[order] / 2.0) / cum[-1]
    chosen = np.zeros(len(s), dtype=bool)
    chosen[order] = mid < coverage
    return chosen


def targeting(selected: npt.ArrayLike, target: npt.ArrayLike, w: npt.ArrayLike) -> dict[str, float]:
    """Exclusion and inclusion errors (both conventions), accuracy, targeting differential."""
    sel, tgt, weights = np.asarray(selected, bool), np.asarray(target, bool), _f(w)
    poor, nonpoor, chosen = weights[tgt].sum(), weights[~tgt].sum(), weights[sel].sum()
    hit = weights[sel & tgt].sum()
    leak = weights[sel & ~tgt].sum()
    miss = weights[~sel & tgt].sum()
    correct_out = weights[~sel & ~tgt].sum()
    nan = float("nan")
    exclusion = miss / poor if poor else nan
    inclusion_nonpoor = leak / nonpoor if nonpoor else nan
    return {
        "cakupan": float(chosen / weights.sum()),
        "galat_eksklusi": float(exclusion),
        "galat_inklusi_bukan_miskin": float(inclusion_nonpoor),
        "galat_inklusi_terpilih": float(leak / chosen) if chosen else nan,
        "akurasi_total": float((hit + correct_out) / weights.sum()),
        "selisih_penargetan": float((1.0 - exclusion) - inclusion_nonpoor),
    }


def coady_grosh_hoddinott(
    selected: npt.ArrayLike, welfare: npt.ArrayLike, w: npt.ArrayLike, bottom: float = 0.4
) -> float:
    """Share of benefits (equal per person selected) reaching the true bottom ``bottom``
    of persons, divided by ``bottom``; 1 is neutral, higher is progressive."""
    sel, weights = np.asarray(selected, bool), _f(w)
    in_bottom = select_bottom(welfare, weights, bottom)
    given = weights[sel].sum()
    if not given:
        return float("nan")
    return float(weights[sel & in_bottom].sum() / given / bottom)


def auc(score: npt.ArrayLike, poor: npt.ArrayLike, w: npt.ArrayLike) -> float:
    """Weighted area under the ROC curve of the score for telling poor from non-poor."""
    target = np.asarray(poor, bool)
    if target.all() or not target.any():
        return float("nan")
    return float(roc_auc_score(target, -_f(score), sample_weight=_f(w)))


def _weighted_ranks(values: FloatArray, weights: FloatArray) -> FloatArray:
    unique, inverse = np.unique(values, return_inverse=True)
    per_value = np.bincount(inverse, weights=weights, minlength=len(unique))
    mid = np.cumsum(per_value) - per_value / 2.0
    return mid[inverse]


def spearman(score: npt.ArrayLike, welfare: npt.ArrayLike, w: npt.ArrayLike) -> float:
    """Weighted Spearman rank correlation (weighted mid-ranks, weighted Pearson)."""
    weights = _f(w)
    a = _weighted_ranks(_f(score), weights)
    b = _weighted_ranks(_f(welfare), weights)
    total = weights.sum()
    a, b = a - (weights * a).sum() / total, b - (weights * b).sum() / total
    denom = np.sqrt((weights * a * a).sum() * (weights * b * b).sum())
    return float((weights * a * b).sum() / denom) if denom else float("nan")


def fgt(expenditure: npt.ArrayLike, line: float, w: npt.ArrayLike, alpha: int) -> float:
    """Foster-Greer-Thorbecke P_alpha: P0 headcount, P1 depth, P2 severity (as shares)."""
    y, weights = _f(expenditure), _f(w)
    gap = np.where(y < line, (line - y) / line, 0.0)
    poor = (y < line).astype(np.float64)
    return float((weights * poor * gap**alpha).sum() / weights.sum())


def poverty_reduction(
    expenditure: npt.ArrayLike,
    selected: npt.ArrayLike,
    size: npt.ArrayLike,
    w: npt.ArrayLike,
    line: float,
    transfer: float,
) -> dict[str, float]:
    """Simulate ``transfer`` rupiah per selected family per month, shared by its members.

    ``gap_per_rupiah``: rupiah of poverty gap closed per rupiah spent (1 = every rupiah
    lifts someone toward the line; leakage and overshooting lower it). ``w / size`` is the
    number of families a row represents."""
    y, sel, persons, weights = _f(expenditure), np.asarray(selected, bool), _f(size), _f(w)
    after = y + np.where(sel, transfer / np.maximum(persons, 1.0), 0.0)
    before = {a: fgt(y, line, weights, a) for a in (0, 1, 2)}
    then = {a: fgt(after, line, weights, a) for a in (0, 1, 2)}
    families = (weights / np.maximum(persons, 1.0))[sel].sum()
    cost = transfer * families
    closed = (before[1] - then[1]) * weights.sum() * line
    return {
        "p0_sebelum": before[0],
        "p0_sesudah": then[0],
        "p1_sebelum": before[1],
        "p1_sesudah": then[1],
        "p2_sebelum": before[2],
        "p2_sesudah": then[2],
        "biaya_per_bulan": float(cost),
        "celah_tertutup_per_rupiah": float(closed / cost) if cost else float("nan"),
    }


def targeting_loss(
    score: npt.ArrayLike, welfare: npt.ArrayLike, w: npt.ArrayLike, coverages: Sequence[float]
) -> float:
    """Mean exclusion error at the given coverages, the target being the true bottom of the
    same coverage (so it equals the inclusion error among those selected)."""
    losses = [
        targeting(select_bottom(score, w, c), select_bottom(welfare, w, c), w)["galat_eksklusi"]
        for c in coverages
    ]
    return float(np.mean(losses))


def report(
    score: npt.ArrayLike,
    welfare: npt.ArrayLike,
    w: npt.ArrayLike,
    size: npt.ArrayLike,
    *,
    line: float,
    coverages: Sequence[float],
    transfer: float = 300_000.0,
) -> dict[str, float]:
    """Every metric in one flat dict: ``<metric>@<coverage>`` for coverage-based ones.

    At each coverage two targets are scored: the true bottom of that coverage (``_bawah``)
    and the poor under the poverty line (``_miskin``)."""
    s, lw, weights = _f(score), _f(welfare), _f(w)
    expenditure = np.exp(lw)
    poor = expenditure < line
    out: dict[str, float] = {
        "auc_miskin": auc(s, poor, weights),
        "spearman": spearman(s, lw, weights),
        "p0": fgt(expenditure, line, weights, 0),
        "p1": fgt(expenditure, line, weights, 1),
        "p2": fgt(expenditure, line, weights, 2),
    }
    for c in coverages:
        sel = select_bottom(s, weights, c)
        for key, value in targeting(sel, select_bottom(lw, weights, c), weights).items():
            out[f"{key}_bawah@{c:g}"] = value
        for key, value in targeting(sel, poor, weights).items():
            out[f"{key}_miskin@{c:g}"] = value
        out[f"cgh@{c:g}"] = coady_grosh_hoddinott(sel, lw, weights)
        reduction = poverty_reduction(expenditure, sel, size, weights, line, transfer)
        out[f"penurunan_p0@{c:g}"] = reduction["p0_sebelum"] - reduction["p0_sesudah"]
        out[f"celah_tertutup_per_rupiah@{c:g}"] = reduction["celah_tertutup_per_rupiah"]
    return out


def bootstrap(
    metric: Callable[[npt.NDArray[np.int64]], dict[str, float]],
    n: int,
    *,
    replicates: int = 200,
    seed: int = 1,
    level: float = 0.95,
) -> dict[str, tuple[float, float]]:
    """Percentile intervals of every value ``metric(rows)`` returns, resampling families.

    ``metric`` receives the resampled row indices and returns a dict of numbers."""
    rng = np.random.default_rng(seed)
    draws: dict[str, list[float]] = {}
    for _ in range(replicates):
        rows = rng.integers(0, n, n)
        for key, value in metric(rows).items():
            draws.setdefault(key, []).append(value)
    low, high = (1.0 - level) / 2.0 * 100.0, (1.0 + level) / 2.0 * 100.0
    return {
        key: (float(np.nanpercentile(v, low)), float(np.nanpercentile(v, high)))
        for key, v in draws.items()
    }
