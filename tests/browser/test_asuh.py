"""Orphans and foster parents end to end in Debian's Chromium (issue 15): an OPD member
confirms two orphans found in the data on a 360-px phone; a resident registers as a foster
parent on the public service; the Dinas Sosial verifies them, records the guardian's
consent, confirms the match with its pledge and one disbursement; TKPK's counts for the
desa change."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from padu.asuh import services
from padu.asuh.models import Anak, Asuhan, OrangTuaAsuh, Penyaluran
from padu.registry.models import Keluarga, Person
from tests.access_fixtures import OWN, build_world
from tests.browser.fit import fit
from tests.browser.session import sign_in
from tests.browser.test_shell import ARGS, ARTIFACTS, CHROMIUM
from tests.conftest import restore_reference_data

playwright = pytest.importorskip("playwright.sync_api")
pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed"),
]
PASSWORD = "sandi-uji-panjang-1"
PHONE = {"viewport": {"width": 360, "height": 740}}


def _shot(page: Any, name: str, *, phone: bool = False) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"asuh-{name}.png"), full_page=True)
    if phone:
        assert not fit(page)["problems"], (name, fit(page)["problems"])


def _orphans() -> None:
    for i, (father, mother, child) in enumerate(
        [
            ("Sugeng Riyadi", "Tri Wahyuni", "Dwi Lestari"),
            ("Slamet Widodo", "Sri Utami", "Bayu Aji"),
        ],
        start=1,
    ):
        k = Keluarga.objects.create(
            id_keluarga=f"Y{i}", no_kk=f"33160101990{i:05d}", kode_desa=OWN, alamat="Dusun Krajan"
        )
        Person.objects.create(
            keluarga=k, nama=father, nik=f"33160101990{i:03d}01", hub_kepala_keluarga=1,
            jenis_kelamin=1, tgl_lahir=dt.date(1980, 1, 1), status_hidup=2,
        )  # fmt: skip
        Person.objects.create(
            keluarga=k, nama=mother, nik=f"33160101990{i:03d}02", hub_kepala_keluarga=2,
            jenis_kelamin=2, tgl_lahir=dt.date(1984, 1, 1),
        )  # fmt: skip
        Person.objects.create(
            keluarga=k, nama=child, nik=f"33160101990{i:03d}03", hub_kepala_keluarga=3,
            jenis_kelamin=2, tgl_lahir=dt.date(2015, 5, 5), nama_ayah=father, nama_ibu=mother,
        )  # fmt: skip


def _row(page: Any) -> str:
    return str(page.locator(f"#ringkasan-yatim tr[data-kode='{OWN}']").inner_text())


def test_orphans_confirmed_a_resident_sponsors_and_tkpk_counts_change(live_server: Any) -> None:
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    restore_reference_data()
    world = build_world()
    _orphans()
    for role in ("opd-pendamping", "dinsos-kabupaten", "tkpk-kabupaten"):
        world.users[role].set_password(PASSWORD)
        world.users[role].save()
    assert (
        services.temuan_detect(actor=None, wilayah="33.16", today=dt.date(2026, 12, 7))["baru"] == 2
    )
    base = live_server.url
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        office = browser.new_context(viewport={"width": 1366, "height": 900}).new_page()
        sign_in(office, base, world.users["tkpk-kabupaten"].username, PASSWORD)
        office.goto(f"{base}/asuh/wilayah/33.16.01/")
        before = _row(office)
        assert "\t2\t" in before  # two findings waiting, none confirmed yet

        # 1. The OPD member confirms both findings on a phone.
        opd = browser.new_context(**PHONE).new_page()
        sign_in(opd, base, world.users["opd-pendamping"].username, PASSWORD)
        opd.goto(f"{base}/asuh/desa/{OWN}/")
        _shot(opd, "1-temuan", phone=True)
        for _ in range(2):
            opd.locator("#temuan button[value=terima]").first.click()
            opd.wait_for_selector("text=Temuan dikonfirmasi")
        assert Anak.objects.count() == 2
        _shot(opd, "2-anak-tercatat", phone=True)

        # 2. A resident registers as a foster parent on the public service.
        resident = browser.new_context(**PHONE).new_page()
        resident.goto(f"{base}/layanan/")
        resident.click("a.act:has-text('orang tua asuh')")
        resident.select_option("#kab", "33.16")
        resident.click("#pilih")
        resident.select_option("#kec", "33.16.01")
        resident.click("#pilih")
        resident.select_option("#pilih-desa", OWN)
        resident.click("#pilih")
        resident.fill("#nama", "Haji Darmaji")
        resident.fill("#kontak", "0812 3456 7890")
        resident.check("input[name=kebutuhan][value=pendidikan]")
        resident.fill("#jumlah", "250000")
        _shot(resident, "3-daftar-ota", phone=True)
        resident.click("button:text('Daftar')")
        resident.wait_for_selector("#terkirim")
        assert OrangTuaAsuh.objects.get().status == "calon"

        # 3. The Dinas Sosial verifies, records consent, matches, pays once.
        dinsos = browser.new_context(viewport={"width": 1366, "height": 900}).new_page()
        sign_in(dinsos, base, world.users["dinsos-kabupaten"].username, PASSWORD)
        dinsos.goto(f"{base}/asuh/ota/")
        dinsos.click("#ota button[value=terima]")
        dinsos.wait_for_selector("text=Haji Darmaji: aktif")
        anak = Anak.objects.order_by("pk").first()
        assert anak is not None
        dinsos.goto(f"{base}/asuh/anak/{anak.pk}/")
        dinsos.fill("#persetujuan_wali", "2026-12-07")
        dinsos.check("#form-anak input[name=kebutuhan][value=pendidikan]")
        dinsos.click("#form-anak button.primary")
        dinsos.wait_for_selector("text=Data anak disimpan")
        dinsos.fill("#jumlah", "250000")
        dinsos.fill("#mulai", "2026-12-07")
        dinsos.click("#form-asuh button.primary")
        dinsos.wait_for_selector("text=menjadi orang tua asuh")
        receipt = ARTIFACTS / "kuitansi-uji.png"
        Image.new("RGB", (400, 300), "white").save(receipt, "PNG")
        dinsos.fill("#asuhan input[name=tanggal]", "2026-12-08")
        dinsos.fill("#asuhan input[name=jumlah]", "250000")
        dinsos.set_input_files("#asuhan input[name=bukti]", str(receipt))
        dinsos.click("button:text('Catat penyaluran')")
        dinsos.wait_for_selector("text=Penyaluran tercatat")
        _shot(dinsos, "4-anak-diasuh")
        assert Asuhan.objects.get().jumlah_per_bulan == 250_000
        assert Penyaluran.objects.get().jumlah == 250_000

        # 4. TKPK sees the desa's counts change.
        office.goto(f"{base}/asuh/wilayah/33.16.01/")
        after = _row(office)
        _shot(office, "5-tkpk-ringkasan")
        assert after != before
        cells = after.split("\t")
        assert cells[1] == "2" and cells[6] == "1"  # two yatim confirmed; one sponsored
        assert "250.000" in after and "Dwi Lestari" not in office.content()
        browser.close()
