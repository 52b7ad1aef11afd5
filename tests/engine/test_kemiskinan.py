"""Small-area poverty estimates on generated data, where the truth is known."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import polars as pl
import pytest

from padu.engine import synth
from padu.engine.kemiskinan import calibrate, lines, residuals, run, simulate
from padu.engine.pmt import artifact, features, fit

OLS_ONLY = {
    "lipatan_cv": 2,
    "kandidat": {"ols_bps": {"jenis": "linear_sel", "sel_minimum": 400, "alpha": 1e-6}},
}
SEED = 3


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    keluarga, art, truth = synth.generate_frames(kabupaten="33.16", n_keluarga=20000, seed=SEED)
    survey = synth.generate_survey(keluarga, art, truth, n=3000, kabupaten="33.16", seed=SEED)
    folder = tmp_path_factory.mktemp("kemiskinan")
    survey.write_csv(folder / "survey.csv")
    survey = fit.read_survey(folder / "survey.csv")
    artifact.save(fit.fit(survey, OLS_ONLY), folder / "model")
    model = artifact.load(folder / "model")
    population = features.population_frame(keluarga, art, synth.REFERENCE_DATE)
    line = lines.line()
    estimate = run.estimate(model, survey, population, line, n_draws=100, seed=1)
    log_pce = population.join(truth, on="id_keluarga", how="left")["kesejahteraan"]
    true = simulate.true_fgt(log_pce, population["jumlah_art"], population["kode_desa"], line)
    joined = estimate.areas.join(true, on=["kode_wilayah", "tingkat"], suffix="_benar")
    return {
        "model": model,
        "survey": survey,
        "population": population,
        "estimate": estimate,
        "joined": joined,
        "folder": folder,
    }


def _level(world: dict[str, object], level: str) -> pl.DataFrame:
    joined = world["joined"]
    assert isinstance(joined, pl.DataFrame)
    return joined.filter(pl.col("tingkat") == level)


def test_intervals_cover_the_true_kecamatan_p0(world: dict[str, object]) -> None:
    kec = _level(world, "kecamatan")
    assert kec.height == 16
    inside = (kec["p0_bawah"] <= kec["p0_benar"]) & (kec["p0_benar"] <= kec["p0_atas"])
    assert inside.mean() >= 0.8
    assert (kec["p0_atas"] - kec["p0_bawah"]).min() > 0.5  # not a degenerate interval


def test_kabupaten_p0_is_within_one_and_a_half_points(world: dict[str, object]) -> None:
    kab = _level(world, "kabupaten").row(0, named=True)
    assert kab["kode_wilayah"] == "33.16"
    assert abs(kab["p0"] - kab["p0_benar"]) <= 1.5
    assert abs(kab["p1"] - kab["p1_benar"]) <= 0.6
    assert kab["p0_bawah"] <= kab["p0"] <= kab["p0_atas"]


def test_measures_are_ordered_and_counts_add_up(world: dict[str, object]) -> None:
    estimate = world["estimate"]
    assert isinstance(estimate, run.Estimate)
    areas = estimate.areas
    assert set(areas["tingkat"]) == {"kabupaten", "kecamatan", "desa"}
    assert (areas["p2"] <= areas["p1"]).all() and (areas["p1"] <= areas["p0"]).all()
    assert (areas["p0_ekstrem"] <= areas["p0"]).all()
    for m in ("p0", "p1", "p2"):
        assert (areas[f"{m}_bawah"] <= areas[m]).all() and (areas[m] <= areas[f"{m}_atas"]).all()
    sums = areas.group_by("tingkat").agg(pl.col("keluarga", "orang").sum())
    assert sums["keluarga"].n_unique() == 1 and sums["orang"].n_unique() == 1
    population = world["population"]
    assert isinstance(population, pl.DataFrame)
    assert sums["keluarga"][0] == population.height
    assert sums["orang"][0] == population["jumlah_art"].sum()


def test_same_seed_same_estimates(world: dict[str, object]) -> None:
    model, survey, population = world["model"], world["survey"], world["population"]
    assert isinstance(model, artifact.Artifact)
    assert isinstance(survey, pl.DataFrame) and isinstance(population, pl.DataFrame)
    small = population.head(3000)
    first = run.estimate(model, survey, small, lines.line(), n_draws=10, seed=7)
    again = run.estimate(model, survey, small, lines.line(), n_draws=10, seed=7)
    other = run.estimate(model, survey, small, lines.line(), n_draws=10, seed=8)
    assert first.areas.equals(again.areas)
    assert not first.areas.equals(other.areas)


def test_calibration_meets_the_published_kabupaten_p0(world: dict[str, object]) -> None:
    model, survey, population = world["model"], world["survey"], world["population"]
    assert isinstance(model, artifact.Artifact)
    assert isinstance(survey, pl.DataFrame) and isinstance(population, pl.DataFrame)
    published = [calibrate.PublishedP0("33.16", "2025-03", 9.0, "BPS (uji)")]
    calibrated = run.estimate(
        model, survey, population, lines.line(), n_draws=40, seed=1, published=published
    )
    kab = calibrated.areas.filter(pl.col("tingkat") == "kabupaten").row(0, named=True)
    assert abs(kab["p0"] - 9.0) < 0.3
    assert calibrated.shifts["33.16"] > 0  # fewer poor than the model says: shifted up


def test_variance_components_are_recovered() -> None:
    rng = np.random.default_rng(4)
    kec = np.repeat(np.arange(40), 10)  # 40 kecamatan x 10 desa x 30 families
    desa = np.repeat(np.arange(400), 30)
    eta_k = rng.normal(0, 0.1, 40)[kec][desa]
    eta_d = rng.normal(0, 0.15, 400)[desa]
    u = eta_k + eta_d + rng.normal(0, 0.4, len(desa))
    codes = np.array(
        [f"33.01.{k:02d}.{2000 + d:04d}" for k, d in zip(kec[desa], desa, strict=True)]
    )
    res = residuals.decompose(u, np.zeros(len(u)), np.ones(len(u)), codes)
    assert res.sigma2_household == pytest.approx(0.16, rel=0.05)
    assert res.sigma2_desa == pytest.approx(0.0225, rel=0.3)
    assert res.sigma2_kecamatan == pytest.approx(0.01, rel=0.5)
    assert abs(float(res.weights @ res.household)) < 1e-12


def test_poverty_line_is_data_with_period_and_source() -> None:
    line = lines.line()
    assert (line.garis, line.ekstrem, line.periode) == (570870.0, 391000.0, "2025-09")
    assert "BPS" in line.sumber
    mine = line.with_values(600000)
    assert mine.garis == 600000 and mine.sumber == "ditetapkan pengguna"
    with pytest.raises(ValueError, match="tidak dikenal"):
        lines.line("tidak-ada")


def test_bad_input_is_reported_in_bahasa(world: dict[str, object], tmp_path: Path) -> None:
    model, survey, population = world["model"], world["survey"], world["population"]
    assert isinstance(model, artifact.Artifact)
    assert isinstance(survey, pl.DataFrame) and isinstance(population, pl.DataFrame)
    with pytest.raises(ValueError, match="kolom kode_desa"):
        run.estimate(model, survey.drop("kode_desa"), population, lines.line(), n_draws=2)
    broken = survey.with_columns(
        pl.when(pl.int_range(pl.len()) == 4)
        .then(pl.lit("33.16"))
        .otherwise("kode_desa")
        .alias("kode_desa")
    )
    with pytest.raises(ValueError, match="baris 6, kolom kode_desa"):
        run.estimate(model, broken, population, lines.line(), n_draws=2)
    bps = tmp_path / "bps.csv"
    bps.write_text("kode_kabupaten,periode,p0,sumber\n33.16,2025-03,11.3,BPS\n3316,2025-03,x,BPS\n")
    with pytest.raises(ValueError, match=r"bps\.csv baris 3, kolom p0"):
        calibrate.read_published(bps)
    bps.write_text("kode_kabupaten,p0\n33.16,11.3\n")
    with pytest.raises(ValueError, match="kolom tidak ada: periode, sumber"):
        calibrate.read_published(bps)


def test_areas_of_two_kabupaten_are_kept_apart() -> None:
    rng = np.random.default_rng(2)
    survey_codes = np.array(
        [f"33.0{k}.0{c}.20{d:02d}" for k in (1, 2) for c in (1, 2) for d in range(5)]
    ).repeat(12)
    u = rng.normal(0, 0.3, len(survey_codes))
    res = residuals.decompose(u, np.zeros(len(u)), np.ones(len(u)), survey_codes)
    line = lines.line()
    desa = np.array(["33.01.01.2001"] * 300 + ["33.02.02.2004"] * 200 + ["33.02.01.2000"] * 100)
    level = np.where(np.char.startswith(desa, "33.01"), 1.5, -1.5) + np.log(line.garis)
    pop = simulate.Population.of(level, np.full(len(desa), 3.0), desa)
    areas = simulate.estimate(pop, res, line, n_draws=20, seed=1)
    by = {(r["tingkat"], r["kode_wilayah"]): r for r in areas.iter_rows(named=True)}
    assert by[("kabupaten", "33.01")]["p0"] < 2.0 and by[("kabupaten", "33.02")]["p0"] > 98.0
    assert by[("kabupaten", "33.02")]["keluarga"] == 300
    assert by[("kabupaten", "33.02")]["orang"] == 900
    assert by[("kecamatan", "33.02.01")]["keluarga"] == 100
    assert by[("desa", "33.01.01.2001")]["orang"] == 900
    with pytest.raises(ValueError, match="Kode desa tidak lengkap pada keluarga ke-2"):
        simulate.Population.of([1.0, 1.0], [1, 1], ["33.01.01.2001", "33.01"])
