"""The ONLY place that decides who may see or change what (DESIGN.md rule 2).

Region scope is a code prefix (``33.16.`` covers all of Blora). Access fails closed: a user
with no assignment sees nothing; a record without a region is visible only to
province-wide roles. The users-and-access issue extends this module; callers use only these
functions.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

ALL = None  # marker: no region restriction


def region_prefixes(user: Any, *, personal_data: bool = True) -> list[str] | None:
    """Region prefixes a user may see, ``None`` for everything, ``[]`` for nothing."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    if user.is_superuser:
        return ALL
    prefixes: list[str] = []
    for assignment in user.assignments.select_related("role"):
        role = assignment.role
        if personal_data and not role.sees_personal_data:
            continue
        if role.province_wide:
            return ALL
        if assignment.region_prefix:
            prefixes.append(assignment.region_prefix)
    return prefixes


def scope_by_region(
    qs: QuerySet[Any], user: Any, field: str, *, personal_data: bool = True
) -> QuerySet[Any]:
    """Filter a queryset to the regions ``user`` may see, by a code ``field``."""
    prefixes = region_prefixes(user, personal_data=personal_data)
    if prefixes is ALL:
        return qs
    if not prefixes:
        return qs.none()
    condition = Q()
    for prefix in prefixes:
        condition |= Q(**{f"{field}__startswith": prefix})
    return qs.filter(condition)


def can_see_region(user: Any, code: str, *, personal_data: bool = True) -> bool:
    prefixes = region_prefixes(user, personal_data=personal_data)
    if prefixes is ALL:
        return True
    return bool(code) and any(code.startswith(p) for p in prefixes)
