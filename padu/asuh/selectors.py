"""Reads of the orphans programme on behalf of a user: children's records only with the
child-protection permission (access.py), each read audited; counts for everyone who sees
the region's aggregates."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, QuerySet

from padu.accounts import access
from padu.asuh.models import Anak, Jenis, OrangTuaAsuh, Temuan
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


POTENSI_DESIL = 7  # families in desil 7-10 of the register: potential foster parents


def counts(user: Any, prefix: str, length: int) -> list[dict[str, Any]]:
    """Per region of ``length`` code characters under ``prefix`` (counts only, in the
    regions the user sees): confirmed orphans by kind, findings waiting, children
    sponsored and not, foster parents registered and potential ones in the register,
    rupiah pledged per month and paid."""
    from padu.asuh.sponsorship import ota_counts
    from padu.welfare.models import KeluargaScore

    out: dict[str, dict[str, Any]] = {}

    def add(code: str, key: str, n: float) -> None:
        target = out.setdefault(code[:length], dict.fromkeys(Jenis.values, 0) | {"menunggu": 0})
        target[key] = target.get(key, 0) + n

    def scoped(qs: QuerySet[Any], field: str = "kode_desa") -> QuerySet[Any]:
        return access.scope_by_region(qs, user, field, personal_data=False)

    anak = scoped(Anak.objects.filter(aktif=True, kode_desa__startswith=prefix))
    for r in anak.values("kode_desa", "jenis").annotate(n=Count("id")):
        add(r["kode_desa"], r["jenis"], r["n"])
    waiting = scoped(
        Temuan.objects.filter(kode_desa__startswith=prefix, status=Temuan.Status.MENUNGGU)
    )
    for w in waiting.values("kode_desa").annotate(n=Count("id")):
        add(w["kode_desa"], "menunggu", w["n"])
    for code, values in ota_counts(prefix).items():
        if access.can_see_region(user, code, personal_data=False):
            for key, n in values.items():
                add(code, key, n)
    scores = KeluargaScore.objects.filter(
        desil__gte=POTENSI_DESIL, keluarga__kode_desa__startswith=prefix
    )
    for k in (
        scoped(scores, "keluarga__kode_desa").values("keluarga__kode_desa").annotate(n=Count("id"))
    ):
        add(k["keluarga__kode_desa"], "potensi", k["n"])
    rows = []
    for code, v in sorted(out.items()):
        total = sum(v.get(j, 0) for j in Jenis.values)
        rows.append(
            {"kode": code, **v, "jumlah": total, "belum_diasuh": total - v.get("anak_diasuh", 0)}
        )
    return rows


def potential_sponsors(user: Any, kode_desa: str, limit: int = 50) -> list[dict[str, Any]]:
    """Heads of families of a desa well above the poor (desil ``POTENSI_DESIL``-10), never a
    poor family, for the desa or Dinas Sosial to approach; only where the user may change
    data. Families already registered as foster parents are left out."""
    from padu.registry.models import Person

    if not access.can_write_region(user, kode_desa):
        return []
    taken = set(OrangTuaAsuh.objects.filter(kode_desa=kode_desa).values_list("nama", flat=True))
    heads = (
        Person.objects.filter(
            keluarga__kode_desa=kode_desa,
            keluarga__skor_pmt__desil__gte=POTENSI_DESIL,
            keluarga__status="aktif",
            keluarga__deleted_at__isnull=True,
            hub_kepala_keluarga=1,
            deleted_at__isnull=True,
        )
        .exclude(status_hidup=2)
        .order_by("-keluarga__skor_pmt__desil", "nama")
        .values("keluarga_id", "nama", "keluarga__alamat", "keluarga__skor_pmt__desil")
    )
    return [dict(h) for h in heads[: limit * 2] if h["nama"] not in taken][:limit]
