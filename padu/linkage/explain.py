"""Readable explanations of a scored pair: each comparison level (Splink's ``gamma_*``
value) as a short label in Bahasa Indonesia, and whether it is agreement, partial
agreement or disagreement (pages colour them).

The levels follow ``padu/engine/linkage/model.py`` from the highest value down (``-1`` is
a blank field); ``tests/linkage/test_explain.py`` checks the two stay in step.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

SAMA, MIRIP, BEDA, KOSONG = "sama", "mirip", "beda", "kosong"

# column -> labels from the highest level value down to 0 (with their kind)
LEVELS: dict[str, list[tuple[str, str]]] = {
    "nik": [
        ("NIK sama", SAMA),
        ("NIK beda satu digit nomor urut (bisa kembar)", MIRIP),
        ("NIK beda satu digit atau dua digit tertukar", MIRIP),
        ("NIK rusak (angka ilmiah), awalannya sama", MIRIP),
        ("NIK beda", BEDA),
    ],
    "nama": [
        ("nama sama", SAMA),
        ("nama sama bunyi", SAMA),
        ("nama depan sama, nama mirip", MIRIP),
        ("nama sangat mirip", MIRIP),
        ("nama yang satu termuat di yang lain", MIRIP),
        ("nama agak mirip", MIRIP),
        ("nama beda", BEDA),
    ],
    "tgl": [
        ("tanggal lahir sama", SAMA),
        ("tanggal lahir sama (tanggal bawaan 1 Jan/1 Jul)", MIRIP),
        ("tanggal lahir tertukar hari/bulan atau cocok dengan NIK", MIRIP),
        ("tahun lahir sama, satu tanggal bawaan", MIRIP),
        ("tanggal lahir beda satu angka", MIRIP),
        ("tanggal lahir beda", BEDA),
    ],
    "jk": [("jenis kelamin sama", SAMA), ("jenis kelamin beda", BEDA)],
    "desa": [("desa sama", SAMA), ("kecamatan sama", MIRIP), ("wilayah beda", BEDA)],
    "rt_rw": [("RT/RW sama", SAMA), ("RT/RW beda", BEDA)],
    "kk": [("No. KK sama", SAMA), ("No. KK beda", BEDA)],
    "ibu": [("nama ibu sama", SAMA), ("nama ibu mirip", MIRIP), ("nama ibu beda", BEDA)],
}
BLANK = {
    "nik": "NIK kosong",
    "nama": "nama kosong",
    "tgl": "tanggal lahir kosong",
    "jk": "jenis kelamin kosong",
    "desa": "desa kosong",
    "rt_rw": "RT/RW kosong",
    "kk": "No. KK kosong",
    "ibu": "nama ibu kosong",
}
COLUMNS = list(LEVELS)


@dataclass(frozen=True)
class Reason:
    column: str
    label: str
    kind: str  # sama, mirip, beda, kosong


def level_label(column: str, value: int | None) -> Reason:
    """The label of one comparison level (unknown values say so, never fail)."""
    levels = LEVELS.get(column)
    if levels is None or value is None or value < 0:
        return Reason(column, BLANK.get(column, f"{column} kosong"), KOSONG)
    index = len(levels) - 1 - int(value)
    if not 0 <= index < len(levels):
        return Reason(column, f"{column}: tingkat {value}", MIRIP)
    label, kind = levels[index]
    return Reason(column, label, kind)


def explain(gammas: dict[str, Any] | None) -> list[Reason]:
    """Every compared field of a pair, in a fixed order, blanks last."""
    if not gammas:
        return []
    reasons = [level_label(c, _int(gammas.get(c))) for c in COLUMNS if c in gammas]
    return sorted(reasons, key=lambda r: r.kind == KOSONG)


def agreed(gammas: dict[str, Any] | None) -> list[str]:
    """Only what agreed fully or partly (the short explanation of a link)."""
    return [r.label for r in explain(gammas) if r.kind in (SAMA, MIRIP)]


def _int(value: Any) -> int | None:
    try:
        return None if value is None else int(value)
    except (TypeError, ValueError):
        return None
