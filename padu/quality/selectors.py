"""Reads of quality results on behalf of a user: scoped first (access.py), then filtered.

Scores: the share of families with no error-severity finding (on the family or any member),
and error counts by rule, per family, desa, kecamatan or kabupaten (a code prefix).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Case, Count, IntegerField, QuerySet, Value, When
from django.db.models.functions import Substr

from padu.accounts import access
from padu.quality.models import CheckRun, Finding, Rule
from padu.registry.models import Keluarga

SEVERITY_ORDER = Case(
    When(severity="error", then=Value(0)),
    When(severity="warning", then=Value(1)),
    default=Value(2),
    output_field=IntegerField(),
)


@dataclass
class RegionQuality:
    keluarga: int = 0
    bersih: int = 0  # families without any error-severity finding
    galat: int = 0
    peringatan: int = 0
    info: int = 0
    galat_per_aturan: dict[str, int] = field(default_factory=dict)

    @property
    def skor(self) -> float | None:
        """Share of families with no error, 0-100; None when the region has no family."""
        return round(100 * self.bersih / self.keluarga, 1) if self.keluarga else None

    @property
    def aturan_teratas(self) -> list[tuple[str, int]]:
        return sorted(self.galat_per_aturan.items(), key=lambda kv: (-kv[1], kv[0]))[:3]


def _findings(user: Any, prefix: str, *, personal_data: bool) -> QuerySet[Finding]:
    return access.scope_by_region(
        Finding.objects.filter(kode_desa__startswith=prefix, keluarga__deleted_at__isnull=True),
        user,
        "kode_desa",
        personal_data=personal_data,
    )


def quality_by_region(user: Any, prefix: str, level_length: int) -> dict[str, RegionQuality]:
    """Quality per region code (the first ``level_length`` characters of the desa code:
    5 kabupaten, 8 kecamatan, 13 desa) within ``prefix``. Aggregates only, so every role
    that has the region sees them."""
    code = Substr("kode_desa", 1, level_length)
    families = access.scope_by_region(
        Keluarga.objects.filter(kode_desa__startswith=prefix),
        user,
        "kode_desa",
        personal_data=False,
    )
    result: dict[str, RegionQuality] = {}
    for row in families.values(code=code).annotate(n=Count("id")):
        result[row["code"]] = RegionQuality(keluarga=row["n"], bersih=row["n"])
    findings = _findings(user, prefix, personal_data=False)
    errors = findings.filter(severity="error")
    for row in errors.values(code=code).annotate(k=Count("keluarga_id", distinct=True)):
        region = result.setdefault(row["code"], RegionQuality())
        region.bersih = max(region.keluarga - row["k"], 0)
    for row in findings.values("severity", code=code).annotate(n=Count("id")):
        region = result.setdefault(row["code"], RegionQuality())
        name = {"error": "galat", "warning": "peringatan"}.get(row["severity"], "info")
        setattr(region, name, row["n"])
    for row in errors.values("rule", code=code).annotate(n=Count("id")):
        result[row["code"]].galat_per_aturan[row["rule"]] = row["n"]
    return result


def keluarga_quality(user: Any, keluarga_id: int) -> list[Finding]:
    """The findings of one family the user may see (personal data), worst first."""
    return list(
        access.scope_by_region(
            Finding.objects.filter(keluarga_id=keluarga_id), user, "kode_desa"
        ).order_by(SEVERITY_ORDER, "person_id", "rule")
    )


def worklist(user: Any, desa: str, *, severity: str = "", rule: str = "") -> QuerySet[Finding]:
    """What to fix in one desa, errors first, then by family and member; optional filters."""
    qs = _findings(user, desa, personal_data=True).filter(kode_desa=desa)
    if severity:
        qs = qs.filter(severity=severity)
    if rule:
        qs = qs.filter(rule=rule)
    return qs.select_related("keluarga", "person").order_by(
        SEVERITY_ORDER, "keluarga_id", "person_id", "rule", "id"
    )


def worklist_rules(user: Any, desa: str) -> list[tuple[str, int]]:
    """Rules with findings in the desa and how many, for the filter list."""
    rows = _findings(user, desa, personal_data=True).filter(kode_desa=desa)
    return [
        (r["rule"], r["n"]) for r in rows.values("rule").annotate(n=Count("id")).order_by("rule")
    ]


def rules_for_display() -> QuerySet[Rule]:
    return Rule.objects.all()


def last_run() -> CheckRun | None:
    return CheckRun.objects.order_by("-started_at", "-id").first()


def may_run_check(user: Any) -> bool:
    """A check of the whole register changes findings everywhere: province-wide writers
    (admin provinsi, superusers) only."""
    return getattr(user, "is_authenticated", False) and access.write_prefixes(user) is access.ALL
