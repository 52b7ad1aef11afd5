"""Reviewers' writes: decide a review item, merge clusters, split a cluster, undo a change.

Every change keeps the membership before and after (:class:`ClusterChange`), so an undo
restores exactly the previous membership; every change writes an audit row and the
decisions that later runs respect (merge: the same person; split: different people).
The user must be allowed to change data of every desa involved (``access.py``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone

from padu.accounts import access
from padu.core.audit import audit_write
from padu.linkage import store
from padu.linkage.models import (
    ChangedCluster,
    Cluster,
    ClusterChange,
    Decision,
    Member,
    ReviewItem,
)


class ReviewError(ValueError):
    """A change that cannot be made (message in Bahasa Indonesia, says how to fix)."""


def _membership(cluster_ids: Iterable[int]) -> dict[str, list[int]]:
    ids = sorted(set(cluster_ids))
    out: dict[str, list[int]] = {str(c): [] for c in ids}
    for cluster_id, person_id in Member.objects.filter(cluster_id__in=ids).values_list(
        "cluster_id", "person_id"
    ):
        out[str(cluster_id)].append(person_id)
    return {k: sorted(v) for k, v in out.items()}


def _require_write(actor: Any, cluster_ids: Iterable[int]) -> None:
    desa = set(
        Member.objects.filter(cluster_id__in=list(cluster_ids)).values_list("kode_desa", flat=True)
    )
    refused = sorted(d or "(tanpa desa)" for d in desa if not access.can_write_region(actor, d))
    if refused:
        raise ReviewError(
            f"Klaster ini memuat rekaman dari wilayah yang tidak boleh Anda ubah "
            f"({', '.join(refused[:3])}). Minta petugas wilayah itu atau tingkat di atasnya."
        )


def _active(cluster_ids: Sequence[int]) -> list[Cluster]:
    clusters = list(Cluster.objects.select_for_update().filter(pk__in=list(cluster_ids)))
    if len(clusters) != len(set(cluster_ids)) or not all(c.active for c in clusters):
        raise ReviewError(
            "Klaster sudah tidak berlaku (diganti proses linkage baru atau perubahan lain). "
            "Muat ulang halaman lalu ulangi."
        )
    return clusters


def _apply(mapping: dict[str, list[int]], involved: Iterable[int]) -> None:
    involved = list(involved)
    for cluster_id, persons in mapping.items():
        Member.objects.filter(cluster_id__in=involved, person_id__in=persons).update(
            cluster_id=int(cluster_id)
        )
    store.refresh_clusters(involved)


def _decide_pairs(
    actor: Any, change: ClusterChange | None, pairs: Iterable[tuple[int, int]], verdict: str
) -> list[Decision]:
    rows = []
    for a, b in pairs:
        a, b = min(a, b), max(a, b)
        Decision.objects.filter(person_a=a, person_b=b, active=True).update(active=False)
        rows.append(Decision(person_a=a, person_b=b, verdict=verdict, change=change, actor=actor))
    return Decision.objects.bulk_create(rows)


def _record(
    actor: Any,
    kind: str,
    reason: str,
    before: dict[str, list[int]],
    after: dict[str, list[int]],
    **extra: Any,
) -> ClusterChange:
    change = ClusterChange.objects.create(
        kind=kind, actor=actor, reason=reason[:500], before=before, after=after, **extra
    )
    ChangedCluster.objects.bulk_create(
        [ChangedCluster(change=change, cluster_id=int(c)) for c in set(before) | set(after)]
    )
    return change


def clusters_merge(*, actor: Any, cluster_ids: Sequence[int], reason: str = "") -> ClusterChange:
    """Merge clusters into the first one: the same person."""
    ids = list(dict.fromkeys(int(c) for c in cluster_ids))
    if len(ids) < 2:
        raise ReviewError("Pilih paling sedikit dua klaster untuk digabung.")
    with transaction.atomic():
        _active(ids)
        _require_write(actor, ids)
        before = _membership(ids)
        target = str(ids[0])
        after = {target: sorted(p for persons in before.values() for p in persons)}
        after.update({str(c): [] for c in ids[1:]})
        change = _record(actor, ClusterChange.Kind.GABUNG, reason, before, after)
        _apply(after, ids)
        firsts = [before[str(c)][0] for c in ids if before[str(c)]]
        _decide_pairs(actor, change, [(firsts[0], other) for other in firsts[1:]], "sama")
        audit_write(
            actor=actor,
            action="linkage.gabung",
            obj=change,
            region_code=Cluster.objects.get(pk=ids[0]).kode_desa,
            detail={"klaster": ids, "sebelum": before, "alasan": reason},
        )
    return change


def cluster_split(
    *, actor: Any, cluster_id: int, person_ids: Sequence[int], reason: str = ""
) -> ClusterChange:
    """Move ``person_ids`` out of a cluster into a new one: different people."""
    moved = sorted({int(p) for p in person_ids})
    with transaction.atomic():
        (cluster,) = _active([cluster_id])
        _require_write(actor, [cluster_id])
        before = _membership([cluster_id])
        members = before[str(cluster_id)]
        if not moved or not set(moved) < set(members):
            raise ReviewError(
                "Pilih sebagian anggota klaster untuk dipisah (bukan semua, bukan yang lain)."
            )
        fresh = Cluster.objects.create(run=cluster.run, active=True)
        before[str(fresh.pk)] = []
        stay = [p for p in members if p not in moved]
        after = {str(cluster_id): stay, str(fresh.pk): moved}
        change = _record(actor, ClusterChange.Kind.PISAH, reason, before, after)
        _apply(after, [cluster_id, fresh.pk])
        _decide_pairs(actor, change, [(a, b) for a in moved for b in stay], "beda")
        audit_write(
            actor=actor,
            action="linkage.pisah",
            obj=change,
            region_code=cluster.kode_desa,
            detail={
                "klaster": cluster_id,
                "klaster_baru": fresh.pk,
                "dipisah": moved,
                "alasan": reason,
            },
        )
    return change


def change_undo(*, actor: Any, change: ClusterChange, reason: str = "") -> ClusterChange:
    """Restore exactly the membership before ``change`` (and withdraw its decisions)."""
    with transaction.atomic():
        change = ClusterChange.objects.select_for_update().get(pk=change.pk)
        if change.kind == ClusterChange.Kind.BATAL or hasattr(change, "undone_by"):
            raise ReviewError("Perubahan ini sudah dibatalkan atau merupakan pembatalan.")
        if change.kind == ClusterChange.Kind.PROSES:
            raise ReviewError(
                "Perubahan oleh proses linkage tidak dapat dibatalkan di sini. Gabung atau pisah "
                "klasternya bila keliru, atau jalankan proses penuh lagi."
            )
        ids = [int(c) for c in change.after]
        clusters = list(Cluster.objects.select_for_update().filter(pk__in=ids))
        current = _membership(ids)
        expected = {k: sorted(v) for k, v in change.after.items()}
        if current != expected or any(not c.active for c in clusters if expected.get(str(c.pk))):
            raise ReviewError(
                "Klaster sudah berubah lagi sesudah perubahan ini (oleh perubahan atau proses "
                "linkage lain). Batalkan perubahan yang lebih baru dulu."
            )
        _require_write(actor, ids)
        undo = _record(
            actor, ClusterChange.Kind.BATAL, reason, change.after, change.before, undoes=change
        )
        Cluster.objects.filter(pk__in=[int(c) for c, p in change.before.items() if p]).update(
            active=True
        )
        _apply(change.before, ids)
        change.decisions.update(active=False)
        ReviewItem.objects.filter(decision__change=change).update(
            status=ReviewItem.Status.MENUNGGU, decided_by=None, decided_at=None
        )
        audit_write(
            actor=actor,
            action="linkage.batal",
            obj=undo,
            detail={"membatalkan": change.pk, "dipulihkan": change.before, "alasan": reason},
        )
    return undo


def _cluster_of(person_id: int) -> int | None:
    return (
        Member.objects.filter(person_id=person_id, cluster__active=True)
        .values_list("cluster_id", flat=True)
        .first()
    )


def review_decide(*, actor: Any, item: ReviewItem, verdict: str) -> ReviewItem:
    """``sama``: merge the two records' clusters; ``beda``: keep (or put) them apart;
    ``lewati``: leave it for later. The decision binds later runs."""
    if verdict not in ("sama", "beda", "lewati"):
        raise ReviewError("Keputusan harus 'sama', 'beda' atau 'lewati'.")
    for code in (item.kode_desa_l, item.kode_desa_r):
        if not access.can_write_region(actor, code):
            raise ReviewError("Pasangan ini memuat rekaman di luar wilayah yang boleh Anda ubah.")
    with transaction.atomic():
        item = ReviewItem.objects.select_for_update().get(pk=item.pk)
        if item.status in (ReviewItem.Status.SAMA, ReviewItem.Status.BEDA):
            raise ReviewError("Pasangan ini sudah diputuskan. Batalkan dari riwayat bila keliru.")
        item.decided_by, item.decided_at = actor, timezone.now()
        item.status = verdict
        if verdict == "lewati":
            item.save(update_fields=["status", "decided_by", "decided_at"])
            return item
        left, right = _cluster_of(item.person_l), _cluster_of(item.person_r)
        change = None
        if verdict == "sama" and left and right and left != right:
            change = clusters_merge(actor=actor, cluster_ids=[left, right], reason="tinjauan")
        elif verdict == "beda" and left and left == right:
            change = cluster_split(
                actor=actor, cluster_id=left, person_ids=[item.person_r], reason="tinjauan"
            )
        if change is not None:
            Decision.objects.filter(change=change).update(active=False)
        (decision,) = _decide_pairs(actor, change, [(item.person_l, item.person_r)], verdict)
        item.decision = decision
        item.save(update_fields=["status", "decided_by", "decided_at", "decision"])
        audit_write(
            actor=actor,
            action=f"linkage.tinjau.{verdict}",
            obj=item,
            region_code=item.kode_desa_l,
            detail={
                "orang": [item.person_l, item.person_r],
                "perubahan": change.pk if change else None,
            },
        )
    return item
