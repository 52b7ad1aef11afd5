"""Writing audit rows: every service that changes data, and every look at personal data."""

from __future__ import annotations

from typing import Any

from django.db import models

from padu.core.models import AuditLog


def audit_write(
    *,
    actor: Any,
    action: str,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    region_code: str = "",
    ip_address: str | None = None,
    detail: dict[str, Any] | None = None,
) -> AuditLog:
    """Record who did what to which object. ``actor`` may be None for system jobs."""
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
    user = actor if actor is not None and getattr(actor, "is_authenticated", False) else None
    return AuditLog.objects.create(
        actor=user,
        action=action,
        object_type=object_type,
        object_id=object_id,
        region_code=region_code,
        ip_address=ip_address,
        detail=detail or {},
    )
