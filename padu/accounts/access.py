"""The ONLY place that decides who may see or change what (DESIGN.md rule 2).

Region scope is a code prefix (``33.16.`` covers all of Blora). Access fails closed: a user
with no assignment sees nothing; a record without a region is visible only to
province-wide roles; an assignment whose region code is malformed grants nothing. Every
page, API endpoint, export, task and CLI command asks these functions; nothing else decides.

Prefixes are normalised to whole code segments, so ``33.1`` can never match ``33.10`` to
``33.19``: ``33.16`` becomes ``33.16.`` and a full desa code matches only that desa.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

ALL = None  # marker: no region restriction

# Masking of NIK and No. KK, per role (configuration on the Role row).
NIK_FULL = "penuh"  # sees the full number
NIK_REVEAL = "buka"  # sees it masked, may reveal it (each reveal is audited)
NIK_MASKED = "tidak"  # sees it masked only
_NIK_RANK = {NIK_MASKED: 0, NIK_REVEAL: 1, NIK_FULL: 2}

_SEGMENTED = re.compile(r"^\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?$")
_PLAIN = re.compile(r"^\d{2}(\d{2}(\d{2}(\d{4})?)?)?$")


class RegionCodeError(ValueError):
    """A region code that is not a whole Kemendagri code (message in Bahasa Indonesia)."""


def normalise_prefix(text: str) -> str:
    """``33.16`` -> ``33.16.``, ``3316`` -> ``33.16.``, ``33.16.01.2001`` stays (one desa).

    Raises :class:`RegionCodeError` for anything that is not a whole province, kabupaten,
    kecamatan or desa code (``33.1`` is refused: it would cover 33.10 to 33.19).
    """
    code = (text or "").strip().rstrip(".")
    if _PLAIN.match(code):
        parts = [code[0:2], code[2:4], code[4:6], code[6:10]]
        code = ".".join(p for p in parts if p)
    if not _SEGMENTED.match(code):
        raise RegionCodeError(
            f"Kode wilayah '{text}' tidak valid. Tulis kode lengkap Kemendagri: 33 (provinsi), "
            "33.16 (kabupaten/kota), 33.16.01 (kecamatan) atau 33.16.01.2001 (desa/kelurahan)."
        )
    return code if len(code) == 13 else code + "."


def _covers(prefix: str, code: str) -> bool:
    return bool(code) and (code == prefix or code.startswith(prefix))


@dataclass(frozen=True)
class Grant:
    """One role assignment as access reads it; ``prefix`` is None for province-wide roles."""

    prefix: str | None
    personal_data: bool
    write: bool
    nik: str
    manage_users: bool
    requires_2fa: bool
    role: str = ""
    children: bool = False  # may see children's records (orphans; UU PDP art. 25)


def grants(user: Any) -> list[Grant]:
    """The user's assignments, normalised; malformed prefixes grant nothing. Cached per user
    object (one query per request)."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    cached = getattr(user, "_padu_grants", None)
    if cached is not None:
        return list(cached)
    result = []
    for assignment in user.assignments.select_related("role"):
        role = assignment.role
        if role.province_wide:
            prefix = None
        else:
            try:
                prefix = normalise_prefix(assignment.region_prefix)
            except RegionCodeError:
                continue
        result.append(
            Grant(
                prefix=prefix,
                personal_data=role.sees_personal_data,
                write=role.can_write,
                nik=role.nik_access if role.sees_personal_data else NIK_MASKED,
                manage_users=role.manages_users,
                requires_2fa=role.requires_2fa,
                role=role.code,
                children=role.sees_children and role.sees_personal_data,
            )
        )
    result.extend(_team_grants(user))
    user._padu_grants = tuple(result)
    return result


# A member of an OPD's team (Satu OPD Satu Desa Dampingan) acts in exactly the desa its OPD is
# assigned, with the permissions of this role: the team's access follows the assignments, so
# ending an assignment ends the access (padu/dampingan).
TEAM_ROLE = "opd-pendamping"
# Who assigns partners to desa: the province's programme ("33") needs a province-wide such
# role, a kabupaten's own programme such a role in that kabupaten.
DAMPINGAN_MANAGERS = ("admin-provinsi", "tkpk-provinsi", "tkpk-kabupaten", "dinsos-kabupaten")


def _team_grants(user: Any) -> list[Grant]:
    from padu.accounts.models import Role
    from padu.dampingan.models import Penugasan

    codes = sorted(
        set(
            Penugasan.objects.filter(
                aktif=True, mitra__aktif=True, mitra__anggota__user=user
            ).values_list("kode_desa", flat=True)
        )
    )
    role = Role.objects.filter(code=TEAM_ROLE).first() if codes else None
    if role is None:
        return []
    out = []
    for code in codes:
        try:
            prefix = normalise_prefix(code)
        except RegionCodeError:
            continue
        out.append(
            Grant(
                prefix=prefix,
                personal_data=role.sees_personal_data,
                write=role.can_write,
                nik=role.nik_access if role.sees_personal_data else NIK_MASKED,
                manage_users=False,
                requires_2fa=role.requires_2fa,
                role=role.code,
                children=role.sees_children and role.sees_personal_data,
            )
        )
    return out


def children_prefixes(user: Any) -> list[str] | None:
    """Regions whose children's records (orphans, guardians) the user may see: an explicit
    permission of the role, on top of seeing personal data. ``None`` everywhere."""
    if user is not None and getattr(user, "is_superuser", False) and user.is_active:
        return ALL
    prefixes: list[str] = []
    for grant in grants(user):
        if not grant.children:
            continue
        if grant.prefix is None:
            return ALL
        prefixes.append(grant.prefix)
    return prefixes


def can_see_children(user: Any, code: str) -> bool:
    prefixes = children_prefixes(user)
    if prefixes is ALL:
        return True
    return bool(code) and any(_covers(p, code) for p in prefixes)


def scope_children(qs: QuerySet[Any], user: Any, field: str) -> QuerySet[Any]:
    return _scope(qs, children_prefixes(user), field)


def can_manage_dampingan(user: Any, wilayah: str) -> bool:
    """May the user run the dampingan programme of ``wilayah`` ("33" the province's, a
    kabupaten code its own): register partners, assign them to desa?"""
    if user is not None and getattr(user, "is_superuser", False) and user.is_active:
        return True
    for grant in grants(user):
        if grant.role not in DAMPINGAN_MANAGERS:
            continue
        if grant.prefix is None:
            return True
        if len(wilayah) == 5 and grant.prefix == wilayah + ".":
            return True
    return False


def manages_dampingan_somewhere(user: Any) -> bool:
    if user is not None and getattr(user, "is_superuser", False) and user.is_active:
        return True
    return any(
        g.role in DAMPINGAN_MANAGERS and (g.prefix is None or len(g.prefix) == 6)
        for g in grants(user)
    )


def dampingan_programmes(user: Any) -> list[str] | None:
    """Programme regions the user manages: ``None`` all of them, else kabupaten codes."""
    if user is not None and getattr(user, "is_superuser", False) and user.is_active:
        return ALL
    out: list[str] = []
    for g in grants(user):
        if g.role not in DAMPINGAN_MANAGERS:
            continue
        if g.prefix is None:
            return ALL
        if len(g.prefix) == 6:
            out.append(g.prefix[:5])
    return out


def can_work_in_dampingan(user: Any, mitra_id: int, kode_desa: str) -> bool:
    """May the user record interventions and reports of partner ``mitra_id`` in a desa:
    a member of its team while the desa is assigned, or a manager of the programme."""
    from padu.dampingan.models import Mitra, Penugasan

    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    mitra = Mitra.objects.filter(pk=mitra_id).first()
    if mitra is None:
        return False
    if can_manage_dampingan(user, mitra.wilayah) and (
        mitra.wilayah == "33" or kode_desa.startswith(mitra.wilayah + ".")
    ):
        return True
    return Penugasan.objects.filter(
        mitra_id=mitra_id, kode_desa=kode_desa, aktif=True, mitra__aktif=True,
        mitra__anggota__user=user,
    ).exists()  # fmt: skip


def forget(user: Any) -> None:
    """Drop the cached grants (after the user's assignments changed)."""
    if hasattr(user, "_padu_grants"):
        del user._padu_grants


def region_prefixes(user: Any, *, personal_data: bool = True) -> list[str] | None:
    """Region prefixes a user may see, ``None`` for everything, ``[]`` for nothing."""
    if user is not None and getattr(user, "is_superuser", False) and user.is_active:
        return ALL
    prefixes: list[str] = []
    for grant in grants(user):
        if personal_data and not grant.personal_data:
            continue
        if grant.prefix is None:
            return ALL
        prefixes.append(grant.prefix)
    return prefixes


def write_prefixes(user: Any) -> list[str] | None:
    """Region prefixes where the user may change data: ``None`` everywhere, ``[]`` nowhere."""
    if user is not None and getattr(user, "is_superuser", False) and user.is_active:
        return ALL
    prefixes: list[str] = []
    for grant in grants(user):
        if not (grant.write and grant.personal_data):
            continue
        if grant.prefix is None:
            return ALL
        prefixes.append(grant.prefix)
    return prefixes


def _scope(qs: QuerySet[Any], prefixes: list[str] | None, field: str) -> QuerySet[Any]:
    if prefixes is ALL:
        return qs
    if not prefixes:
        return qs.none()
    condition = Q()
    for prefix in prefixes:
        if prefix.endswith("."):
            condition |= Q(**{f"{field}__startswith": prefix})
        else:
            condition |= Q(**{field: prefix})
    return qs.filter(condition)


def scope_by_region(
    qs: QuerySet[Any], user: Any, field: str, *, personal_data: bool = True
) -> QuerySet[Any]:
    """Filter a queryset to the regions ``user`` may see, by a code ``field``."""
    return _scope(qs, region_prefixes(user, personal_data=personal_data), field)


def scope_for_write(qs: QuerySet[Any], user: Any, field: str) -> QuerySet[Any]:
    """Filter a queryset to the records ``user`` may change, by a code ``field``."""
    return _scope(qs, write_prefixes(user), field)


def can_see_region(user: Any, code: str, *, personal_data: bool = True) -> bool:
    """May the user see records in region ``code`` (a desa code, or a wider region code)?

    For a wider region (``33.16.`` or ``33.16``) the answer is yes when the user sees at
    least part of it: pages then show only the visible part through ``scope_by_region``.
    """
    prefixes = region_prefixes(user, personal_data=personal_data)
    if prefixes is ALL:
        return True
    if not code:
        return False
    wide = code if code.endswith(".") or len(code) == 13 else code + "."
    return any(_covers(p, code) or p.startswith(wide) for p in prefixes)


def sees_whole_region(user: Any, code: str) -> bool:
    """May the user see the aggregates of all of region ``code`` (its totals, not only a
    part)? Yes for province-wide roles and for an assignment that covers the region."""
    prefixes = region_prefixes(user, personal_data=False)
    if prefixes is ALL:
        return True
    code = code.rstrip(".")
    if not code:
        return False
    wide = code if len(code) == 13 else code + "."
    return any(_covers(p, wide) for p in prefixes)


def home_regions(user: Any) -> list[str] | None:
    """The regions a user's home page shows: ``None`` for the whole province (province-wide
    roles, superusers), otherwise the user's assigned prefixes (aggregates count: every role
    sees the figures of its own regions), without one covered by another, in code order;
    ``[]`` for a user with no assignment. An operator of ``33.16.01.`` who is also assigned
    ``33.16.01.2001`` has one home: the kecamatan."""
    prefixes = region_prefixes(user, personal_data=False)
    if prefixes is ALL:
        return ALL
    widest: list[str] = []
    for prefix in sorted(set(prefixes), key=lambda p: (len(p), p)):
        if not any(_covers(wider, prefix) for wider in widest):
            widest.append(prefix)
    return sorted(widest)


def can_write_region(user: Any, code: str) -> bool:
    """May the user change records of desa ``code``? Fails closed on an empty code."""
    prefixes = write_prefixes(user)
    if prefixes is ALL:
        return True
    return any(_covers(p, code) for p in prefixes)


def role_write_prefixes(user: Any, roles: Any) -> list[str] | None:
    """Region prefixes where the user holds one of ``roles`` (role codes) with write access:
    who may act at a workflow stage that belongs to certain roles (e.g. the kecamatan check
    of the verval cycle). ``None`` everywhere (superuser, or a province-wide such role)."""
    if user is not None and getattr(user, "is_superuser", False) and user.is_active:
        return ALL
    wanted = set(roles)
    prefixes: list[str] = []
    for grant in grants(user):
        if grant.role not in wanted or not (grant.write and grant.personal_data):
            continue
        if grant.prefix is None:
            return ALL
        prefixes.append(grant.prefix)
    return prefixes


def can_act_as(user: Any, roles: Any, code: str) -> bool:
    """May the user act in desa ``code`` in one of ``roles`` (see :func:`role_write_prefixes`)?"""
    prefixes = role_write_prefixes(user, roles)
    if prefixes is ALL:
        return True
    return bool(code) and any(_covers(p, code) for p in prefixes)


def users_acting_in(roles: Any, code: str) -> list[Any]:
    """Active users who work in desa ``code`` in one of ``roles`` through an assignment of
    that desa, its kecamatan or its kabupaten (not province-wide staff): who a desa task may
    be given to. Ordered by user name."""
    from django.contrib.auth import get_user_model

    if len(code) != 13:
        return []
    covering = [code, code[:8] + ".", code[:5] + "."]
    users = get_user_model().objects.filter(
        is_active=True, assignments__role__code__in=list(roles),
        assignments__region_prefix__in=covering,
    ).distinct().order_by("username")  # fmt: skip
    return [u for u in users if can_act_as(u, roles, code)]


def scope_for_roles(qs: QuerySet[Any], user: Any, roles: Any, field: str) -> QuerySet[Any]:
    """Filter a queryset to the records the user may act on in one of ``roles``."""
    return _scope(qs, role_write_prefixes(user, roles), field)


def nik_access(user: Any, code: str) -> str:
    """How the user sees NIK and No. KK of a record in desa ``code``: full, reveal or masked."""
    if user is not None and getattr(user, "is_superuser", False) and user.is_active:
        return NIK_FULL
    best = NIK_MASKED
    for grant in grants(user):
        if not grant.personal_data:
            continue
        covers = grant.prefix is None or _covers(grant.prefix, code)
        if covers and _NIK_RANK[grant.nik] > _NIK_RANK[best]:
            best = grant.nik
    return best


def sees_personal_data(user: Any) -> bool:
    """Does the user see personal data anywhere (pages such as person search)?"""
    prefixes = region_prefixes(user)
    return prefixes is ALL or bool(prefixes)


def can_manage_users(user: Any) -> bool:
    """Admin provinsi (or a superuser): users, assignments, the audit log."""
    if user is not None and getattr(user, "is_superuser", False) and user.is_active:
        return True
    return any(g.manage_users for g in grants(user))


def can_view_audit(user: Any) -> bool:
    return can_manage_users(user)


def requires_2fa(user: Any) -> bool:
    """Must this user confirm a TOTP code after the password (province-wide roles)?"""
    from django.conf import settings

    if getattr(user, "is_superuser", False) and getattr(settings, "PADU_2FA_SUPERUSERS", False):
        return True
    return any(g.requires_2fa for g in grants(user))
