"""Reads of the orphans programme on behalf of a user: children's records only with the
child-protection permission (access.py), each read audited; counts for everyone who sees
the region's aggregates."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet

from padu.accounts import access
from padu.asuh.models import Anak, Jenis, Temuan
from padu.core.audit import audit_write


def temuan_of(user: Any, kode_desa: str) -> QuerySet[Temuan]:
    qs = Temuan.objects.filter(kode_desa=kode_desa).select_related("person", "keluarga")
    return access.scope_children(qs, user, "kode_desa")


def anak_of(user: Any, kode_desa: str) -> QuerySet[Anak]:
    return access.scope_children(
        Anak.objects.filter(kode_desa=kode_desa, aktif=True), user, "kode_desa"
    )


def audit_read(user: Any, kode_desa: str, what: str, n: int) -> None:
    """Every read of children's records is audited (UU PDP 27/2022 art. 25)."""
    audit_write(
        actor=user, action="asuh.lihat", object_type=what, region_code=kode_desa,
        detail={"baris": n},
    )  # fmt: skip


def counts(user: Any, prefix: str, length: int) -> list[dict[str, Any]]:
    """Per region of ``length`` code characters under ``prefix``: confirmed orphans by kind
    and findings waiting (counts only, in the regions the user sees)."""
    anak = access.scope_by_region(
        Anak.objects.filter(aktif=True, kode_desa__startswith=prefix), user, "kode_desa",
        personal_data=False,
    )  # fmt: skip
    out: dict[str, dict[str, Any]] = {}
    for r in anak.values("kode_desa", "jenis").annotate(n=Count("id")):
        row = out.setdefault(
            r["kode_desa"][:length], dict.fromkeys(Jenis.values, 0) | {"menunggu": 0}
        )
        row[r["jenis"]] += r["n"]
    waiting = access.scope_by_region(
        Temuan.objects.filter(kode_desa__startswith=prefix, status=Temuan.Status.MENUNGGU),
        user, "kode_desa", personal_data=False,
    )  # fmt: skip
    for r in waiting.values("kode_desa").annotate(n=Count("id", filter=Q())):
        row = out.setdefault(
            r["kode_desa"][:length], dict.fromkeys(Jenis.values, 0) | {"menunggu": 0}
        )
        row["menunggu"] += r["n"]
    return [{"kode": k, **v} for k, v in sorted(out.items())]
