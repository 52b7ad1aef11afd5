"""Repair of identity numbers (NIK, No. KK) damaged by spreadsheets (no Django).

Only damage that can be undone without guessing is repaired:

- ``apostrof_awal``: a leading apostrophe (Excel's "this is text" marker; also ‘ and ’);
- ``spasi``: spaces anywhere, including non-breaking, thin, zero-width spaces and tabs;
- ``titik``: dots used as group separators (``3316.0101.0190.0001``);
- ``tanda_hubung``: hyphens used as group separators (``3316-0101-0190-0001``); only
  between digits, so a leading minus sign is never taken for one;
- ``akhiran_.0``: a trailing ``.0`` (or ``,0``) from a float cell that kept every digit
  (``3316010101900001.0``), or a Python float below 1e15 with no fraction;
- ``angka_bulat``: a Python int (an XLSX number cell). NIK and No. KK never start with 0,
  so no leading zero can have been lost.

What cannot be undone is flagged with ``float_damage`` and the value is ``None``, never
guessed:

- scientific notation (``3.31601E+15``, ``3,31601E+15``, ``3.316010101900001e15``), even
  when the mantissa happens to hold 16 digits: the reader cannot know it held them all;
- a Python float >= 1e15 (or with a fraction, or infinite): a spreadsheet keeps only about
  15 significant digits (Excel exactly 15) and a float64 cannot even hold every integer
  above 2**53, so the last digit of a 16-digit number is unknowable;
- text ``X.0`` with X above 2**53 (NIKs of Papua, provinces 91-97): the ``.0`` shows the
  number went through a float, which cannot hold every integer that large.

The same rules run per value (:func:`repair_number`) and vectorised over a Polars column
(:func:`repair_number_column`); tests check that both agree.
"""

from __future__ import annotations

import math
import numbers
import re
from dataclasses import dataclass

import polars as pl

__all__ = [
    "REPAIR_LABELS",
    "RepairedNumber",
    "repair_number",
    "repair_number_column",
]

#: Machine code -> Bahasa Indonesia description, in the order codes are reported.
REPAIR_LABELS: dict[str, str] = {
    "apostrof_awal": "tanda petik (') di awal dihapus",
    "spasi": "spasi dihapus",
    "angka_bulat": "sel berformat angka diubah menjadi teks",
    "akhiran_.0": "akhiran .0 dari sel angka dihapus",
    "titik": "titik pemisah kelompok angka dihapus",
    "tanda_hubung": "tanda hubung pemisah kelompok angka dihapus",
}

# Written with escapes both Python's ``re`` and Polars' Rust regex understand, and
# ASCII [0-9] rather than \d (which is Unicode-wide in both engines).
_WHITESPACE = (
    r"[\t\n\x0b\x0c\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
    r"\u200b\u2060\ufeff]"
)
_APOSTROPHE = r"^['\u2018\u2019]"
_HYPHENS = r"\-\u2010\u2011\u2013"
_SCIENTIFIC = r"[+-]?[0-9]+(?:[.,][0-9]*)?[eE][+-]?[0-9]+"
_TRAILING_ZERO = r"[0-9]+[.,]0"
_GROUPED = r"[0-9]+(?:[." + _HYPHENS + r"][0-9]+)+"

_FLOAT_LIMIT = 1e15
_EXACT_LIMIT = 2**53  # float64 holds every integer up to here, not beyond
_EXACT_LIMIT_TEXT = str(_EXACT_LIMIT)

_whitespace_re = re.compile(_WHITESPACE)
_apostrophe_re = re.compile(_APOSTROPHE)
_hyphen_re = re.compile("[" + _HYPHENS + "]")
_separator_re = re.compile("[." + _HYPHENS + "]")


@dataclass(frozen=True)
class RepairedNumber:
    """An identity number after spreadsheet repair.

    ``value`` is the cleaned text (not necessarily valid: length and digits are checked
    by the caller), ``None`` when the cell was empty or has ``float_damage``.
    ``repairs`` lists the repair codes applied (empty when ``value`` is ``None``).
    """

    value: str | None
    repairs: tuple[str, ...] = ()
    float_damage: bool = False


_EMPTY = RepairedNumber(None)
_DAMAGED = RepairedNumber(None, float_damage=True)


def _ordered(codes: set[str]) -> tuple[str, ...]:
    return tuple(code for code in REPAIR_LABELS if code in codes)


def _repair_float(raw: float) -> RepairedNumber:
    if math.isnan(raw):
        return _EMPTY
    if not math.isfinite(raw) or abs(raw) >= _FLOAT_LIMIT or not raw.is_integer():
        return _DAMAGED
    return RepairedNumber(str(int(raw)), ("akhiran_.0",))


def repair_number(raw: object) -> RepairedNumber:
    """Repair an identity number read from a file or spreadsheet cell.

    >>> repair_number("'3316 0101.0190.0001")
    RepairedNumber(value='3316010101900001', repairs=('apostrof_awal', 'spasi', 'titik'), \
float_damage=False)
    >>> repair_number("3,31601E+15")
    RepairedNumber(value=None, repairs=(), float_damage=True)
    """
    if raw is None:
        return _EMPTY
    if isinstance(raw, float):
        return _repair_float(raw)
    if isinstance(raw, numbers.Integral) and not isinstance(raw, bool):
        return RepairedNumber(str(int(raw)), ("angka_bulat",))
    text = raw if isinstance(raw, str) else str(raw)
    done: set[str] = set()
    cleaned = _whitespace_re.sub("", text)
    if cleaned != text:
        done.add("spasi")
    if _apostrophe_re.match(cleaned):
        cleaned = cleaned[1:]
        done.add("apostrof_awal")
    if not cleaned:
        return _EMPTY
    if re.fullmatch(_SCIENTIFIC, cleaned):
        return _DAMAGED
    if re.fullmatch(_TRAILING_ZERO, cleaned):
        cleaned = cleaned[:-2]
        if int(cleaned) > _EXACT_LIMIT:
            return _DAMAGED
        done.add("akhiran_.0")
    elif re.fullmatch(_GROUPED, cleaned):
        if "." in cleaned:
            done.add("titik")
        if _hyphen_re.search(cleaned):
            done.add("tanda_hubung")
        cleaned = _separator_re.sub("", cleaned)
    return RepairedNumber(cleaned, _ordered(done))


def _full(pattern: str) -> str:
    return f"^(?:{pattern})$"


def repair_number_column(values: pl.Series) -> pl.DataFrame:
    """Vectorised :func:`repair_number`: Polars expressions only, one row per input.

    Returns the columns ``value`` (String), ``repaired`` (Boolean: some repair applied)
    and ``float_damage`` (Boolean). String, integer and float columns follow exactly the
    per-value rules; any other dtype (Null, Boolean, Decimal, ...) is cast to String
    first.
    """
    dtype = values.dtype
    frame = pl.DataFrame({"raw": values})
    raw = pl.col("raw")
    if dtype.is_integer():
        return frame.select(
            value=raw.cast(pl.String), repaired=raw.is_not_null(), float_damage=pl.lit(False)
        )
    if dtype.is_float():
        empty = raw.is_null() | raw.is_nan()
        damaged = ~empty & (~raw.is_finite() | (raw.abs() >= _FLOAT_LIMIT) | (raw != raw.floor()))
        ok = ~empty & ~damaged
        return frame.select(
            value=pl.when(ok).then(raw.cast(pl.Int64).cast(pl.String)),
            repaired=ok,
            float_damage=damaged,
        )

    # Intermediate results are materialised column by column so no regex runs twice.
    text = raw if dtype == pl.String else raw.cast(pl.String, strict=False)
    spaced, cleaned, significant = pl.col("spaced"), pl.col("cleaned"), pl.col("significant")
    trailing, grouped = pl.col("trailing"), pl.col("grouped")
    staged = (
        frame.lazy()
        .with_columns(text=text, spaced=text.str.replace_all(_WHITESPACE, ""))
        .with_columns(
            changed=(spaced != pl.col("text")) | spaced.str.contains(_APOSTROPHE),
            cleaned=spaced.str.replace(_APOSTROPHE, ""),
        )
        .with_columns(
            empty=cleaned.is_null() | (cleaned == ""),
            scientific=cleaned.str.contains(_full(_SCIENTIFIC)),
            trailing=cleaned.str.contains(_full(_TRAILING_ZERO)),
            grouped=cleaned.str.contains(_full(_GROUPED)),
            significant=cleaned.str.replace(r"[.,]0$", "").str.strip_chars_start("0"),
        )
        .with_columns(
            too_big=(significant.str.len_chars() > 16)
            | ((significant.str.len_chars() == 16) & (significant > _EXACT_LIMIT_TEXT))
        )
        .with_columns(
            damaged=~pl.col("empty") & (pl.col("scientific") | (trailing & pl.col("too_big")))
        )
        .with_columns(ok=~pl.col("empty") & ~pl.col("damaged"))
    )
    ok = pl.col("ok")
    value = (
        pl.when(~ok)
        .then(pl.lit(None, dtype=pl.String))
        .when(trailing)
        .then(cleaned.str.replace(r"[.,]0$", ""))
        .when(grouped)
        .then(cleaned.str.replace_all(_separator_re.pattern, ""))
        .otherwise(cleaned)
    )
    repaired = pl.col("changed") | trailing | grouped
    return staged.select(
        value=value,
        repaired=(ok & repaired).fill_null(False),
        float_damage=pl.col("damaged").fill_null(False),
    ).collect()
