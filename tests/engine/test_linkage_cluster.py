"""Clustering without chaining, and the pairwise/B-cubed scores."""

from __future__ import annotations

import polars as pl
import pytest

from padu.engine.linkage.cluster import cluster_pairs
from padu.engine.linkage.evaluate import score_clusters


def records(rows: list[tuple[str, str | None, int | None]]) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "record_id": [r[0] for r in rows],
            "nik": [r[1] for r in rows],
            "nik_awal": [None] * len(rows),
            "jk_catat": [r[2] for r in rows],
            "nama_depan_kunci": ["smrdi"] * len(rows),
        },
        schema_overrides={"jk_catat": pl.Int8, "nik_awal": pl.String},
    )


def pairs(rows: list[tuple[str, str, float]]) -> pl.DataFrame:
    return pl.DataFrame(
        rows, schema=["record_id_l", "record_id_r", "match_probability"], orient="row"
    )


def as_sets(clusters: pl.DataFrame) -> set[frozenset[str]]:
    groups = clusters.group_by("cluster_id").agg("record_id")["record_id"].to_list()
    return {frozenset(g) for g in groups}


A, B = "3316121410180001", "3316121410180022"


def test_weak_record_does_not_chain_two_people() -> None:
    recs = records([("a1", A, 1), ("a2", A, 1), ("w", None, None), ("b1", B, 1), ("b2", B, 1)])
    links = pairs(
        [("a1", "a2", 0.9999), ("b1", "b2", 0.9999), ("a2", "w", 0.995), ("w", "b1", 0.992)]
    )
    out = cluster_pairs(recs, links, threshold=0.99)
    assert as_sets(out) == {frozenset({"a1", "a2", "w"}), frozenset({"b1", "b2"})}
    # plain connected components would have merged all five
    assert out.filter(pl.col("record_id") == "w")["match_probability"].item() == 0.995


def test_nik_typo_and_sex_conflicts() -> None:
    typo = "3316121410180007"  # one digit off A: the same person
    recs = records([("a", A, 1), ("t", typo, 1), ("f", None, 2)])
    links = pairs([("a", "t", 0.999), ("t", "f", 0.995)])
    out = cluster_pairs(recs, links, threshold=0.99)
    assert as_sets(out) == {frozenset({"a", "t"}), frozenset({"f"})}


def test_every_record_gets_a_cluster_and_threshold_applies() -> None:
    recs = records([("x", None, None), ("y", None, None), ("z", None, None)])
    out = cluster_pairs(recs, pairs([("x", "y", 0.5)]), threshold=0.99)
    assert out.height == 3
    assert as_sets(out) == {frozenset({"x"}), frozenset({"y"}), frozenset({"z"})}
    assert out["match_probability"].null_count() == 3
    assert as_sets(cluster_pairs(recs, pairs([("x", "y", 0.5)]), threshold=0.4)) == {
        frozenset({"x", "y"}),
        frozenset({"z"}),
    }


def test_scores_pairwise_and_bcubed() -> None:
    truth = pl.DataFrame({"record_id": list("abcd"), "person_id": ["p", "p", "p", "q"]})
    perfect = pl.DataFrame({"record_id": list("abcd"), "cluster_id": ["1", "1", "1", "2"]})
    s = score_clusters(perfect, truth)
    assert (s.precision, s.recall, s.f1, s.bcubed_f1) == (1.0, 1.0, 1.0, 1.0)
    merged = pl.DataFrame({"record_id": list("abcd"), "cluster_id": ["1"] * 4})
    s = score_clusters(merged, truth)
    assert s.predicted_pairs == 6 and s.correct_pairs == 3
    assert s.precision == pytest.approx(0.5) and s.recall == 1.0
    assert s.bcubed_precision == pytest.approx((3 * 3 / 4 + 1 / 4) / 4)
    split = pl.DataFrame({"record_id": list("abcd"), "cluster_id": ["1", "1", "2", "3"]})
    s = score_clusters(split, truth)
    assert s.precision == 1.0 and s.recall == pytest.approx(1 / 3)
    with pytest.raises(ValueError, match="klaster"):
        score_clusters(split.head(2), truth)


def test_twins_with_neighbouring_niks_and_different_first_names_split() -> None:
    recs = records([("t1", A, 1), ("t2", "3316121410180002", 1)]).with_columns(
        nama_depan_kunci=pl.Series(["frl", "fdl"])
    )
    out = cluster_pairs(recs, pairs([("t1", "t2", 0.999)]), threshold=0.99)
    assert as_sets(out) == {frozenset({"t1"}), frozenset({"t2"})}
    same_name = recs.with_columns(nama_depan_kunci=pl.lit("frl"))
    out = cluster_pairs(same_name, pairs([("t1", "t2", 0.999)]), threshold=0.99)
    assert as_sets(out) == {frozenset({"t1", "t2"})}  # a NIK typo of one person
