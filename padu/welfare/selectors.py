"""Reads of the welfare app on behalf of a user: scoped first through access.py."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import polars as pl
from django.db.models import QuerySet
from django.utils import timezone

from padu.accounts import access
from padu.engine.pmt import eligibility, score
from padu.registry.models import Keluarga
from padu.welfare import services, snapshot
from padu.welfare.models import (
    AngkaKemiskinanBps,
    EligibilityRule,
    EstimasiKemiskinan,
    KeluargaScore,
    PmtModel,
)

DESIL_LABELS = {1: "sangat miskin", 2: "miskin", 3: "hampir miskin", 4: "rentan miskin"}


def models_list(user: Any) -> QuerySet[PmtModel]:
    """Registered models: metadata only (no personal data), visible to signed-in users with
    any region; activation is checked per region by the service caller."""
    if access.region_prefixes(user, personal_data=False) == []:
        return PmtModel.objects.none()
    return PmtModel.objects.prefetch_related("activations")


@dataclass(frozen=True)
class FamilyScore:
    score: float
    desil: int
    desil_kabupaten: int
    desil_label: str
    versi: str
    dihitung: Any
    alasan: list[dict[str, object]]


def family_score(user: Any, keluarga: Keluarga, *, top: int = 5) -> FamilyScore | None:
    """Score, desil and the proxies that weigh most for this family; None when not scored.

    Raises ``PermissionError`` when the user may not see the family's region."""
    if not access.can_see_region(user, keluarga.kode_desa):
        raise PermissionError("Anda tidak berwenang melihat keluarga di wilayah ini.")
    stored = KeluargaScore.objects.filter(keluarga=keluarga).select_related("model").first()
    if stored is None:
        return None
    frame = snapshot.population(keluarga.kode_desa, timezone.localdate()).filter(
        pl.col("id_keluarga") == str(keluarga.pk)
    )
    reasons: list[dict[str, object]] = []
    if frame.height:
        try:
            reasons = score.explain(services.load_artifact(stored.model), frame, top=top)[0]
        except ValueError:
            reasons = []  # the artifact no longer fits the data: show the stored score only
    return FamilyScore(
        score=stored.score,
        desil=stored.desil,
        desil_kabupaten=stored.desil_kabupaten,
        desil_label=DESIL_LABELS.get(stored.desil, ""),
        versi=stored.versi,
        dihitung=stored.dihitung,
        alasan=reasons,
    )


def _rules(wilayah: str) -> list[dict[str, object]]:
    rules = EligibilityRule.objects.filter(aktif=True).select_related("program")
    return [
        r.as_rule() for r in rules if r.wilayah.startswith(wilayah) or wilayah.startswith(r.wilayah)
    ]


def preview(
    user: Any, model: PmtModel, wilayah: str, reference_date: date | None = None
) -> dict[str, Any]:
    """Who would enter and leave each programme, by desa, if ``model`` were activated for
    ``wilayah``: current stored desil against the new model's desil under the active rules."""
    if not access.can_see_region(user, wilayah or "") and access.region_prefixes(user) is not None:
        raise PermissionError("Anda tidak berwenang melihat wilayah ini.")
    new = services.score_region(model, wilayah, reference_date or timezone.localdate())
    current = pl.DataFrame(
        list(
            KeluargaScore.objects.filter(keluarga__kode_desa__startswith=wilayah).values_list(
                "keluarga_id", "keluarga__kode_desa", "desil", "score"
            )
        ),
        schema={"pk": pl.Int64, "kode_desa": pl.String, "desil": pl.Int64, "score": pl.Float64},
        orient="row",
    ).with_columns(pl.col("pk").cast(pl.String).alias("id_keluarga"))
    rules = _rules(wilayah)
    extra = [c for c in new.columns if c not in current.columns]
    before = eligibility.eligible(
        current.join(new.select("id_keluarga", *extra), on="id_keluarga", how="left"), rules
    )
    after = eligibility.eligible(new, rules)
    diff = eligibility.changes(before, after)
    return {
        "per_desa": eligibility.changes_by_desa(diff).to_dicts(),
        "daftar": diff.head(2000).to_dicts(),
        "masuk": int((diff["perubahan"] == "masuk").sum()) if diff.height else 0,
        "keluar": int((diff["perubahan"] == "keluar").sum()) if diff.height else 0,
        "aturan": rules,
    }


@dataclass(frozen=True)
class PovertyPanel:
    """What a region's page shows of poverty: the model's estimate (with its interval, model,
    survey and poverty line) and, as a separate series, BPS's published figure."""

    estimasi: EstimasiKemiskinan | None
    bps: AngkaKemiskinanBps | None


def poverty_panel(user: Any, code: str) -> PovertyPanel | None:
    """The estimate and the latest published BPS figure of region ``code``; None when the
    user does not see all of the region (aggregates of a whole region, as the dashboard) or
    neither exists."""
    code = code.rstrip(".")
    if not access.sees_whole_region(user, code):
        return None
    estimate = EstimasiKemiskinan.objects.filter(kode=code).first()
    bps = None
    if len(code) in (2, 5):
        bps = AngkaKemiskinanBps.objects.filter(kode=code).order_by("-periode", "-versi").first()
    if estimate is None and bps is None:
        return None
    return PovertyPanel(estimate, bps)


def poverty_estimates(user: Any, prefix: str) -> QuerySet[EstimasiKemiskinan]:
    """Stored estimates of the areas inside ``prefix`` the user sees whole."""
    rows = EstimasiKemiskinan.objects.filter(kode__startswith=prefix.rstrip("."))
    visible = [r.pk for r in rows if access.sees_whole_region(user, r.kode)]
    return EstimasiKemiskinan.objects.filter(pk__in=visible)
