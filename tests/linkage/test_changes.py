"""Merges and splits by a reviewer: exact membership, undo restores it exactly, decisions
and audit rows; refusals outside the reviewer's region or on stale clusters."""

from __future__ import annotations

from typing import Any

import pytest

from padu.accounts.services import user_upsert
from padu.core.models import AuditLog
from padu.linkage import services
from padu.linkage.models import Cluster, ClusterChange, Decision, LinkageRun, Member

pytestmark = pytest.mark.django_db


def _members(cluster_id: int) -> set[int]:
    return set(Member.objects.filter(cluster_id=cluster_id).values_list("person_id", flat=True))


def _snapshot() -> dict[int, set[int]]:
    out: dict[int, set[int]] = {}
    for person, cluster in Member.objects.filter(cluster__active=True).values_list(
        "person_id", "cluster_id"
    ):
        out.setdefault(cluster, set()).add(person)
    return out


def test_merge_split_and_undo_restore_exact_membership(linked: LinkageRun, kab_user: Any) -> None:
    big = Cluster.objects.filter(active=True, size__gte=3).order_by("pk")[0]
    other = Cluster.objects.filter(active=True, size__gte=2).exclude(pk=big.pk).order_by("pk")[0]
    start = _snapshot()
    big_members, other_members = _members(big.pk), _members(other.pk)

    merge = services.clusters_merge(
        actor=kab_user, cluster_ids=[big.pk, other.pk], reason="uji gabung"
    )
    assert _members(big.pk) == big_members | other_members
    assert not Cluster.objects.get(pk=other.pk).active
    big.refresh_from_db()
    assert big.size == len(big_members | other_members)
    assert Decision.objects.filter(change=merge, verdict="sama", active=True).count() == 1

    moved = sorted(other_members)[:1] + sorted(big_members)[:1]
    split = services.cluster_split(
        actor=kab_user, cluster_id=big.pk, person_ids=moved, reason="uji pisah"
    )
    (new_id,) = [int(c) for c in split.after if int(c) != big.pk]
    assert _members(new_id) == set(moved)
    assert _members(big.pk) == (big_members | other_members) - set(moved)
    stay = len(big_members | other_members) - len(moved)
    assert Decision.objects.filter(change=split, verdict="beda").count() == len(moved) * stay

    # the split cannot be skipped over: undo the merge first is refused
    with pytest.raises(services.ReviewError, match="berubah lagi"):
        services.change_undo(actor=kab_user, change=merge)
    services.change_undo(actor=kab_user, change=split, reason="keliru")
    assert _members(big.pk) == big_members | other_members
    assert not Cluster.objects.get(pk=new_id).active and not _members(new_id)
    services.change_undo(actor=kab_user, change=merge, reason="keliru juga")
    assert _snapshot() == start  # exactly the membership before the merge
    assert _members(other.pk) == other_members and Cluster.objects.get(pk=other.pk).active
    assert not Decision.objects.filter(change__in=[merge, split], active=True).exists()
    with pytest.raises(services.ReviewError, match="sudah dibatalkan"):
        services.change_undo(actor=kab_user, change=merge)

    # audit: one row per change, with the membership before
    actions = list(
        AuditLog.objects.filter(action__startswith="linkage.")
        .exclude(action__in=["linkage.mulai", "linkage.selesai"])
        .order_by("id")
        .values_list("action", "actor_id", "object_id")
    )
    undos = ClusterChange.objects.filter(kind="batal").order_by("id")
    assert actions == [
        ("linkage.gabung", kab_user.pk, str(merge.pk)),
        ("linkage.pisah", kab_user.pk, str(split.pk)),
        ("linkage.batal", kab_user.pk, str(undos[0].pk)),
        ("linkage.batal", kab_user.pk, str(undos[1].pk)),
    ]
    row = AuditLog.objects.get(action="linkage.gabung")
    assert row.detail["sebelum"] == {
        str(big.pk): sorted(big_members),
        str(other.pk): sorted(other_members),
    }
    assert undos[1].undoes_id == merge.pk and undos[0].undoes_id == split.pk


def test_golden_record_follows_membership(linked: LinkageRun, kab_user: Any) -> None:
    cluster = next(
        c
        for c in Cluster.objects.filter(active=True, size__gte=2)
        if "DUKCAPIL" in {m.source_name for m in c.members.all()}
    )
    dukcapil = Member.objects.get(cluster=cluster, source_name="DUKCAPIL").person_id
    assert cluster.golden["nama"]["orang"] == dukcapil
    services.cluster_split(actor=kab_user, cluster_id=cluster.pk, person_ids=[dukcapil])
    cluster.refresh_from_db()
    assert cluster.golden["nama"]["orang"] != dukcapil
    assert cluster.golden["nama"]["orang"] in _members(cluster.pk)


def test_changes_need_write_rights_over_every_member(linked: LinkageRun) -> None:
    cluster = Cluster.objects.filter(active=True, size__gte=2).order_by("pk")[0]
    desa = cluster.members.first().kode_desa  # type: ignore[union-attr]
    elsewhere = "33.17.01.2001"
    outsider = user_upsert(
        actor=None, username="op-lain", password="x", assignments=[("operator-desa", elsewhere)]
    )
    viewer = user_upsert(actor=None, username="lihat", password="x", assignments=[("viewer", "")])
    for user in (outsider, viewer):
        with pytest.raises(services.ReviewError, match="tidak boleh Anda ubah"):
            services.cluster_split(
                actor=user,
                cluster_id=cluster.pk,
                person_ids=[cluster.members.first().person_id],  # type: ignore[union-attr]
            )
    assert desa
    others = Cluster.objects.filter(active=True).exclude(pk=cluster.pk).order_by("pk")[0]
    with pytest.raises(services.ReviewError, match="tidak boleh Anda ubah"):
        services.clusters_merge(actor=outsider, cluster_ids=[cluster.pk, others.pk])
    assert not ClusterChange.objects.exists()


def test_a_split_must_leave_someone_behind(linked: LinkageRun, kab_user: Any) -> None:
    cluster = Cluster.objects.filter(active=True, size__gte=2).order_by("pk")[0]
    everyone = sorted(_members(cluster.pk))
    with pytest.raises(services.ReviewError, match="sebagian anggota"):
        services.cluster_split(actor=kab_user, cluster_id=cluster.pk, person_ids=everyone)
    with pytest.raises(services.ReviewError, match="dua klaster"):
        services.clusters_merge(actor=kab_user, cluster_ids=[cluster.pk])


def test_a_rerun_keeps_reviewers_merges_and_splits(linked: LinkageRun, kab_user: Any) -> None:
    from tests.linkage.conftest import full_run

    a, b, c = Cluster.objects.filter(active=True, size__gte=2).order_by("pk")[:3]
    merged = _members(a.pk) | _members(b.pk)
    services.clusters_merge(actor=kab_user, cluster_ids=[a.pk, b.pk])
    split_off = sorted(_members(c.pk))[:1]
    stay = _members(c.pk) - set(split_off)
    services.cluster_split(actor=kab_user, cluster_id=c.pk, person_ids=split_off)
    full_run(kab_user)
    now = dict(Member.objects.filter(cluster__active=True).values_list("person_id", "cluster_id"))
    assert len({now[p] for p in merged}) == 1  # still one person
    assert now[split_off[0]] not in {now[p] for p in stay}  # still apart
