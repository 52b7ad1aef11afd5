"""The Spark engine gives the same clusters as the DuckDB engine (local-mode Spark).

Needs the ``spark`` extra (PySpark) and Java; skipped only when PySpark cannot be
imported. ``u`` comes from the same Padu-drawn sample on both engines, so both train on
the same pairs; the clusters must be identical (weights may differ in the last digits).
"""

from __future__ import annotations

import importlib.util
import time
from datetime import date
from pathlib import Path

import polars as pl
import pytest

from padu.engine import synth
from padu.engine.linkage.evaluate import score_clusters
from padu.engine.linkage.model import ModelSettings
from padu.engine.linkage.pipeline import link_records

pytestmark = pytest.mark.skipif(
    importlib.util.find_spec("pyspark") is None,
    reason="PySpark tidak terpasang: pasang extra 'spark' (pip install -e .[dev,spark])",
)

TODAY = date(2026, 1, 1)
# a small u sample and short EM keep local Spark quick; both engines use the same knobs
SETTINGS = ModelSettings(u_max_pairs=5e4, em_max_iterations=10)


def as_sets(clusters: pl.DataFrame) -> set[frozenset[str]]:
    groups = clusters.group_by("cluster_id").agg("record_id")["record_id"].to_list()
    return {frozenset(g) for g in groups}


def test_spark_and_duckdb_give_the_same_clusters(tmp_path: Path) -> None:
    synth.generate(kabupaten="33.16", n_keluarga=160, seed=5, out_dir=tmp_path, sources=True)
    persons = pl.read_csv(tmp_path / "persons.csv", infer_schema=False)
    truth = pl.read_csv(tmp_path / "persons_truth.csv", infer_schema=False)
    assert persons.height > 1000
    duck = link_records(persons, settings=SETTINGS, today=TODAY)
    started = time.perf_counter()
    spark = link_records(persons, engine="spark", settings=SETTINGS, today=TODAY)
    print(f"spark {time.perf_counter() - started:.1f}s {spark.seconds}")
    assert spark.clusters.height == persons.height
    assert as_sets(spark.clusters) == as_sets(duck.clusters)
    # the same candidate pairs were scored, with nearly the same weights
    both = duck.pairs.join(spark.pairs, on=["record_id_l", "record_id_r"], how="full")
    assert both["match_probability"].null_count() == 0
    assert both["match_probability_right"].null_count() == 0
    # and the engine does not just agree on something useless
    assert score_clusters(spark.clusters, truth).f1 > 0.97
