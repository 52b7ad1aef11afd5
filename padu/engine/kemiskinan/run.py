"""Estimates of a region from a PMT artifact, its survey and the register (no Django).

The same function serves ``padu kemiskinan estimate`` on files and the background task on a
register snapshot: ``population`` is survey-shaped (``features.population_frame``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import polars as pl

from padu.engine.kemiskinan import calibrate, residuals, simulate
from padu.engine.kemiskinan.lines import PovertyLine
from padu.engine.pmt.artifact import Artifact

AREA_COLUMN = "kode_desa"


@dataclass(frozen=True)
class Estimate:
    areas: pl.DataFrame
    residuals: residuals.Residuals
    line: PovertyLine
    model_version: str
    model_kind: str
    n_draws: int
    seed: int
    shifts: dict[str, float] = field(default_factory=dict)
    published: list[calibrate.PublishedP0] = field(default_factory=list)


def survey_residuals(artifact: Artifact, survey: pl.DataFrame) -> residuals.Residuals:
    """The residual distribution of the survey around the artifact's prediction."""
    if AREA_COLUMN not in survey.columns:
        raise ValueError(
            "survey.csv tidak punya kolom kode_desa. Estimasi area kecil perlu wilayah tiap "
            "keluarga survei (kode desa 13 karakter) untuk memisahkan efek wilayah."
        )
    codes = survey[AREA_COLUMN].cast(pl.String).fill_null("")
    bad = np.flatnonzero((codes.str.len_chars() != 13).to_numpy())
    if len(bad):
        raise ValueError(
            f"survey.csv baris {int(bad[0]) + 2}, kolom kode_desa: '{codes[int(bad[0])]}' bukan "
            "kode desa; tulis kode Kemendagri 13 karakter, mis. 33.16.01.2001."
        )
    prediction = artifact.predict(survey, "survei")
    y = np.log(survey["pengeluaran_per_kapita"].cast(pl.Float64).to_numpy())
    size = np.maximum(survey["jumlah_art"].cast(pl.Float64).to_numpy(), 1.0)
    weight = survey["bobot"].cast(pl.Float64).to_numpy() / size
    return residuals.decompose(y, prediction, weight, codes.to_numpy().astype(str))


def estimate(
    artifact: Artifact,
    survey: pl.DataFrame,
    population: pl.DataFrame,
    line: PovertyLine,
    *,
    n_draws: int = 100,
    seed: int = 1,
    published: list[calibrate.PublishedP0] | None = None,
    where: str = "register",
) -> Estimate:
    """P0/P1/P2 per kabupaten, kecamatan and desa of ``population`` (see :mod:`simulate`)."""
    res = survey_residuals(artifact, survey)
    pop = simulate.Population.of(
        artifact.predict(population, where),
        population["jumlah_art"].cast(pl.Float64).fill_null(0).to_numpy(),
        population["kode_desa"].cast(pl.String).fill_null("").to_numpy(),
    )
    shift = None
    found: dict[str, float] = {}
    if published:
        shift, found = calibrate.shifts(pop, res, line, published, seed=seed)
    areas = simulate.estimate(pop, res, line, n_draws=n_draws, seed=seed, shift=shift)
    return Estimate(
        areas=areas,
        residuals=res,
        line=line,
        model_version=artifact.version,
        model_kind=str(artifact.manifest.get("model", "")),
        n_draws=n_draws,
        seed=seed,
        shifts=found,
        published=list(published or []),
    )
