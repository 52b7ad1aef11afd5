"""Writes to users, their role assignments and their API tokens (each audited)."""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from django.db import transaction
from django.utils import timezone

from padu.accounts import access
from padu.accounts.models import ApiToken, Role, RoleAssignment, User
from padu.core.audit import audit_write

TOKEN_PREFIX = "padu_"


class AccountError(ValueError):
    """A user change that cannot be made; the message (Bahasa Indonesia) says why."""


def _region_for(role: Role, prefix: str) -> str:
    if role.province_wide:
        return ""
    try:
        return access.normalise_prefix(prefix)
    except access.RegionCodeError as exc:
        raise AccountError(f"Peran {role.nama}: {exc}") from exc


@transaction.atomic
def user_upsert(
    *,
    actor: Any,
    username: str,
    password: str,
    assignments: list[tuple[str, str]],
    full_name: str = "",
    is_staff: bool = False,
    is_superuser: bool = False,
) -> User:
    """Create the user or reset it: password, flags and exactly these (role, region) pairs."""
    roles = {r.code: r for r in Role.objects.filter(code__in=[c for c, _ in assignments])}
    unknown = sorted({c for c, _ in assignments} - set(roles))
    if unknown:
        raise AccountError(
            f"Peran tidak dikenal: {', '.join(unknown)}. Lihat daftar peran di admin."
        )
    pairs = [(code, _region_for(roles[code], prefix)) for code, prefix in assignments]
    user, created = User.objects.get_or_create(username=username)
    user.first_name = full_name
    user.is_staff = is_staff
    user.is_superuser = is_superuser
    user.is_active = True
    user.set_password(password)
    user.save()
    user.assignments.all().delete()
    RoleAssignment.objects.bulk_create(
        RoleAssignment(user=user, role=roles[code], region_prefix=prefix)
        for code, prefix in dict.fromkeys(pairs)
    )
    access.forget(user)
    audit_write(
        actor=actor,
        action="user.create" if created else "user.reset",
        obj=user,
        detail={"peran": [f"{c}:{p}" for c, p in pairs]},
    )
    return user


@transaction.atomic
def assignment_save(*, actor: Any, assignment: RoleAssignment, ip_address: str | None = None):
    """Add or change one role assignment (the admin pages call this)."""
    assignment.region_prefix = _region_for(assignment.role, assignment.region_prefix)
    created = assignment.pk is None
    assignment.save()
    access.forget(assignment.user)
    audit_write(
        actor=actor,
        action="assignment.create" if created else "assignment.update",
        obj=assignment.user,
        ip_address=ip_address,
        detail={"peran": assignment.role.code, "wilayah": assignment.region_prefix},
    )
    return assignment


@transaction.atomic
def assignment_remove(
    *, actor: Any, assignment: RoleAssignment, ip_address: str | None = None
) -> None:
    user = assignment.user
    detail = {"peran": assignment.role.code, "wilayah": assignment.region_prefix}
    assignment.delete()
    access.forget(user)
    audit_write(
        actor=actor, action="assignment.delete", obj=user, ip_address=ip_address, detail=detail
    )


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


@transaction.atomic
def api_token_create(
    *, actor: Any, user: User, name: str, ip_address: str | None = None
) -> tuple[ApiToken, str]:
    """A new token for ``user``; returns the row and the token text (shown only once)."""
    name = name.strip()
    if not name:
        raise AccountError("Beri nama token, misalnya 'laporan bulanan', agar mudah dikenali.")
    if actor is not user and not access.can_manage_users(actor):
        raise AccountError("Anda hanya boleh membuat token untuk akun Anda sendiri.")
    key = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user, name=name[:100], prefix=key[: len(TOKEN_PREFIX) + 6], key_hash=_hash(key)
    )
    audit_write(
        actor=actor,
        action="api_token.create",
        obj=token,
        ip_address=ip_address,
        detail={"pengguna": user.get_username(), "nama": token.name},
    )
    return token, key


@transaction.atomic
def api_token_revoke(*, actor: Any, token: ApiToken, ip_address: str | None = None) -> ApiToken:
    if token.user_id != getattr(actor, "pk", None) and not access.can_manage_users(actor):
        raise AccountError("Token ini milik pengguna lain; Anda tidak boleh mencabutnya.")
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_write(actor=actor, action="api_token.revoke", obj=token, ip_address=ip_address)
    return token


def api_token_user(key: str) -> User | None:
    """The active user owning an unrevoked token ``key``, or None. Marks the token used
    (at most once a minute, so reads stay reads)."""
    if not key or not key.startswith(TOKEN_PREFIX):
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=_hash(key), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
