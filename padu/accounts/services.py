"""Writes to users and their role assignments."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from padu.accounts.models import Role, RoleAssignment, User
from padu.core.audit import audit_write


class AccountError(ValueError):
    """A user change that cannot be made; the message (Bahasa Indonesia) says why."""


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
        for code, prefix in assignments
    )
    audit_write(
        actor=actor,
        action="user.create" if created else "user.reset",
        obj=user,
        detail={"peran": [f"{c}:{p}" for c, p in assignments]},
    )
    return user
