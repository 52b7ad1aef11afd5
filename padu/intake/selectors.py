"""Reads of intake on behalf of a user (scoped through access.py)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from padu.accounts import access
from padu.intake.models import ImportRun, Source


def may_import(user: Any) -> bool:
    """Users who may change data somewhere may import (rows outside their region are
    quarantined during staging)."""
    return access.write_prefixes(user) != []


def home_region(user: Any) -> str:
    """The owner region given to a source a user creates: the region the user may change
    (the common code segments of several), "" (no owner) for province-wide writers."""
    prefixes = access.write_prefixes(user)
    if not prefixes:
        return ""
    segments = [p.rstrip(".").split(".") for p in prefixes]
    common: list[str] = []
    for parts in zip(*segments, strict=False):
        if len(set(parts)) > 1:
            break
        common.append(parts[0])
    if not common:
        return ""
    whole = all(len(s) == len(common) for s in segments) and not prefixes[0].endswith(".")
    return ".".join(common) + ("" if whole else ".")


def runs_visible(user: Any) -> QuerySet[ImportRun]:
    """A user's own runs, and runs of sources owned by a region the user sees; everything for
    province-wide roles."""
    runs = ImportRun.objects.select_related("source", "actor")
    prefixes = access.region_prefixes(user)
    if prefixes is access.ALL:
        return runs
    if not getattr(user, "is_authenticated", False):
        return runs.none()
    condition = Q(actor=user)
    for prefix in prefixes or []:
        condition |= Q(source__owner_region__startswith=prefix) & ~Q(source__owner_region="")
    return runs.filter(condition)


ATTENTION = (ImportRun.Status.PEMETAAN, ImportRun.Status.GAGAL)
QUARANTINE_DAYS = 30


def runs_needing_attention(user: Any, *, region: str | None = None) -> QuerySet[ImportRun]:
    """Visible runs a user should act on: a column mapping to check, a failed run to resume
    or cancel, or a run of the last ``QUARANTINE_DAYS`` days with quarantined rows to fix.
    ``region`` (a code or prefix) keeps the runs of sources owned inside it."""
    since = timezone.now() - timedelta(days=QUARANTINE_DAYS)
    runs = runs_visible(user).filter(
        Q(status__in=ATTENTION)
        | Q(status=ImportRun.Status.SELESAI, started_at__gte=since, counts__karantina__gt=0)
    )
    if region is not None:
        runs = runs.filter(source__owner_region__startswith=region).exclude(source__owner_region="")
    return runs.order_by("-started_at", "-id")


def run_get(user: Any, pk: int) -> ImportRun:
    return runs_visible(user).get(pk=pk)


def may_change_run(user: Any, run: ImportRun) -> bool:
    """Confirming the mapping of a run or cancelling it: the importer who started it, or a
    user with write rights over the source's region (seeing a run is not enough)."""
    if not may_import(user):
        return False
    if run.actor_id is not None and run.actor_id == user.pk:
        return True
    region = run.source.owner_region if run.source_id else ""
    return bool(region) and access.can_write_region(user, region)


def sources_for(user: Any) -> QuerySet[Source]:
    return Source.objects.order_by("name") if may_import(user) else Source.objects.none()
