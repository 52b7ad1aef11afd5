"""Writes of the dashboards: replacing this month's aggregates of every region."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from padu.core.audit import audit_write
from padu.dashboard.aggregates import PROVINSI, desa_counts, parent, roll_up
from padu.dashboard.models import Agregat


@transaction.atomic
def agregat_refresh(*, actor: Any, today: dt.date | None = None) -> dict[str, Any]:
    """Recompute every region's counts and replace this month's rows in one transaction
    (readers see the old rows until it commits); earlier months stay. Returns a summary."""
    now = timezone.now()
    today = today or timezone.localdate(now)
    regions = roll_up(desa_counts(today))
    regions.setdefault(PROVINSI, {})
    month = today.replace(day=1)
    Agregat.objects.filter(bulan=month).delete()
    Agregat.objects.bulk_create(
        [
            Agregat(kode=code, bulan=month, tingkat=len(code), induk=parent(code), nilai=values,
                    dihitung=now)
            for code, values in sorted(regions.items())
        ],
        batch_size=2000,
    )  # fmt: skip
    summary = {"wilayah": len(regions), "dihitung": now,
               "keluarga": regions[PROVINSI].get("keluarga", 0)}  # fmt: skip
    audit_write(actor=actor, action="dasbor.refresh", object_type="dashboard.agregat",
                object_id=f"{month:%Y-%m}", detail={"wilayah": len(regions)})  # fmt: skip
    return summary
