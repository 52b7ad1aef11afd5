"""Reading the kabupaten's Dana Desa file and bank or village payment lists (no Django).

Files are read by the intake reader (CSV or XLSX, header row found, row numbers as the user
sees them). Every problem names the file, the row and the column, in Bahasa Indonesia; a
file with any problem gives no rows, so nothing is half-imported.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from padu.engine.intake.reader import ROW, FileReadError, inspect_file, iter_chunks

MAX_PESAN = 50


def _kunci(header: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", header.lower()).strip()


@dataclass(frozen=True)
class Kolom:
    nama: str  # key used by the caller
    judul: tuple[str, ...]  # accepted headers (normalised), the first one shown in messages
    wajib: bool = True


PAGU = (
    Kolom("kode_desa", ("kode desa", "kode wilayah", "kode desa kelurahan", "kode")),
    Kolom("pagu", ("pagu dana desa", "pagu", "dana desa", "pagu dd")),
    Kolom("persen_blt", ("porsi blt dd", "porsi blt", "persen blt", "persen blt dd"), wajib=False),
)
PEMBAYARAN = (
    Kolom("no_kk", ("no kk", "nomor kk", "no kk kpm")),
    Kolom("bulan", ("bulan",)),
    Kolom("tanggal", ("tanggal salur", "tanggal", "tgl salur")),
    Kolom("cara", ("cara salur", "cara", "metode")),
    Kolom("jumlah", ("jumlah", "nilai", "jumlah rp")),
)


class BerkasError(ValueError):
    """Problems in a file; ``pesan`` lists them one per line."""

    def __init__(self, pesan: list[str], mentah: list[dict[str, Any]] | None = None) -> None:
        self.pesan = pesan
        self.mentah = mentah or []  # the rows as read (kept with the refused import)
        more = f"\n... dan {len(pesan) - MAX_PESAN} masalah lain." if len(pesan) > MAX_PESAN else ""
        super().__init__("\n".join(pesan[:MAX_PESAN]) + more)


def _baca(
    path: Path, nama: str, kolom: tuple[Kolom, ...]
) -> tuple[list[dict[str, Any]], dict[str, str]]:
    known = {j for k in kolom for j in k.judul}
    try:
        layout = inspect_file(path, lambda h: _kunci(h) in known)
    except FileReadError as error:
        raise BerkasError([f"{nama}: {error}"]) from None
    by_key = {_kunci(h): h for h in layout.headers}
    found: dict[str, str] = {}
    missing = []
    for k in kolom:
        header = next((by_key[j] for j in k.judul if j in by_key), None)
        if header is not None:
            found[k.nama] = header
        elif k.wajib:
            missing.append(f"'{k.judul[0]}'")
    if missing:
        where = f"baris {layout.header_line}"
        raise BerkasError(
            [
                f"{nama}: kolom {', '.join(missing)} tidak ada di baris judul ({where}). "
                "Tambahkan kolomnya atau perbaiki judulnya."
            ]
        )
    rows = []
    for chunk in iter_chunks(layout):
        for r in chunk.iter_rows(named=True):
            values = {k: r.get(h) for k, h in found.items()}
            if any(v not in (None, "") for v in values.values()):
                rows.append({ROW: r[ROW], **values})
    return rows, found


def _rupiah(text: str) -> int:
    cleaned = re.sub(r"(?i)rp|\s", "", text)
    if re.fullmatch(r"\d{1,3}([.,]\d{3})+", cleaned):
        cleaned = re.sub(r"[.,]", "", cleaned)
    value = Decimal(cleaned.replace(",", "."))
    if value != value.to_integral_value() or value < 0:
        raise InvalidOperation
    return int(value)


def _kode_desa(text: str) -> str:
    digits = re.sub(r"\D", "", text)
    if len(digits) != 10:
        raise ValueError
    return f"{digits[:2]}.{digits[2:4]}.{digits[4:6]}.{digits[6:]}"


def _persen(text: str) -> Decimal:
    value = Decimal(text.replace("%", "").replace(",", ".").strip())
    if not Decimal(0) <= value <= Decimal(100):
        raise InvalidOperation
    return value


def _tanggal(text: str) -> date:
    m = re.fullmatch(r"(\d{1,2})[/-](\d{1,2})[/-](\d{4})", text)
    if m:
        return date(int(m[3]), int(m[2]), int(m[1]))
    return date.fromisoformat(text[:10])


def _bulan(text: str) -> int:
    value = int(text)
    if not 1 <= value <= 12:
        raise ValueError
    return value


def _cara(text: str) -> str:
    value = text.strip().lower()
    if value not in {"tunai", "transfer"}:
        raise ValueError
    return value


def _no_kk(text: str) -> str:
    digits = re.sub(r"\D", "", text.lstrip("'"))
    if len(digits) != 16:
        raise ValueError
    return digits


_PARSE: dict[str, tuple[Callable[[str], Any], str]] = {
    "kode_desa": (_kode_desa, "kode desa harus 10 angka Kemendagri, mis. 33.16.01.2001"),
    "pagu": (_rupiah, "tulis pagu dalam rupiah tanpa desimal, mis. 1250000000"),
    "persen_blt": (_persen, "tulis porsi dalam persen 0-100, mis. 15"),
    "no_kk": (_no_kk, "No. KK harus 16 angka (tulis sebagai teks agar angka tidak berubah)"),
    "bulan": (_bulan, "bulan harus angka 1-12"),
    "tanggal": (_tanggal, "tulis tanggal sebagai 2026-03-25 atau 25/03/2026"),
    "cara": (_cara, "cara salur harus 'tunai' atau 'transfer'"),
    "jumlah": (_rupiah, "tulis jumlah dalam rupiah tanpa desimal, mis. 300000"),
}


def _parse(path: Path, nama: str, kolom: tuple[Kolom, ...]) -> list[dict[str, Any]]:
    rows, headers = _baca(path, nama, kolom)
    wajib = {k.nama for k in kolom if k.wajib}
    out, pesan = [], []
    for r in rows:
        parsed: dict[str, Any] = {
            "baris": r[ROW],
            "mentah": {header: r.get(key) for key, header in headers.items()},
        }
        for key, header in headers.items():
            text = r.get(key)
            if text in (None, ""):
                if key in wajib:
                    pesan.append(f"{nama} baris {r[ROW]}, kolom '{header}': kosong; isi nilainya.")
                parsed[key] = None
                continue
            fn, hint = _PARSE[key]
            try:
                parsed[key] = fn(str(text))
            except (ValueError, InvalidOperation):
                pesan.append(
                    f"{nama} baris {r[ROW]}, kolom '{header}': '{text}' tidak dapat dibaca; {hint}."
                )
        out.append(parsed)
    if not out and not pesan:
        pesan.append(f"{nama}: tidak ada baris data di bawah judul kolom.")
    if pesan:
        raise BerkasError(pesan, mentah(out))
    return out


def mentah(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The rows as read, with their row numbers: what an import keeps (nothing is lost)."""
    return [{"baris": r["baris"], **r["mentah"]} for r in rows]


def baca_pagu(path: Path, nama: str) -> list[dict[str, Any]]:
    """Rows ``{baris, mentah, kode_desa, pagu, persen_blt}``; a desa twice is an error."""
    rows = _parse(path, nama, PAGU)
    seen: dict[str, int] = {}
    pesan = []
    for r in rows:
        if r["kode_desa"] in seen:
            pesan.append(
                f"{nama} baris {r['baris']}, kolom 'kode desa': desa {r['kode_desa']} sudah ada di "
                f"baris {seen[r['kode_desa']]}; satu desa satu baris."
            )
        seen.setdefault(r["kode_desa"], r["baris"])
    if pesan:
        raise BerkasError(pesan, mentah(rows))
    return rows


def baca_pembayaran(path: Path, nama: str) -> list[dict[str, Any]]:
    """Rows ``{baris, mentah, no_kk, bulan, tanggal, cara, jumlah}``."""
    return _parse(path, nama, PEMBAYARAN)
