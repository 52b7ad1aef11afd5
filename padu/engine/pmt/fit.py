"""Fitting a PMT: read the survey, cross-validate candidates, choose, refit (no Django).

Candidates are compared by cross-validated *targeting loss* at the programme's coverage
(the share of the truly poorest that the model's selection misses), weighted by the survey
weights, not by R2. The BPS-style baseline is always fitted; :func:`choose` keeps the simpler
model unless a more complex one wins by more than ``ambang_perbaikan`` and by more than the
noise of the cross-validation (``ambang_derau`` standard errors of the per-fold differences).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl
import yaml

from padu.engine import io
from padu.engine.pmt import features, metrics, models

BASELINE = "ols_bps"
SURVEY_NUMBERS = ("pengeluaran_per_kapita", "bobot", "jumlah_art")


@cache
def default_settings() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(
        (files("padu.engine.pmt") / "pmt.yaml").read_text("utf-8")
    )
    return loaded


def settings(overrides: dict[str, Any] | None = None) -> dict[str, Any]:
    merged = dict(default_settings())
    merged.update({k: v for k, v in (overrides or {}).items() if v is not None})
    return merged


def read_survey(path: Path) -> pl.DataFrame:
    """survey.csv as numbers; every cell that is not a number is reported, none dropped."""
    raw = io.read_raw(path)
    if "bobot" not in raw.columns:
        raw = raw.with_columns(bobot=pl.lit("1"))
    optional = [c for c in (*features.PERSON_COLUMNS, "kepala_perempuan") if c not in raw.columns]
    raw = raw.with_columns(pl.lit(None, dtype=pl.String).alias(c) for c in optional)
    needed = ["pengeluaran_per_kapita", "kode_kabupaten", "perkotaan", "jumlah_art"]
    missing = [c for c in [*needed, *features.input_columns()] if c not in raw.columns]
    if missing:
        raise features.PmtSchemaError(
            f"{path.name}: kolom survei tidak ada: {', '.join(missing)}. "
            "Lihat format survey.csv di DTKS-CSV v1."
        )
    numeric = [
        c for c in raw.columns if c in (*features.input_columns(), *SURVEY_NUMBERS, "perkotaan")
    ]
    flags = {"ya": "1", "y": "1", "true": "1", "tidak": "0", "t": "0", "false": "0"}
    parsed = raw.with_columns(
        pl.col(c).str.to_lowercase().replace(flags).cast(pl.Float64, strict=False) for c in numeric
    )
    problems: list[io.CellProblem] = []
    for c in numeric:
        bad = raw[c].is_not_null() & parsed[c].is_null()
        if c in SURVEY_NUMBERS:
            bad = bad | parsed[c].is_null() | (parsed[c].fill_null(0) <= 0)
        for i in np.flatnonzero(bad.to_numpy())[: io.MAX_REPORTED]:
            value = raw[c][int(i)]
            message = (
                "wajib diisi dengan angka lebih dari 0."
                if c in SURVEY_NUMBERS
                else "bukan angka; isi angka, desimal dengan titik."
            )
            problems.append(io.CellProblem(path.name, int(i) + 2, c, value or "", message))
    if problems:
        raise io.DtksFileError(f"{path.name}: ada sel survei yang tidak dapat dipakai.", problems)
    return parsed.with_columns(features.normalise_kabupaten(parsed))


@dataclass
class Fitted:
    chosen: str
    model: models.Model
    schema: dict[str, object]
    cv: dict[str, dict[str, float]]
    settings: dict[str, Any]
    fingerprint: str
    n_survey: int
    notes: list[str] = field(default_factory=list)


def _cv_metrics(
    oof: np.ndarray, y: np.ndarray, w: np.ndarray, size: np.ndarray, conf: dict[str, Any]
) -> dict[str, float]:
    resid = y - oof
    ybar = (w * y).sum() / w.sum()
    out = {
        "loss": metrics.targeting_loss(oof, y, w, conf["cakupan_pemilihan"]),
        "r2": float(1.0 - (w * resid**2).sum() / (w * (y - ybar) ** 2).sum()),
    }
    full = metrics.report(
        oof, y, w, size, line=float(conf["garis_kemiskinan"]), coverages=conf["cakupan_laporan"]
    )
    keep = ("auc_miskin", "spearman", "galat_eksklusi_bawah", "galat_inklusi_bukan_miskin_bawah")
    out.update({k: v for k, v in full.items() if k.startswith(keep)})
    return out


def step_count(overrides: dict[str, Any] | None = None) -> int:
    """How many times :func:`fit` calls ``progress``: every fold of every candidate, and
    the final refit."""
    conf = settings(overrides)
    return len(conf["kandidat"]) * int(conf["lipatan_cv"]) + 1


def fit(
    survey: pl.DataFrame,
    overrides: dict[str, Any] | None = None,
    progress: Callable[[str], None] | None = None,
) -> Fitted:
    """Cross-validate every candidate, choose by targeting loss, refit the choice on all.

    ``progress`` is called after each fold of each candidate and after the final fit.
    """
    done = progress or (lambda _name: None)
    conf = settings(overrides)
    d = features.design(survey, "survei")
    y = np.log(survey["pengeluaran_per_kapita"].to_numpy().astype(np.float64))
    w = survey["bobot"].to_numpy().astype(np.float64)
    size = survey["jumlah_art"].to_numpy().astype(np.float64)
    seed = int(conf["seed"])
    k = int(conf["lipatan_cv"])
    folds = np.random.default_rng(seed).permutation(len(y)) % k
    candidates: dict[str, dict[str, Any]] = conf["kandidat"]
    if BASELINE not in candidates:
        raise ValueError(f"Kandidat dasar '{BASELINE}' wajib ada di pengaturan PMT.")
    cv: dict[str, dict[str, float]] = {}
    fold_losses: dict[str, np.ndarray] = {}
    for name, params in candidates.items():
        oof = np.empty(len(y))
        for fold in range(k):
            train, test = folds != fold, folds == fold
            model = models.make(params, seed)
            model.fit(_rows(d, train), y[train], w[train])
            oof[test] = model.predict(_rows(d, test))
            done(f"{name} lipatan {fold + 1}")
        cv[name] = _cv_metrics(oof, y, w, size, conf)
        fold_losses[name] = np.array(
            [
                metrics.targeting_loss(
                    oof[folds == f], y[folds == f], w[folds == f], conf["cakupan_pemilihan"]
                )
                for f in range(k)
            ]
        )
    best, notes = choose(cv, fold_losses, conf)
    final = models.make(candidates[best], seed)
    final.fit(d, y, w)
    done(best)
    return Fitted(
        chosen=best,
        model=final,
        schema=features.schema_of(d.names),
        cv=cv,
        settings=conf,
        fingerprint=features.fingerprint(survey),
        n_survey=len(y),
        notes=notes,
    )


def choose(
    cv: dict[str, dict[str, float]], fold_losses: dict[str, np.ndarray], conf: dict[str, Any]
) -> tuple[str, list[str]]:
    """Keep the simpler model unless a more complex one wins by more than noise.

    Candidates are taken in the order of the settings (simplest first), starting from the
    baseline; one replaces the current choice only when its CV loss is lower by more than
    ``ambang_perbaikan`` and by more than ``ambang_derau`` standard errors of the paired
    per-fold loss differences. ``cv[name]["selisih_se"]`` records that standard error
    against the baseline."""
    margin = float(conf["ambang_perbaikan"])
    z = float(conf.get("ambang_derau", 0.0))
    chosen = BASELINE
    notes: list[str] = []
    for name in cv:
        if name == BASELINE:
            continue
        base_diff = fold_losses[BASELINE] - fold_losses[name]
        cv[name]["selisih_se"] = float(base_diff.std(ddof=1) / np.sqrt(len(base_diff)))
        diff = fold_losses[chosen] - fold_losses[name]
        gain = cv[chosen]["loss"] - cv[name]["loss"]
        noise = z * float(diff.std(ddof=1) / np.sqrt(len(diff)))
        if gain > max(margin, noise):
            chosen = name
        elif gain > 0:
            notes.append(
                f"{name} lebih baik {gain:.4f} dari {chosen}, tetapi tidak melewati ambang "
                f"(perbaikan {margin:g}, derau {noise:.4f}); dipakai yang lebih sederhana."
            )
    return chosen, notes


def _rows(d: features.Design, rows: np.ndarray) -> features.Design:
    return features.Design(
        matrix=d.matrix[rows],
        names=d.names,
        sources=d.sources,
        kabupaten=d.kabupaten[rows],
        perkotaan=d.perkotaan[rows],
    )
