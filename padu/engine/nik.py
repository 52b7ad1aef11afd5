"""Checks of the identity numbers NIK and No. KK, per value and vectorised (no Django).

NIK: 16 digits ``PP KK CC DDMMYY SSSS``: the kecamatan where the NIK was first issued
(province, kabupaten/kota, kecamatan), the date of birth with 40 added to the day for
women (41-71), and a serial 0001-9999. No. KK: 16 digits whose first six are the issuing
kecamatan; the rest is unconfirmed, so only length, digits and region prefix are checked.

Spreadsheet damage is repaired first (:mod:`padu.engine.numbers`). Each problem has a
stable machine code and a Bahasa Indonesia message saying what is wrong and how to fix it.
Problems are listed in this order, which is also how the vectorised checks choose the
``problem`` of a row (the first one):

``*_kosong``, ``*_float_rusak``, ``*_bukan_angka``, ``*_panjang``,
``*_wilayah_tidak_dikenal``, then for NIK only ``nik_tanggal_tidak_valid`` and
``nik_nomor_urut_nol`` (``*`` is ``nik`` or ``kk``). Comparing a NIK with the record adds
``nik_tgl_lahir_beda`` and ``nik_jenis_kelamin_beda`` (:func:`nik_matches_record`).

Century: the two-digit year takes the latest century that does not put the birth date
after ``today``, so a decoded birth date is always within the 100 years up to ``today``
(a NIK cannot tell a baby from a centenarian born the same day: records are compared on
day, month and two-digit year only). An age above 120 therefore cannot arise from the
NIK alone and is not a NIK problem.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Collection, Container
from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Literal

import polars as pl

from padu.engine.numbers import RepairedNumber, repair_number, repair_number_column

__all__ = [
    "KkCheck",
    "NikCheck",
    "NumberProblem",
    "check_nik_column",
    "check_no_kk_column",
    "kecamatan_codes",
    "make_nik",
    "nik_matches_record",
    "parse_nik",
    "parse_no_kk",
]

LENGTH = 16
Sex = Literal[1, 2]

_DOC = {"nik": "KTP atau Kartu Keluarga", "kk": "Kartu Keluarga"}
_LABEL = {"nik": "NIK", "kk": "Nomor KK"}
_SEX_WORD = {1: "laki-laki", 2: "perempuan"}
_PLUS_40 = (
    "Pada NIK perempuan tanggal lahir ditambah 40 (lahir tanggal 5 ditulis 45), "
    "pada NIK laki-laki tidak."
)


@dataclass(frozen=True)
class NumberProblem:
    """One problem of an identity number: stable machine ``code``, Bahasa Indonesia
    ``message`` saying what is wrong and how to fix it."""

    code: str
    message: str


@dataclass(frozen=True)
class KkCheck:
    """Result of :func:`parse_no_kk`."""

    value: str | None
    repairs: tuple[str, ...]
    float_damage: bool
    problems: tuple[NumberProblem, ...]
    kecamatan_code: str | None = None

    @property
    def valid(self) -> bool:
        return not self.problems


@dataclass(frozen=True)
class NikCheck:
    """Result of :func:`parse_nik`; ``birth_date`` and ``sex`` are set only when the date
    part is a real date, ``kecamatan_code`` and ``serial`` whenever there are 16 digits."""

    value: str | None
    repairs: tuple[str, ...]
    float_damage: bool
    problems: tuple[NumberProblem, ...]
    kecamatan_code: str | None = None
    birth_date: date | None = None
    sex: Sex | None = None
    serial: int | None = None

    @property
    def valid(self) -> bool:
        return not self.problems


def _dotted(digits: str) -> str:
    return f"{digits[0:2]}.{digits[2:4]}.{digits[4:6]}"


def _one(code: str, message: str) -> tuple[NumberProblem, ...]:
    return (NumberProblem(code, message),)


def _format_problem(kind: str, repaired: RepairedNumber) -> tuple[NumberProblem, ...]:
    """Empty, float damage, non-digits or wrong length: the problems that stop decoding."""
    label, doc, value = _LABEL[kind], _DOC[kind], repaired.value
    if repaired.float_damage:
        return _one(
            f"{kind}_float_rusak",
            f"{label} tersimpan sebagai angka di lembar kerja (mis. 3,31601E+15), sehingga "
            f"digit terakhirnya bisa sudah berubah dan tidak dapat dipulihkan. Ketik ulang "
            f"{label} dari {doc} di kolom yang diformat sebagai Teks.",
        )
    if value is None:
        return _one(f"{kind}_kosong", f"{label} kosong. Isi {label} 16 digit dari {doc}.")
    if not re.fullmatch("[0-9]+", value):
        others = list(dict.fromkeys(c for c in value if c not in "0123456789"))[:3]
        shown = ", ".join(f"'{c}'" for c in others)
        return _one(
            f"{kind}_bukan_angka",
            f"{label} hanya boleh berisi angka 0-9; yang tertulis memuat karakter lain "
            f"({shown}). Periksa kembali pada {doc} dan ketik ulang 16 digit angkanya.",
        )
    if len(value) != LENGTH:
        return _one(
            f"{kind}_panjang",
            f"{label} harus 16 digit angka; yang tertulis {len(value)} digit. Periksa "
            f"kembali pada {doc} dan ketik ulang sebagai teks.",
        )
    return ()


def _region_problem(kind: str, digits: str, known: Container[str] | None) -> list[NumberProblem]:
    if known is None or _dotted(digits) in known:
        return []
    label = _LABEL[kind]
    return [
        NumberProblem(
            f"{kind}_wilayah_tidak_dikenal",
            f"Enam digit awal {label} ({digits[:6]}, kecamatan {_dotted(digits)}) bukan kode "
            f"kecamatan yang dikenal; enam digit ini adalah kode kecamatan tempat {label} "
            f"diterbitkan. Periksa kembali pada {_DOC[kind]}.",
        )
    ]


def _decode_birth(digits: str, today: date) -> tuple[date, Sex] | None:
    """Birth date and sex from digits 7-12 (DDMMYY, day + 40 for women), or None."""
    coded, month, yy = int(digits[6:8]), int(digits[8:10]), int(digits[10:12])
    sex: Sex
    if 41 <= coded <= 71:
        day, sex = coded - 40, 2
    elif 1 <= coded <= 31:
        day, sex = coded, 1
    else:
        return None
    century = today.year // 100 * 100
    after_today = (yy, month, day) > (today.year % 100, today.month, today.day)
    year = century + yy - (100 if after_today else 0)
    try:
        return date(year, month, day), sex
    except ValueError:
        return None


def parse_no_kk(raw: object, *, known_kecamatan: Container[str] | None = None) -> KkCheck:
    """Repair and check a No. KK: length, digits and (when ``known_kecamatan``, dotted
    kecamatan codes, is given) the region prefix."""
    repaired = repair_number(raw)
    first = _format_problem("kk", repaired)
    if first or repaired.value is None:
        return KkCheck(repaired.value, repaired.repairs, repaired.float_damage, first)
    digits = repaired.value
    problems = tuple(_region_problem("kk", digits, known_kecamatan))
    return KkCheck(digits, repaired.repairs, False, problems, _dotted(digits))


def parse_nik(
    raw: object,
    *,
    known_kecamatan: Container[str] | None = None,
    today: date | None = None,
) -> NikCheck:
    """Repair, check and decode a NIK.

    ``known_kecamatan`` holds dotted kecamatan codes (``33.16.01``); when None the region
    check is skipped. ``today`` (default: today) resolves the century of the birth year.
    """
    repaired = repair_number(raw)
    first = _format_problem("nik", repaired)
    if first or repaired.value is None:
        return NikCheck(repaired.value, repaired.repairs, repaired.float_damage, first)
    digits = repaired.value
    found = _region_problem("nik", digits, known_kecamatan)
    decoded = _decode_birth(digits, today or date.today())
    if decoded is None:
        found.append(
            NumberProblem(
                "nik_tanggal_tidak_valid",
                f"Digit ke-7 sampai ke-12 NIK ({digits[6:12]}) bukan tanggal lahir yang "
                f"mungkin. Bagian ini berisi tanggal, bulan dan tahun lahir (DDMMYY). "
                f"{_PLUS_40} Periksa kembali pada {_DOC['nik']}.",
            )
        )
    serial = int(digits[12:])
    if serial == 0:
        found.append(
            NumberProblem(
                "nik_nomor_urut_nol",
                "Empat digit terakhir NIK (nomor urut) tidak boleh 0000. Periksa kembali "
                f"pada {_DOC['nik']}.",
            )
        )
    birth_date, sex = decoded if decoded is not None else (None, None)
    return NikCheck(
        digits, repaired.repairs, False, tuple(found), _dotted(digits), birth_date, sex, serial
    )


def _day_month_yy(day: date) -> tuple[int, int, int]:
    return day.day, day.month, day.year % 100


def nik_matches_record(
    check: NikCheck, *, birth_date: date | None, sex: int | None
) -> list[NumberProblem]:
    """Problems where the NIK disagrees with the recorded birth date or sex (1 male,
    2 female). Dates are compared on day, month and two-digit year, as the NIK cannot
    tell the century. Nothing is compared when the NIK could not be decoded."""
    if check.birth_date is None or check.sex is None or check.value is None:
        return []
    found: list[NumberProblem] = []
    nik_date = check.birth_date
    if birth_date is not None and _day_month_yy(birth_date) != _day_month_yy(nik_date):
        found.append(
            NumberProblem(
                "nik_tgl_lahir_beda",
                f"Tanggal lahir pada NIK ({nik_date:%d-%m-%y}, digit ke-7 sampai ke-12: "
                f"{check.value[6:12]}) berbeda dengan tanggal lahir tercatat "
                f"({birth_date:%d-%m-%Y}). {_PLUS_40} Periksa mana yang benar pada "
                f"{_DOC['nik']} lalu perbaiki NIK atau tanggal lahirnya.",
            )
        )
    if sex in (1, 2) and sex != check.sex:
        found.append(
            NumberProblem(
                "nik_jenis_kelamin_beda",
                f"NIK menunjukkan {_SEX_WORD[check.sex]} (tanggal pada NIK "
                f"{check.value[6:8]}), tetapi jenis kelamin tercatat {_SEX_WORD[sex]}. "
                f"{_PLUS_40} Periksa jenis kelamin dan NIK pada {_DOC['nik']}.",
            )
        )
    return found


def make_nik(kecamatan: str, birth_date: date, sex: int, serial: int) -> str:
    """Compose a NIK (for synthetic data and tests) from a kecamatan code (dotted or
    6 digits), birth date, sex (1 male, 2 female: day + 40) and serial 1-9999."""
    code = kecamatan.replace(".", "")
    if not re.fullmatch("[0-9]{6}", code):
        raise ValueError(f"kecamatan code must have 6 digits: {kecamatan!r}")
    if sex not in (1, 2):
        raise ValueError(f"sex must be 1 (male) or 2 (female): {sex!r}")
    if not 1 <= serial <= 9999:
        raise ValueError(f"serial must be 1-9999: {serial!r}")
    day = birth_date.day + (40 if sex == 2 else 0)
    return f"{code}{day:02d}{birth_date.month:02d}{birth_date.year % 100:02d}{serial:04d}"


def _codes_from_csv(text: str, source: str) -> frozenset[str]:
    reader = csv.DictReader(io.StringIO(text))
    if reader.fieldnames is None or "code" not in reader.fieldnames:
        raise ValueError(f"{source}: no 'code' column")
    codes = set()
    for row in reader:
        code = (row["code"] or "").strip()
        if re.fullmatch("[0-9]{6}", code):
            code = _dotted(code)
        if code:
            codes.add(code)
    return frozenset(codes)


@cache
def _packaged_kecamatan_codes() -> frozenset[str]:
    path = resources.files("padu.wilayah").joinpath("data").joinpath("districts.csv")
    return _codes_from_csv(path.read_text("utf-8-sig"), "padu.wilayah/data/districts.csv")


def kecamatan_codes(path_or_dir: str | Path | None = None) -> frozenset[str]:
    """Dotted kecamatan codes from a ``districts.csv`` (a file, or a folder holding one);
    by default the Jawa Tengah codes shipped in ``padu/wilayah/data``."""
    if path_or_dir is None:
        return _packaged_kecamatan_codes()
    path = Path(path_or_dir)
    if path.is_dir():
        path = path / "districts.csv"
    return _codes_from_csv(path.read_text("utf-8-sig"), str(path))


# Vectorised checks: Polars expressions only, the same rules as the functions above.


def _first_problem(conditions: list[tuple[str, pl.Expr]]) -> pl.Expr:
    expr = pl.lit(None, dtype=pl.String)
    for code, condition in reversed(conditions):
        expr = pl.when(condition.fill_null(False)).then(pl.lit(code)).otherwise(expr)
    return expr


def _base_columns(values: pl.Series, kind: str) -> tuple[pl.LazyFrame, list[tuple[str, pl.Expr]]]:
    """Repaired value plus ``digits`` (the value when 16 digits) and ``kecamatan``."""
    value = pl.col("value")
    is_digits = value.str.contains("^[0-9]+$")
    frame = (
        repair_number_column(values)
        .lazy()
        .with_columns(
            digits=pl.when(is_digits & (value.str.len_chars() == LENGTH)).then(value),
        )
        .with_columns(
            kecamatan=pl.format(
                "{}.{}.{}",
                *(pl.col("digits").str.slice(start, 2) for start in (0, 2, 4)),
            )
        )
    )
    conditions = [
        (f"{kind}_kosong", value.is_null() & ~pl.col("float_damage")),
        (f"{kind}_float_rusak", pl.col("float_damage")),
        (f"{kind}_bukan_angka", ~is_digits),
        (f"{kind}_panjang", value.str.len_chars() != LENGTH),
    ]
    return frame, conditions


def _region_condition(kind: str, known: Collection[str] | None) -> list[tuple[str, pl.Expr]]:
    if known is None:
        return []
    codes = pl.Series(list(known), dtype=pl.String).implode()
    return [(f"{kind}_wilayah_tidak_dikenal", ~pl.col("kecamatan").is_in(codes))]


def check_no_kk_column(
    values: pl.Series, *, known_kecamatan: Collection[str] | None = None
) -> pl.DataFrame:
    """Vectorised :func:`parse_no_kk`: one row per input with ``no_kk`` (repaired, null
    when empty or float-damaged), ``repaired``, ``float_damage``, ``problem`` (the first
    problem code or null) and ``kecamatan`` (dotted)."""
    frame, conditions = _base_columns(values, "kk")
    conditions += _region_condition("kk", known_kecamatan)
    return frame.select(
        no_kk=pl.col("value"),
        repaired=pl.col("repaired"),
        float_damage=pl.col("float_damage"),
        problem=_first_problem(conditions),
        kecamatan=pl.col("kecamatan"),
    ).collect()


def check_nik_column(
    values: pl.Series,
    *,
    known_kecamatan: Collection[str] | None = None,
    today: date | None = None,
) -> pl.DataFrame:
    """Vectorised :func:`parse_nik`: one row per input with ``nik`` (repaired, null when
    empty or float-damaged), ``repaired``, ``float_damage``, ``problem`` (the first problem
    code or null), ``birth_date`` (Date), ``sex`` (Int8: 1 male, 2 female) and
    ``kecamatan`` (dotted)."""
    today = today or date.today()
    frame, conditions = _base_columns(values, "nik")
    digits = pl.col("digits")
    coded = digits.str.slice(6, 2).cast(pl.Int32)
    month = digits.str.slice(8, 2).cast(pl.Int32)
    yy = digits.str.slice(10, 2).cast(pl.Int32)
    female = coded.is_between(41, 71)
    male = coded.is_between(1, 31)
    day = pl.when(female).then(coded - 40).when(male).then(coded)
    key = yy * 10000 + month * 100 + day
    today_key = today.year % 100 * 10000 + today.month * 100 + today.day
    century = today.year // 100 * 100
    year = yy + pl.when(key > today_key).then(century - 100).otherwise(century)
    frame = frame.with_columns(
        birth_date=pl.format(
            "{}-{}-{}",
            year.cast(pl.String).str.zfill(4),
            digits.str.slice(8, 2),
            day.cast(pl.String).str.zfill(2),
        ).str.to_date("%Y-%m-%d", strict=False),
        sex=pl.when(female).then(2).when(male).then(1).cast(pl.Int8),
        serial=digits.str.slice(12, 4).cast(pl.Int32),
    )
    has_digits = digits.is_not_null()
    birth = pl.col("birth_date")
    conditions += _region_condition("nik", known_kecamatan)
    conditions += [
        ("nik_tanggal_tidak_valid", has_digits & birth.is_null()),
        ("nik_nomor_urut_nol", pl.col("serial") == 0),
    ]
    return frame.select(
        nik=pl.col("value"),
        repaired=pl.col("repaired"),
        float_damage=pl.col("float_damage"),
        problem=_first_problem(conditions),
        birth_date=birth,
        sex=pl.when(birth.is_not_null()).then(pl.col("sex")),
        kecamatan=pl.col("kecamatan"),
    ).collect()
