"""NIK and No. KK: repair, checks, decoding, and scalar == vectorised agreement.

Every number here is synthetic (built with make_nik or by hand), never a real person's.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from padu.engine.nik import (
    NikCheck,
    check_nik_column,
    check_no_kk_column,
    kecamatan_codes,
    make_nik,
    nik_matches_record,
    parse_nik,
    parse_no_kk,
)
from padu.engine.numbers import REPAIR_LABELS, RepairedNumber, repair_number

TODAY = date(2026, 5, 9)
KNOWN = kecamatan_codes()
KEC = "33.16.01"  # Jati, Blora
MAN = make_nik(KEC, date(1990, 1, 1), 1, 1)  # 3316010101900001
WOMAN = make_nik(KEC, date(1990, 1, 15), 2, 1)  # 3316015501900001
FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

birth_dates = st.dates(min_value=date(TODAY.year - 99, 1, 1), max_value=TODAY)
kecamatan = st.sampled_from(sorted(KNOWN))


def codes(check: NikCheck) -> list[str]:
    return [problem.code for problem in check.problems]


# Valid numbers and decoding


def test_valid_man() -> None:
    check = parse_nik(MAN, known_kecamatan=KNOWN, today=TODAY)
    assert MAN == "3316010101900001"
    assert check.valid and check.problems == ()
    assert check.value == MAN and check.repairs == ()
    assert check.birth_date == date(1990, 1, 1)
    assert check.sex == 1
    assert check.kecamatan_code == KEC
    assert check.serial == 1


def test_valid_woman_has_40_added_to_the_day() -> None:
    check = parse_nik(WOMAN, known_kecamatan=KNOWN, today=TODAY)
    assert WOMAN[6:8] == "55"
    assert check.valid
    assert check.birth_date == date(1990, 1, 15)
    assert check.sex == 2


@pytest.mark.parametrize(("day", "sex"), [(1, 1), (31, 1), (41, 2), (71, 2)])
def test_day_bounds(day: int, sex: int) -> None:
    check = parse_nik(f"331601{day:02d}0190{1:04d}", today=TODAY)
    assert check.valid and check.sex == sex


@FAST
@given(kec=kecamatan, born=birth_dates, sex=st.sampled_from([1, 2]), serial=st.integers(1, 9999))
def test_make_nik_round_trip(kec: str, born: date, sex: int, serial: int) -> None:
    nik = make_nik(kec, born, sex, serial)
    check = parse_nik(nik, known_kecamatan=KNOWN, today=TODAY)
    assert check.valid, check.problems
    assert (check.value, check.repairs) == (nik, ())
    assert (check.birth_date, check.sex, check.kecamatan_code, check.serial) == (
        born,
        sex,
        kec,
        serial,
    )


def test_make_nik_accepts_plain_code_and_rejects_bad_input() -> None:
    assert make_nik("331601", date(1990, 1, 1), 1, 1) == MAN
    with pytest.raises(ValueError):
        make_nik("33.16", date(1990, 1, 1), 1, 1)
    with pytest.raises(ValueError):
        make_nik(KEC, date(1990, 1, 1), 3, 1)
    for serial in (0, 10000):
        with pytest.raises(ValueError):
            make_nik(KEC, date(1990, 1, 1), 1, serial)


# Problems of the number itself


@pytest.mark.parametrize(
    "ddmmyy",
    [
        "310290",  # 31 February
        "710290",  # 31 February, woman
        "290201",  # 29 February 2001 (not a leap year)
        "320190",  # day 32
        "720190",  # day 72
        "000190",  # day 0
        "400190",  # day 40
        "011390",  # month 13
        "010090",  # month 0
    ],
)
def test_impossible_dates(ddmmyy: str) -> None:
    check = parse_nik(f"331601{ddmmyy}0001", today=TODAY)
    assert codes(check) == ["nik_tanggal_tidak_valid"]
    assert check.birth_date is None and check.sex is None
    assert check.kecamatan_code == KEC and check.serial == 1
    assert ddmmyy in check.problems[0].message


def test_29_february_of_a_leap_year_is_valid() -> None:
    assert parse_nik("3316012902000001", today=TODAY).birth_date == date(2000, 2, 29)
    assert parse_nik("3316016902040001", today=TODAY).birth_date == date(2004, 2, 29)


@pytest.mark.parametrize(("raw", "length"), [(MAN[:15], 15), (MAN + "1", 17), ("33", 2)])
def test_wrong_length(raw: str, length: int) -> None:
    check = parse_nik(raw, today=TODAY)
    assert codes(check) == ["nik_panjang"]
    assert f"yang tertulis {length} digit" in check.problems[0].message
    assert check.birth_date is None and check.kecamatan_code is None


@pytest.mark.parametrize(
    "raw", ["33160101019000O1", "3316010101900001x", "NIK", "-3316010101900001"]
)
def test_non_digits(raw: str) -> None:
    check = parse_nik(raw, today=TODAY)
    assert codes(check) == ["nik_bukan_angka"]
    assert check.value == raw


def test_unknown_region_only_checked_when_known_codes_given() -> None:
    nik = make_nik("99.99.01", date(1990, 1, 1), 1, 1)
    check = parse_nik(nik, known_kecamatan=KNOWN, today=TODAY)
    assert codes(check) == ["nik_wilayah_tidak_dikenal"]
    assert "99.99.01" in check.problems[0].message
    assert check.birth_date == date(1990, 1, 1)  # still decoded
    assert parse_nik(nik, today=TODAY).valid


def test_serial_0000() -> None:
    check = parse_nik(MAN[:12] + "0000", today=TODAY)
    assert codes(check) == ["nik_nomor_urut_nol"]
    assert check.serial == 0


def test_several_problems_are_all_listed_in_order() -> None:
    check = parse_nik("9999013102900000", known_kecamatan=KNOWN, today=TODAY)
    assert codes(check) == [
        "nik_wilayah_tidak_dikenal",
        "nik_tanggal_tidak_valid",
        "nik_nomor_urut_nol",
    ]


@pytest.mark.parametrize("raw", [None, "", "   ", "\u00a0", "'"])
def test_empty(raw: object) -> None:
    assert repair_number(raw) == repair_number(None)
    assert repair_number(raw).value is None and repair_number(raw).repairs == ()
    check = parse_nik(raw, today=TODAY)
    assert codes(check) == ["nik_kosong"] and not check.float_damage


# Spreadsheet damage


@pytest.mark.parametrize(
    "raw",
    [
        "3.31601E+15",
        "3.31601e+15",
        "3,31601E+15",
        "3.316010101900001e15",  # the mantissa holds all 16 digits: still flagged
        " '3.31601E+15",
        "3E15",
        3316010101900001.0,  # a Python float: flagged, even below 2**53
        3.31601e15,
        1e15,
        2.5,
        float("inf"),
        "9171010101900001.0",  # above 2**53: the float could not hold it
    ],
)
def test_float_damage_is_flagged_never_guessed(raw: object) -> None:
    repaired = repair_number(raw)
    assert repaired.float_damage and repaired.value is None and repaired.repairs == ()
    check = parse_nik(raw, today=TODAY)
    assert codes(check) == ["nik_float_rusak"]
    assert "Teks" in check.problems[0].message


@FAST
@given(
    mantissa=st.text("0123456789", min_size=1, max_size=16),
    decimals=st.text("0123456789", max_size=16),
    sep=st.sampled_from([".", ","]),
    e=st.sampled_from(["e", "E", "E+", "e+"]),
    exponent=st.integers(0, 20),
)
def test_scientific_notation_is_never_guessed(
    mantissa: str, decimals: str, sep: str, e: str, exponent: int
) -> None:
    repaired = repair_number(f"{mantissa}{sep}{decimals}{e}{exponent}")
    assert repaired.float_damage and repaired.value is None


@FAST
@given(st.floats(min_value=1e15, max_value=1e17) | st.floats(max_value=-1e15, min_value=-1e17))
def test_large_python_floats_are_damage(raw: float) -> None:
    assert repair_number(raw).float_damage and repair_number(raw).value is None


@pytest.mark.parametrize(
    ("raw", "value", "repairs"),
    [
        ("'" + MAN, MAN, ("apostrof_awal",)),
        ("\u2019" + MAN, MAN, ("apostrof_awal",)),
        ("3316 0101 0190 0001", MAN, ("spasi",)),
        (f" {MAN}\t", MAN, ("spasi",)),
        ("3316\u00a00101\u00a00190\u00a00001", MAN, ("spasi",)),
        ("3316\u200b010101900001", MAN, ("spasi",)),
        ("3316.0101.0190.0001", MAN, ("titik",)),
        ("3.316.010.101.900.001", MAN, ("titik",)),
        ("3316-0101-0190-0001", MAN, ("tanda_hubung",)),
        (MAN + ".0", MAN, ("akhiran_.0",)),
        (MAN + ",0", MAN, ("akhiran_.0",)),
        (3316010101900001, MAN, ("angka_bulat",)),
        (331601010190.0, "331601010190", ("akhiran_.0",)),
        ("' 3316.0101.0190.0001", MAN, ("apostrof_awal", "spasi", "titik")),
    ],
)
def test_repairs(raw: object, value: str, repairs: tuple[str, ...]) -> None:
    repaired = repair_number(raw)
    assert (repaired.value, repaired.repairs, repaired.float_damage) == (value, repairs, False)
    assert set(repairs) <= set(REPAIR_LABELS)


def test_repaired_nik_keeps_its_repairs_and_is_valid() -> None:
    check = parse_nik("'3316 0101.0190.0001", known_kecamatan=KNOWN, today=TODAY)
    assert check.valid and check.value == MAN
    assert check.repairs == ("apostrof_awal", "spasi", "titik")


@pytest.mark.parametrize(
    "raw", ["3316..0101", ".3316010101900001", "3316010101900001.", "33'16", "3316,0101,0190,0001"]
)
def test_ambiguous_text_is_left_alone(raw: str) -> None:
    repaired = repair_number(raw)
    assert (repaired.value, repaired.repairs) == (raw, ())
    assert codes(parse_nik(raw, today=TODAY)) == ["nik_bukan_angka"]


@FAST
@given(st.text("0123456789", min_size=16, max_size=16))
def test_repair_never_changes_a_16_digit_string(digits: str) -> None:
    assert repair_number(digits) == RepairedNumber(digits, (), False)


@FAST
@given(
    digits=st.text("0123456789", min_size=16, max_size=16),
    cuts=st.lists(st.integers(1, 15), max_size=4, unique=True),
    sep=st.sampled_from([" ", "\u00a0", ".", "-", "\t"]),
    apostrophe=st.booleans(),
)
def test_repair_keeps_the_digits_of_a_decorated_number(
    digits: str, cuts: list[int], sep: str, apostrophe: bool
) -> None:
    parts = [digits[a:b] for a, b in zip([0, *sorted(cuts)], [*sorted(cuts), 16], strict=True)]
    raw = ("'" if apostrophe else "") + sep.join(parts)
    assert repair_number(raw).value == digits


# Century


@pytest.mark.parametrize(
    ("ddmmyy", "year"),
    [
        ("010127", 1927),  # YY after today's YY -> 19YY
        ("010199", 1999),
        ("010100", 2000),
        ("010126", 2026),
        ("090526", 2026),  # today itself
        ("100526", 1926),  # later this year would be in the future -> 19YY
    ],
)
def test_century_resolution(ddmmyy: str, year: int) -> None:
    birth = parse_nik(f"331601{ddmmyy}0001", today=TODAY).birth_date
    assert birth is not None and birth.year == year


@FAST
@given(digits=st.text("0123456789", min_size=16, max_size=16), today=st.dates(date(1990, 1, 1)))
def test_decoded_birth_date_is_never_in_future_nor_over_100_years_ago(
    digits: str, today: date
) -> None:
    birth = parse_nik(digits, today=today).birth_date
    if birth is not None:
        assert today - timedelta(days=366 * 100) < birth <= today


# Comparison with the record


def test_record_matches() -> None:
    check = parse_nik(WOMAN, today=TODAY)
    assert nik_matches_record(check, birth_date=date(1990, 1, 15), sex=2) == []
    assert nik_matches_record(check, birth_date=None, sex=None) == []


def test_record_differs_only_in_century_is_not_a_problem() -> None:
    check = parse_nik("3316010101250001", today=TODAY)  # decoded 2025
    assert nik_matches_record(check, birth_date=date(1925, 1, 1), sex=1) == []


def test_record_birth_date_differs() -> None:
    check = parse_nik(WOMAN, today=TODAY)
    problems = nik_matches_record(check, birth_date=date(1990, 1, 16), sex=2)
    assert [p.code for p in problems] == ["nik_tgl_lahir_beda"]
    assert "16-01-1990" in problems[0].message and "ditambah 40" in problems[0].message


def test_record_sex_differs_explains_plus_40() -> None:
    man_coded = parse_nik(make_nik(KEC, date(1990, 1, 15), 1, 1), today=TODAY)  # day 15
    problems = nik_matches_record(man_coded, birth_date=date(1990, 1, 15), sex=2)
    assert [p.code for p in problems] == ["nik_jenis_kelamin_beda"]
    assert "laki-laki" in problems[0].message and "ditambah 40" in problems[0].message
    both = nik_matches_record(parse_nik(WOMAN, today=TODAY), birth_date=date(1990, 1, 5), sex=1)
    assert [p.code for p in both] == ["nik_tgl_lahir_beda", "nik_jenis_kelamin_beda"]


def test_record_not_compared_when_nik_undecodable() -> None:
    check = parse_nik("3316013102900001", today=TODAY)
    assert nik_matches_record(check, birth_date=date(1990, 1, 1), sex=9) == []


# No. KK


def test_no_kk() -> None:
    kk = "3316010101900000"  # serial part 0000 is not checked for a KK
    check = parse_no_kk(kk, known_kecamatan=KNOWN)
    assert check.valid and check.kecamatan_code == KEC
    assert parse_no_kk("'" + kk).repairs == ("apostrof_awal",)
    assert [p.code for p in parse_no_kk(kk[:15]).problems] == ["kk_panjang"]
    assert [p.code for p in parse_no_kk(kk[:15] + "x").problems] == ["kk_bukan_angka"]
    assert [p.code for p in parse_no_kk("3.31601E+15").problems] == ["kk_float_rusak"]
    assert [p.code for p in parse_no_kk(None).problems] == ["kk_kosong"]
    unknown = parse_no_kk("9999010101900001", known_kecamatan=KNOWN)
    assert [p.code for p in unknown.problems] == ["kk_wilayah_tidak_dikenal"]
    assert "Nomor KK" in unknown.problems[0].message
    assert parse_no_kk("9999010101900001").valid


# Region codes


def test_kecamatan_codes(tmp_path: Path) -> None:
    assert len(KNOWN) == 576 and KEC in KNOWN
    (tmp_path / "districts.csv").write_text(
        "code,regency_code,name\n11.01.01,11.01,Bakongan\n110102,11.01,Kluet Utara\n", "utf-8"
    )
    expected = frozenset({"11.01.01", "11.01.02"})
    assert kecamatan_codes(tmp_path) == expected
    assert kecamatan_codes(str(tmp_path / "districts.csv")) == expected


# Vectorised == scalar

sci = st.builds(
    lambda m, d, e: f"{m}{d}{e}",
    st.text("0123456789", min_size=1, max_size=3),
    st.sampled_from(["", ".31601", ",31601", ".316010101900001"]),
    st.sampled_from(["E+15", "e15", "E15"]),
)
decorated = st.builds(
    lambda nik, pre, sep, post: pre + sep.join([nik[:4], nik[4:8], nik[8:12], nik[12:]]) + post,
    st.builds(
        make_nik,
        kecamatan | st.just("99.99.01"),
        birth_dates,
        st.sampled_from([1, 2]),
        st.integers(1, 9999),
    ),
    st.sampled_from(["", "'", " ", "\u2018"]),
    st.sampled_from(["", " ", ".", "-", "\u00a0", "\u2013", ". "]),
    st.sampled_from(["", ".0", ",0", " "]),
)
texts = st.one_of(
    st.none(),
    decorated,
    sci,
    st.text("0123456789", min_size=16, max_size=16),
    st.text("0123456789", min_size=14, max_size=18).map(lambda s: s + ".0"),
    st.text("0123456789 .,'eE+-\u00a0\t\u2013x0", max_size=20),
    st.text(max_size=8),
)
todays = st.dates(date(1995, 1, 1), date(2090, 12, 31))


def assert_agree(values: pl.Series, raws: list[object], today: date, known: bool) -> None:
    known_codes = KNOWN if known else None
    frame = check_nik_column(values, known_kecamatan=known_codes, today=today)
    kk_frame = check_no_kk_column(values, known_kecamatan=known_codes)
    assert frame.height == kk_frame.height == len(raws)
    for raw, row, kk_row in zip(
        raws, frame.iter_rows(named=True), kk_frame.iter_rows(named=True), strict=True
    ):
        check = parse_nik(raw, known_kecamatan=known_codes, today=today)
        expected = {
            "nik": check.value,
            "repaired": bool(check.repairs),
            "float_damage": check.float_damage,
            "problem": check.problems[0].code if check.problems else None,
            "birth_date": check.birth_date,
            "sex": check.sex,
            "kecamatan": check.kecamatan_code,
        }
        assert row == expected, raw
        kk = parse_no_kk(raw, known_kecamatan=known_codes)
        assert kk_row == {
            "no_kk": kk.value,
            "repaired": bool(kk.repairs),
            "float_damage": kk.float_damage,
            "problem": kk.problems[0].code if kk.problems else None,
            "kecamatan": kk.kecamatan_code,
        }, raw


@settings(max_examples=120, deadline=None)
@given(raws=st.lists(texts, max_size=25), today=todays, known=st.booleans())
def test_vectorised_agrees_with_scalar_on_text(
    raws: list[str | None], today: date, known: bool
) -> None:
    assert_agree(pl.Series(raws, dtype=pl.String), list(raws), today, known)


@FAST
@given(
    raws=st.lists(
        st.none() | st.integers(-(10**17), 10**17) | st.integers(10**15, 10**16), max_size=20
    ),
    today=todays,
)
def test_vectorised_agrees_with_scalar_on_ints(raws: list[int | None], today: date) -> None:
    assert_agree(pl.Series(raws, dtype=pl.Int64), list(raws), today, True)


@FAST
@given(
    raws=st.lists(
        st.none()
        | st.floats(allow_nan=True, allow_infinity=True)
        | st.integers(-(10**15), 10**15).map(float)
        | st.integers(10**15, 10**16).map(float),
        max_size=20,
    ),
    today=todays,
)
def test_vectorised_agrees_with_scalar_on_floats(raws: list[float | None], today: date) -> None:
    assert_agree(pl.Series(raws, dtype=pl.Float64), list(raws), today, True)


def test_vectorised_null_column() -> None:
    frame = check_nik_column(pl.Series([None, None]), today=TODAY)
    assert frame["problem"].to_list() == ["nik_kosong", "nik_kosong"]
    assert frame.schema == {
        "nik": pl.String,
        "repaired": pl.Boolean,
        "float_damage": pl.Boolean,
        "problem": pl.String,
        "birth_date": pl.Date,
        "sex": pl.Int8,
        "kecamatan": pl.String,
    }
