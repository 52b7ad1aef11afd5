"""Reads of accounts data on behalf of a user (the caller checks ``access`` first)."""

from __future__ import annotations

from datetime import date

from django.db.models import QuerySet

from padu.core.models import AuditLog


def _day(text: str) -> date | None:
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def audit_entries(filters: dict[str, str]) -> QuerySet[AuditLog]:
    """Audit rows filtered by user name, action (prefix), region (prefix), object, dates."""
    qs = AuditLog.objects.select_related("actor").order_by("-at", "-id")
    if filters.get("pengguna"):
        qs = qs.filter(actor__username=filters["pengguna"])
    if filters.get("tindakan"):
        qs = qs.filter(action__startswith=filters["tindakan"])
    if filters.get("wilayah"):
        qs = qs.filter(region_code__startswith=filters["wilayah"])
    if filters.get("objek"):
        qs = qs.filter(object_id=filters["objek"])
    start, end = _day(filters.get("dari", "")), _day(filters.get("sampai", ""))
    if start:
        qs = qs.filter(at__date__gte=start)
    if end:
        qs = qs.filter(at__date__lte=end)
    return qs
