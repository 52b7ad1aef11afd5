"""Fitting, artifacts and scoring on the project's generator (small, fast settings)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np
import polars as pl
import pytest

from padu.engine import synth
from padu.engine.pmt import artifact, features, fit, score

REFERENCE = date(2026, 1, 1)
FAST = {
    "lipatan_cv": 3,
    "kandidat": {
        "ols_bps": {"jenis": "linear_sel", "sel_minimum": 300, "alpha": 1e-6},
        "ridge_strata": {"jenis": "linear_strata", "alpha": 1e-3, "alpha_sel": 0.05},
        "lightgbm": {
            "jenis": "lightgbm",
            "n_estimators": 60,
            "learning_rate": 0.1,
            "num_leaves": 15,
            "min_child_samples": 40,
            "subsample": 0.8,
            "colsample_bytree": 0.7,
        },
    },
}


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    keluarga, art, truth = synth.generate_frames(kabupaten="33.16", n_keluarga=4000, seed=5)
    survey = synth.generate_survey(keluarga, art, truth, n=1500, kabupaten="33.16", seed=5)
    folder = tmp_path_factory.mktemp("pmt")
    survey.write_csv(folder / "survey.csv")
    return {"keluarga": keluarga, "art": art, "truth": truth, "folder": folder}


@pytest.fixture(scope="module")
def fitted(data: dict[str, object]) -> fit.Fitted:
    survey = fit.read_survey(Path(str(data["folder"])) / "survey.csv")
    return fit.fit(survey, FAST)


def test_person_aggregates_count_living_members_and_the_first_living_head() -> None:
    art = pl.DataFrame(
        {
            "id_keluarga": ["K1", "K1", "K1", "K1", "K2"],
            "tgl_lahir": [
                date(1960, 5, 1),
                date(1965, 2, 1),
                date(2023, 3, 1),
                date(1940, 1, 1),
                date(1990, 1, 2),
            ],
            "status_hidup": [2, 1, 1, 1, 1],  # K1's listed head has died: the wife stands in
            "jenis_kelamin": [1, 2, 1, 2, 1],
            "bekerja": [1, 1, 0, 0, 1],
            "pendidikan": [3, 1, 0, 0, 5],
            "disabilitas": [0, 0, 0, 1, 0],
            "partisipasi_sekolah": [2, 2, 0, 2, 2],
        }
    )
    rows = {
        r["id_keluarga"]: r
        for r in features.person_aggregates(art, REFERENCE).iter_rows(named=True)
    }
    k1 = rows["K1"]
    assert (k1["jumlah_art"], k1["art_bekerja"], k1["art_balita"], k1["art_lansia"]) == (3, 1, 1, 2)
    assert (k1["umur_kepala"], k1["kepala_perempuan"], k1["pendidikan_kepala"]) == (60, 1, 1)
    assert k1["art_disabilitas"] == 1 and k1["art_sekolah"] == 0
    assert (rows["K2"]["umur_kepala"], rows["K2"]["kepala_perempuan"]) == (35, 0)


def test_survey_and_population_share_one_feature_schema(data: dict[str, object]) -> None:
    survey = fit.read_survey(Path(str(data["folder"])) / "survey.csv")
    keluarga, art = data["keluarga"], data["art"]
    assert isinstance(keluarga, pl.DataFrame) and isinstance(art, pl.DataFrame)
    population = features.population_frame(keluarga, art, REFERENCE)
    a, b = features.design(survey), features.design(population)
    assert a.names == b.names
    assert not any(n.startswith("penerima_") for n in a.names)
    assert population.height == keluarga.height


def test_every_candidate_is_cross_validated_and_the_choice_is_not_worse(fitted: fit.Fitted) -> None:
    assert set(fitted.cv) == {"ols_bps", "ridge_strata", "lightgbm"}
    assert fitted.cv[fitted.chosen]["loss"] <= fitted.cv["ols_bps"]["loss"]
    for metrics in fitted.cv.values():
        assert 0.0 < metrics["loss"] < 0.8
        assert metrics["auc_miskin"] > 0.6


def test_baseline_is_kept_when_no_candidate_is_clearly_better(data: dict[str, object]) -> None:
    survey = fit.read_survey(Path(str(data["folder"])) / "survey.csv")
    kept = fit.fit(survey, {**FAST, "ambang_perbaikan": 1.0})
    assert kept.chosen == "ols_bps"
    assert kept.model.kind == "linear_sel"


def test_same_seed_same_hash_and_the_artifact_is_immutable(
    data: dict[str, object], fitted: fit.Fitted, tmp_path: Path
) -> None:
    first = artifact.save(fitted, tmp_path / "a")
    survey = fit.read_survey(Path(str(data["folder"])) / "survey.csv")
    second = artifact.save(fit.fit(survey, FAST), tmp_path / "b")
    assert first["hash"] == second["hash"]
    assert first["versi"] == f"pmt-{first['hash'][:12]}"
    assert first["garis_kemiskinan"] == 570870
    other = artifact.save(fit.fit(survey, {**FAST, "seed": 2}), tmp_path / "c")
    assert other["hash"] != first["hash"]
    with pytest.raises(artifact.ArtifactError, match="tidak boleh ditimpa"):
        artifact.save(fit.fit(survey, {**FAST, "seed": 2}), tmp_path / "a")
    assert artifact.save(fitted, tmp_path / "a")["hash"] == first["hash"]  # same content: fine


def test_tampered_artifact_is_refused(fitted: fit.Fitted, tmp_path: Path) -> None:
    artifact.save(fitted, tmp_path / "m")
    model = tmp_path / "m" / "model.json"
    model.chmod(0o644)
    model.write_text(model.read_text().replace("1", "2", 1))
    with pytest.raises(artifact.ArtifactError, match="tidak cocok dengan hash"):
        artifact.load(tmp_path / "m")


def test_scoring_with_a_different_feature_schema_fails_clearly(
    data: dict[str, object], fitted: fit.Fitted, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    artifact.save(fitted, tmp_path / "m")
    loaded = artifact.load(tmp_path / "m")
    keluarga, art = data["keluarga"], data["art"]
    assert isinstance(keluarga, pl.DataFrame) and isinstance(art, pl.DataFrame)
    monkeypatch.setattr(features, "EXCLUDED", (*features.EXCLUDED, "aset_perahu"))
    with pytest.raises(features.PmtSchemaError, match="Skema fitur data tidak cocok") as error:
        score.score_population(loaded, keluarga, art, REFERENCE)
    assert "aset_perahu" in str(error.value)
    assert "Latih ulang" in str(error.value)


def test_scores_rank_the_population_and_explanations_add_up(
    data: dict[str, object], fitted: fit.Fitted, tmp_path: Path
) -> None:
    artifact.save(fitted, tmp_path / "m")
    loaded = artifact.load(tmp_path / "m")
    keluarga, art, truth = data["keluarga"], data["art"], data["truth"]
    assert isinstance(keluarga, pl.DataFrame) and isinstance(art, pl.DataFrame)
    assert isinstance(truth, pl.DataFrame)
    scored = score.score_population(loaded, keluarga, art, REFERENCE)
    assert scored.height == keluarga.height
    assert scored.columns[:3] == ["id_keluarga", "kode_desa", "kode_kabupaten"]
    joined = scored.join(truth, on="id_keluarga")
    corr = np.corrcoef(joined["score"].to_numpy(), joined["kesejahteraan"].to_numpy())[0, 1]
    assert corr > 0.45
    poorest = joined.filter(pl.col("desil") == 1)["kesejahteraan"].mean()
    richest = joined.filter(pl.col("desil") == 10)["kesejahteraan"].mean()
    assert poorest < richest
    population = features.population_frame(keluarga, art, REFERENCE).head(20)
    d = loaded.design(population)
    contrib, base = loaded.model.contributions(d)
    np.testing.assert_allclose(contrib.sum(axis=1) + base, loaded.model.predict(d), atol=1e-4)
    reasons = score.explain(loaded, population, top=3)
    assert len(reasons) == 20 and all(len(r) == 3 for r in reasons)
    first = reasons[0]
    assert abs(float(str(first[0]["pengaruh"]))) >= abs(float(str(first[1]["pengaruh"])))
    assert all(item["arah"] in ("menurunkan", "menaikkan") for item in first)


def test_survey_with_bad_cells_is_reported_row_by_row(tmp_path: Path) -> None:
    path = tmp_path / "survey.csv"
    columns = [
        *features.input_columns(),
        "kode_kabupaten",
        "perkotaan",
        "pengeluaran_per_kapita",
        "bobot",
    ]
    row = dict.fromkeys(columns, "1") | {"kode_kabupaten": "3316", "pengeluaran_per_kapita": "abc"}
    pl.DataFrame([row]).write_csv(path)
    with pytest.raises(Exception, match="baris 2, kolom pengeluaran_per_kapita"):
        fit.read_survey(path)
