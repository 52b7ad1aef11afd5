"""The TKPK dashboards count the assisted desa, their interventions and the measured
deprivation of every desa (the newest monthly measurement), summed up the regions."""

from __future__ import annotations

import pytest
from django.urls import reverse

from padu.dampingan import services
from padu.dampingan.models import JenisIntervensi, SumberDana
from padu.dashboard.indicators import INDICATORS
from padu.dashboard.models import Agregat
from padu.dashboard.services import agregat_refresh
from padu.registry.models import Keluarga
from tests.access_fixtures import OWN, logged_in
from tests.dampingan.fixtures import TODAY, assisted

pytestmark = pytest.mark.django_db


def test_assisted_desa_and_deprivation_on_the_dashboard() -> None:
    d = assisted()
    Keluarga.objects.filter(pk=d.world.families["own"].pk).update(
        jenis_lantai=9, jenis_dinding=6, fasilitas_bab=4
    )
    services.intervensi_record(
        actor=d.anggota, penugasan=d.penugasan, jenis=JenisIntervensi.objects.get(kode="sembako"),
        sumber_dana=SumberDana.objects.get(kode="apbd-provinsi"), jumlah=400_000, mulai=TODAY,
        keluarga=d.world.families["own"],
    )  # fmt: skip
    services.indikator_refresh(actor=None, month=TODAY)
    agregat_refresh(actor=None, today=TODAY)
    desa = Agregat.objects.get(kode=OWN).nilai
    assert desa["desa_dampingan"] == 1 and desa["intervensi_rupiah"] == 400_000
    assert desa["kel_diukur"] == 1 and desa["rtlh"] == 1 and desa["tanpa_jamban"] == 1
    kab = Agregat.objects.get(kode="33.16").nilai
    assert kab["desa_dampingan"] == 1 and kab["kel_diukur"] == 3  # three desa of Blora
    assert INDICATORS["rtlh"].value(kab) == pytest.approx(100 / 3)
    assert INDICATORS["desa_dampingan"].value(Agregat.objects.get(kode="33").nilai) == 1
    page = logged_in(d.tkpk).get(
        reverse("dashboard:dasbor_wilayah", args=["33.16"]), {"indikator": "rtlh"}
    )
    assert page.status_code == 200 and "Rumah tidak layak huni" in page.content.decode()
