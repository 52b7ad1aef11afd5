"""Linkage runs on a small multi-source register: clusters, golden records, review items,
decisions respected by a rerun, incremental linking, the command, failures."""

from __future__ import annotations

from collections import Counter
from io import StringIO
from typing import Any

import polars as pl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from padu.core.models import AuditLog
from padu.intake.models import ImportRun
from padu.linkage import services
from padu.linkage.models import Cluster, Decision, LinkageRun, Member, ReviewItem
from padu.linkage.runs import LinkageError, linkage_run_create, linkage_run_execute
from padu.registry.models import Person
from tests.linkage.conftest import World, full_run
from tests.linkage.world import load_sources, truth_of_register

pytestmark = pytest.mark.django_db


def _membership() -> dict[int, int]:
    """person -> active cluster."""
    return dict(Member.objects.filter(cluster__active=True).values_list("person_id", "cluster_id"))


def test_full_run_clusters_every_person_once_and_finds_the_same_people(
    world: World, linked: LinkageRun
) -> None:
    assert linked.status == LinkageRun.Status.SELESAI, linked.error_message
    persons = set(Person.objects.values_list("pk", flat=True))
    rows = list(Member.objects.filter(cluster__active=True).values_list("person_id", flat=True))
    assert sorted(rows) == sorted(persons)  # every person exactly once
    assert linked.counts["rekaman"] == len(persons)
    # pairwise precision and recall against the synthetic truth
    truth = truth_of_register(world.truth)
    membership = _membership()
    by_cluster: dict[int, list[int]] = {}
    for person, cluster in membership.items():
        by_cluster.setdefault(cluster, []).append(person)
    linked_pairs = {
        (a, b) for members in by_cluster.values() for a in members for b in members if a < b
    }
    by_truth: dict[str, list[int]] = {}
    for person, true_id in truth.items():
        by_truth.setdefault(true_id, []).append(person)
    true_pairs = {(a, b) for ms in by_truth.values() for a in ms for b in ms if a < b}
    correct = len(linked_pairs & true_pairs)
    assert correct / len(linked_pairs) >= 0.97
    assert correct / len(true_pairs) >= 0.9
    # sizes, stored explanation of each link
    for shown in Cluster.objects.filter(active=True, size__gt=1)[:20]:
        members = list(shown.members.all())
        assert shown.size == len(members)
        linked_members = [m for m in members if m.linked_to]
        assert linked_members and all(m.gammas and m.match_probability for m in linked_members)
    assert AuditLog.objects.filter(action="linkage.selesai", object_id=str(linked.pk)).exists()


def test_golden_record_takes_identity_from_dukcapil_and_keeps_provenance(
    linked: LinkageRun,
) -> None:
    checked = 0
    for cluster in Cluster.objects.filter(active=True, size__gt=1):
        members = {m.person_id: m for m in cluster.members.all()}
        dukcapil = [p for p, m in members.items() if m.source_name == "DUKCAPIL"]
        if not dukcapil:
            continue
        person = Person.objects.get(pk=min(dukcapil))
        golden = cluster.golden
        assert golden["nama"]["sumber"] == "DUKCAPIL"
        assert golden["nama"]["orang"] in dukcapil
        source_person = Person.objects.get(pk=golden["nama"]["orang"])
        assert golden["nama"]["nilai"] == source_person.nama
        assert golden["nama"]["baris_sumber"] == source_person.source_record_id
        if person.nik:
            assert golden["nik"]["sumber"] == "DUKCAPIL"
        # socio-economic / domicile: the most recently changed member
        latest = max(
            Person.objects.filter(pk__in=list(members)), key=lambda p: (p.updated_at, -p.pk)
        )
        assert golden["kode_desa"]["orang"] == latest.pk
        assert cluster.kode_desa == latest.keluarga.kode_desa
        checked += 1
    assert checked >= 20


def test_survivorship_rules_are_data(linked: LinkageRun, settings: Any, tmp_path: Any) -> None:
    rules = tmp_path / "aturan.yaml"
    rules.write_text(
        "kelompok:\n  - nama: identitas\n    kolom: [nama, nik]\n"
        "    urutan_sumber: [p3ke, siks_ng, dukcapil]\n    lalu: [updated_at]\n",
        encoding="utf-8",
    )
    settings.PADU_LINKAGE_SURVIVORSHIP = str(rules)
    cluster = next(
        c
        for c in Cluster.objects.filter(active=True, size__gt=1)
        if {"P3KE", "DUKCAPIL"} <= {m.source_name for m in c.members.all()}
    )
    from padu.linkage.store import refresh_clusters

    refresh_clusters([cluster.pk])
    cluster.refresh_from_db()
    assert cluster.golden["nama"]["sumber"] == "P3KE"
    assert set(cluster.golden) == {"nama", "nik"}
    rules.write_text("kelompok:\n  - nama: x\n    kolom: [nama]\n    lalu: [kemarin]\n", "utf-8")
    from padu.linkage.golden import SurvivorshipError

    with pytest.raises(SurvivorshipError, match="lalu"):
        refresh_clusters([cluster.pk])


def _pair_in_one_cluster() -> tuple[int, int]:
    member = Member.objects.filter(cluster__active=True, linked_to__isnull=False).order_by("pk")[0]
    return member.person_id, int(member.linked_to or 0)


def _item(run: LinkageRun, a: int, b: int) -> ReviewItem:
    pa, pb = Person.objects.select_related("keluarga").in_bulk([a, b]).values()
    return ReviewItem.objects.create(
        run=run, person_l=a, person_r=b, kode_desa_l=pa.keluarga.kode_desa,
        kode_desa_r=pb.keluarga.kode_desa, match_probability=0.7, gammas={"nik": 4},
    )  # fmt: skip


def test_review_decisions_bind_later_runs(world: World, linked: LinkageRun, kab_user: Any) -> None:
    # A pair the run put together, rejected by a reviewer: apart now and after a rerun.
    a, b = _pair_in_one_cluster()
    services.review_decide(actor=kab_user, item=_item(linked, a, b), verdict="beda")
    membership = _membership()
    assert membership[a] != membership[b]
    # Two people the run kept apart, accepted as one: together now and after a rerun.
    singles = list(
        Member.objects.filter(cluster__active=True, cluster__size=1)
        .order_by("person_id")
        .values_list("person_id", flat=True)[:2]
    )
    c, d = singles
    services.review_decide(actor=kab_user, item=_item(linked, c, d), verdict="sama")
    membership = _membership()
    assert membership[c] == membership[d]
    # the queue's real items: decide them all, none comes back
    for item in ReviewItem.objects.filter(run=linked, status="menunggu"):
        services.review_decide(actor=kab_user, item=item, verdict="beda")
    decided = {
        (min(i.person_l, i.person_r), max(i.person_l, i.person_r))
        for i in ReviewItem.objects.exclude(status="menunggu")
    }
    rerun = full_run(kab_user)
    assert rerun.counts["keputusan_dipakai"] == Decision.objects.filter(active=True).count() >= 2
    membership = _membership()
    assert membership[a] != membership[b]
    assert membership[c] == membership[d]
    assert not Cluster.objects.filter(run=linked, active=True).exists()  # all replaced
    pending = {
        (min(i.person_l, i.person_r), max(i.person_l, i.person_r))
        for i in ReviewItem.objects.filter(run=rerun)
    }
    assert not pending & decided
    for item in ReviewItem.objects.filter(run=rerun):
        assert membership[item.person_l] != membership[item.person_r]


def test_incremental_run_links_a_new_import_against_current_clusters(
    world: World, linked: LinkageRun, kab_user: Any
) -> None:
    before = _membership()
    clusters_before = Counter(before.values())
    load_sources(world.folder, world.records, ("BLT_DD",))
    new_import = ImportRun.objects.get(source__name="BLT_DD", table="art")
    run = linkage_run_execute(
        run=linkage_run_create(
            actor=kab_user, region_prefix="33.16", kind="inkremental", import_run=new_import
        )
    )
    assert run.status == "selesai", run.error_message
    assert run.base_run_id == linked.pk
    new_people = set(Person.objects.filter(import_run=new_import).values_list("pk", flat=True))
    assert run.counts["rekaman_baru"] == len(new_people) > 0
    after = _membership()
    assert set(after) == set(before) | new_people
    # old records kept their clusters; new records joined clusters of the same true person
    assert all(after[p] == c for p, c in before.items())
    truth = truth_of_register(world.truth)
    joined = [p for p in new_people if after[p] in clusters_before]
    assert len(joined) >= len(new_people) * 0.7
    for p in joined:
        others = [q for q, c in before.items() if c == after[p]]
        assert any(truth[q] == truth[p] for q in others)
    for cluster in Cluster.objects.filter(pk__in={after[p] for p in joined}):
        assert cluster.size == cluster.members.count()
    assert "pelatihan" not in run.seconds  # the saved model, not trained again


def test_incremental_needs_a_full_run_first(world: World, kab_user: Any) -> None:
    new_import = ImportRun.objects.filter(table="art").first()
    with pytest.raises(LinkageError, match="proses linkage penuh"):
        linkage_run_create(
            actor=kab_user, region_prefix="33.16", kind="inkremental", import_run=new_import
        )


def test_runs_are_limited_to_the_users_write_scope(world: World) -> None:
    from padu.accounts.services import user_upsert

    operator = user_upsert(
        actor=None, username="op", password="x", assignments=[("operator-desa", "33.16.14.2022")]
    )
    with pytest.raises(LinkageError, match="di luar wilayah"):
        linkage_run_create(actor=operator, region_prefix="33.16")
    with pytest.raises(LinkageError, match="seluruh wilayah"):
        linkage_run_create(actor=operator, region_prefix="")
    viewer = user_upsert(actor=None, username="v", password="x", assignments=[("viewer", "")])
    with pytest.raises(LinkageError, match="tidak boleh"):
        linkage_run_create(actor=viewer, region_prefix="33.16")
    run = full_run(operator, "33.16.14.2022")
    desa = set(Member.objects.filter(cluster__run=run).values_list("kode_desa", flat=True))
    assert desa == {"33.16.14.2022"}
    assert (
        run.counts["rekaman"] == Person.objects.filter(keluarga__kode_desa="33.16.14.2022").count()
    )


def test_run_over_chosen_sources_only(world: World, kab_user: Any) -> None:
    run = full_run(kab_user, source_ids=[world.sources["DUKCAPIL"].pk, world.sources["P3KE"].pk])
    names = set(Member.objects.filter(cluster__run=run).values_list("source_name", flat=True))
    assert names == {"DUKCAPIL", "P3KE"}


def test_a_run_with_nothing_to_link_fails_with_a_reason(kab_user: Any) -> None:
    run = linkage_run_create(actor=kab_user, region_prefix="33.16.01")
    with pytest.raises(LinkageError):
        linkage_run_execute(run=run)
    run.refresh_from_db()
    assert run.status == "gagal" and "Tidak ada orang" in run.error_message


def test_command_runs_with_the_rights_of_a_user(world: World, kab_user: Any) -> None:
    out = StringIO()
    call_command("link_register", "--as-user", kab_user.username, "--wilayah", "33.16", stdout=out)
    assert "selesai" in out.getvalue().lower() and "klaster" in out.getvalue()
    run = LinkageRun.objects.get()
    assert run.actor == kab_user and run.status == "selesai"
    with pytest.raises(CommandError, match="tidak ada atau tidak aktif"):
        call_command("link_register", "--as-user", "siapa", "--wilayah", "33.16")
    with pytest.raises(CommandError, match="Sumber tidak dikenal"):
        call_command("link_register", "--as-user", kab_user.username, "--sumber", "XYZ")
    with pytest.raises(CommandError, match="di luar wilayah"):
        call_command("link_register", "--as-user", kab_user.username, "--wilayah", "33.17")


def test_frame_is_read_in_bulk_with_linkage_columns(world: World) -> None:
    from padu.linkage.frames import linkage_input, read_persons

    persons = read_persons(region_prefix="33.16.", scope=None)
    assert persons.height == Person.objects.count()
    frame = linkage_input(persons)
    from padu.engine.linkage.evidence import INPUT_COLUMNS

    assert frame.columns == INPUT_COLUMNS
    assert frame.schema["record_id"] == pl.String
    assert set(frame["source"].unique()) == {"DTKS", "DUKCAPIL", "P3KE"}
    none = read_persons(region_prefix="33.16.", scope=[])
    assert none.height == 0  # fail closed
