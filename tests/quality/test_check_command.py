"""``padu check`` on files, run as the real command line."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import polars as pl

from padu.engine import synth
from padu.engine.rules.engine import ISSUE_COLUMNS


def _padu(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {"PADU_DEBUG": "1", "PADU_DATA_DIR": str(cwd), "PATH": "/usr/bin:/bin"}
    return subprocess.run(
        [sys.executable, "-m", "padu", *args], capture_output=True, text=True, env=env, cwd=cwd
    )


def test_check_writes_issues_in_the_shared_format(tmp_path: Path) -> None:
    result = synth.generate(
        kabupaten="33.16", n_keluarga=300, seed=5, out_dir=tmp_path / "d", errors=True
    )
    out = tmp_path / "temuan.csv"
    run = _padu(
        "check", "--keluarga", str(result.keluarga_path), "--art", str(result.art_path),
        "--out", str(out), "--tanggal", "2026-01-01", cwd=tmp_path,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    assert "keluarga dan" in run.stdout and "temuan" in run.stdout
    assert "aturan desil_di_atas_batas tidak dijalankan" in run.stdout
    issues = pl.read_csv(out, infer_schema=False)
    assert issues.columns == ISSUE_COLUMNS
    assert result.labels_path is not None
    labels = pl.read_csv(result.labels_path, infer_schema=False)
    assert set(labels["error"]) <= set(issues["rule"])


def test_check_reports_a_bad_cell_as_a_finding_not_a_crash(tmp_path: Path) -> None:
    (tmp_path / "k.csv").write_text(
        "id_keluarga,no_kk,kode_desa,luas_lantai\nK1,3316012708160002,33.16.01.2001,lima puluh\n"
    )
    (tmp_path / "a.csv").write_text(
        "id_art,id_keluarga,nik,nama,tgl_lahir,jenis_kelamin,hub_kepala_keluarga\n"
        "A1,K1,3316013107800001,BUDI,1980-07-31,1,1\n"
    )
    out = tmp_path / "t.csv"
    run = _padu(
        "check", "--keluarga", "k.csv", "--art", "a.csv", "--out", str(out),
        "--tanggal", "2026-01-01", cwd=tmp_path,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    rows = pl.read_csv(out).select("record_id", "rule", "field").rows()
    assert rows == [("K1", "nilai_tidak_valid", "luas_lantai")]


def test_check_explains_missing_arguments_and_files(tmp_path: Path) -> None:
    run = _padu("check", "--keluarga", "k.csv", cwd=tmp_path)
    assert run.returncode != 0
    assert "--art, --out" in run.stderr
    run = _padu("check", "--keluarga", "x.csv", "--art", "y.csv", "--out", "t.csv", cwd=tmp_path)
    assert run.returncode != 0
    assert "tidak ditemukan" in run.stderr


def test_without_files_it_is_still_the_system_check(tmp_path: Path) -> None:
    run = _padu("check", cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    assert "System check identified" in run.stdout
