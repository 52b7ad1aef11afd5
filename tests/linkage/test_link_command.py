"""``padu link``: every input record gets a cluster row; clear errors in Bahasa Indonesia."""

from __future__ import annotations

import io
from pathlib import Path

import polars as pl
import pytest
from django.core.management import CommandError, call_command


@pytest.fixture(scope="module")
def persons(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("link")
    call_command("synth", "--keluarga", "150", "--seed", "3", "--sources", "--out", str(out))
    return out / "persons.csv"


def test_link_writes_a_cluster_for_every_record(persons: Path, tmp_path: Path) -> None:
    stdout = io.StringIO()
    out, pairs = tmp_path / "clusters.csv", tmp_path / "pairs.csv"
    call_command("link", str(persons), "--out", str(out), "--pairs", str(pairs), stdout=stdout)
    source = pl.read_csv(persons, infer_schema=False)
    clusters = pl.read_csv(out, infer_schema=False)
    assert clusters.columns == ["record_id", "cluster_id", "match_probability"]
    assert sorted(clusters["record_id"].to_list()) == sorted(source["record_id"].to_list())
    assert clusters["cluster_id"].null_count() == 0
    assert clusters["cluster_id"].n_unique() < clusters.height  # some records were linked
    scored = pl.read_csv(pairs, infer_schema=False)
    assert {"record_id_l", "record_id_r", "match_probability"} <= set(scored.columns)
    assert "rekaman ditautkan menjadi" in stdout.getvalue()


def test_link_errors(persons: Path, tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="tidak ditemukan"):
        call_command("link", str(tmp_path / "none.csv"), "--out", str(tmp_path / "c.csv"))
    bad = tmp_path / "bad.csv"
    bad.write_text("nama,nik\nSiti,1\n", encoding="utf-8")
    with pytest.raises(CommandError, match="record_id"):
        call_command("link", str(bad), "--out", str(tmp_path / "c.csv"))
    dup = tmp_path / "dup.csv"
    dup.write_text("record_id,nama\na,Siti\na,Budi\n", encoding="utf-8")
    with pytest.raises(CommandError, match="unik"):
        call_command("link", str(dup), "--out", str(tmp_path / "c.csv"))
    with pytest.raises(CommandError, match="threshold"):
        call_command("link", str(persons), "--out", str(tmp_path / "c.csv"), "--threshold", "2")


def test_spark_engine_says_clearly_it_is_not_available(persons: Path, tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="Spark"):
        call_command("link", str(persons), "--out", str(tmp_path / "c.csv"), "--engine", "spark")
