"""The whole linkage run on the project's multi-source generator, plus family protection.

Small data (a few thousand records) so the suite stays fast; the ~100,000-record
acceptance figures are a benchmark (benchmarks/bench_linkage.py).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import polars as pl
import pytest

from padu.engine import synth
from padu.engine.linkage.evaluate import score_clusters
from padu.engine.linkage.model import ModelSettings, block_keys
from padu.engine.linkage.pipeline import link_records

TODAY = date(2026, 1, 1)


@pytest.fixture(scope="module")
def sources(tmp_path_factory: pytest.TempPathFactory) -> tuple[pl.DataFrame, pl.DataFrame]:
    out: Path = tmp_path_factory.mktemp("sources")
    synth.generate(kabupaten="33.16", n_keluarga=500, seed=11, out_dir=out, sources=True)
    persons = pl.read_csv(out / "persons.csv", infer_schema=False)
    truth = pl.read_csv(out / "persons_truth.csv", infer_schema=False)
    return persons, truth


def family(kind: str) -> pl.DataFrame:
    """Two members of one family sharing KK, address and mother, each in two sources."""
    base = {
        "no_kk": "3316123112250019", "kode_desa": "33.16.12.2017", "alamat": "Dukuh Guwo",
        "rt": "002", "rw": "001", "nama_ibu": "Tri Kayla", "tempat_lahir": "Blora",
    }  # fmt: skip
    if kind == "twins":  # same birth date, different first names, one record without NIK
        people = [
            ("Farel Bagas", "2018-10-14", "1", "3316121410180001"),
            ("Fadil Bagas", "2018-10-14", "1", "3316121410180002"),
        ]
    else:  # siblings
        people = [
            ("Siti Aminah", "2001-03-05", "2", "3316124503010001"),
            ("Siti Aminatun", "2004-08-17", "2", "3316125708040001"),
        ]
    rows = []
    for k, (nama, tgl, jk, nik) in enumerate(people):
        for source, with_nik in (("DUKCAPIL", True), ("P3KE", k == 0)):
            rows.append(
                {
                    "record_id": f"{kind}-{source}-{k}",
                    "source": source,
                    "nama": nama,
                    "tgl_lahir": tgl,
                    "jenis_kelamin": jk,
                    "nik": nik if with_nik else None,
                    "person_id": f"{kind}-{k}",
                    **base,
                }
            )
    return pl.DataFrame(rows)


@pytest.fixture(scope="module")
def linked(sources: tuple[pl.DataFrame, pl.DataFrame]) -> tuple[pl.DataFrame, pl.DataFrame]:
    persons, truth = sources
    extra = pl.concat([family("twins"), family("siblings")])
    persons = pl.concat([persons, extra.drop("person_id")], how="diagonal")
    truth = pl.concat([truth, extra.select("record_id", "person_id")])
    result = link_records(persons, today=TODAY)
    return result.clusters, truth


def test_every_record_gets_one_cluster(
    linked: tuple[pl.DataFrame, pl.DataFrame], sources: tuple[pl.DataFrame, pl.DataFrame]
) -> None:
    clusters, truth = linked
    assert clusters.height == truth.height
    assert clusters["record_id"].n_unique() == truth.height
    assert clusters["cluster_id"].null_count() == 0


def test_accuracy_on_generated_sources(linked: tuple[pl.DataFrame, pl.DataFrame]) -> None:
    scores = score_clusters(*linked)
    assert scores.true_pairs > 1000
    assert scores.precision >= 0.99
    assert scores.recall >= 0.98
    assert scores.bcubed_f1 >= 0.99


@pytest.mark.parametrize("kind", ["twins", "siblings"])
def test_family_members_are_not_merged(
    linked: tuple[pl.DataFrame, pl.DataFrame], kind: str
) -> None:
    clusters, _ = linked
    mine = clusters.filter(pl.col("record_id").str.starts_with(f"{kind}-"))
    by_person = (
        mine.with_columns(k=pl.col("record_id").str.slice(-1))
        .group_by("k")
        .agg(pl.col("cluster_id").unique())
    )
    first, second = (set(c) for c in by_person.sort("k")["cluster_id"].to_list())
    assert len(first) == 1 and len(second) == 1  # each member's two records together
    assert first != second  # and the two members apart


def test_huge_blocks_are_left_out_of_their_rule() -> None:
    frame = pl.DataFrame(
        {
            "nik": ["1"] * 5,
            "tgl_baik": [date(1970, 1, 1)] * 5,
            "nama_depan_kunci": ["md"] * 4 + ["sprmi"],
            "desa": ["3316122017"] * 5,
            "kec": ["331612"] * 5,
            "nama_kunci": ["md"] * 5,
            "tahun": [1970] * 5,
            "jk": [1] * 5,
            "nama_urut": ["muhamad"] * 5,
        }
    )
    keys = block_keys(frame, ModelSettings(max_block=3))
    assert keys["blk_tgl_depan"].to_list() == [None] * 4 + ["1970-01-01|sprmi"]
    assert keys["blk_nik"].null_count() == 5
    keys = block_keys(frame, ModelSettings(max_block=10))
    assert keys["blk_nik"].to_list() == ["1"] * 5


def test_unknown_engine_is_refused() -> None:
    with pytest.raises(ValueError, match="Mesin"):
        link_records(pl.DataFrame({"record_id": ["a"]}), engine="hadoop")


def test_one_record_alone() -> None:
    out = link_records(pl.DataFrame({"record_id": ["a"], "nama": ["Siti"]}), today=TODAY)
    assert out.clusters.select("record_id", "cluster_id").rows() == [("a", "a")]
