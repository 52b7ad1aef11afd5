"""Reads of the verval cycle on behalf of a user: scoped first (access.py), then filtered."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from padu.accounts import access
from padu.verval.config import stage_roles
from padu.verval.models import Kunjungan, Musdes, Periode, Tugas, Usulan
from padu.verval.services.approval import CHAIN
from padu.verval.services.periode import window_state
from padu.wilayah.models import Desa, Kabupaten, Kecamatan


def periods(user: Any) -> QuerySet[Periode]:
    """Periods of the kabupaten the user sees (any part of)."""
    prefixes = access.region_prefixes(user)
    qs = Periode.objects.all()
    if prefixes is access.ALL:
        return qs
    kab = {p[:5] for p in prefixes or []}
    return qs.filter(kode_kabupaten__in=kab)


def tasks(user: Any, kode_desa: str, periode: Periode | None) -> QuerySet[Tugas]:
    qs = access.scope_by_region(Tugas.objects.all(), user, "kode_desa").filter(kode_desa=kode_desa)
    if periode is not None:
        qs = qs.filter(periode=periode)
    return qs.select_related("keluarga", "penanggung").order_by("status", "batas", "id")


def usulan(user: Any) -> QuerySet[Usulan]:
    return access.scope_by_region(Usulan.objects.all(), user, "kode_desa").select_related(
        "keluarga", "person", "periode", "alasan_nonaktif"
    )


def usulan_one(user: Any, pk: int) -> Usulan | None:
    return usulan(user).filter(pk=pk).first()


def waiting_for(user: Any, tahap: str) -> QuerySet[Usulan]:
    """Usulan waiting at ``tahap`` in the regions where the user acts at that stage."""
    waiting, _ = CHAIN[tahap]  # type: ignore[index]
    qs = access.scope_for_roles(Usulan.objects.all(), user, stage_roles(tahap), "kode_desa")
    return qs.filter(status=waiting).select_related("keluarga", "periode", "alasan_nonaktif")


def musdes_of(user: Any, kode_desa: str, periode: Periode | None) -> Musdes | None:
    if periode is None or not access.can_see_region(user, kode_desa):
        return None
    return Musdes.objects.filter(periode=periode, kode_desa=kode_desa).first()


def progress(
    user: Any, periode: Periode, level: int, today: dt.date | None = None
) -> list[dict[str, Any]]:
    """Per region (``level`` = code length: 8 kecamatan, 13 desa) of the period: families
    verified, usulan by kind and by stage, open and overdue tasks."""
    today = today or timezone.localdate()
    rows: dict[str, dict[str, Any]] = defaultdict(
        lambda: {"terverifikasi": 0, "usulan": 0, "jenis": {}, "status": {}, "tugas": 0,
                 "terlambat": 0, "usul_warga": 0, "sanggah_warga": 0}
    )  # fmt: skip
    visits = access.scope_by_region(
        Kunjungan.objects.filter(periode=periode, hasil__in=[1, 4]), user, "kode_desa"
    )
    for code, n in _grouped(visits, level, distinct="keluarga"):
        rows[code]["terverifikasi"] += n
    scoped = access.scope_by_region(Usulan.objects.filter(periode=periode), user, "kode_desa")
    for row in scoped.values("kode_desa", "jenis", "status").annotate(n=Count("id")):
        region = rows[row["kode_desa"][:level]]
        region["usulan"] += row["n"]
        region["jenis"][row["jenis"]] = region["jenis"].get(row["jenis"], 0) + row["n"]
        region["status"][row["status"]] = region["status"].get(row["status"], 0) + row["n"]
    open_tasks = access.scope_by_region(
        Tugas.objects.filter(periode=periode, status=Tugas.Status.TERBUKA), user, "kode_desa"
    )
    for row in open_tasks.values("kode_desa").annotate(
        n=Count("id"), late=Count("id", filter=Q(batas__lt=today))
    ):
        region = rows[row["kode_desa"][:level]]
        region["tugas"] += row["n"]
        region["terlambat"] += row["late"]
    warga = access.scope_by_region(
        Tugas.objects.filter(periode=periode, jenis__in=[Tugas.Jenis.USUL, Tugas.Jenis.SANGGAH]),
        user, "kode_desa",
    )  # fmt: skip
    for row in warga.values("kode_desa", "jenis").annotate(n=Count("id")):
        rows[row["kode_desa"][:level]][f"{row['jenis']}_warga"] += row["n"]
    model = Desa if level == 13 else Kecamatan
    names = dict(model.objects.filter(code__in=list(rows)).values_list("code", "name"))
    return [
        {"kode": code, "nama": names.get(code, code), **values}
        for code, values in sorted(rows.items())
    ]


def _grouped(qs: QuerySet[Any], level: int, distinct: str) -> list[tuple[str, int]]:
    counts: dict[str, set[int]] = defaultdict(set)
    for code, key in qs.values_list("kode_desa", distinct).iterator():
        counts[code[:level]].add(key)
    return [(code, len(keys)) for code, keys in counts.items()]


def desa_todo(user: Any, kode_desa: str, today: dt.date | None = None) -> dict[str, Any] | None:
    """What the verval cycle asks of a desa today, for its home page: the running period,
    open and overdue tasks, usulan returned for revision, and the musdes still to hold or
    lock. ``None`` when no period runs or the user does not see the desa's personal data."""
    from padu.verval.services.periode import periode_current

    if not access.can_see_region(user, kode_desa):
        return None
    today = today or timezone.localdate()
    periode = periode_current(kode_desa, today)
    if periode is None:
        return None
    open_tasks = Tugas.objects.filter(
        periode=periode, kode_desa=kode_desa, status=Tugas.Status.TERBUKA
    ).aggregate(n=Count("id"), late=Count("id", filter=Q(batas__lt=today)))
    mine = Usulan.objects.filter(periode=periode, kode_desa=kode_desa)
    returned = mine.filter(status=Usulan.Status.DIKEMBALIKAN).count()
    undecided = mine.filter(status=Usulan.Status.DIAJUKAN).count()
    musdes = Musdes.objects.filter(periode=periode, kode_desa=kode_desa).first()
    return {
        "periode": periode,
        "tugas": open_tasks["n"],
        "terlambat": open_tasks["late"],
        "batas_desa": periode.batas_desa,
        "dikembalikan": returned,
        "belum_musdes": undecided,
        "batas_musdes": periode.batas_musdes,
        "musdes_belum_dikunci": musdes is not None and not musdes.terkunci,
        "ada": bool(open_tasks["n"] or returned or undecided or (musdes and not musdes.terkunci)),
    }


def recap(user: Any, today: dt.date | None = None) -> list[dict[str, Any]]:
    """Per kabupaten/kota the user sees, its running period: the stage now open, desa with
    tasks and with their musdes recorded, usulan waiting at each stage or applied, open and
    overdue tasks. A kabupaten without a running period is listed with ``periode`` None."""
    today = today or timezone.localdate()
    running = periods(user).filter(mulai__lte=today, batas_pengesahan__gte=today).order_by("-mulai")
    current: dict[str, Periode] = {}
    for periode in running:
        current.setdefault(periode.kode_kabupaten, periode)
    visible = access.region_prefixes(user)
    kabupaten = Kabupaten.objects.filter(active=True).order_by("code")
    if visible is not access.ALL:
        kabupaten = kabupaten.filter(code__in={p[:5] for p in visible or []})
    ids = [p.pk for p in current.values()]
    usulan: dict[int, dict[str, int]] = defaultdict(dict)
    scoped = access.scope_by_region(Usulan.objects.filter(periode_id__in=ids), user, "kode_desa")
    for counted in scoped.values("periode_id", "status").annotate(n=Count("id")):
        usulan[counted["periode_id"]][counted["status"]] = counted["n"]
    tasks = access.scope_by_region(Tugas.objects.filter(periode_id__in=ids), user, "kode_desa")
    task_rows = {
        row["periode_id"]: row
        for row in tasks.values("periode_id").annotate(
            desa=Count("kode_desa", distinct=True),
            terbuka=Count("id", filter=Q(status=Tugas.Status.TERBUKA)),
            terlambat=Count("id", filter=Q(status=Tugas.Status.TERBUKA, batas__lt=today)),
        )
    }
    musdes = access.scope_by_region(Musdes.objects.filter(periode_id__in=ids), user, "kode_desa")
    held = dict(
        musdes.values("periode_id").annotate(n=Count("kode_desa", distinct=True))
        .values_list("periode_id", "n")
    )  # fmt: skip
    waiting = [Usulan.Status.DIAJUKAN, Usulan.Status.DITERIMA_MUSDES,
               Usulan.Status.DISETUJUI_KECAMATAN, Usulan.Status.DIVERIFIKASI]  # fmt: skip
    out = []
    for kab in kabupaten:
        running_now = current.get(kab.code)
        row: dict[str, Any] = {"kode": kab.code, "nama": kab.name, "periode": running_now}
        if running_now is not None:
            periode = running_now
            counts = usulan.get(periode.pk, {})
            stages = window_state(periode, today)
            row.update(
                tahap=next((s for s in stages if s["keadaan"] != "tutup"), None),
                desa_tugas=task_rows.get(periode.pk, {}).get("desa", 0),
                musdes=held.get(periode.pk, 0),
                menunggu=[(Usulan.Status(s).label, counts.get(s, 0)) for s in waiting],
                diterapkan=counts.get(Usulan.Status.DITERAPKAN, 0),
                terbuka=task_rows.get(periode.pk, {}).get("terbuka", 0),
                terlambat=task_rows.get(periode.pk, {}).get("terlambat", 0),
            )  # fmt: skip
        out.append(row)
    return out
