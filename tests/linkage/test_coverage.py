"""Runs over part of the register keep everyone in exactly one current cluster, reviewers'
decisions hold across them, and incremental runs link again persons whose identity changed."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest

from padu.intake.models import ImportRun
from padu.linkage import selectors, services
from padu.linkage.models import (
    ChangedCluster,
    Cluster,
    ClusterChange,
    Decision,
    LinkageRun,
    Member,
    ReviewItem,
)
from padu.linkage.runs import LinkageError, linkage_run_create, linkage_run_execute
from padu.registry.models import Person
from tests.linkage.conftest import World, full_run
from tests.linkage.world import load_sources

pytestmark = pytest.mark.django_db


def _current() -> dict[int, int]:
    rows = list(Member.objects.filter(cluster__active=True).values_list("person_id", "cluster_id"))
    counts = Counter(p for p, _ in rows)
    assert not [p for p, n in counts.items() if n > 1], "a person in two current clusters"
    return dict(rows)


def _assert_everyone_once_and_decisions_hold() -> dict[int, int]:
    current = _current()
    assert set(current) == set(Person.objects.values_list("pk", flat=True))
    for a, b, verdict in Decision.objects.filter(active=True).values_list(
        "person_a", "person_b", "verdict"
    ):
        assert (current[a] == current[b]) == (verdict == "sama"), (a, b, verdict)
    for cluster in Cluster.objects.filter(active=True):
        members = set(Member.objects.filter(cluster=cluster).values_list("person_id", flat=True))
        assert cluster.size == len(members) > 0
        assert {v["orang"] for v in cluster.golden.values()} <= members  # golden from members
    return current


def _item(run: LinkageRun, a: int, b: int) -> ReviewItem:
    pa, pb = Person.objects.select_related("keluarga").in_bulk([a, b]).values()
    return ReviewItem.objects.create(
        run=run, person_l=a, person_r=b, kode_desa_l=pa.keluarga.kode_desa,
        kode_desa_r=pb.keluarga.kode_desa, match_probability=0.7, gammas={},
    )  # fmt: skip


def _singles(source: str, exclude: bool = False) -> list[int]:
    rows = Member.objects.filter(cluster__active=True, cluster__size=1)
    rows = rows.exclude(source_name=source) if exclude else rows.filter(source_name=source)
    return list(rows.order_by("person_id").values_list("person_id", flat=True))


def test_runs_over_fewer_sources_or_a_smaller_region_leave_nobody_without_a_cluster(
    world: World, linked: LinkageRun, kab_user: Any
) -> None:
    # reviewers: a split inside a cluster, and a merge of a Dukcapil record with another
    # source's record (the Dukcapil one is covered by the next run, the other is not)
    split = Member.objects.filter(
        cluster__active=True, cluster__size__gte=3, linked_to__isnull=False
    ).order_by("pk")[0]
    services.review_decide(
        actor=kab_user,
        item=_item(linked, split.person_id, int(split.linked_to or 0)),
        verdict="beda",
    )
    c, d = _singles("DUKCAPIL")[0], _singles("DUKCAPIL", exclude=True)[0]
    services.review_decide(actor=kab_user, item=_item(linked, c, d), verdict="sama")
    before = _assert_everyone_once_and_decisions_hold()
    dtks = set(Member.objects.filter(source_name="DTKS").values_list("person_id", flat=True))

    only_dukcapil = full_run(kab_user, source_ids=[world.sources["DUKCAPIL"].pk])
    assert only_dukcapil.status == "selesai", only_dukcapil.error_message
    after = _assert_everyone_once_and_decisions_hold()
    assert only_dukcapil.counts["sisa_klaster_lama"] > 0
    # records the run did not cover stay together as they were (DTKS is never covered)
    for a in dtks:
        for b in dtks:
            if a < b and before[a] == before[b]:
                assert after[a] == after[b]
    # the remainders are traceable: a change by the run, found through the cluster's history
    remainder = Cluster.objects.filter(run=only_dukcapil, active=True).exclude(
        members__source_name="DUKCAPIL"
    )[0]
    change = selectors.changes_visible(kab_user, remainder).get(kind="proses")
    assert change.run_id == only_dukcapil.pk
    assert sorted(change.after[str(remainder.pk)]) == sorted(
        Member.objects.filter(cluster=remainder).values_list("person_id", flat=True)
    )
    (old,) = [int(k) for k in change.before]
    assert not Cluster.objects.get(pk=old).active
    assert ChangedCluster.objects.filter(change=change, cluster_id=old).exists()
    with pytest.raises(services.ReviewError, match="proses linkage"):
        services.change_undo(actor=kab_user, change=change)

    # a run over one desa: the rest of the kabupaten keeps its clusters
    desa = Person.objects.values_list("keluarga__kode_desa", flat=True).order_by("pk")[0]
    one_desa = full_run(kab_user, desa)
    assert one_desa.status == "selesai", one_desa.error_message
    _assert_everyone_once_and_decisions_hold()


def test_incremental_run_links_again_persons_whose_identity_changed(
    world: World, linked: LinkageRun, kab_user: Any
) -> None:
    current = _current()
    sizes = Counter(current.values())
    moved = next(p for p, c in sorted(current.items()) if sizes[c] >= 3)
    old_cluster = current[moved]
    # another true person: the record is corrected to that person's identity
    target = next(p for p, c in sorted(current.items()) if sizes[c] >= 2 and c != old_cluster)
    source = Person.objects.get(pk=target)
    Person.objects.filter(pk=moved).update(
        nik=source.nik, nama=source.nama, tgl_lahir=source.tgl_lahir, no_kk=source.no_kk,
        jenis_kelamin=source.jenis_kelamin, nama_ibu=source.nama_ibu,
        keluarga=source.keluarga,
    )  # fmt: skip
    load_sources(world.folder, world.records, ("BLT_DD",))
    new_import = ImportRun.objects.get(source__name="BLT_DD", table="art")
    run = linkage_run_execute(
        run=linkage_run_create(
            actor=kab_user, region_prefix="33.16", kind="inkremental", import_run=new_import
        )
    )
    assert run.status == "selesai", run.error_message
    assert run.counts["identitas_berubah"] == 1  # only the changed one, not everyone
    after = _assert_everyone_once_and_decisions_hold()
    assert after[moved] == after[target] != old_cluster
    cluster = Cluster.objects.get(pk=old_cluster)
    assert cluster.active and moved not in {v["orang"] for v in cluster.golden.values()}
    change = ClusterChange.objects.get(run=run, kind="proses")
    assert moved in change.before[str(old_cluster)]
    assert moved not in change.after[str(old_cluster)]
    # linked again with the new identity: a second incremental run relinks nobody
    again = linkage_run_create(
        actor=kab_user, region_prefix="33.16", kind="inkremental", import_run=new_import
    )
    with pytest.raises(LinkageError, match="identitasnya berubah"):
        linkage_run_execute(run=again)
