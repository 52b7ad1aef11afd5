"""The project entry point and environment-driven settings, run as real processes."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _padu(args: list[str], tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    base = {
        k: v
        for k, v in os.environ.items()
        if k not in {"SECRET_KEY", "PADU_DEBUG", "DATABASE_URL", "DJANGO_SETTINGS_MODULE"}
    }
    base.update(PADU_DATA_DIR=str(tmp_path / "data"), **env)
    return subprocess.run(
        [sys.executable, "-m", "padu", *args],
        cwd=ROOT,
        env=base,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_secret_key_required_without_debug(tmp_path: Path) -> None:
    result = _padu(["check"], tmp_path)
    assert result.returncode != 0
    assert "SECRET_KEY belum diatur" in result.stderr


def test_debug_creates_a_random_key_once(tmp_path: Path) -> None:
    assert _padu(["check"], tmp_path, PADU_DEBUG="1").returncode == 0
    key_file = tmp_path / "data" / "dev-secret-key"
    first = key_file.read_text()
    assert len(first) > 40
    assert _padu(["check"], tmp_path, PADU_DEBUG="1").returncode == 0
    assert key_file.read_text() == first


def test_one_entry_point_lists_django_and_padu_commands(tmp_path: Path) -> None:
    result = _padu(["help"], tmp_path, SECRET_KEY="x")
    assert result.returncode == 0
    for command in (
        "migrate",
        "runserver",
        "createsuperuser",
        "wilayah",
        "synth",
        "demo",
        "db_worker",
    ):
        assert command in result.stdout


def test_default_database_is_sqlite_in_wal_mode(tmp_path: Path) -> None:
    result = _padu(["migrate", "-v0"], tmp_path, SECRET_KEY="x")
    assert result.returncode == 0, result.stderr
    database = tmp_path / "data" / "padu.sqlite3"
    assert database.exists()
    with sqlite3.connect(database) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
