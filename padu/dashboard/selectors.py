"""Reads for the region and home pages on behalf of a user: scoped first (access.py), then
counted. Aggregates (counts, quality scores) are shown for every region the user has;
names and lists of work (imports, quality worklists) only where it sees personal data."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from padu.accounts import access
from padu.intake.models import ImportRun
from padu.intake.selectors import may_import, runs_needing_attention
from padu.quality.selectors import RegionQuality, quality_by_region
from padu.registry.selectors import region_counts
from padu.wilayah.models import Desa, Kabupaten, Kecamatan, Provinsi, Region

KEYS = ("keluarga", "orang", "pkh")
LEVELS: dict[int, type[Region]] = {2: Provinsi, 5: Kabupaten, 8: Kecamatan, 13: Desa}


def visible_regions(user: Any, regions: Any) -> list[Any]:
    """The regions whose aggregates the user may see; the others are left out of lists
    (never shown as zeros)."""
    return [r for r in regions if access.can_see_region(user, r.code, personal_data=False)]


def region_named(code: str) -> Region | None:
    """The province, kabupaten, kecamatan or desa with this code (``33.16.`` or ``33.16``)."""
    code = code.rstrip(".")
    model = LEVELS.get(len(code))
    return model.objects.filter(code=code).first() if model else None  # type: ignore[attr-defined]


@dataclass
class RegionSummary:
    """One region of a user's home: its counts, quality and imports needing attention."""

    code: str
    region: Region | None
    counts: dict[str, int]
    quality: RegionQuality | None
    personal: bool
    imports: list[ImportRun] = field(default_factory=list)

    @property
    def level(self) -> int:
        return len(self.code)

    @property
    def galat(self) -> int:
        return self.quality.galat if self.quality else 0

    @property
    def keluarga_bergalat(self) -> int:
        q = self.quality
        return max(q.keluarga - q.bersih, 0) if q else 0

    @property
    def skor(self) -> float | None:
        return self.quality.skor if self.quality else None


def region_summary(user: Any, code: str, *, own_runs: bool = False) -> RegionSummary:
    """Counts, quality and imports to fix for one region (a code or a prefix) of the user.
    ``own_runs``: the region is the user's only home, so the user's own runs without an
    owner region count too."""
    code = code.rstrip(".")
    prefix = code if len(code) == 13 else code + "."
    counts = region_counts(user, prefix=prefix, level_length=len(code)).get(
        code, dict.fromkeys(KEYS, 0)
    )
    quality = quality_by_region(user, prefix, len(code)).get(code)
    personal = access.can_see_region(user, code)
    imports: list[ImportRun] = []
    if personal:
        runs = runs_needing_attention(user, region=None if own_runs else prefix)
        imports = list(runs[:20])
    return RegionSummary(code, region_named(code), counts, quality, personal, imports)


def home_summaries(user: Any, prefixes: list[str]) -> list[RegionSummary]:
    """One summary per home region of a user with several (the chooser page)."""
    return [region_summary(user, p) for p in prefixes]


def may_import_into(user: Any, code: str) -> bool:
    """Show the import button on a desa page: the user may change data there."""
    return may_import(user) and access.can_write_region(user, code)


def aggregate_latest(user: Any, code: str, month: Any = None) -> Any:
    """The region's aggregate of ``month`` (default the latest), or None; only for a user
    who sees all of the region (its totals)."""
    from padu.dashboard.models import Agregat

    if not access.sees_whole_region(user, code):
        return None
    rows = Agregat.objects.filter(kode=code).order_by("-bulan")
    return (rows.filter(bulan=month) if month is not None else rows).first()


def aggregate_children(user: Any, code: str, month: Any) -> list[dict[str, Any]]:
    """Every child region of ``code`` the user may see, in code order, with its counts of
    ``month`` (``{kode, nama, nilai}``); a child without an aggregate has no families (its
    counts are zero, its shares none)."""
    from padu.dashboard.models import Agregat

    length = {2: 5, 5: 8, 8: 13}.get(len(code))
    if length is None:
        return []
    model = LEVELS[length]
    names = dict(
        model.objects.filter(code__startswith=code + ".").values_list("code", "name")  # type: ignore[attr-defined]
    )
    stored = dict(Agregat.objects.filter(bulan=month, induk=code).values_list("kode", "nilai"))
    return [
        {"kode": kode, "nama": nama, "nilai": stored.get(kode, {})}
        for kode, nama in sorted(names.items())
        if access.can_see_region(user, kode, personal_data=False)
    ]


def aggregate_history(user: Any, code: str, upto: Any, months: int = 24) -> list[Any]:
    """The region's aggregates up to ``upto``, oldest first (at most ``months``)."""
    from padu.dashboard.models import Agregat

    if not access.sees_whole_region(user, code):
        return []
    rows = Agregat.objects.filter(kode=code, bulan__lte=upto).order_by("-bulan")[:months]
    return list(rows)[::-1]
