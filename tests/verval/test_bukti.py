"""Evidence for an usulan: photos lose their metadata, the location is kept only with
consent, size and content are checked, and other regions cannot see the files."""

from __future__ import annotations

import io
from typing import Any

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import ExifTags, Image

from padu.verval.models import Bukti, Usulan
from padu.verval.services import VervalError
from padu.verval.services.bukti import bukti_add
from padu.verval.services.usulan import usulan_create
from tests.access_fixtures import OWN, logged_in
from tests.verval.fixtures import DAY, Cycle, open_cycle, pdf

pytestmark = pytest.mark.django_db


@pytest.fixture
def cycle(settings: Any, tmp_path: Any) -> Cycle:
    settings.MEDIA_ROOT = tmp_path
    return open_cycle()


def _photo(size: tuple[int, int] = (3000, 2000), noise: bool = False) -> SimpleUploadedFile:
    image = Image.effect_noise(size, 90).convert("RGB") if noise else Image.new("RGB", size, "red")
    exif = Image.Exif()
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "S"
    gps[ExifTags.GPS.GPSLatitude] = (6.0, 58.0, 12.0)
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (111.0, 25.0, 30.0)
    exif[ExifTags.Base.Make] = "KameraUji"
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif, quality=95)
    return SimpleUploadedFile("rumah.jpg", out.getvalue(), content_type="image/jpeg")


def _usulan(cycle: Cycle) -> Usulan:
    return usulan_create(
        actor=cycle.user("operator-desa"), kode_desa=OWN, keluarga=cycle.world.families["own"],
        jenis="nonaktif", alasan_nonaktif="pindah", alasan="Rumah kosong.", today=DAY["desa"],
    )  # fmt: skip


def _stored(bukti: Bukti) -> Image.Image:
    with bukti.berkas.open("rb") as handle:
        return Image.open(io.BytesIO(handle.read()))


def test_photo_is_scaled_and_stripped_and_location_needs_consent(cycle: Cycle) -> None:
    usulan = _usulan(cycle)
    user = cycle.user("operator-desa")
    without = bukti_add(actor=user, usulan=usulan, berkas=_photo())
    assert without.lintang is None and without.bujur is None
    stored = _stored(without)
    assert max(stored.size) == 1600
    assert not stored.getexif()  # no EXIF at all: no GPS, no camera
    consented = bukti_add(actor=user, usulan=usulan, berkas=_photo(), izin_lokasi=True)
    assert consented.lintang == pytest.approx(-6.97) and consented.bujur == pytest.approx(111.425)
    assert not _stored(consented).getexif()  # the location lives in the database only


def test_size_and_content_are_checked(cycle: Cycle, settings: Any) -> None:
    usulan = _usulan(cycle)
    user = cycle.user("operator-desa")
    with pytest.raises(VervalError, match=r"batasnya 6\.0 MB"):
        bukti_add(
            actor=user,
            usulan=usulan,
            berkas=SimpleUploadedFile("besar.pdf", b"%PDF" + b"0" * 6_000_001),
        )
    with pytest.raises(VervalError, match="bukan foto atau PDF"):
        bukti_add(
            actor=user,
            usulan=usulan,
            berkas=SimpleUploadedFile("foto.jpg", b"MZ\x90\x00 bukan foto"),
        )
    assert bukti_add(actor=user, usulan=usulan, berkas=pdf("kk.pdf")).jenis_isi == "application/pdf"
    assert Bukti.objects.count() == 1


def test_upload_from_the_page_and_other_regions_see_nothing(cycle: Cycle) -> None:
    usulan = _usulan(cycle)
    with time_machine.travel(f"{DAY['desa'].isoformat()} 12:00 +0700", tick=False):
        own = logged_in(cycle.user("operator-desa"))
        response = own.post(
            reverse("verval:usulan", args=[usulan.pk]), {"bukti": _photo((800, 600))}
        )
        assert response.status_code == 302
        bukti = Bukti.objects.get()
        assert own.get(reverse("verval:bukti", args=[bukti.pk])).status_code == 200
        page = own.get(reverse("verval:usulan", args=[usulan.pk])).content.decode()
        assert "rumah.jpg" in page
        kecamatan = logged_in(cycle.user("operator-kecamatan"))
        assert kecamatan.get(reverse("verval:bukti", args=[bukti.pk])).status_code == 200
        outsider = logged_in(_outsider())
        assert outsider.get(reverse("verval:bukti", args=[bukti.pk])).status_code == 404
        assert outsider.get(reverse("verval:usulan", args=[usulan.pk])).status_code == 404


def _outsider() -> Any:
    from padu.accounts.services import user_upsert

    return user_upsert(actor=None, username="op-lain", password="x",
                       assignments=[("operator-desa", "33.16.02.2001")])  # fmt: skip
