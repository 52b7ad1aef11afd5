"""Identity evidence: NIK relations, NIK-encoded birth date and sex, dates, codes."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

from padu.engine.linkage.evidence import nik_relation, prepare_records

TODAY = date(2026, 1, 1)


def prepare(**columns: list[str | None]) -> pl.DataFrame:
    n = len(next(iter(columns.values())))
    frame = pl.DataFrame({"record_id": [f"r{i}" for i in range(n)], **columns})
    return prepare_records(frame, today=TODAY)


@pytest.mark.parametrize(
    ("left", "right", "expected"),
    [
        ("3316121410180001", "3316121410180001", "sama"),
        ("3316121410180001", "3316121410180007", "satu_digit"),
        ("3316121410180001", "3316124110180001", "tertukar"),
        ("3316121410180001", "3316121410180010", "tertukar"),
        ("3316121410180001", "3316121410180022", "beda"),
        ("3316121410180001", "3.31612E+15", "awal_sama"),
        ("3316121410180001", "3.31701E+15", "beda"),
        ("3316121410180001", None, "tidak_diketahui"),
    ],
)
def test_nik_relation(left: str, right: str | None, expected: str) -> None:
    recs = prepare(nik=[left, right])
    pairs = pl.DataFrame(
        {
            "l": recs["nik"][0:1],
            "r": recs["nik"][1:2],
            "lp": recs["nik_awal"][0:1],
            "rp": recs["nik_awal"][1:2],
        }
    )
    got = pairs.select(nik_relation(pl.col("l"), pl.col("r"), pl.col("lp"), pl.col("rp")))
    assert got.item() == expected


def test_nik_repair_and_float_damage() -> None:
    recs = prepare(nik=["'3316121410180001", "3316 1214 1018 0001", "3.31612E+15", "12", None])
    assert recs["nik"].to_list() == ["3316121410180001"] * 2 + [None] * 3
    assert recs["nik_awal"].to_list() == [None, None, "331612", None, None]


def test_nik_birth_date_and_sex() -> None:
    recs = prepare(
        nik=["3316121410180001", "3316125410180001", "3316129910180001"],
        tgl_lahir=["2018-10-14", "14/10/2018", None],
        jenis_kelamin=[None, None, None],
    )
    assert recs["nik_tgl"].to_list() == [date(2018, 10, 14), date(2018, 10, 14), None]
    assert recs["nik_jk"].to_list() == [1, 2, None]
    assert recs["jk"].to_list() == [1, 2, None]  # sex from the NIK when the record has none
    assert recs["tgl_nik_cocok"].to_list() == [True, True, None]


def test_dates_in_every_source_format_defaults_and_swaps() -> None:
    recs = prepare(
        tgl_lahir=["1971-03-25", "25-03-1971", "25/03/1971", "01/07/1953", "05/03/1980", "x"],
    )
    assert recs["tgl"].to_list()[:3] == [date(1971, 3, 25)] * 3
    assert recs["tgl"][5] is None
    assert recs["tgl_default"].to_list() == [False, False, False, True, False, False]
    assert recs["tgl_tukar"][4] == date(1980, 5, 3)
    assert recs["tgl_tukar"][0] is None  # day 25 cannot be a month


def test_default_date_replaced_by_nik_date_of_same_year() -> None:
    recs = prepare(
        nik=["3316121410180001", "3316121410180001", "3316121410180001"],
        tgl_lahir=["01/01/2018", "01/01/2017", None],
    )
    assert recs["tgl_baik"].to_list() == [date(2018, 10, 14), date(2017, 1, 1), date(2018, 10, 14)]


def test_sex_codes_desa_rt_rw_and_kk() -> None:
    recs = prepare(
        jenis_kelamin=["L", "P", "1", "2", "LAKI-LAKI", "PEREMPUAN", "?"],
        kode_desa=["33.16.12.2017", "3316122017", "33.16", None, "", "3316122017", "3316122017"],
        rt=["002", "2", "0", None, "", "12", "012"],
        no_kk=["3316123112250019", "'3316123112250019", None, "1", "", None, None],
    )
    assert recs["jk"].to_list() == [1, 2, 1, 2, 1, 2, None]
    assert recs["desa"].to_list() == [
        "3316122017",
        "3316122017",
        None,
        None,
        None,
        "3316122017",
        "3316122017",
    ]
    assert recs["kec"][0] == "331612"
    assert recs["rt"].to_list() == ["2", "2", "0", None, None, "12", "12"]
    assert recs["kk"].to_list()[:4] == ["3316123112250019", "3316123112250019", None, None]


def test_missing_columns_and_record_id_required() -> None:
    recs = prepare_records(pl.DataFrame({"record_id": ["a"], "nama": ["Siti"]}), today=TODAY)
    assert recs["nik"].to_list() == [None]
    assert recs["nama_norm"].to_list() == ["siti"]
    with pytest.raises(ValueError, match="record_id"):
        prepare_records(pl.DataFrame({"nama": ["Siti"]}), today=TODAY)
