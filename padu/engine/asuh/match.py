"""Suggesting foster parents for a child (framework-free): sponsors with room left whose
reach covers the child's place, nearest in the region hierarchy first, then those covering
more of the child's needs, then those with more room. A person confirms every match."""

from __future__ import annotations

from dataclasses import dataclass

REACH = {"desa": 0, "kecamatan": 1, "kabupaten": 2, "provinsi": 3}
DISTANCE_NAMES = {0: "desa yang sama", 1: "kecamatan yang sama", 2: "kabupaten yang sama",
                  3: "kabupaten lain"}  # fmt: skip


@dataclass(frozen=True)
class Sponsor:
    id: int
    kode_desa: str
    jangkauan: str
    sisa: int  # children it can still take
    kebutuhan: frozenset[str]  # needs it supports; empty = any


@dataclass(frozen=True)
class Suggestion:
    sponsor: Sponsor
    jarak: int
    dibantu: tuple[str, ...]  # the child's needs this sponsor covers

    @property
    def alasan(self) -> str:
        needs = ", ".join(self.dibantu) if self.dibantu else "semua kebutuhan"
        return (
            f"{DISTANCE_NAMES[self.jarak]}; membantu {needs}; sanggup {self.sponsor.sisa} anak lagi"
        )


def distance(a: str, b: str) -> int:
    """0 same desa, 1 same kecamatan, 2 same kabupaten, 3 elsewhere in the province."""
    if a == b:
        return 0
    if a[:8] == b[:8]:
        return 1
    if a[:5] == b[:5]:
        return 2
    return 3


def suggest(kode_desa: str, needs: list[str], sponsors: list[Sponsor]) -> list[Suggestion]:
    out = []
    for s in sponsors:
        if s.sisa <= 0:
            continue
        d = distance(kode_desa, s.kode_desa)
        if d > REACH.get(s.jangkauan, 0):
            continue
        covered = tuple(n for n in needs if not s.kebutuhan or n in s.kebutuhan)
        if needs and not covered:
            continue
        out.append(Suggestion(s, d, covered))
    out.sort(key=lambda x: (x.jarak, -len(x.dibantu), -x.sponsor.sisa, x.sponsor.id))
    return out
