"""A resident's sanggah, end to end, in Debian's Chromium at 360 x 740 (issue 13): the
resident picks the desa and sends a sanggah from the public page without logging in, the
operator desa finds it on the verval worklist and records the outcome, and the resident's
tracking page shows it. Every page fits the phone screen."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from padu.layanan.models import Laporan
from padu.verval.models import Tugas
from tests.access_fixtures import OWN, build_world
from tests.browser.fit import fit
from tests.browser.session import sign_in
from tests.browser.test_shell import ARGS, ARTIFACTS, CHROMIUM
from tests.conftest import restore_reference_data
from tests.verval.test_kunjungan_api import open_today

playwright = pytest.importorskip("playwright.sync_api")
pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed"),
]
PASSWORD = "sandi-uji-panjang-1"
PHONE = {"viewport": {"width": 360, "height": 740}}


def _fits(page: Any, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"layanan-{name}.png"), full_page=True)
    assert not fit(page)["problems"], name


def test_resident_sanggah_reaches_the_desa_and_its_outcome_comes_back(live_server: Any) -> None:
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    restore_reference_data()
    world = build_world()
    open_today(world)
    operator = world.users["operator-desa"]
    operator.set_password(PASSWORD)
    operator.save()
    base = live_server.url
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        resident = browser.new_context(**PHONE).new_page()
        resident.goto(f"{base}/layanan/")
        _fits(resident, "1-beranda")
        resident.click("a.act:has-text('Sanggah')")
        resident.select_option("#kab", "33.16")
        resident.click("#pilih")
        resident.select_option("#kec", "33.16.01")
        resident.click("#pilih")
        resident.select_option("#pilih-desa", OWN)
        resident.click("#pilih")
        resident.fill("#nama_kepala", "Sumarno Wiryo")
        resident.select_option("#alasan", "sudah-mampu")
        resident.fill("#keterangan", "Sudah punya toko besar di pasar.")
        _fits(resident, "2-sanggah")
        resident.click("button:has-text('Kirim sanggahan')")
        resident.wait_for_selector("#kode-lacak")
        code = resident.inner_text("#kode-lacak").strip()
        assert "Dalam daftar kerja" in resident.inner_text("#status")
        _fits(resident, "3-kode-lacak")
        assert Laporan.objects.get().kode_lacak == code

        staff = browser.new_context(**PHONE).new_page()
        sign_in(staff, base, operator.username, PASSWORD)
        staff.goto(f"{base}/verval/desa/{OWN}/")
        item = staff.locator("li.item", has_text=f"Sanggah warga {code}")
        assert item.count() == 1
        assert "Sudah mampu" in item.inner_text()
        _fits(staff, "4-daftar-kerja")
        item.locator("select[name=keputusan]").select_option("diterima")
        item.locator("textarea[name=catatan]").fill("Diperiksa; diusulkan nonaktif di musdes.")
        item.locator("button:has-text('Simpan keputusan')").click()
        staff.wait_for_selector("text=Keputusan tersimpan")
        assert "Diterima" in staff.locator("li.item", has_text=code).inner_text()

        resident.goto(f"{base}/layanan/lacak/?kode={code.lower()}")
        assert resident.inner_text("#keputusan") == "Diterima"
        assert resident.inner_text("#catatan") == "Diperiksa; diusulkan nonaktif di musdes."
        assert "Sumarno" not in resident.content()
        _fits(resident, "5-hasil")
        browser.close()
    task = Tugas.objects.get(kunci=f"warga:{code}")
    assert task.keluarga == world.families["own"] and task.status == Tugas.Status.SELESAI
