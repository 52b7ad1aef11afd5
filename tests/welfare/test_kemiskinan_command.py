"""`padu kemiskinan estimate` on generator files, as a user runs it (no database)."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
from django.core.management import CommandError, call_command

from padu.engine import synth
from padu.engine.pmt import artifact, fit

OLS_ONLY = {
    "lipatan_cv": 2,
    "kandidat": {"ols_bps": {"jenis": "linear_sel", "sel_minimum": 400, "alpha": 1e-6}},
}


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("kemiskinancli")
    synth.generate(
        kabupaten="33.16", n_keluarga=4000, seed=2, out_dir=folder, truth=True, survey=1500
    )
    survey = fit.read_survey(folder / "survey.csv")
    artifact.save(fit.fit(survey, OLS_ONLY), folder / "model")
    return folder


def _args(files: Path, out: Path, *extra: str, survey: str = "survey.csv") -> list[str]:
    return [
        "estimate",
        "--model",
        str(files / "model"),
        "--survey",
        str(files / survey),
        "--keluarga",
        str(files / "keluarga.csv"),
        "--art",
        str(files / "art.csv"),
        "--out",
        str(out),
        "--simulasi",
        "30",
        "--tanggal-acuan",
        "2026-01-01",
        *extra,
    ]


def test_estimate_writes_areas_with_intervals(
    files: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "areas.csv"
    call_command("kemiskinan", *_args(files, out))
    printed = capsys.readouterr().out
    assert "33.16: P0 " in printed and "selang 90%" in printed
    assert "bukan hitungan register" in printed and "Rp 570.870" in printed
    areas = pl.read_csv(out)
    for column in ("kode_wilayah", "tingkat", "p0", "p0_bawah", "p0_atas", "p1", "p1_bawah"):
        assert column in areas.columns
    assert {"p2", "p2_bawah", "p2_atas", "keluarga", "orang", "versi_model"} <= set(areas.columns)
    levels = areas.group_by("tingkat").agg(pl.len(), pl.col("keluarga").sum())
    assert dict(levels.select("tingkat", "keluarga").rows()) == {
        "kabupaten": 4000,
        "kecamatan": 4000,
        "desa": 4000,
    }
    kab = areas.filter(pl.col("tingkat") == "kabupaten").row(0, named=True)
    assert kab["kode_wilayah"] == "33.16" and 5.0 < kab["p0"] < 20.0
    assert kab["p0_bawah"] < kab["p0"] < kab["p0_atas"]


def test_calibration_and_a_user_line(files: Path, tmp_path: Path) -> None:
    bps = tmp_path / "bps.csv"
    bps.write_text('kode_kabupaten,periode,p0,sumber\n3316,2025-03,"10,5",BPS Blora\n')
    out = tmp_path / "areas.csv"
    call_command("kemiskinan", *_args(files, out, "--kalibrasi", str(bps)))
    kab = pl.read_csv(out).filter(pl.col("tingkat") == "kabupaten").row(0, named=True)
    assert abs(kab["p0"] - 10.5) < 0.4
    call_command("kemiskinan", *_args(files, out, "--garis", "800000"))
    higher = pl.read_csv(out).filter(pl.col("tingkat") == "kabupaten").row(0, named=True)
    assert higher["p0"] > kab["p0"] + 10 and higher["garis_kemiskinan"] == 800000


def test_bad_input_says_what_and_where(files: Path, tmp_path: Path) -> None:
    survey = pl.read_csv(files / "survey.csv", infer_schema=False).drop("kode_desa")
    survey.write_csv(files / "survey_tanpa_desa.csv")
    with pytest.raises(CommandError, match="tidak punya kolom kode_desa"):
        call_command(
            "kemiskinan",
            *_args(files, tmp_path / "a.csv", survey="survey_tanpa_desa.csv"),
        )
    bps = tmp_path / "bps.csv"
    bps.write_text("kode_kabupaten,periode,p0,sumber\n33.1,2025-03,10,BPS\n")
    with pytest.raises(CommandError, match=r"bps\.csv baris 2, kolom kode_kabupaten"):
        call_command("kemiskinan", *_args(files, tmp_path / "a.csv", "--kalibrasi", str(bps)))
    with pytest.raises(CommandError, match="tidak ditemukan"):
        call_command("kemiskinan", *_args(files, tmp_path / "a.csv", survey="tidak-ada.csv"))
