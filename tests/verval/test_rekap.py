"""The province's recap of the verval: per kabupaten/kota, its running period's stage,
musdes held, usulan waiting per stage, applied, and open/overdue tasks."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from padu.verval import selectors
from padu.verval.models import Musdes, Tugas, Usulan
from padu.verval.services.usulan import usulan_create
from tests.access_fixtures import OWN, TARGETS, logged_in
from tests.verval.fixtures import DAY, Cycle, open_cycle

pytestmark = pytest.mark.django_db


@pytest.fixture
def cycle() -> Cycle:
    return open_cycle()


def _activity(cycle: Cycle) -> None:
    usulan_create(
        actor=cycle.user("operator-desa"), kode_desa=OWN, keluarga=cycle.world.families["own"],
        jenis=Usulan.Jenis.PERBAIKAN, data={"keluarga": {"rt": "004"}}, alasan="RT salah",
        today=DAY["desa"],
    )  # fmt: skip
    for i, (code, batas) in enumerate([(OWN, dt.date(2026, 12, 9)),
                                       (TARGETS["same_kec"], dt.date(2026, 12, 17))]):  # fmt: skip
        Tugas.objects.create(periode=cycle.periode, kode_desa=code, jenis=Tugas.Jenis.MENINGGAL,
                             kunci=f"k{i}", uraian="x", batas=batas)  # fmt: skip
    Musdes.objects.create(periode=cycle.periode, kode_desa=OWN, nomor="BA/1", tanggal=DAY["desa"],
                          dicatat_oleh=cycle.user("operator-desa"))  # fmt: skip


def test_recap_lists_every_kabupaten_with_its_running_period(cycle: Cycle) -> None:
    _activity(cycle)
    rows = {r["kode"]: r for r in selectors.recap(cycle.user("tkpk-provinsi"), DAY["desa"])}
    assert len(rows) == 35
    blora = rows["33.16"]
    assert blora["periode"] == cycle.periode and blora["tahap"]["tahap"] == "desa"
    assert blora["musdes"] == 1 and blora["desa_tugas"] == 2
    assert blora["terbuka"] == 2 and blora["terlambat"] == 1
    assert dict(blora["menunggu"])["Diajukan desa"] == 1 and blora["diterapkan"] == 0
    assert rows["33.17"]["periode"] is None
    # After the desa window the next open stage is shown.
    later = {r["kode"]: r for r in selectors.recap(cycle.user("tkpk-provinsi"), DAY["musdes"])}
    assert later["33.16"]["tahap"]["tahap"] == "musdes"


def test_recap_keeps_to_the_users_region(cycle: Cycle) -> None:
    _activity(cycle)
    rows = selectors.recap(cycle.user("tkpk-kabupaten"), DAY["desa"])
    assert [r["kode"] for r in rows] == ["33.16"]
    kecamatan = selectors.recap(cycle.user("operator-kecamatan"), DAY["desa"])
    assert kecamatan[0]["desa_tugas"] == 2  # both desa are in its kecamatan
    desa = selectors.recap(cycle.user("operator-desa"), DAY["desa"])
    assert desa[0]["desa_tugas"] == 1 and desa[0]["terlambat"] == 1
    assert selectors.recap(cycle.user("viewer"), DAY["desa"]) == []


def test_province_roles_land_on_the_recap(cycle: Cycle) -> None:
    _activity(cycle)
    with time_machine.travel("2026-12-10 09:00 +0700", tick=False):
        page = logged_in(cycle.user("tkpk-provinsi")).get(reverse("verval:progress"))
        html = page.content.decode()
        assert "Kemajuan verval per kabupaten/kota" in html and 'id="rekap"' in html
        assert f"?periode={cycle.periode.pk}&amp;tingkat=kecamatan" in html
        assert "Tidak ada periode berjalan" in html  # the 34 others
        # A kabupaten role keeps the per-kecamatan page, and may ask for the recap.
        kab = logged_in(cycle.user("tkpk-kabupaten"))
        assert "Kemajuan verval:" in kab.get(reverse("verval:progress")).content.decode()
        asked = kab.get(reverse("verval:progress"), {"tingkat": "kabupaten"}).content.decode()
        assert 'id="rekap"' in asked and "Kabupaten Grobogan" not in asked
