"""`padu pmt fit|score|evaluate` on generator files, as a user runs them."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
import yaml
from django.core.management import CommandError, call_command

from padu.engine import synth

FAST = {
    "lipatan_cv": 3,
    "bootstrap": 20,
    "kandidat": {
        "ols_bps": {"jenis": "linear_sel", "sel_minimum": 300, "alpha": 1e-6},
        "lightgbm": {
            "jenis": "lightgbm",
            "n_estimators": 40,
            "learning_rate": 0.1,
            "num_leaves": 15,
            "min_child_samples": 40,
            "subsample": 0.8,
            "colsample_bytree": 0.7,
        },
    },
}


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("pmtcli")
    synth.generate(
        kabupaten="33.16", n_keluarga=3000, seed=3, out_dir=folder, truth=True, survey=1200
    )
    (folder / "fast.yaml").write_text(yaml.safe_dump(FAST))
    return folder


def test_fit_score_evaluate(files: Path, capsys: pytest.CaptureFixture[str]) -> None:
    model = files / "model"
    call_command(
        "pmt",
        "fit",
        str(files / "survey.csv"),
        "--out",
        str(model),
        "--pengaturan",
        str(files / "fast.yaml"),
        "--garis-kemiskinan",
        "600000",
    )
    out = capsys.readouterr().out
    assert "ols_bps" in out and "lightgbm" in out and "kerugian" in out
    manifest = yaml.safe_load((model / "manifest.json").read_text())
    assert manifest["garis_kemiskinan"] == 600000
    scores = files / "scores.csv"
    call_command(
        "pmt",
        "score",
        "--keluarga",
        str(files / "keluarga.csv"),
        "--art",
        str(files / "art.csv"),
        "--model",
        str(model),
        "--out",
        str(scores),
        "--tanggal-acuan",
        "2026-01-01",
    )
    frame = pl.read_csv(scores)
    assert frame.columns[:4] == ["id_keluarga", "score", "desil", "desil_kabupaten"]
    assert frame.height == 3000
    assert sorted(frame["desil"].unique().to_list()) == list(range(1, 11))
    assert frame["versi_model"].unique().to_list() == [manifest["versi"]]
    capsys.readouterr()
    call_command(
        "pmt",
        "evaluate",
        "--scores",
        str(scores),
        "--truth",
        str(files / "truth.csv"),
        "--cakupan",
        "0.2,0.4",
        "--json",
        str(files / "r.json"),
    )
    text = capsys.readouterr().out
    assert "Cakupan 40% orang termiskin" in text
    assert "galat eksklusi" in text and "AUC" in text
    assert "Cakupan 10%" not in text


def test_clear_errors(files: Path) -> None:
    with pytest.raises(CommandError, match="bukan folder model PMT"):
        call_command(
            "pmt",
            "score",
            "--keluarga",
            str(files / "keluarga.csv"),
            "--art",
            str(files / "art.csv"),
            "--model",
            str(files),
            "--out",
            str(files / "x.csv"),
        )
    with pytest.raises(CommandError, match="--cakupan"):
        call_command("pmt", "evaluate", "--scores", "x", "--truth", "y", "--cakupan", "empat puluh")
    with pytest.raises(CommandError, match="tidak punya kolom"):
        call_command(
            "pmt",
            "evaluate",
            "--scores",
            str(files / "truth.csv"),
            "--truth",
            str(files / "truth.csv"),
        )
