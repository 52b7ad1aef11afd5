"""Foster parents: nothing of a child is shared before the guardian's consent; a match and
its pledge, a disbursement with its receipt; the sponsor's page shows only a first name,
age, school level and needs (HTML scanned); counts answer TKPK's question."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from padu.accounts.services import user_upsert
from padu.asuh import selectors, services, sponsorship
from padu.asuh.models import Anak, Penyaluran, Temuan
from tests.access_fixtures import OWN, build_world, logged_in
from tests.asuh.test_asuh import TODAY, orphan_family
from tests.verval.test_bukti import _photo as photo_with_gps

pytestmark = pytest.mark.django_db


def test_consent_match_pledge_disbursement_and_the_sponsor_page(
    settings: Any, tmp_path: Path
) -> None:
    settings.MEDIA_ROOT = tmp_path
    world = build_world()
    child = orphan_family()
    dinsos = world.users["dinsos-kabupaten"]
    services.temuan_detect(actor=dinsos, wilayah="33.16", today=TODAY)
    anak = services.temuan_decide(actor=dinsos, temuan=Temuan.objects.get(), terima=True)
    assert anak is not None
    account = user_upsert(actor=None, username="ota-warga", password="x", assignments=[])
    ota = sponsorship.ota_create(
        actor=dinsos, jenis="warga", nama="Haji Darmaji", kode_desa="33.16.01.2002",
        kapasitas=2, jangkauan="kecamatan", kebutuhan=["pendidikan"], jumlah_per_bulan=300_000,
        user=account,
    )  # fmt: skip
    services.anak_update(
        actor=dinsos, anak=anak, changes={"sekolah": "sd", "kebutuhan": ["pendidikan", "gizi"]}
    )
    with pytest.raises(services.AsuhError, match="Persetujuan wali"):
        sponsorship.asuhan_confirm(
            actor=dinsos, anak=anak, ota=ota, kebutuhan="pendidikan", jumlah_per_bulan=300_000,
            mulai=TODAY,
        )  # fmt: skip
    page = logged_in(dinsos).get(reverse("asuh:anak", args=[anak.pk])).content.decode()
    assert "Catat persetujuan wali lebih dulu" in page and "Haji Darmaji" not in page

    services.anak_update(actor=dinsos, anak=anak, changes={"persetujuan_wali": TODAY})
    suggested = sponsorship.suggestions(anak)
    assert [s.sponsor.id for s in suggested] == [ota.pk]
    assert suggested[0].dibantu == ("pendidikan",)
    match = sponsorship.asuhan_confirm(
        actor=dinsos, anak=anak, ota=ota, kebutuhan="pendidikan", jumlah_per_bulan=300_000,
        mulai=TODAY,
    )  # fmt: skip
    receipt = photo_with_gps((800, 600))
    with pytest.raises(services.AsuhError, match="bukan foto atau PDF"):
        sponsorship.penyaluran_record(
            actor=dinsos, asuhan=match, tanggal=TODAY, jumlah=1,
            bukti=SimpleUploadedFile("kuitansi.jpg", b"bukan gambar", content_type="image/jpeg"),
        )  # fmt: skip
    with pytest.raises(services.AsuhError, match="bukti"):
        sponsorship.penyaluran_record(
            actor=dinsos, asuhan=match, tanggal=TODAY, jumlah=1, bukti=None
        )
    sponsorship.penyaluran_record(
        actor=dinsos, asuhan=match, tanggal=TODAY, jumlah=300_000, bukti=receipt,
        rekening="BRI 0123 a.n. wali",
    )  # fmt: skip

    stored = Image.open(Penyaluran.objects.get().bukti.open("rb"))
    assert not stored.getexif()  # no GPS or camera metadata kept in the receipt
    assert "kuitansi" not in Penyaluran.objects.get().bukti.name

    sponsor = logged_in(account)
    mine = sponsor.get(reverse("asuh:saya"))
    html = mine.content.decode()
    assert mine.status_code == 200 and "<b>Dwi</b>" in html and "300.000" in html
    for secret in (child.nik, child.keluarga.no_kk, "Lestari", "Tri Wahyuni", "BRI 0123",
                   "Melati", "kuitansi"):  # fmt: skip
        assert secret not in html, secret
    assert sponsor.get(reverse("asuh:desa", args=[OWN])).status_code == 404
    assert sponsor.get(reverse("asuh:anak", args=[anak.pk])).status_code == 404
    assert logged_in(world.users["viewer"]).get(reverse("asuh:saya")).status_code == 404

    rows = selectors.counts(world.users["tkpk-provinsi"], "33.16.", 5)
    assert rows == [
        {
            "kode": "33.16", "yatim": 1, "piatu": 0, "yatim_piatu": 0, "menunggu": 0,
            "ota": 1, "anak_diasuh": 1, "janji_per_bulan": 300_000, "disalurkan": 300_000,
            "jumlah": 1, "belum_diasuh": 0,
        }
    ]  # fmt: skip

    # Consent withdrawn: the sponsor's page no longer shows the child.
    services.anak_update(actor=dinsos, anak=anak, changes={"persetujuan_wali": None})
    assert "Dwi" not in sponsor.get(reverse("asuh:saya")).content.decode()
    sponsorship.asuhan_end(actor=dinsos, asuhan=match, alasan="Pindah domisili", tanggal=TODAY)
    assert Anak.objects.get().asuhan.get().status == "berakhir"


def test_potential_foster_parents_come_from_well_off_families_only() -> None:
    from padu.welfare.models import KeluargaScore, PmtModel

    world = build_world()
    model = PmtModel.objects.create(nama="uji", survei="-")
    for name, desil in (("own", 9), ("same_kec", 2)):
        KeluargaScore.objects.create(
            keluarga=world.families[name], model=model, versi="v", score=1.0, desil=desil,
            desil_kabupaten=desil, dihitung=dt.datetime(2026, 12, 1, tzinfo=dt.UTC),
        )  # fmt: skip
    operator = world.users["operator-desa"]
    assert [h["nama"] for h in selectors.potential_sponsors(operator, OWN)] == ["Sumarno Wiryo"]
    assert selectors.potential_sponsors(operator, "33.16.01.2002") == []  # not the operator's
    dinsos = world.users["dinsos-kabupaten"]
    assert selectors.potential_sponsors(dinsos, "33.16.01.2002") == []  # desil 2: never
    page = logged_in(operator)
    r = page.post(reverse("asuh:ota"), {"desa": OWN, "keluarga": world.families["own"].pk})
    assert r.status_code == 302
    assert selectors.potential_sponsors(operator, OWN) == []  # now registered, as a candidate
    from padu.asuh.models import OrangTuaAsuh

    assert OrangTuaAsuh.objects.get().status == "calon"
    # The sponsor-facing API holds nothing of children either: a sponsor account sees no
    # register rows at all.
    from padu.accounts.services import api_token_create

    sponsor = user_upsert(actor=None, username="ota-api", password="x", assignments=[])
    token = api_token_create(actor=sponsor, user=sponsor, name="uji")[1]
    from django.test import Client

    api = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    assert api.get("/api/v1/register/keluarga").json()["items"] == []
    assert api.get("/api/v1/register/orang", {"q": "Sumarno"}).json() == []
