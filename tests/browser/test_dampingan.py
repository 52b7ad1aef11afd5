"""Satu OPD Satu Desa Dampingan end to end in Debian's Chromium (issue 14): Blora's TKPK
assigns an OPD to a desa; the OPD's team member, on a 360-px phone, records a baseline visit
with the verval field form and two interventions, downloads the monthly report and sends
it; TKPK sees the desa's progress."""

from __future__ import annotations

import io
import os
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from padu.accounts.services import user_upsert
from padu.dampingan import services
from padu.dampingan.models import Intervensi, LaporanBulanan, Penugasan
from padu.registry.models import Version
from padu.verval.models import Kunjungan
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
PHONE = {"viewport": {"width": 360, "height": 740}, "accept_downloads": True}
READY = "#kj-siap[data-siap=ya]"


def _shot(page: Any, name: str, *, phone: bool = False) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"dampingan-{name}.png"), full_page=True)
    if phone:
        assert not fit(page)["problems"], (name, fit(page)["problems"])


def test_tkpk_assigns_the_team_works_on_a_phone_and_tkpk_sees_progress(
    live_server: Any,
) -> None:
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    restore_reference_data()
    world = build_world()
    open_today(world)  # the verval period whose desa window holds today
    tkpk = world.users["tkpk-kabupaten"]
    tkpk.set_password(PASSWORD)
    tkpk.save()
    member = user_upsert(actor=None, username="tim-dinkes", password=PASSWORD, assignments=[])
    mitra = services.mitra_create(
        actor=tkpk, kode="dinkes-blora", nama="Dinas Kesehatan Blora", jenis="opd-kabupaten",
        wilayah="33.16",
    )  # fmt: skip
    services.anggota_add(actor=tkpk, mitra=mitra, user=member, jabatan="Anggota")
    base = live_server.url
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)

        # 1. TKPK Blora assigns the OPD to Desa Bangkleyan.
        office = browser.new_context(viewport={"width": 1366, "height": 900}).new_page()
        sign_in(office, base, tkpk.username, PASSWORD)
        office.goto(f"{base}/dampingan/mitra/{mitra.pk}/")
        office.fill("#id_kode_desa", OWN)
        office.fill("#id_dasar_hukum", "SK Bupati Blora 400/77/2026")
        office.click("#form-tugaskan button")
        office.wait_for_selector("text=ditugaskan di desa")
        _shot(office, "1-tkpk-menugaskan")
        assert Penugasan.objects.get().kode_desa == OWN

        # 2. The team member, on a phone: the desa, a baseline visit with the verval form.
        phone_context = browser.new_context(**PHONE)
        phone = phone_context.new_page()
        sign_in(phone, base, member.username, PASSWORD)
        phone.goto(f"{base}/dampingan/")
        phone.click(f"#kemajuan a[href='/dampingan/desa/{OWN}/']")
        phone.wait_for_selector("h1:has-text('Bangkleyan')")
        _shot(phone, "2-profil-desa", phone=True)
        phone.click("#keluarga a:has-text('Kunjungi')")
        phone.wait_for_selector("#kunjungan")
        phone.wait_for_selector(READY, timeout=15_000)
        phone.check("input[name=hasil][value='1']")
        phone.click("#kj-kirim")
        phone.wait_for_selector("#kj-status:has-text('Terkirim')", timeout=15_000)
        _shot(phone, "3-kunjungan-baseline", phone=True)
        assert Kunjungan.objects.get().petugas_id == member.pk

        # 3. Two interventions: a toilet (finished: the register changes) and sembako.
        phone.goto(f"{base}/dampingan/desa/{OWN}/")
        phone.select_option("#id_iv-jenis", label="Jamban keluarga")
        phone.select_option("#id_iv-keluarga", index=1)
        phone.select_option("#id_iv-sumber_dana", label="Dana Desa")
        phone.fill("#id_iv-jumlah", "3500000")
        phone.select_option("#id_iv-status", "selesai")
        phone.click("#form-intervensi button.primary")
        phone.wait_for_selector("text=Intervensi Jamban keluarga tercatat")
        phone.select_option("#id_iv-jenis", label="Sembako")
        phone.select_option("#id_iv-keluarga", index=1)
        phone.select_option("#id_iv-sumber_dana", label="Baznas / zakat (UPZ)")
        phone.fill("#id_iv-jumlah", "250000")
        phone.click("#form-intervensi button.primary")
        phone.wait_for_selector("text=Intervensi Sembako tercatat")
        _shot(phone, "4-dua-intervensi", phone=True)
        assert Intervensi.objects.count() == 2
        toilet = Intervensi.objects.get(jenis__kode="jamban")
        assert toilet.status == "selesai" and toilet.versi_id is not None
        assert Version.objects.get(pk=toilet.versi_id).changes["fasilitas_bab"][1] == 1

        # 4. The monthly report: download the PDF, then send it to TKPK.
        with phone.expect_download() as download:
            phone.click("a:text-is('PDF')")
        data = Path(download.value.path()).read_bytes()
        text = " ".join(pg.extract_text() for pg in PdfReader(io.BytesIO(data)).pages)
        assert "Dinas Kesehatan Blora" in text and "3.750.000" in text
        phone.click("button:text('Kirim laporan ke TKPK')")
        phone.wait_for_selector("text=terkirim ke TKPK")
        assert LaporanBulanan.objects.count() == 1
        phone_context.close()

        # 5. TKPK sees the desa's progress.
        office.goto(f"{base}/dampingan/")
        row = office.locator(f"#kemajuan tr[data-desa='{OWN}']")
        assert "Dinas Kesehatan Blora" in row.inner_text()
        assert "2 (1)" in row.inner_text()  # two interventions, one finished
        assert "3.750.000" in row.inner_text()
        _shot(office, "5-tkpk-kemajuan")
        browser.close()
