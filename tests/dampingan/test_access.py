"""Who sees and does what in the dampingan programme: a team member sees exactly the families
of the desa its OPD is assigned (dampingan pages and API, and the register's own pages), and
loses them when the assignment ends; only programme managers assign."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from padu.accounts import access
from padu.accounts.services import api_token_create
from padu.dampingan import services
from padu.dampingan.models import JenisIntervensi, SumberDana
from tests.access_fixtures import OWN, TARGETS, logged_in
from tests.dampingan.fixtures import TODAY, assisted

pytestmark = pytest.mark.django_db


def test_team_member_sees_only_the_assigned_desa() -> None:
    d = assisted()
    member = d.anggota
    assert access.region_prefixes(member) == [OWN]
    assert access.nik_access(member, OWN) == access.NIK_MASKED  # no full NIK for OPD teams
    client = logged_in(member)
    for name, code in TARGETS.items():
        family = d.world.families[name]
        expected = 200 if code == OWN else 404
        assert client.get(reverse("registry:keluarga", args=[family.pk])).status_code == expected
        assert client.get(reverse("registry:desa", args=[code])).status_code in (
            (200,) if code == OWN else (403, 404)
        )
        assert client.get(reverse("dampingan:desa", args=[code])).status_code == expected
    family_pk = d.world.families["own"].pk
    token = api_token_create(actor=member, user=member, name="uji")[1]
    api = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    listed = api.get("/api/v1/register/keluarga").json()["items"]
    assert {row["kode_desa"] for row in listed} == {OWN}
    mine = api.get("/api/v1/dampingan/penugasan").json()
    assert [p["kode_desa"] for p in mine] == [OWN]
    assert api.get(f"/api/v1/dampingan/desa/{TARGETS['same_kec']}/intervensi").status_code == 404

    # Another partner's desa: its profile, report, interventions and partner page are not
    # found for this team (every dampingan URL and API).
    other = services.mitra_create(actor=d.tkpk, kode="baznas", nama="Baznas", jenis="baznas")
    there = services.penugasan_create(
        actor=d.tkpk, mitra=other, kode_desa=TARGETS["same_kec"], tahun=2026,
        dasar_hukum="SK 9", today=TODAY,
    )  # fmt: skip
    work = services.intervensi_record(
        actor=d.tkpk, penugasan=there, jenis=JenisIntervensi.objects.get(kode="sembako"),
        sumber_dana=SumberDana.objects.get(kode="baznas"), jumlah=1,
        mulai=TODAY, keluarga=d.world.families["same_kec"],
    )  # fmt: skip
    assert client.get(reverse("dampingan:mitra_detail", args=[other.pk])).status_code == 404
    assert client.get(reverse("dampingan:laporan", args=[there.pk])).status_code == 404
    assert client.post(reverse("dampingan:laporan", args=[there.pk])).status_code == 404
    assert (
        client.post(
            reverse("dampingan:intervensi_status", args=[work.pk]), {"status": "selesai"}
        ).status_code
        == 404
    )
    refused = api.post(
        "/api/v1/dampingan/intervensi",
        {"penugasan_id": there.pk, "jenis": "sembako", "sumber_dana": "apbn", "jumlah": 1,
         "mulai": "2026-12-07"},
        content_type="application/json",
    )  # fmt: skip
    assert refused.status_code == 404
    assert [p["kode_desa"] for p in api.get("/api/v1/dampingan/penugasan").json()] == [OWN]
    made = api.post(
        "/api/v1/dampingan/intervensi",
        {"penugasan_id": d.penugasan.pk, "jenis": "sembako", "sumber_dana": "apbn",
         "jumlah": 150000, "mulai": "2026-12-07", "keluarga_id": family_pk},
        content_type="application/json",
    )  # fmt: skip
    assert made.status_code == 201 and made.json()["kode_desa"] == OWN
    assert len(api.get(f"/api/v1/dampingan/desa/{OWN}/intervensi").json()) == 1
    page = client.get(reverse("dampingan:beranda")).content.decode()
    assert "Baznas" not in page and "Dinas PU Bina Marga" in page

    services.penugasan_end(actor=d.tkpk, penugasan=d.penugasan)
    member.refresh_from_db()
    access.forget(member)
    assert access.region_prefixes(member) == []
    family = d.world.families["own"]
    assert logged_in(member).get(reverse("registry:keluarga", args=[family.pk])).status_code == 404


def test_only_managers_assign_and_only_in_their_programme() -> None:
    d = assisted()
    users = d.world.users
    for role in ("operator-desa", "opd-pendamping", "viewer", "operator-kecamatan"):
        with pytest.raises(services.DampinganForbidden):
            services.penugasan_create(
                actor=users[role], mitra=d.mitra, kode_desa=TARGETS["same_kec"], tahun=2026,
                dasar_hukum="SK 1", today=TODAY,
            )  # fmt: skip
    # Blora's own programme: Blora's TKPK runs it, only inside Blora.
    blora = services.mitra_create(
        actor=users["tkpk-kabupaten"], kode="dinkes-blora", nama="Dinkes Blora",
        jenis="opd-kabupaten", wilayah="33.16",
    )  # fmt: skip
    with pytest.raises(services.DampinganError, match="di luar kabupaten"):
        services.penugasan_create(
            actor=users["tkpk-kabupaten"], mitra=blora, kode_desa=TARGETS["other_kab"],
            tahun=2026, dasar_hukum="SK Bupati 1", today=TODAY,
        )  # fmt: skip
    with pytest.raises(services.DampinganForbidden):
        services.mitra_create(
            actor=users["tkpk-kabupaten"], kode="x", nama="X", jenis="csr", wilayah="33"
        )
    with pytest.raises(services.DampinganError, match="sudah ditugaskan"):
        services.penugasan_create(
            actor=d.tkpk, mitra=d.mitra, kode_desa=OWN, tahun=2026, dasar_hukum="SK 2",
            today=TODAY,
        )  # fmt: skip
    # several partners per desa are allowed
    second = services.penugasan_create(
        actor=users["tkpk-kabupaten"], mitra=blora, kode_desa=OWN, tahun=2026,
        dasar_hukum="SK Bupati 2", today=TODAY,
    )  # fmt: skip
    assert second.zona in {"merah", "kuning", "hijau"}


def test_outsiders_cannot_record_interventions() -> None:
    d = assisted()
    jenis = JenisIntervensi.objects.get(kode="sembako")
    sumber = SumberDana.objects.get(kode="apbd-provinsi")
    for role in ("operator-desa", "viewer", "dinsos-kabupaten"):
        with pytest.raises(services.DampinganForbidden):
            services.intervensi_record(
                actor=d.world.users[role], penugasan=d.penugasan, jenis=jenis,
                sumber_dana=sumber, jumlah=100_000, mulai=TODAY,
                keluarga=d.world.families["own"],
            )  # fmt: skip
    with pytest.raises(services.DampinganError, match="bukan desa dampingan"):
        services.intervensi_record(
            actor=d.anggota, penugasan=d.penugasan, jenis=jenis, sumber_dana=sumber,
            jumlah=1, mulai=TODAY, keluarga=d.world.families["same_kec"],
        )  # fmt: skip
    client = logged_in(d.world.users["operator-desa"])
    page = client.get(reverse("dampingan:desa", args=[OWN]))
    assert page.status_code == 200 and b"form-intervensi" not in page.content
