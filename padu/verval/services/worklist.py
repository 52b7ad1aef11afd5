"""Generating the worklists of a kabupaten's desa for a period, in bulk.

Sources: quality findings of error severity, linkage pairs waiting for review, persons
reported deceased by another source in the same cluster, families not verified for N
months, desil moves above a threshold. Each item becomes one :class:`Tugas` per period
(unique ``kunci``: generating again adds only what is new), with the desa's operator as
assignee and a due date. Runs on plain value queries and bulk inserts (COPY on PostgreSQL,
DESIGN rule 4): 300,000 families take seconds, not minutes (benchmarks/RESULTS.md).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import polars as pl
from django.db import transaction
from django.utils import timezone

from padu.accounts import access
from padu.accounts.models import RoleAssignment
from padu.core.audit import audit_write
from padu.core.bulk import insert_frame
from padu.linkage.models import Member, ReviewItem
from padu.quality.models import Finding
from padu.registry.models import Keluarga, Person, Status
from padu.verval.config import settings, stage_roles
from padu.verval.models import DesilAcuan, Periode, Tahap, Tugas
from padu.verval.services import VervalError, VervalForbidden
from padu.verval.services.periode import window_check
from padu.verval.services.usulan import require_desa_actor
from padu.welfare.models import KeluargaScore

BATCH = 5_000
TASK_COLUMNS = {
    "kode_desa": pl.String, "jenis": pl.String, "keluarga_id": pl.Int64, "person_id": pl.Int64,
    "kunci": pl.String, "uraian": pl.String, "penanggung_id": pl.Int64,
}  # fmt: skip


@dataclass(frozen=True)
class Item:
    jenis: str
    kode_desa: str
    kunci: str
    uraian: str
    keluarga_id: int | None = None
    person_id: int | None = None


def _findings(prefix: str) -> Iterator[Item]:
    per_family: dict[int, list[str]] = defaultdict(list)
    desa: dict[int, str] = {}
    rows = Finding.objects.filter(severity="error", kode_desa__startswith=prefix).values_list(
        "keluarga_id", "kode_desa", "rule"
    )
    for keluarga_id, kode_desa, rule in rows.iterator(chunk_size=BATCH):
        if keluarga_id is None:
            continue
        per_family[keluarga_id].append(rule)
        desa[keluarga_id] = kode_desa
    for keluarga_id, rules in per_family.items():
        names = ", ".join(sorted(set(rules))[:4])
        yield Item(
            Tugas.Jenis.TEMUAN, desa[keluarga_id], f"temuan:{keluarga_id}",
            f"{len(rules)} galat kualitas data ({names}): periksa dan perbaiki saat kunjungan.",
            keluarga_id,
        )  # fmt: skip


def _pairs(prefix: str) -> Iterator[Item]:
    rows = ReviewItem.objects.filter(
        status=ReviewItem.Status.MENUNGGU, kode_desa_l__startswith=prefix
    ).values_list("pk", "kode_desa_l", "person_l", "person_r", "match_probability")
    persons: dict[int, int] = {}
    items = list(rows.iterator(chunk_size=BATCH))
    ids = {r[2] for r in items}
    for pk, keluarga_id in Person.all_objects.filter(pk__in=ids).values_list("pk", "keluarga_id"):
        persons[pk] = keluarga_id
    for pk, kode_desa, left, right, probability in items:
        yield Item(
            Tugas.Jenis.GANDA, kode_desa, f"ganda:{pk}",
            f"Kemungkinan orang yang sama ({probability:.0%}) dengan orang #{right}: "
            "pastikan di lapangan, lalu putuskan di Sinkronisasi.",
            persons.get(left), left,
        )  # fmt: skip


def _deceased(prefix: str) -> Iterator[Item]:
    dead = Member.objects.filter(
        cluster__active=True, person__status_hidup=2, cluster__kode_desa__startswith=prefix
    ).values_list("cluster_id", "source_name")
    reported: dict[int, str] = {}
    # A plain query, not a server-side cursor: PostgreSQL plans cursors for the first rows
    # (nested loops over a million members, 14 s instead of 2.6 s); the rows are few.
    for cluster_id, source in dead:
        reported.setdefault(cluster_id, source or "sumber lain")
    if not reported:
        return
    alive = (
        Member.objects.filter(cluster_id__in=list(reported), person__status=Status.AKTIF)
        .exclude(person__status_hidup=2)
        .values_list(
            "cluster_id", "person_id", "person__keluarga_id", "person__keluarga__kode_desa"
        )
    )
    for cluster_id, person_id, keluarga_id, kode_desa in alive.iterator(chunk_size=BATCH):
        yield Item(
            Tugas.Jenis.MENINGGAL, kode_desa, f"meninggal:{person_id}",
            f"Dilaporkan meninggal oleh {reported[cluster_id]}: pastikan dan usulkan "
            "nonaktif bila benar.",
            keluarga_id, person_id,
        )  # fmt: skip


def _not_verified(prefix: str, now: dt.datetime) -> Iterator[Item]:
    months = int(settings()["daftar_kerja"]["belum_diverifikasi_bulan"])
    cutoff = now - dt.timedelta(days=round(months * 30.44))
    rows = (
        Keluarga.objects.filter(kode_desa__startswith=prefix, status=Status.AKTIF)
        .exclude(verified_at__gte=cutoff)
        .values_list("pk", "kode_desa", "verified_at")
    )
    for pk, kode_desa, verified in rows.iterator(chunk_size=BATCH):
        when = f"terakhir {verified:%d-%m-%Y}" if verified else "belum pernah"
        yield Item(
            Tugas.Jenis.BELUM_DIVERIFIKASI, kode_desa, f"belum:{pk}",
            f"Belum diverifikasi lebih dari {months} bulan ({when}): kunjungi rumahnya.", pk,
        )  # fmt: skip


def _desil(prefix: str, now: dt.datetime) -> Iterator[Item]:
    """Families whose desil moved by the threshold since the last generation; the current
    desil becomes the new reference (the first generation only records it)."""
    threshold = int(settings()["daftar_kerja"]["selisih_desil"])
    current = dict(
        KeluargaScore.objects.filter(keluarga__kode_desa__startswith=prefix).values_list(
            "keluarga_id", "desil"
        )
    )
    earlier = dict(
        DesilAcuan.objects.filter(keluarga__kode_desa__startswith=prefix).values_list(
            "keluarga_id", "desil"
        )
    )
    moved = [k for k, d in current.items() if k in earlier and abs(d - earlier[k]) >= threshold]
    desa: dict[int, str] = {}
    for chunk in _chunks(moved):
        desa.update(Keluarga.objects.filter(pk__in=chunk).values_list("pk", "kode_desa"))
    for pk in moved:
        yield Item(
            Tugas.Jenis.DESIL, desa[pk], f"desil:{pk}:{earlier[pk]}-{current[pk]}",
            f"Desil berubah dari {earlier[pk]} ke {current[pk]}: pastikan kondisi keluarga.", pk,
        )  # fmt: skip
    stale = [k for k, d in current.items() if earlier.get(k) != d]
    for chunk in _chunks([k for k in stale if k in earlier]):
        DesilAcuan.objects.filter(keluarga_id__in=chunk).delete()
    frame = pl.DataFrame(
        {"keluarga_id": stale, "desil": [current[k] for k in stale]},
        schema={"keluarga_id": pl.Int64, "desil": pl.Int16},
    )
    insert_frame(DesilAcuan._meta.db_table, frame, constants={"dicatat": _naive(now)})


def _warga(prefix: str) -> Iterator[Item]:
    """Usul and sanggah residents sent while no period's desa window was open (layanan)."""
    from padu.layanan.selectors import pending_items

    for jenis, kode_desa, kunci, uraian, keluarga_id in pending_items(prefix):
        yield Item(jenis, kode_desa, kunci, uraian, keluarga_id)


def _chunks(ids: list[int]) -> Iterator[list[int]]:
    """Id lists small enough for one query's parameters (SQLite, PostgreSQL limits)."""
    for start in range(0, len(ids), BATCH):
        yield ids[start : start + BATCH]


def _naive(moment: dt.datetime) -> dt.datetime:
    """UTC without tzinfo, as the bulk writers take timestamps."""
    return moment.astimezone(dt.UTC).replace(tzinfo=None)


def _operators(prefix: str) -> dict[str, int]:
    """The operator desa of each desa (the first by user id), the default assignee."""
    rows = (
        RoleAssignment.objects.filter(
            role__code="operator-desa", region_prefix__startswith=prefix, user__is_active=True
        )
        .order_by("user_id")
        .values_list("region_prefix", "user_id")
    )
    out: dict[str, int] = {}
    for code, user_id in rows:
        out.setdefault(code.strip().rstrip("."), user_id)
    return out


@transaction.atomic
def worklist_generate(
    *, actor: Any, periode: Periode, today: dt.date | None = None
) -> dict[str, int]:
    """Create the period's tasks for every desa of its kabupaten; returns new tasks by kind."""
    prefix = periode.kode_kabupaten + "."
    if not access.can_act_as(actor, stage_roles("daftar_kerja"), prefix):
        raise VervalForbidden(
            "Daftar kerja dibuat oleh Dinas Sosial kabupaten/kota (atau admin provinsi)."
        )
    window_check(periode, Tahap.DESA, today)
    conf = settings()["daftar_kerja"]
    now = timezone.now()
    today = today or timezone.localdate()
    due = min(today + dt.timedelta(days=int(conf["batas_hari"])), periode.batas_desa)
    cap = int(conf["maks_per_jenis_per_desa"])
    known = set(Tugas.objects.filter(periode=periode).values_list("kunci", flat=True))
    counts: Counter[tuple[str, str]] = Counter(
        Tugas.objects.filter(periode=periode).values_list("kode_desa", "jenis")
    )
    operators = _operators(prefix)
    sources = (_findings(prefix), _pairs(prefix), _deceased(prefix),
               _not_verified(prefix, now), _desil(prefix, now), _warga(prefix))  # fmt: skip
    new: list[tuple[Any, ...]] = []
    made: Counter[str] = Counter()
    for source in sources:
        for item in source:
            if item.kunci in known or counts[(item.kode_desa, item.jenis)] >= cap:
                continue
            known.add(item.kunci)
            counts[(item.kode_desa, item.jenis)] += 1
            made[item.jenis] += 1
            new.append(
                (item.kode_desa, str(item.jenis), item.keluarga_id, item.person_id, item.kunci,
                 item.uraian[:500], operators.get(item.kode_desa))
            )  # fmt: skip
    frame = pl.DataFrame(new, schema=TASK_COLUMNS, orient="row")
    insert_frame(
        Tugas._meta.db_table, frame,
        constants={"periode_id": periode.pk, "batas": due, "status": Tugas.Status.TERBUKA.value,
                   "hasil": "", "created_at": _naive(now), "updated_at": _naive(now)},
    )  # fmt: skip
    result = {str(k): v for k, v in made.items()}
    audit_write(
        actor=actor, action="verval.worklist_generate", obj=periode, region_code=prefix,
        detail={"baru": len(new), **result},
    )  # fmt: skip
    return result


@transaction.atomic
def tugas_assign(
    *, actor: Any, tugas: Tugas, penanggung: Any, batas: dt.date | None = None
) -> Tugas:
    """Give a task to someone who works in its desa (operator, OPD team, pendamping)."""
    require_desa_actor(actor, tugas.kode_desa)
    if tugas.status != Tugas.Status.TERBUKA:
        raise VervalError("Tugas ini sudah selesai atau dibatalkan; tidak dapat diberikan lagi.")
    if not access.can_act_as(penanggung, stage_roles("desa"), tugas.kode_desa):
        raise VervalError(
            f"{penanggung.get_username()} tidak bekerja di desa {tugas.kode_desa}; pilih petugas "
            "desa itu (operator desa, tim OPD, pendamping)."
        )
    if batas is not None and batas < timezone.localdate():
        raise VervalError(f"Batas {batas:%d-%m-%Y} sudah lewat; pilih hari ini atau sesudahnya.")
    tugas.penanggung = penanggung
    if batas is not None:
        tugas.batas = batas
    tugas.save(update_fields=["penanggung", "batas", "updated_at"])
    audit_write(actor=actor, action="verval.tugas_assign", obj=tugas, region_code=tugas.kode_desa,
                detail={"penanggung": penanggung.pk})  # fmt: skip
    return tugas
