"""Indonesian dates and number words, and text cleaning for PDF, DOCX and XLSX.

Day and month names are written here, so no locale has to be installed on the server.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date

from padu.core.formatting import BULAN

HARI = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")


def nama_hari(d: date) -> str:
    """``date(2026, 12, 7)`` -> ``"Senin"``."""
    return HARI[d.weekday()]


def tanggal_panjang(d: date) -> str:
    """``date(2026, 12, 7)`` -> ``"7 Desember 2026"``."""
    return f"{d.day} {BULAN[d.month - 1]} {d.year}"


def hari_tanggal(d: date) -> str:
    """``date(2026, 12, 7)`` -> ``"Senin, 7 Desember 2026"``."""
    return f"{nama_hari(d)}, {tanggal_panjang(d)}"


_SATUAN = (
    "",
    "satu",
    "dua",
    "tiga",
    "empat",
    "lima",
    "enam",
    "tujuh",
    "delapan",
    "sembilan",
    "sepuluh",
    "sebelas",
)


def terbilang(n: int) -> str:
    """Number in Indonesian words: ``12`` -> ``"dua belas"``, ``0`` -> ``"nol"``."""
    if n < 0:
        return "minus " + terbilang(-n)
    if n == 0:
        return "nol"
    return _terbilang(n).strip()


def _terbilang(n: int) -> str:
    if n < 12:
        return _SATUAN[n]
    if n < 20:
        return _terbilang(n - 10) + " belas"
    if n < 100:
        return (_terbilang(n // 10) + " puluh " + _terbilang(n % 10)).strip()
    if n < 200:
        return ("seratus " + _terbilang(n - 100)).strip()
    if n < 1000:
        return (_terbilang(n // 100) + " ratus " + _terbilang(n % 100)).strip()
    if n < 2000:
        return ("seribu " + _terbilang(n - 1000)).strip()
    for besar, nama in ((10**12, "triliun"), (10**9, "miliar"), (10**6, "juta"), (10**3, "ribu")):
        if n >= besar:
            return (_terbilang(n // besar) + f" {nama} " + _terbilang(n % besar)).strip()
    raise AssertionError(n)  # pragma: no cover


def angka_terbilang(n: int) -> str:
    """``12`` -> ``"12 (dua belas)"``, the way letters write counts."""
    return f"{n} ({terbilang(n)})"


# Characters that are not XML 1.0 (DOCX and XLSX refuse them); tab and newline are kept.
_KONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")


def bersihkan(teks: object) -> str:
    """Any value as clean text: ``None`` -> ``""``, control characters removed."""
    if teks is None:
        return ""
    return _KONTROL.sub("", str(teks))


# Common typography outside latin-1, written the way a typist would.
_GANTI = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u2013": "-",
        "\u2014": "-",
        "\u2212": "-",
        "\u2026": "...",
        "\u2022": "-",
        "\u2192": "->",
        "\u2190": "<-",
        "\u20ac": "EUR",
        "\u2122": "TM",
        "\u00a0": " ",
        "\u200b": "",
        "\u200c": "",
        "\u200d": "",
        "\u2060": "",
        "\ufeff": "",
    }
)


def latin1(teks: object) -> str:
    """Text the PDF core fonts can print: outside latin-1, accents are dropped
    (``"ā"`` -> ``"a"``), typographic marks are made plain, symbols and emoji are removed
    and anything else becomes ``"?"``. Never raises."""
    s = bersihkan(teks).translate(_GANTI)
    if s.isascii():
        return s
    keluar: list[str] = []
    dibuang = False
    for ch in s:
        if ord(ch) < 256:
            keluar.append(ch)
            continue
        dasar = "".join(
            c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c)
        )
        if dasar and all(ord(c) < 256 for c in dasar):
            keluar.append(dasar)
        elif unicodedata.category(ch) in ("So", "Sk", "Cf", "Mn", "Me", "Cs", "Co"):
            dibuang = True  # emoji, symbols, joiners, variation selectors: drop
        else:
            keluar.append("?")
    hasil = "".join(keluar)
    # "Budi 😀 Santoso" -> "Budi Santoso", not "Budi  Santoso".
    return re.sub(r"(?<=\S) {2,}(?=\S)", " ", hasil) if dibuang else hasil
