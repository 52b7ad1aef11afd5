"""The field visit form and its API on the real database: a visit is recorded once per key
(201, then 200 duplikat), a bad outcome answers 400 in Indonesian, other regions get 404 or
403, the page carries the register's values, and a session POST needs its CSRF token."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from padu.accounts.services import user_upsert
from padu.verval.models import Kunjungan, Periode, Usulan
from padu.verval.services.periode import periode_create
from tests.access_fixtures import World, build_world, logged_in

pytestmark = pytest.mark.django_db
URL = "/api/v1/verval/kunjungan"


def open_today(world: World) -> Periode:
    """A period of Blora whose desa window holds today's real date (the API has no 'today')."""
    today = timezone.localdate()
    dates = {
        f"batas_{t}": today + dt.timedelta(days=i)
        for i, t in enumerate(["desa", "musdes", "kecamatan", "dinsos", "pengesahan"], start=3)
    }
    return periode_create(
        actor=world.users["dinsos-kabupaten"],
        kode_kabupaten="33.16",
        year=today.year,
        month=today.month,
        dates=dates,
    )


@pytest.fixture
def world() -> World:
    world = build_world()
    open_today(world)
    return world


def _post(client: Client, body: dict[str, Any], **extra: Any) -> Any:
    return client.post(URL, json.dumps(body), content_type="application/json", **extra)


def _visit(world: World, **changes: Any) -> dict[str, Any]:
    family, person = world.families["own"], world.persons["own"]
    return {
        "kunci": "3f2b8c1e-0d4a-4d7e-9a51-6c2f8e9b0a11",
        "keluarga_id": family.pk,
        "hasil": 1,
        "data": {
            "keluarga": {"jumlah_kamar": 3, "jenis_lantai": 9},
            "anggota": [{"id": person.pk, "pendidikan": 4}],
        },
        "dikunjungi_pada": timezone.now().isoformat(),
        "lintang": -6.97,
        "bujur": 111.42,
        "akurasi": 12.5,
        "catatan": "Rumah di ujung gang.",
        **changes,
    }


def test_visit_then_the_same_key_again_is_one_visit(world: World) -> None:
    client = logged_in(world.users["operator-desa"])
    first = _post(client, _visit(world))
    assert first.status_code == 201, first.content
    body = first.json()
    assert body["duplikat"] is False and len(body["usulan"]) == 1
    again = _post(client, _visit(world, catatan="dikirim ulang"))
    assert again.status_code == 200
    assert again.json() == {"id": body["id"], "duplikat": True, "usulan": body["usulan"]}
    assert Kunjungan.objects.count() == 1
    visit = Kunjungan.objects.get()
    assert visit.petugas == world.users["operator-desa"] and visit.lintang == -6.97
    usulan = Usulan.objects.get(pk=body["usulan"][0])
    person = world.persons["own"]
    assert usulan.jenis == "perbaikan" and usulan.kunjungan == visit
    assert usulan.data == {
        "keluarga": {"jumlah_kamar": 3, "jenis_lantai": 9},
        "anggota": {str(person.pk): {"pendidikan": 4}},
    }


def test_bad_outcome_answers_400_in_indonesian(world: World) -> None:
    client = logged_in(world.users["operator-desa"])
    response = _post(client, _visit(world, hasil=9))
    assert response.status_code == 400
    assert response.json() == {"detail": "Hasil kunjungan harus kode 1 sampai 5."}
    bad_key = _post(client, _visit(world, kunci="pendek"))
    assert bad_key.status_code == 400 and "Kunci kunjungan tidak valid" in bad_key.json()["detail"]
    assert Kunjungan.objects.count() == 0


def test_member_found_deceased_becomes_a_removal(world: World) -> None:
    client = logged_in(world.users["operator-desa"])
    person = world.persons["own"]
    data = {"anggota": [{"id": person.pk, "keberadaan": "meninggal"}]}
    response = _post(client, _visit(world, hasil=4, data=data))
    assert response.status_code == 201
    usulan = Usulan.objects.get(pk=response.json()["usulan"][0])
    assert usulan.jenis == "nonaktif" and usulan.person == person


def _other_kecamatan_operator() -> Any:
    return user_upsert(
        actor=None, username="u-op-kec-lain", password="x",
        assignments=[("operator-kecamatan", "33.16.02")],
    )  # fmt: skip


def test_other_kecamatan_gets_404_on_page_and_api(world: World) -> None:
    client = logged_in(_other_kecamatan_operator())
    family = world.families["own"]
    assert client.get(f"/verval/kunjungan/{family.pk}/").status_code == 404
    response = _post(client, _visit(world))
    assert response.status_code == 404
    assert "di luar wilayah Anda" in response.json()["detail"]
    assert Kunjungan.objects.count() == 0


def test_a_role_that_sees_but_does_not_visit_gets_403(world: World) -> None:
    client = logged_in(world.users["tkpk-kabupaten"])  # sees Blora, no verval desa stage
    family = world.families["own"]
    assert client.get(f"/verval/kunjungan/{family.pk}/").status_code == 403
    response = _post(client, _visit(world))
    assert response.status_code == 403 and "tidak berwenang" in response.json()["detail"]
    assert Kunjungan.objects.count() == 0


def test_anonymous_gets_login_page_and_401(world: World) -> None:
    family = world.families["own"]
    page = Client().get(f"/verval/kunjungan/{family.pk}/")
    assert page.status_code == 302 and "/masuk/" in page["Location"]
    assert _post(Client(), _visit(world)).status_code == 401


def test_form_page_is_prefilled_from_the_register(world: World) -> None:
    family, person = world.families["own"], world.persons["own"]
    family.jenis_lantai, family.aset_kulkas = 3, True
    family.save()
    client = logged_in(world.users["operator-desa"])
    response = client.get(f"/verval/kunjungan/{family.pk}/?tugas=77")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Jl. Uji" in html and "RT 001 RW 002" in html and person.nama in html
    assert person.nik not in html, "the operator desa sees the NIK masked"
    assert person.nik[:4] + "********" + person.nik[-4:] in html
    for value in ("1 Terverifikasi", "5 Data ganda"):
        assert value in html
    prefill = response.context["prefill"]
    assert prefill["keluarga"]["alamat"] == "Jl. Uji" and prefill["keluarga"]["rt"] == "001"
    assert prefill["keluarga"]["jenis_lantai"] == 3 and prefill["keluarga"]["aset_kulkas"] is True
    assert prefill["anggota"] == [
        {"id": person.pk, "nama": person.nama, "hub_kepala_keluarga": 1, "jenis_kelamin": 1,
         "tgl_lahir": None, "pendidikan": None, "bekerja": None, "lapangan_usaha": None}
    ]  # fmt: skip
    assert prefill["tugas"] == 77 and prefill["api"] == URL
    assert 'id="kunjungan-data"' in html and "verval/kunjungan.js" in html
    assert "geolocation=(self)" in response["Permissions-Policy"]


def test_service_worker_is_served_for_the_verval_scope() -> None:
    response = Client().get("/verval/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
    assert response["Service-Worker-Allowed"] == "/verval/"
    assert response["Cache-Control"] == "no-cache"
    assert b'addEventListener("fetch"' in response.content


def test_session_post_needs_the_csrf_token_of_the_page(world: World) -> None:
    client = logged_in(world.users["operator-desa"])
    client.handler.enforce_csrf_checks = True
    family = world.families["own"]
    page = client.get(f"/verval/kunjungan/{family.pk}/")
    html = page.content.decode()
    token = html.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    refused = _post(client, _visit(world))
    assert refused.status_code == 403 and Kunjungan.objects.count() == 0
    accepted = _post(client, _visit(world), HTTP_X_CSRFTOKEN=token)
    assert accepted.status_code == 201, accepted.content
