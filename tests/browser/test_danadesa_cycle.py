"""BLT-DD in Debian's Chromium at 360 x 740 (issue 16): the operator desa enters the pagu,
generates the candidate list, records the musdesus (one KPM removed, with its reason) and
downloads the Berita Acara and the KPM list, records a month of payments; TKPK kabupaten
sees it in the kabupaten report. Screenshots go to docs/img/danadesa/ when
PADU_SCREENSHOTS=1, else to tests/browser/artifacts/danadesa/."""

from __future__ import annotations

import io
import os
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.utils import timezone
from pypdf import PdfReader

from padu.danadesa.models import Baris, Daftar, Pembayaran
from tests.access_fixtures import OWN
from tests.browser.test_shell import ARGS, ARTIFACTS, CHROMIUM
from tests.browser.test_verval_cycle import PASSWORD, Walk, _expect
from tests.conftest import restore_reference_data
from tests.danadesa.fixtures import build_register

playwright = pytest.importorskip("playwright.sync_api")
pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed"),
]
GUIDE = Path(__file__).parents[2] / "docs" / "img" / "danadesa"


def _pdf_text(content: bytes) -> str:
    return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages)


def test_operator_desa_list_musdesus_documents_payments_and_kabupaten_report(
    live_server: Any,
) -> None:
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    folder = GUIDE if os.environ.get("PADU_SCREENSHOTS") == "1" else ARTIFACTS / "danadesa"
    restore_reference_data()
    reg = build_register()
    for user in reg.world.users.values():
        user.set_password(PASSWORD)
        user.save()
    tahun = timezone.localdate().year
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        walk = Walk(browser, live_server.url, folder)
        context, page = walk.login(reg.user("operator-desa"))
        page.click("header a:text-is('BLT-DD')")
        page.click("main a:text-is('Bangkleyan')")
        _expect(page, "#pagu")
        page.fill("#pagu_rp", "120000000")
        page.click("button:text('Simpan pagu')")
        _expect(page, "text=Pagu Dana Desa tersimpan.")
        page.click("button:text('Hitung daftar calon')")
        _expect(page, "text=Daftar calon versi 1 dihitung: kuota 5 keluarga.")
        walk.shot(page, "daftar-calon")
        assert page.inner_text("#jumlah-kpm") == "5"

        page.click("main a:text-is('Musdesus')")
        page.fill("#pimpinan", "Kepala Desa Uji")
        page.fill("#peserta", "Kepala Desa Uji - Kepala Desa\nKetua BPD Uji - Ketua BPD")
        page.fill("#penandatangan", "Kepala Desa Uji - Kepala Desa\nKetua BPD Uji - Ketua BPD")
        page.fill("#nomor_perkades", f"141/05/{tahun}")
        page.fill(f"[name=h{reg.pk('Karto')}]", "Pindah ke luar desa")
        walk.shot(page, "musdesus-formulir")
        page.click("button:text('Simpan musdesus')")
        _expect(page, "text=Musdesus tercatat: daftar KPM versi 2.")
        walk.shot(page, "musdesus-tercatat")
        ba = _pdf_text(walk.download(page, "Berita Acara (PDF)"))
        assert f"141/05/{tahun}" in ba and "Pindah ke luar desa" in ba and "Bangkleyan" in ba
        sheet = openpyxl.load_workbook(io.BytesIO(walk.download(page, "XLSX"))).active
        cells = " ".join(str(c) for row in sheet.iter_rows(values_only=True) for c in row if c)
        assert "Sarmi" in cells and "Karto" not in cells and "Jumlah keluarga: 4" in cells

        page.click("main a:text-is('Pembayaran bulanan')")
        page.select_option("#bulan", "3")
        page.click("form.inline button:text('Tampilkan')")
        _expect(page, "h1:has-text('Maret')")
        page.select_option("#cara", "transfer")
        page.click("button:text('Simpan pembayaran Maret')")
        _expect(page, "text=Pembayaran Maret tercatat untuk 4 KPM.")
        walk.shot(page, "pembayaran-maret")
        context.close()

        context, page = walk.login(reg.user("tkpk-kabupaten"))
        page.goto(f"{walk.base}/danadesa/?tahun={tahun}")
        page.click("a:text-is('Laporan BLT-DD wilayah 33.16')")
        _expect(page, "#total-kpm")
        assert page.inner_text("#total-kpm") == "4"
        assert page.inner_text("#total-dibayar") == "Rp 1.200.000"
        walk.shot(page, "laporan-kabupaten")
        context.close()
        browser.close()
    final = Daftar.objects.get(kode_desa=OWN, tahun=tahun, versi=2)
    assert final.baris.filter(status=Baris.Status.KPM).count() == 4
    assert Pembayaran.objects.filter(bulan=3, cara="transfer").count() == 4
