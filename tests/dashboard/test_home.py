"""Every role lands on its own work (issue 20): the home page follows the user's scope, a
user with several regions chooses, regions outside the scope are left out (and the page
says so) instead of being listed with zeros, and a desa's home lists the verval work due."""

from __future__ import annotations

from typing import Any

import pytest
import time_machine
from django.urls import reverse

from padu.accounts.services import user_upsert
from padu.verval.models import Tugas
from padu.verval.services.usulan import usulan_create
from tests.access_fixtures import OWN, ROLES, build_world, logged_in
from tests.verval.fixtures import DAY, open_cycle

pytestmark = pytest.mark.django_db

HEADING = {
    "admin-provinsi": "Provinsi Jawa Tengah",
    "tkpk-provinsi": "Provinsi Jawa Tengah",
    "viewer": "Provinsi Jawa Tengah",
    "dinsos-kabupaten": "Kabupaten Blora",
    "tkpk-kabupaten": "Kabupaten Blora",
    "operator-kecamatan": "Kecamatan Jati",
    "operator-desa": "Desa Bangkleyan",
    "opd-pendamping": "Desa Bangkleyan",
}


def _h1(html: str) -> str:
    start = html.index("<h1>") + 4
    text = html[start : html.index("</h1>", start)]
    return " ".join(text.split("<span")[0].split())


@pytest.mark.parametrize("role", list(ROLES))
def test_home_heading_names_the_role_region(role: str) -> None:
    world = build_world()
    html = logged_in(world.users[role]).get(reverse("dashboard:home")).content.decode()
    assert _h1(html) == HEADING[role]


def test_kabupaten_home_lists_only_its_own_kecamatan_rows_and_says_so() -> None:
    world = build_world()
    client = logged_in(world.users["operator-kecamatan"])
    response = client.get(reverse("dashboard:kabupaten", args=["33.16"]))
    codes = [r["region"].code for r in response.context["rows"]]
    assert codes == ["33.16.01"]
    assert "Hanya wilayah dalam cakupan Anda yang ditampilkan: 1 dari" in response.content.decode()
    other = client.get(reverse("dashboard:kabupaten", args=["33.17"])).content.decode()
    assert "di luar cakupan Anda" in other and "<tbody><tr>" not in other


def test_user_with_several_regions_chooses() -> None:
    build_world()
    user = user_upsert(actor=None, username="dua-desa", password="x",
                       assignments=[("operator-desa", OWN), ("operator-desa", "33.16.02.2001")])  # fmt: skip
    html = logged_in(user).get(reverse("dashboard:home")).content.decode()
    assert _h1(html) == "Wilayah kerja Anda"
    assert reverse("dashboard:desa", args=[OWN]) in html
    assert reverse("dashboard:desa", args=["33.16.02.2001"]) in html


def test_kecamatan_covering_its_desa_is_one_home() -> None:
    build_world()
    user = user_upsert(actor=None, username="kec-dan-desa", password="x",
                       assignments=[("operator-kecamatan", "33.16.01"), ("operator-desa", OWN)])  # fmt: skip
    html = logged_in(user).get(reverse("dashboard:home")).content.decode()
    assert _h1(html) == "Kecamatan Jati"


def test_user_without_region_is_told_what_to_do() -> None:
    user = user_upsert(actor=None, username="tanpa-wilayah", password="x", assignments=[])
    html = logged_in(user).get(reverse("dashboard:home")).content.decode()
    assert "Belum ada wilayah kerja" in html and "admin provinsi" in html


def test_desa_home_lists_the_verval_work_due() -> None:
    cycle = open_cycle()
    with time_machine.travel(f"{DAY['desa'].isoformat()} 12:00 +0700", tick=False):
        Tugas.objects.create(periode=cycle.periode, kode_desa=OWN, jenis=Tugas.Jenis.TEMUAN,
                             kunci="uji-1", uraian="Periksa NIK", batas=DAY["desa"])  # fmt: skip
        usulan_create(actor=cycle.user("operator-desa"), kode_desa=OWN,
                      keluarga=cycle.world.families["own"], jenis="nonaktif",
                      alasan_nonaktif="pindah", alasan="Pindah ke Kudus.")  # fmt: skip
        client: Any = logged_in(cycle.user("operator-desa"))
        html = client.get(reverse("dashboard:home")).content.decode()
    assert "1 tugas verval" in html and "input desa s.d. 17 Desember 2026" in html
    assert "1 usulan menunggu musyawarah desa" in html
    assert reverse("verval:desa", args=[OWN]) in html
    assert "Tidak ada yang perlu ditangani" not in html
