"""Person-weighted desil: equal shares of persons, deterministic ties, groups."""

from __future__ import annotations

import polars as pl
from hypothesis import given
from hypothesis import strategies as st

from padu.engine.pmt.desil import assign_desil, desil_shares


def test_equal_families_fill_desil_by_ten() -> None:
    frame = pl.DataFrame(
        {
            "id_keluarga": [f"K{i:03d}" for i in range(100)],
            "score": [float(99 - i) for i in range(100)],
            "jumlah_art": [1] * 100,
        }
    )
    out = assign_desil(frame)
    assert out["desil"].to_list()[:10] == [10] * 10  # highest scores are richest
    assert out["desil"].to_list()[-10:] == [1] * 10
    assert desil_shares(out)["keluarga"].to_list() == [10] * 10
    assert out["id_keluarga"].to_list() == frame["id_keluarga"].to_list()  # order kept


def test_ties_are_broken_by_id_whatever_the_row_order() -> None:
    frame = pl.DataFrame(
        {"id_keluarga": [f"K{i}" for i in range(10)], "score": [1.0] * 10, "jumlah_art": [1] * 10}
    )
    a = assign_desil(frame)
    b = assign_desil(frame.reverse())
    assert a.sort("id_keluarga")["desil"].to_list() == list(range(1, 11))
    assert b.sort("id_keluarga")["desil"].to_list() == list(range(1, 11))


def test_persons_not_families_are_counted() -> None:
    # one family of 9 persons and 9 families of 1: the big poor family alone fills 45% of persons
    frame = pl.DataFrame(
        {
            "id_keluarga": [f"K{i}" for i in range(10)],
            "score": [float(i) for i in range(10)],
            "jumlah_art": [9] + [1] * 9,
        }
    )
    out = assign_desil(frame)
    assert out["desil"][0] == 3  # middle of its persons at 4.5/18 = 25%
    assert out["desil"][-1] == 10


def test_desil_within_groups() -> None:
    frame = pl.DataFrame(
        {
            "id_keluarga": [f"K{i:02d}" for i in range(40)],
            "score": [float(i) for i in range(40)],
            "jumlah_art": [2] * 40,
            "kab": ["33.16"] * 20 + ["33.17"] * 20,
        }
    )
    out = assign_desil(frame, group="kab", out="desil_kabupaten")
    assert out.filter(pl.col("kab") == "33.17")["desil_kabupaten"].to_list()[:2] == [1, 1]
    assert out.group_by("kab").agg(pl.col("desil_kabupaten").max())[
        "desil_kabupaten"
    ].to_list() == [10, 10]


def test_families_without_persons_still_get_a_desil() -> None:
    frame = pl.DataFrame({"id_keluarga": ["A", "B"], "score": [1.0, 2.0], "jumlah_art": [0, 0]})
    assert assign_desil(frame)["desil"].to_list() == [3, 8]


@given(st.lists(st.tuples(st.floats(-5, 5), st.integers(1, 8)), min_size=50, max_size=300))
def test_each_desil_holds_a_tenth_of_persons_up_to_one_family(
    rows: list[tuple[float, int]],
) -> None:
    frame = pl.DataFrame(
        {
            "id_keluarga": [f"K{i:04d}" for i in range(len(rows))],
            "score": [r[0] for r in rows],
            "jumlah_art": [r[1] for r in rows],
        }
    )
    out = assign_desil(frame)
    total = frame["jumlah_art"].sum()
    biggest = frame["jumlah_art"].max()
    shares = desil_shares(out)
    for orang in shares["orang"].to_list():
        assert abs(orang - total / 10) <= biggest
    # monotone: a poorer score never gets a higher desil
    ordered = out.sort(["score", "id_keluarga"])["desil"].to_list()
    assert ordered == sorted(ordered)
