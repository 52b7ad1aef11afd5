"""File commands run in a clean environment: no SECRET_KEY, no PADU_DEBUG, no data directory.

Each command runs as a real process with HOME pointing at an empty folder, so the default
data directory (``~/.local/share/padu``) would appear there if anything touched it.
"""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from pathlib import Path

import pytest

from padu.cli import is_file_command

ROOT = Path(__file__).resolve().parents[2]
CONFIG = {"SECRET_KEY", "PADU_DEBUG", "DATABASE_URL", "DJANGO_SETTINGS_MODULE", "PADU_DATA_DIR"}


def _clean_env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in CONFIG and not k.startswith("XDG_")}
    env["HOME"] = str(home)
    return env


def _padu(args: list[str], home: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "padu", *args],
        cwd=home,
        env=_clean_env(home),
        capture_output=True,
        text=True,
        timeout=600,
    )


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("home")


@pytest.fixture(scope="module")
def data(home: Path) -> Path:
    out = home / "data"
    result = _padu(
        [
            "synth",
            "--keluarga",
            "400",
            "--seed",
            "5",
            "--out",
            str(out),
            "--truth",
            "--survey",
            "300",
            "--sources",
            "--errors",
        ],
        home,
    )
    assert result.returncode == 0, result.stderr
    assert "400 keluarga" in result.stdout
    return out


def test_synth_writes_files_without_configuration(data: Path, home: Path) -> None:
    for name in ("keluarga.csv", "art.csv", "truth.csv", "survey.csv", "persons.csv"):
        assert (data / name).stat().st_size > 0
    assert len(_rows(data / "keluarga.csv")) == 400
    assert not (home / ".local").exists(), "a file command created the data directory"


def test_check_on_files(data: Path, home: Path) -> None:
    out = home / "temuan.csv"
    result = _padu(
        [
            "check",
            "--keluarga",
            str(data / "keluarga.csv"),
            "--art",
            str(data / "art.csv"),
            "--out",
            str(out),
        ],
        home,
    )
    assert result.returncode == 0, result.stderr
    findings = _rows(out)
    assert findings, "the injected errors should give findings"
    assert {"record_id", "rule", "severity", "field", "message"} <= set(findings[0])
    assert f"{len(findings)} temuan".replace(",", ".") in result.stdout.replace(".", "")
    assert not (home / ".local").exists()


def test_pmt_fit_score_evaluate(data: Path, home: Path) -> None:
    model = home / "model"
    fitted = _padu(["pmt", "fit", str(data / "survey.csv"), "--out", str(model)], home)
    assert fitted.returncode == 0, fitted.stderr
    assert (model / "manifest.json").is_file() or any(model.iterdir())
    scores = home / "scores.csv"
    scored = _padu(
        [
            "pmt",
            "score",
            "--keluarga",
            str(data / "keluarga.csv"),
            "--art",
            str(data / "art.csv"),
            "--model",
            str(model),
            "--out",
            str(scores),
        ],
        home,
    )
    assert scored.returncode == 0, scored.stderr
    rows = _rows(scores)
    assert rows and {"id_keluarga", "score", "desil"} <= set(rows[0])
    assert "desil 1-4" in scored.stdout
    report = home / "evaluasi.json"
    evaluated = _padu(
        [
            "pmt",
            "evaluate",
            "--scores",
            str(scores),
            "--truth",
            str(data / "truth.csv"),
            "--bootstrap",
            "5",
            "--json",
            str(report),
        ],
        home,
    )
    assert evaluated.returncode == 0, evaluated.stderr
    assert report.stat().st_size > 0
    assert "keluarga dinilai" in evaluated.stdout
    assert not (home / ".local").exists()


def test_link_on_files(data: Path, home: Path) -> None:
    out = home / "clusters.csv"
    result = _padu(["link", str(data / "persons.csv"), "--out", str(out)], home)
    assert result.returncode == 0, result.stderr
    clusters = _rows(out)
    assert len(clusters) == len(_rows(data / "persons.csv"))
    assert {"record_id", "cluster_id"} <= set(clusters[0])
    assert "rekaman ditautkan menjadi" in result.stdout
    assert not (home / ".local").exists()


def test_database_commands_still_need_a_secret(home: Path) -> None:
    result = _padu(["migrate"], home)
    assert result.returncode != 0
    assert "SECRET_KEY belum diatur" in result.stderr


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["check"], False),
        (["check", "--keluarga", "k.csv"], True),
        (["check", "--out=t.csv"], True),
        (["synth", "--out", "x"], True),
        (["pmt", "fit", "s.csv"], True),
        (["link", "p.csv"], True),
        (["link_register", "--as-user", "u"], False),
        (["kemiskinan", "estimate", "--keluarga", "k.csv"], True),
        (["migrate"], False),
        ([], False),
    ],
)
def test_which_commands_are_file_commands(args: list[str], expected: bool) -> None:
    assert is_file_command(args) is expected


def test_poverty_estimate_on_files(data: Path, tmp_path: Path) -> None:
    home = tmp_path  # a home of its own: an earlier test here makes a database command fail
    model = home / "model-kemiskinan"
    fitted = _padu(["pmt", "fit", str(data / "survey.csv"), "--out", str(model)], home)
    assert fitted.returncode == 0, fitted.stderr
    out = home / "areas.csv"
    result = _padu(
        [
            "kemiskinan", "estimate", "--model", str(model), "--survey", str(data / "survey.csv"),
            "--keluarga", str(data / "keluarga.csv"), "--art", str(data / "art.csv"),
            "--out", str(out), "--simulasi", "20",
        ],
        home,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    areas = _rows(out)
    assert {"kode_wilayah", "tingkat", "p0", "p0_bawah", "p0_atas"} <= set(areas[0])
    assert any(a["tingkat"] == "kabupaten" for a in areas)
    assert "P0" in result.stdout
    assert not (home / ".local").exists()
