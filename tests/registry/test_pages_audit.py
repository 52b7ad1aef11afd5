from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from padu.core.models import AuditLog
from padu.core.names import name_key
from padu.registry.models import Keluarga, Person
from padu.registry.selectors import person_search
from tests.access_fixtures import build_world, logged_in

pytestmark = pytest.mark.django_db


def test_person_page_writes_one_audit_row_and_masks_nik_for_operators() -> None:
    w = build_world()
    person = w.persons["own"]
    client = logged_in(w.users["operator-desa"])
    before = AuditLog.objects.count()
    page = client.get(reverse("registry:orang", args=[person.pk]), REMOTE_ADDR="10.1.2.3")
    html = page.content.decode()
    assert page.status_code == 200
    assert AuditLog.objects.count() == before + 1
    row = AuditLog.objects.latest("id")
    assert (row.action, row.object_id, row.actor, row.ip_address, row.region_code) == (
        "person.view",
        str(person.pk),
        w.users["operator-desa"],
        "10.1.2.3",
        "33.16.01.2001",
    )
    masked = person.nik[:4] + "********" + person.nik[-4:]
    assert masked in html and person.nik not in html
    assert person.no_kk not in html
    reveal = client.post(reverse("registry:orang_reveal_nik", args=[person.pk]))
    assert reveal.status_code == 200 and person.nik in reveal.content.decode()
    assert AuditLog.objects.count() == before + 2
    assert AuditLog.objects.latest("id").action == "person.reveal_nik"
    # Reveal needs POST (no link can leak it) and CSRF like every form.
    assert client.get(reverse("registry:orang_reveal_nik", args=[person.pk])).status_code == 405


def test_full_number_for_dinsos_and_no_reveal_for_opd() -> None:
    w = build_world()
    person = w.persons["own"]
    dinsos = logged_in(w.users["dinsos-kabupaten"])
    assert person.nik in dinsos.get(reverse("registry:orang", args=[person.pk])).content.decode()
    opd = logged_in(w.users["opd-pendamping"])
    html = opd.get(reverse("registry:keluarga", args=[w.families["own"].pk])).content.decode()
    assert person.nik not in html and "Buka" not in html
    assert opd.post(reverse("registry:orang_reveal_nik", args=[person.pk])).status_code == 403
    assert not AuditLog.objects.filter(action="person.reveal_nik").exists()


def test_family_page_masks_numbers_and_shows_sources() -> None:
    w = build_world()
    family = w.families["own"]
    client = logged_in(w.users["operator-desa"])
    html = client.get(reverse("registry:keluarga", args=[family.pk])).content.decode()
    assert family.no_kk not in html and family.no_kk[:4] + "********" in html
    assert "Sumber data" in html and "Riwayat perubahan" in html
    assert AuditLog.objects.filter(action="keluarga.view", object_id=str(family.pk)).count() == 1
    assert len(html.encode()) < 300_000


def test_export_is_audited_and_masked() -> None:
    w = build_world()
    client = logged_in(w.users["operator-desa"])
    response: Any = client.get(reverse("registry:desa_export", args=["33.16.01.2001"]))
    text = b"".join(response.streaming_content).decode()
    assert w.families["own"].no_kk not in text
    row = AuditLog.objects.get(action="keluarga.export")
    assert row.region_code == "33.16.01.2001" and row.detail == {"jumlah": 1}


def test_audit_log_browse_filter_export_for_admin_only() -> None:
    w = build_world()
    op = logged_in(w.users["operator-desa"])
    op.get(reverse("registry:orang", args=[w.persons["own"].pk]))
    admin = logged_in(w.users["admin-provinsi"])
    page = admin.get(
        reverse("accounts:audit"), {"tindakan": "person.view", "pengguna": "u-operator-desa"}
    )
    assert page.status_code == 200 and page.context["page"].paginator.count == 1
    csv_response: Any = admin.get(reverse("accounts:audit_export"), {"tindakan": "person.view"})
    text = b"".join(csv_response.streaming_content).decode()
    assert "u-operator-desa,person.view" in text
    assert AuditLog.objects.filter(action="audit.export").count() == 1
    assert op.get(reverse("accounts:audit")).status_code == 403


@pytest.mark.parametrize(
    ("written", "typed"),
    [
        ("Muhammad Sholeh", "Moch. Sholeh"),
        ("M. Sholeh", "Muhammad Sholeh"),
        ("Mochammad Sholeh", "muhamad sholeh"),
        ("Siti Aminah", "St. Aminah"),
        ("Djoko Susilo", "Joko Susilo"),
        ("Soekarno", "Sukarno"),
        ("Jusuf Tjahjono", "Yusuf Cahyono"),
        ("Achmad Dahlan", "Ahmad Dahlan"),
    ],
)
def test_name_search_tolerates_spelling_variants(written: str, typed: str) -> None:
    assert name_key(written) == name_key(typed)
    family = Keluarga.objects.create(kode_desa="33.16.01.2001")
    person = Person.objects.create(keluarga=family, nama=written)
    Person.objects.create(keluarga=family, nama="Wagiman Harjo")
    w_admin = build_world().users["admin-provinsi"]
    assert person in person_search(w_admin, typed)


def test_search_while_typing_returns_a_fragment() -> None:
    w = build_world()
    client = logged_in(w.users["operator-kecamatan"])
    html = client.get(
        reverse("registry:cari_hasil"), {"q": "wagim"}, HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "<html" not in html and "Wagiman Harjo" in html
    nik = w.persons["own"].nik
    by_nik = client.get(reverse("registry:cari_hasil"), {"q": nik}).content.decode()
    assert "Sumarno Wiryo" in by_nik and nik not in by_nik  # found by NIK, shown masked
    viewer = logged_in(w.users["viewer"])
    assert viewer.get(reverse("registry:cari")).status_code == 403


def test_drill_down_counts_at_every_level() -> None:
    w = build_world()
    client = logged_in(w.users["tkpk-provinsi"])
    home = client.get(reverse("dashboard:home"))
    assert home.context["totals"]["keluarga"] == 4
    kab = client.get(reverse("dashboard:kabupaten", args=["33.16"]))
    rows = {r["region"].code: (r["keluarga"], r["orang"]) for r in kab.context["rows"]}
    assert rows["33.16.01"] == (2, 2) and rows["33.16.02"] == (1, 1)
    kec = client.get(reverse("dashboard:kecamatan", args=["33.16.01"]))
    assert kec.context["totals"] == {"keluarga": 2, "orang": 2, "pkh": 0}
    assert reverse("registry:desa", args=["33.16.01.2001"]) in kec.content.decode()
    viewer = logged_in(w.users["viewer"])
    page = viewer.get(reverse("dashboard:kecamatan", args=["33.16.01"]))
    assert page.context["totals"]["keluarga"] == 2  # aggregates, without links to names
    assert reverse("registry:desa", args=["33.16.01.2001"]) not in page.content.decode()


def test_english_switch(client: Client) -> None:
    w = build_world()
    client = logged_in(w.users["operator-desa"])
    assert "Cari orang" in client.get(reverse("dashboard:home")).content.decode()
    switched = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert switched.status_code == 302
    html = client.get(reverse("dashboard:home")).content.decode()
    assert '<html lang="en">' in html and "Find a person" in html and "Cari orang" not in html
