"""Linkage pages and API: starting a run (task), progress, clusters with explanations,
the review queue with htmx, merges/splits/undo by form; scoping of an operator of one
desa (no member of another desa is shown anywhere)."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from padu.accounts.services import api_token_create, user_upsert
from padu.linkage.models import Cluster, ClusterChange, LinkageRun, Member, ReviewItem
from padu.registry.models import Person
from tests.access_fixtures import logged_in
from tests.linkage.conftest import World

pytestmark = pytest.mark.django_db


def _cross_desa_cluster() -> tuple[Cluster, str, set[str]]:
    """A cluster whose members live in two or more desa (a family that moved)."""
    for cluster in Cluster.objects.filter(active=True, size__gte=2).order_by("pk"):
        desa = set(cluster.members.values_list("kode_desa", flat=True))
        if len(desa) > 1:
            own = sorted(desa)[0]
            return cluster, own, desa - {own}
    raise AssertionError("data uji tanpa klaster lintas desa")


def test_start_run_from_the_page_and_watch_it(world: World, kab_user: Any) -> None:
    client = logged_in(kab_user)
    page = client.get(reverse("linkage:index"))
    assert page.status_code == 200 and "Jalankan proses baru" in page.content.decode()
    response = client.post(
        reverse("linkage:index"),
        {"kind": "penuh", "wilayah": "33.16", "sources": [world.sources["DUKCAPIL"].pk]},
    )
    run = LinkageRun.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "linkage:run", args=[run.pk]
    )
    assert run.status == "selesai"  # the test task backend runs it at once
    progress = client.get(reverse("linkage:run_progress", args=[run.pk])).content.decode()
    assert "Selesai" in progress and "hx-get" not in progress
    refused = client.post(reverse("linkage:index"), {"kind": "penuh", "wilayah": "33.17"})
    assert "di luar wilayah" in refused.content.decode()
    assert LinkageRun.objects.count() == 1


def test_viewer_cannot_start_runs_or_see_clusters(world: World) -> None:
    viewer = user_upsert(actor=None, username="lihat", password="x", assignments=[("viewer", "")])
    client = logged_in(viewer)
    page = client.get(reverse("linkage:index"))
    assert page.status_code == 200 and "Jalankan proses baru" not in page.content.decode()
    assert (
        client.post(reverse("linkage:index"), {"kind": "penuh", "wilayah": "33.16"}).status_code
        == 403
    )
    assert client.get(reverse("linkage:clusters")).status_code == 403
    assert client.get(reverse("linkage:review")).status_code == 403


def test_cluster_page_explains_links_and_golden_record(linked: LinkageRun, kab_user: Any) -> None:
    cluster = Cluster.objects.filter(active=True, size__gte=3).order_by("pk")[0]
    client = logged_in(kab_user)
    listing = client.get(reverse("linkage:clusters"), {"wilayah": "33.16"}).content.decode()
    assert reverse("linkage:cluster", args=[cluster.pk]) in listing
    html = client.get(reverse("linkage:cluster", args=[cluster.pk])).content.decode()
    assert "Rekaman emas" in html and "NIK sama" in html and "Peluang cocok" in html
    for person in Person.objects.filter(pk__in=cluster.members.values("person_id")):
        assert person.nama in html
    assert cluster.golden["nama"]["sumber"] in html


def test_merge_split_undo_through_the_page(linked: LinkageRun, kab_user: Any) -> None:
    a, b = Cluster.objects.filter(active=True, size__gte=2).order_by("pk")[:2]
    before = set(a.members.values_list("person_id", flat=True))
    client = logged_in(kab_user)
    client.post(reverse("linkage:merge", args=[a.pk]), {"klaster_lain": b.pk, "alasan": "sama"})
    merge = ClusterChange.objects.get(kind="gabung")
    assert Member.objects.filter(cluster=a).count() == a.size + b.size
    person = sorted(before)[0]
    client.post(reverse("linkage:split", args=[a.pk]), {"orang": [person]})
    split = ClusterChange.objects.get(kind="pisah")
    client.post(reverse("linkage:undo", args=[split.pk]))
    client.post(reverse("linkage:undo", args=[merge.pk]))
    assert set(Member.objects.filter(cluster=a).values_list("person_id", flat=True)) == before
    html = client.get(reverse("linkage:cluster", args=[a.pk])).content.decode()
    assert "Gabung klaster" in html and "Pembatalan" in html


def test_review_queue_side_by_side_and_htmx_decisions(linked: LinkageRun, kab_user: Any) -> None:
    items = list(ReviewItem.objects.filter(status="menunggu").order_by("-match_probability", "pk"))
    assert items, "data uji tanpa butir tinjauan"
    client = logged_in(kab_user)
    page = client.get(reverse("linkage:review")).content.decode()
    assert "<kbd>s</kbd>" in page and "<kbd>b</kbd>" in page and "<kbd>l</kbd>" in page
    assert f"#{items[0].person_l}" in page and 'class="beda"' in page  # a differing field
    # the page says why the pair waits: refused despite a high probability, or uncertain
    why = (
        "tidak digabung otomatis"
        if items[0].match_probability >= linked.threshold
        else "mesin tidak yakin"
    )
    assert why in page
    fragment = client.post(
        reverse("linkage:decide", args=[items[0].pk]),
        {"keputusan": "beda", "selesai": "0"},
        HTTP_HX_REQUEST="true",
    )
    assert fragment.status_code == 200 and "<html" not in fragment.content.decode()
    assert "1 diputuskan" in fragment.content.decode()
    items[0].refresh_from_db()
    assert items[0].status == "beda" and items[0].decision and items[0].decision.verdict == "beda"
    # deciding twice is refused; an item of another user's region is not found
    again = client.post(reverse("linkage:decide", args=[items[0].pk]), {"keputusan": "sama"})
    assert again.status_code == 404


def test_operator_of_one_desa_sees_no_member_of_another_desa(linked: LinkageRun) -> None:
    cluster, own, _others = _cross_desa_cluster()
    operator = user_upsert(
        actor=None, username="op-desa", password="x", assignments=[("operator-desa", own)]
    )
    hidden = Person.objects.filter(
        pk__in=cluster.members.exclude(kode_desa=own).values("person_id")
    )
    client = logged_in(operator)
    html = client.get(reverse("linkage:cluster", args=[cluster.pk])).content.decode()
    assert "di luar wilayah Anda" in html
    for person in hidden:
        assert (
            f"#{person.pk}<" not in html and reverse("registry:orang", args=[person.pk]) not in html
        )
        if person.nama and not Person.objects.filter(keluarga__kode_desa=own, nama=person.nama):
            assert person.nama not in html
    listing = client.get(reverse("linkage:clusters")).content.decode()
    assert reverse("linkage:cluster", args=[cluster.pk]) in listing
    # a cluster with no member in the operator's desa is not found
    foreign = Cluster.objects.filter(active=True).exclude(members__kode_desa=own).first()
    assert foreign is not None
    assert client.get(reverse("linkage:cluster", args=[foreign.pk])).status_code == 404
    # API: only members of the own desa, for any region asked
    token = api_token_create(actor=operator, user=operator, name="uji")[1]
    api = logged_in(operator)
    api.defaults["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    body = api.get(
        "/api/v1/linkage/klaster", {"wilayah": "33", "semua": "true", "limit": "500"}
    ).json()
    assert body and {m["kode_desa"] for c in body for m in c["anggota"]} == {own}
    shown = next(c for c in body if c["id"] == cluster.pk)
    assert shown["anggota_tersembunyi"] == len(hidden)
    assert all(v["orang"] not in {p.pk for p in hidden} for v in shown["rekaman_emas"].values())
    # review queue: only pairs with both records in the own desa
    for item in api.get("/api/v1/linkage/tinjauan").json():
        assert item["kode_desa_l"] == item["kode_desa_r"] == own
    # merges that touch another desa are refused
    response = client.post(reverse("linkage:split", args=[cluster.pk]), {"orang": [hidden[0].pk]})
    assert response.status_code == 403 and not ClusterChange.objects.exists()


def test_api_lists_runs_and_clusters(linked: LinkageRun, kab_user: Any) -> None:
    token = api_token_create(actor=kab_user, user=kab_user, name="uji")[1]
    client = logged_in(kab_user)
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    runs = client.get("/api/v1/linkage/proses").json()
    assert [r["id"] for r in runs] == [linked.pk] and runs[0]["counts"]["klaster"] > 0
    clusters = client.get("/api/v1/linkage/klaster", {"wilayah": "33.16"}).json()
    assert clusters and all(c["jumlah_rekaman"] > 1 for c in clusters)
    first = clusters[0]
    assert len(first["anggota"]) == first["jumlah_rekaman"] and first["anggota_tersembunyi"] == 0
    assert any("NIK sama" in m["alasan"] for c in clusters for m in c["anggota"])
    assert client.get("/api/v1/linkage/klaster", {"wilayah": "33.1"}).status_code in (400, 422)
    queue = client.get("/api/v1/linkage/tinjauan").json()
    assert len(queue) == ReviewItem.objects.filter(status="menunggu").count()


def test_cluster_list_shows_the_golden_name_unless_its_record_is_hidden(
    linked: LinkageRun, kab_user: Any
) -> None:
    page = logged_in(kab_user).get(reverse("linkage:clusters")).context["page"]
    assert len(page) > 0
    for c in page:
        assert c.nama == c.golden["nama"]["nilai"]
    # a cluster whose golden name comes from a member in another desa: an operator of the
    # other desa never sees it, the name of a visible member instead
    for cluster in Cluster.objects.filter(active=True, size__gte=2):
        source = cluster.golden["nama"]["orang"]
        source_desa = Member.objects.get(cluster=cluster, person_id=source).kode_desa
        seen = cluster.members.exclude(kode_desa=source_desa).order_by("person_id").first()
        if seen is not None:
            break
    else:
        raise AssertionError("data uji tanpa klaster lintas desa")
    operator = user_upsert(
        actor=None, username="op-lain", password="x",
        assignments=[("operator-desa", seen.kode_desa)],
    )  # fmt: skip
    listing = logged_in(operator).get(reverse("linkage:clusters"), {"wilayah": seen.kode_desa})
    shown = {c.pk: c.nama for c in listing.context["page"]}
    assert shown[cluster.pk] == Person.objects.get(pk=seen.person_id).nama
    assert cluster.golden["nama"]["nilai"] not in listing.content.decode() or (
        Person.objects.filter(
            keluarga__kode_desa=seen.kode_desa, nama=cluster.golden["nama"]["nilai"]
        )
    )
