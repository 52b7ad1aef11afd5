"""Every read of the dampingan pages on behalf of a user, scoped through access.py first:
assignments the user may see, a desa's profile and series, the progress ranking for TKPK and
the partners that have not reported."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Max, Q, QuerySet, Sum
from django.utils import timezone

from padu.accounts import access
from padu.dampingan.indicators import DEPRIVATION, Nilai, share_desil14
from padu.dampingan.models import (
    IndikatorDesa,
    Intervensi,
    LaporanBulanan,
    Mitra,
    Penugasan,
)
from padu.dampingan.services import tenggat
from padu.engine.dates import first_of_month
from padu.registry.models import Keluarga, Status


def penugasan_visible(user: Any) -> QuerySet[Penugasan]:
    """Assignments the user may see: all in the programmes it manages, its team's, and the
    assignments of desa in its region."""
    qs = Penugasan.objects.select_related("mitra")
    if getattr(user, "is_superuser", False):
        return qs
    condition = Q(mitra__anggota__user=user)
    programmes = access.dampingan_programmes(user)
    if programmes is access.ALL:
        return qs
    for code in programmes:
        condition |= Q(mitra__wilayah=code) | Q(kode_desa__startswith=code + ".")
    prefixes = access.region_prefixes(user, personal_data=False)
    if prefixes is access.ALL:
        return qs
    for prefix in prefixes:
        condition |= (
            Q(kode_desa__startswith=prefix) if prefix.endswith(".") else Q(kode_desa=prefix)
        )
    return qs.filter(condition).distinct()


def mitra_visible(user: Any) -> QuerySet[Mitra]:
    programmes = access.dampingan_programmes(user)
    if programmes is access.ALL:
        return Mitra.objects.all()
    return Mitra.objects.filter(Q(wilayah__in=programmes) | Q(anggota__user=user)).distinct()


def series(kode_desa: str) -> list[IndikatorDesa]:
    """The desa's monthly measurements, oldest first (counts only: no person named)."""
    return list(IndikatorDesa.objects.filter(kode_desa=kode_desa).order_by("bulan"))


def latest(kode_desa: str) -> IndikatorDesa | None:
    return IndikatorDesa.objects.filter(kode_desa=kode_desa).order_by("-bulan").first()


def intervensi_of(user: Any, kode_desa: str) -> QuerySet[Intervensi]:
    """Interventions in a desa (with its families), for a user who sees that desa."""
    if not access.can_see_region(user, kode_desa):
        return Intervensi.objects.none()
    return Intervensi.objects.filter(kode_desa=kode_desa).select_related(
        "jenis", "sumber_dana", "penugasan__mitra", "keluarga"
    )


def families_for_form(user: Any, kode_desa: str) -> QuerySet[Keluarga]:
    """Families of the desa the user may act on (for the intervention form)."""
    qs = Keluarga.objects.filter(
        kode_desa=kode_desa, status=Status.AKTIF, deleted_at__isnull=True
    ).order_by("alamat", "pk")
    return access.scope_by_region(qs, user, "kode_desa")


@dataclass
class Kemajuan:
    penugasan: Penugasan
    nama_desa: str
    awal: float | None  # percent of families in desil 1-4 at baseline
    kini: float | None
    membaik: int  # deprivation indicators below their baseline
    intervensi: int
    selesai: int
    rupiah: int
    laporan: LaporanBulanan | None
    terlambat: bool

    @property
    def turun(self) -> float | None:
        if self.awal is None or self.kini is None:
            return None
        return self.awal - self.kini


def _better(base: Nilai, now: Nilai) -> int:
    return sum(1 for k in DEPRIVATION if k in base and k in now and now[k] < base[k])


def progress(user: Any, report_month: dt.date | None = None, kabupaten: str = "") -> list[Kemajuan]:
    """Every visible active assignment (of ``kabupaten`` if given) with its progress since
    the baseline and the state of its report for ``report_month`` (default last month),
    best progress first."""
    from padu.wilayah.models import Desa

    today = timezone.localdate()
    month = first_of_month(report_month or (first_of_month(today) - dt.timedelta(days=1)))
    visible = penugasan_visible(user).filter(aktif=True)
    if kabupaten:
        visible = visible.filter(kode_desa__startswith=kabupaten + ".")
    rows = list(visible)
    codes = sorted({p.kode_desa for p in rows})
    names = dict(Desa.objects.filter(code__in=codes).values_list("code", "name"))
    stored = IndikatorDesa.objects.filter(kode_desa__in=codes)
    newest_month = stored.aggregate(m=Max("bulan"))["m"]
    newest = {i.kode_desa: i for i in stored.filter(bulan=newest_month)}
    work: dict[int, dict[str, Any]] = {
        r["penugasan"]: dict(r)
        for r in Intervensi.objects.filter(penugasan__in=rows)
        .exclude(status=Intervensi.Status.BATAL)
        .values("penugasan")
        .annotate(
            n=Count("id"),
            done=Count("id", filter=Q(status=Intervensi.Status.SELESAI)),
            rp=Sum("jumlah"),
        )
    }
    reports = {
        r.penugasan_id: r for r in LaporanBulanan.objects.filter(penugasan__in=rows, bulan=month)
    }
    due = tenggat(month)
    out = []
    for p in rows:
        now = newest.get(p.kode_desa)
        current = now.nilai if now is not None else p.baseline
        w: dict[str, Any] = work.get(p.pk, {})
        report = reports.get(p.pk)
        out.append(
            Kemajuan(
                penugasan=p,
                nama_desa=names.get(p.kode_desa, p.kode_desa),
                awal=share_desil14(p.baseline),
                kini=share_desil14(current),
                membaik=_better(p.baseline, current),
                intervensi=w.get("n", 0),
                selesai=w.get("done", 0),
                rupiah=int(w.get("rp") or 0),
                laporan=report,
                terlambat=report is None and today > due and p.baseline_bulan <= month,
            )
        )
    out.sort(key=lambda k: (-(k.turun or 0.0), -k.membaik, -k.selesai, k.nama_desa))
    return out
