"""Incremental linkage: new records against existing clusters, with a saved model.

The agreement with a full run is measured on the project's generator; the special cases
(joining a cluster, bridging two, new x new duplicates, twins) on hand-made records.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from padu.engine import synth
from padu.engine.linkage.evaluate import score_new_records
from padu.engine.linkage.incremental import (
    link_incremental,
    load_model,
    prepare_existing,
    save_model,
)
from padu.engine.linkage.model import LinkageModel
from padu.engine.linkage.pipeline import link_records

TODAY = date(2026, 1, 1)
N_NEW = 300


class World:
    def __init__(self, root: Path) -> None:
        synth.generate(kabupaten="33.16", n_keluarga=500, seed=11, out_dir=root, sources=True)
        self.persons = pl.read_csv(root / "persons.csv", infer_schema=False)
        self.truth = pl.read_csv(root / "persons_truth.csv", infer_schema=False)
        shuffled = self.persons.sample(fraction=1.0, shuffle=True, seed=3)
        self.new, self.old = shuffled.head(N_NEW), shuffled.slice(N_NEW)
        kept: list[LinkageModel] = []
        result = link_records(self.old, today=TODAY, on_model=kept.append)
        save_model(kept[0], root / "model.json")
        self.model = load_model(root / "model.json")
        self.existing = self.old.with_columns(result.clusters["cluster_id"])


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> World:
    return World(tmp_path_factory.mktemp("incremental"))


def members(clusters: pl.DataFrame) -> dict[str, frozenset[str]]:
    """record_id -> the set of records in its cluster."""
    groups = clusters.group_by("cluster_id").agg("record_id")
    return {r: frozenset(g) for g in groups["record_id"].to_list() for r in g}


def link(world: World, new: pl.DataFrame, existing: pl.DataFrame | None = None) -> Any:
    existing = world.existing if existing is None else existing
    return link_incremental(new, existing, model=world.model, today=TODAY)


def test_incremental_agrees_with_a_full_run(world: World) -> None:
    result = link(world, world.new)
    assert result.clusters.height == N_NEW
    assert set(result.clusters["record_id"]) == set(world.new["record_id"])
    assert result.clusters["cluster_id"].null_count() == 0
    # only pairs that involve a new record were scored
    new_ids = world.new["record_id"].implode()
    involved = pl.col("record_id_l").is_in(new_ids) | pl.col("record_id_r").is_in(new_ids)
    assert result.pairs.height > 0 and result.pairs.filter(~involved).height == 0
    incremental = pl.concat(
        [
            world.existing.select("record_id", "cluster_id"),
            result.clusters.drop("match_probability"),
        ]
    )
    full = link_records(world.persons, today=TODAY).clusters
    mine, theirs = members(incremental), members(full)
    same = sum(mine[r] == theirs[r] for r in world.new["record_id"])
    print(f"new records with the same cluster as the full run: {same}/{N_NEW}")
    assert same >= 0.98 * N_NEW
    scores = score_new_records(incremental, world.truth, world.new["record_id"])
    print(scores)
    assert scores.precision >= 0.99 and scores.recall >= 0.98


def test_already_prepared_existing_records_give_the_same_result(world: World) -> None:
    sample = world.new.head(40)
    prepared = prepare_existing(world.existing, today=TODAY)
    assert link(world, sample, prepared).clusters.equals(link(world, sample).clusters)


def person(rid: str, source: str, nama: str, nik: str | None, **extra: str) -> dict[str, Any]:
    base = {
        "record_id": rid, "source": source, "nama": nama, "nik": nik,
        "tgl_lahir": "1984-05-17", "jenis_kelamin": "P", "no_kk": "3316051705840003",
        "kode_desa": "33.16.05.2004", "alamat": "Dukuh Karang", "rt": "003", "rw": "002",
        "nama_ibu": "Sumirah", "tempat_lahir": "Blora",
    }  # fmt: skip
    return {**base, **extra}


def test_a_new_record_joins_its_existing_cluster(world: World) -> None:
    existing = pl.concat(
        [
            world.existing,
            pl.DataFrame(
                [
                    person("x1", "DUKCAPIL", "Hj. Sri Wahyuningsih", "3316055705840001"),
                    person("x2", "DTKS", "SRI WAHYUNINGSIH", "3316055705840001"),
                ]
            ).with_columns(cluster_id=pl.lit("x1")),
        ],
        how="diagonal",
    )
    new = pl.DataFrame([person("n1", "P3KE", "Sri Wahyuningsi", "3316055705840001")])
    result = link(world, new, existing)
    assert result.clusters.row(0)[:2] == ("n1", "x1")
    assert result.clusters["match_probability"][0] >= 0.99
    assert result.review is not None and result.review.height == 0


def test_a_new_record_bridging_two_clusters_goes_to_review(world: World) -> None:
    # the same person kept as two clusters (say, split by a clerk): the new record
    # matches both, joins the stronger one and does not merge them
    existing = pl.concat(
        [
            world.existing,
            pl.DataFrame(
                [
                    person("y1", "DUKCAPIL", "Sri Wahyuningsih", "3316055705840001"),
                    person("y2", "DTKS", "Sri Wahyuningsih", "3316055705840001"),
                ]
            ).with_columns(cluster_id=pl.Series(["y1", "y2"])),
        ],
        how="diagonal",
    )
    new = pl.DataFrame([person("n1", "P3KE", "Sri Wahyuningsih", "3316055705840001")])
    result = link(world, new, existing)
    joined = result.clusters["cluster_id"][0]
    assert joined in {"y1", "y2"}
    assert result.review is not None
    assert result.review.select("record_id", "cluster_id", "cluster_id_lain").rows() == [
        ("n1", joined, ({"y1", "y2"} - {joined}).pop())
    ]
    assert result.review["match_probability"][0] >= 0.99


def test_new_duplicates_cluster_together_in_a_fresh_cluster(world: World) -> None:
    new = pl.DataFrame(
        [
            person(
                "m2", "DUKCAPIL", "Drs. Bambang Sutrisno", "3316051208700005", jenis_kelamin="L"
            ),
            person(
                "m1", "BLT-DD", "BAMBANG SUTRISNO", None, jenis_kelamin="L", tgl_lahir="1970-08-12"
            ),
            person("m3", "P3KE", "Sutrisno Bambang", "3316051208700005", jenis_kelamin="L"),
        ]
    ).with_columns(tgl_lahir=pl.lit("1970-08-12"))
    result = link(world, new)
    assert set(result.clusters["cluster_id"]) == {"m1"}  # the group's smallest record_id
    assert not world.existing["cluster_id"].is_in(["m1"]).any()
    # without a saved model the run trains on existing + new first: same answer
    trained = link_incremental(new, world.existing, today=TODAY)
    assert set(trained.clusters["cluster_id"]) == {"m1"}


def twins(prefix: str) -> list[dict[str, Any]]:
    rows = []
    for k, (nama, nik) in enumerate(
        [("Farel Bagas", "3316051410180001"), ("Fadil Bagas", "3316051410180002")]
    ):
        for source, with_nik in (("DUKCAPIL", True), ("P3KE", k == 0)):
            extra = {"tgl_lahir": "2018-10-14", "jenis_kelamin": "L"}
            rows.append(
                person(f"{prefix}{source}-{k}", source, nama, nik if with_nik else None, **extra)
            )
    return rows


def test_twins_stay_apart(world: World) -> None:
    # both twins new
    result = link(world, pl.DataFrame(twins("t-")))
    by_twin = result.clusters.group_by(pl.col("record_id").str.slice(-1)).agg(
        pl.col("cluster_id").unique()
    )
    first, second = (set(c) for c in by_twin.sort("record_id")["cluster_id"].to_list())
    assert len(first) == 1 and len(second) == 1 and first != second
    # one twin already linked, the other new: the new twin does not join the old one
    rows = pl.DataFrame(twins("u-"))
    old_twin = rows.filter(pl.col("record_id").str.ends_with("-0"))
    existing = pl.concat(
        [world.existing, old_twin.with_columns(cluster_id=pl.lit("u-DUKCAPIL-0"))],
        how="diagonal",
    )
    result = link(world, rows.filter(pl.col("record_id").str.ends_with("-1")), existing)
    assert "u-DUKCAPIL-0" not in set(result.clusters["cluster_id"])
    assert result.clusters["cluster_id"].n_unique() == 1


def test_errors_say_what_is_wrong(world: World, tmp_path: Path) -> None:
    again = world.existing.head(1).drop("cluster_id")
    with pytest.raises(ValueError, match="sudah ada"):
        link(world, again)
    with pytest.raises(ValueError, match="cluster_id"):
        link_incremental(world.new.head(2), world.old, model=world.model, today=TODAY)
    bad = tmp_path / "model.json"
    bad.write_text("[1, 2]", encoding="utf-8")
    with pytest.raises(ValueError, match="bukan model"):
        load_model(bad)
    with pytest.raises(ValueError, match="JSON"):
        load_model(tmp_path / "missing.json")


def test_saved_model_round_trips(world: World, tmp_path: Path) -> None:
    save_model(world.model, tmp_path / "again.json")
    assert load_model(tmp_path / "again.json") == world.model
