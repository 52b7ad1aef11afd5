"""Pure parts of the linkage app: explanations in step with the engine's comparison
levels, reviewers' decisions applied to clusters, survivorship over a frame."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest

from padu.linkage import explain
from padu.linkage.decisions import apply_decisions
from padu.linkage.golden import Group, SurvivorshipError, golden_records, load_rules


def test_explanations_have_one_label_per_engine_level() -> None:
    from padu.engine.linkage.model import _comparisons

    for comparison in _comparisons():
        spec = comparison.get_comparison("duckdb")
        levels = [level for level in spec.comparison_levels if not level.is_null_level]
        column = spec.output_column_name
        assert len(explain.LEVELS[column]) == len(levels), column
        # the engine's own labels, where it writes them in Bahasa Indonesia, agree in kind
        top = levels[0].label_for_charts.lower()
        assert "sama" in top or "exact" in top, column


def test_labels_read_as_what_agreed() -> None:
    reasons = explain.explain({"nik": 4, "nama": 4, "tgl": 3, "jk": 1, "kk": -1, "ibu": 0})
    labels = [r.label for r in reasons]
    assert labels[:3] == ["NIK sama", "nama depan sama, nama mirip",
                          "tanggal lahir tertukar hari/bulan atau cocok dengan NIK"]  # fmt: skip
    assert labels[-1] == "No. KK kosong"  # blanks last
    assert explain.agreed({"nik": 0, "nama": 6}) == ["nama sama"]
    assert explain.level_label("nama", 99).kind == explain.MIRIP  # unknown level, no failure
    assert explain.explain(None) == []


def _clusters(groups: list[list[str]]) -> pl.DataFrame:
    rows = [(r, min(g), 0.99) for g in groups for r in g]
    return pl.DataFrame(rows, schema=["record_id", "cluster_id", "match_probability"], orient="row")


def _pairs(edges: list[tuple[str, str, float]]) -> pl.DataFrame:
    return pl.DataFrame(
        edges, schema=["record_id_l", "record_id_r", "match_probability"], orient="row"
    )


def _decisions(rows: list[tuple[str, str, str]]) -> pl.DataFrame:
    return pl.DataFrame(rows, schema=["record_a", "record_b", "verdict"], orient="row")


def _groups(frame: pl.DataFrame) -> set[frozenset[str]]:
    return {
        frozenset(g) for g in frame.group_by("cluster_id").agg("record_id")["record_id"].to_list()
    }


def test_rejected_pair_splits_a_chain_at_its_weakest_link() -> None:
    clusters = _clusters([["1", "2", "3"], ["4"]])
    pairs = _pairs([("1", "2", 0.999), ("2", "3", 0.995), ("1", "3", 0.991)])
    out = apply_decisions(clusters, pairs, _decisions([("1", "3", "beda")]), 0.99)
    assert _groups(out) == {frozenset({"1", "2"}), frozenset({"3"}), frozenset({"4"})}
    assert out["record_id"].to_list() == clusters["record_id"].to_list()


def test_accepted_pair_merges_unless_a_rejection_forbids_it() -> None:
    clusters = _clusters([["1", "2"], ["3"], ["4"]])
    pairs = _pairs([("1", "2", 0.999)])
    out = apply_decisions(clusters, pairs, _decisions([("2", "3", "sama")]), 0.99)
    assert _groups(out) == {frozenset({"1", "2", "3"}), frozenset({"4"})}
    contradiction = _decisions([("2", "3", "sama"), ("1", "3", "beda")])
    out = apply_decisions(clusters, pairs, contradiction, 0.99)
    assert frozenset({"1", "2", "3"}) not in _groups(out)
    assert apply_decisions(clusters, pairs, _decisions([("8", "9", "sama")]), 0.99) is clusters


def _members() -> pl.DataFrame:
    return pl.DataFrame(
        {
            "cluster_id": [1, 1, 1, 2],
            "id": [10, 11, 12, 20],
            "source_record_id": [100, 110, 120, 200],
            "source": ["DTKS", "DUKCAPIL", "Desa", "P3KE"],
            "source_kind": ["siks_ng", "dukcapil", "desa", "p3ke"],
            "verified_at": [None, None, "2026-03-01 10:00:00", None],
            "updated_at": ["2026-05-01", "2026-01-01", "2026-02-01", "2026-01-01"],
            "nama": ["SITI AMINAH", "Siti Aminah", "St. Aminah", "Paijo"],
            "nik": [None, "3316014101800001", "3316014101800001", None],
            "pendidikan": ["3", "2", "4", None],
            "kode_desa": ["33.16.01.2001", "33.16.01.2002", "33.16.01.2003", "33.16.02.2001"],
        }
    )


def test_survivorship_identity_from_dukcapil_socio_economic_from_latest_verval() -> None:
    out = golden_records(_members(), load_rules())
    golden = {c: json.loads(g) for c, g in out.select("cluster_id", "golden").iter_rows()}
    one = golden[1]
    assert one["nama"] == {
        "nilai": "Siti Aminah",
        "orang": 11,
        "baris_sumber": 110,
        "sumber": "DUKCAPIL",
    }
    assert one["pendidikan"]["orang"] == 12  # approved verval beats a later change
    assert one["kode_desa"]["nilai"] == "33.16.01.2003"
    assert dict(out.select("cluster_id", "kode_desa").iter_rows())[1] == "33.16.01.2003"
    assert "nik" not in golden[2] and golden[2]["nama"]["orang"] == 20  # empty: not stored
    assert all(value is not None for g in golden.values() for value in g.values())


def test_survivorship_order_comes_from_the_rules() -> None:
    rules = (Group("identitas", ("nama",), ("desa",), ("updated_at",)),)
    out = golden_records(_members(), rules)
    golden = json.loads(out.filter(pl.col("cluster_id") == 1)["golden"][0])
    assert golden == {
        "nama": {"nilai": "St. Aminah", "orang": 12, "baris_sumber": 120, "sumber": "Desa"}
    }
    newest = (Group("x", ("nama",), (), ("updated_at",)),)
    golden = json.loads(
        golden_records(_members(), newest).filter(pl.col("cluster_id") == 1)["golden"][0]
    )
    assert golden["nama"]["orang"] == 10


def test_broken_survivorship_files_say_what_to_fix(tmp_path: Path) -> None:
    missing = tmp_path / "tidak-ada.yaml"
    with pytest.raises(SurvivorshipError, match="tidak ada"):
        load_rules(missing)
    empty = tmp_path / "kosong.yaml"
    empty.write_text("kelompok: []\n", encoding="utf-8")
    with pytest.raises(SurvivorshipError, match="tidak berisi"):
        load_rules(empty)
