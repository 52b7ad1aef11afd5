"""Writing audit rows: every service that changes data, and every look at personal data.

The address a change came from is taken from the request being served (set by
``padu.core.middleware.RequestAddressMiddleware``), so services need not carry it.
"""

from __future__ import annotations

from contextvars import ContextVar
from typing import Any

from django.conf import settings
from django.db import models
from django.http import HttpRequest

from padu.core.models import AuditLog

current_ip: ContextVar[str | None] = ContextVar("padu_current_ip", default=None)


def client_ip(request: HttpRequest) -> str | None:
    """The client's address; behind a trusted proxy (``PADU_TRUSTED_PROXY``) the first
    address of X-Forwarded-For, otherwise the socket's address."""
    if getattr(settings, "PADU_TRUSTED_PROXY", False):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[0].strip() or None
    return request.META.get("REMOTE_ADDR") or None


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
        ip_address=ip_address or current_ip.get(),
        detail=detail or {},
    )


def audit_request(
    request: HttpRequest,
    action: str,
    obj: models.Model | None = None,
    *,
    region_code: str = "",
    detail: dict[str, Any] | None = None,
) -> AuditLog:
    """An audit row for what the requesting user just saw or did."""
    return audit_write(
        actor=request.user,
        action=action,
        obj=obj,
        region_code=region_code,
        ip_address=client_ip(request),
        detail=detail,
    )
