"""Parsing of the BLT-DD page forms (plain POST fields; messages in Bahasa Indonesia)."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation

from padu.danadesa.services import DanadesaError


def people(text: str) -> list[dict[str, str]]:
    """``Nama - Jabatan`` per line."""
    out = []
    for line in (text or "").splitlines():
        if line.strip():
            nama, _, jabatan = line.partition(" - ")
            out.append({"nama": nama.strip(), "jabatan": jabatan.strip()})
    return out


def rupiah(text: str, what: str) -> int:
    cleaned = re.sub(r"(?i)rp|[\s.]", "", text or "")
    if not cleaned.isdigit():
        raise DanadesaError(f"{what} harus angka rupiah tanpa desimal, mis. 1250000000.")
    return int(cleaned)


def persen(text: str) -> Decimal | None:
    if not (text or "").strip():
        return None
    try:
        return Decimal(text.replace(",", ".").replace("%", "").strip())
    except InvalidOperation:
        raise DanadesaError("Porsi BLT-DD harus angka persen, mis. 15.") from None


def tanggal(text: str, what: str, *, wajib: bool = True) -> dt.date | None:
    if not (text or "").strip():
        if wajib:
            raise DanadesaError(f"Isi {what}.")
        return None
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise DanadesaError(f"{what} tidak valid; pilih tanggal dari kalender.") from None


def tahun(value: str | int) -> int:
    try:
        year = int(value)
    except (TypeError, ValueError):
        raise DanadesaError("Tahun harus empat angka, mis. 2025.") from None
    if not 2000 <= year <= 2100:
        raise DanadesaError("Tahun harus empat angka, mis. 2025.")
    return year
