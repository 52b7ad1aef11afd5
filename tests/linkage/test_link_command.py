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


def test_incremental_link_of_new_records(persons: Path, tmp_path: Path) -> None:
    source = pl.read_csv(persons, infer_schema=False)
    old, new = tmp_path / "old.csv", tmp_path / "new.csv"
    source.slice(60).write_csv(old)
    source.head(60).write_csv(new)
    model, linked = tmp_path / "model.json", tmp_path / "linked.parquet"
    call_command(
        "link", str(old), "--out", str(tmp_path / "c.csv"), "--save-model", str(model),
        "--save-existing", str(linked), stdout=io.StringIO(),
    )  # fmt: skip
    stdout = io.StringIO()
    out, review = tmp_path / "new_clusters.csv", tmp_path / "review.csv"
    call_command(
        "link", str(new), "--out", str(out), "--existing", str(linked), "--model", str(model),
        "--review", str(review), "--save-existing", str(tmp_path / "all.parquet"), stdout=stdout,
    )  # fmt: skip
    clusters = pl.read_csv(out, infer_schema=False)
    assert sorted(clusters["record_id"]) == sorted(source.head(60)["record_id"])
    existing = pl.read_parquet(linked)
    assert clusters["cluster_id"].is_in(existing["cluster_id"].implode()).any()  # joined some
    assert pl.read_parquet(tmp_path / "all.parquet").height == source.height
    assert review.is_file() and "rekaman ditautkan menjadi" in stdout.getvalue()
    with pytest.raises(CommandError, match="--existing"):
        call_command("link", str(new), "--out", str(out), "--model", str(model))
    with pytest.raises(CommandError, match="cluster_id"):
        call_command("link", str(new), "--out", str(out), "--existing", str(old))
