"""Reads of intake on behalf of a user (scoped through access.py)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from padu.accounts import access
from padu.intake.models import ImportRun, Source


def may_import(user: Any) -> bool:
    """Users who may change data somewhere may import (rows outside their region are
    quarantined during staging)."""
    return access.write_prefixes(user) != []


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


def run_get(user: Any, pk: int) -> ImportRun:
    return runs_visible(user).get(pk=pk)


def sources_for(user: Any) -> QuerySet[Source]:
    return Source.objects.order_by("name") if may_import(user) else Source.objects.none()
