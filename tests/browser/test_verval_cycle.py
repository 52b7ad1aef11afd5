"""One whole verval cycle in Debian's Chromium at 360 x 740, as five roles (issue 12).

Dinas Sosial opens the period and generates the worklists; the operator desa finds its task,
fills the visit with the network cut off, closes and reopens the form, goes back online and
the visit syncs once; the desa records its musdes and downloads the Berita Acara and BNBA;
the operator kecamatan uploads the signed scan and approves; Dinas Sosial verifies and
records the bupati's SK; the family's history shows the change with its usulan and SK; TKPK
kabupaten sees the period's progress. The server's clock stands on 10 December 2026 (all
stage windows of the December period open); screenshots go to docs/img/verval/ for the
user guide when PADU_SCREENSHOTS=1, else to tests/browser/artifacts/."""

from __future__ import annotations

import io
import os
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import time_machine
from pypdf import PdfReader

from padu.registry.models import Keluarga, Version
from padu.verval.models import Kunjungan, Musdes, Periode, Tugas, Usulan
from tests.access_fixtures import OWN, build_world
from tests.browser.fit import fit
from tests.browser.session import sign_in
from tests.browser.test_shell import ARGS, ARTIFACTS, CHROMIUM
from tests.conftest import restore_reference_data
from tests.verval.fixtures import PDF

playwright = pytest.importorskip("playwright.sync_api")
pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed"),
]
PASSWORD = "sandi-uji-panjang-1"
GUIDE = Path(__file__).parents[2] / "docs" / "img" / "verval"
# The form says so once the service worker has kept the page and its files (it answers
# the page's request to keep them only after every copy is stored).
READY = "#kj-siap[data-siap=ya]"


class Walk:
    """A browser context per role, logged in, with screenshots named in order."""

    def __init__(self, browser: Any, base: str, folder: Path) -> None:
        self.browser, self.base, self.folder, self.shots = browser, base, folder, 0
        folder.mkdir(parents=True, exist_ok=True)

    def login(self, user: Any) -> tuple[Any, Any]:
        context = self.browser.new_context(viewport={"width": 360, "height": 740},
                                           accept_downloads=True)  # fmt: skip
        page = context.new_page()
        sign_in(page, self.base, user.username, PASSWORD)
        return context, page

    def shot(self, page: Any, name: str) -> None:
        self.shots += 1
        page.screenshot(path=str(self.folder / f"{self.shots:02d}-{name}.png"), full_page=True)
        problems = fit(page)["problems"]
        assert not problems, f"{name}: {problems}"

    def download(self, page: Any, link: str) -> bytes:
        with page.expect_download() as info:
            page.click(f"a:text-is('{link}')")
        path = info.value.path()
        return Path(path).read_bytes()


def _expect(page: Any, selector: str) -> None:
    """Wait for ``selector``; on a timeout say which page the browser is on instead."""
    try:
        page.wait_for_selector(selector, timeout=20_000)
    except playwright.Error as exc:
        main = page.inner_text("main") if page.locator("main").count() else page.content()
        raise AssertionError(f"{selector} not on {page.url}: {main[:800]}") from exc


def _pdf_text(content: bytes) -> str:
    return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages)


def test_five_roles_walk_one_cycle(live_server: Any, tmp_path: Path) -> None:
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    folder = GUIDE if os.environ.get("PADU_SCREENSHOTS") == "1" else ARTIFACTS / "verval"
    scan = tmp_path / "berita-acara-ttd.pdf"
    scan.write_bytes(PDF)
    with time_machine.travel("2026-12-10 09:00 +0700", tick=True):
        restore_reference_data()
        world = build_world()
        for user in world.users.values():
            user.set_password(PASSWORD)
            user.save()
        family = world.families["own"]
        with playwright.sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            walk = Walk(browser, live_server.url, folder)
            _dinsos_opens(walk, world.users["dinsos-kabupaten"])
            _desa_visits_offline(walk, world.users["operator-desa"], family)
            _desa_holds_musdes(walk, world.users["operator-desa"])
            _kecamatan_locks_and_approves(walk, world.users["operator-kecamatan"], scan)
            _dinsos_verifies_and_records_sk(walk, world.users["dinsos-kabupaten"], family, scan)
            _tkpk_sees_progress(walk, world.users["tkpk-kabupaten"])
            browser.close()
    usulan = Usulan.objects.get()
    assert usulan.status == Usulan.Status.DITERAPKAN
    assert Keluarga.objects.get(pk=family.pk).alamat == "Dusun Krajan RT 003"
    reasons = list(
        Version.objects.filter(reason__contains="SK 400.9/12/2026").values_list("reason", flat=True)
    )
    assert reasons and f"usulan #{usulan.pk}" in reasons[0]


def _dinsos_opens(walk: Walk, user: Any) -> None:
    context, page = walk.login(user)
    assert page.locator("h1").inner_text() == "Kabupaten Blora"
    page.click("header a:text-is('Verval')")
    page.click("text=Buka periode")
    page.fill("#bulan", "2026-12")
    page.click("button:text('Buka periode')")
    page.wait_for_selector("text=Periode dibuka.")
    page.click("button:text('Buat daftar kerja')")
    page.wait_for_selector("text=tugas baru dibuat")
    walk.shot(page, "dinsos-periode-dan-daftar-kerja")
    assert Periode.objects.count() == 1 and Tugas.objects.filter(kode_desa=OWN).exists()
    context.close()


def _desa_visits_offline(walk: Walk, user: Any, family: Keluarga) -> None:
    context, page = walk.login(user)
    assert page.locator("h1").inner_text() == "Desa Bangkleyan"
    walk.shot(page, "desa-beranda")
    page.click("main a:has-text('tugas verval')")
    page.wait_for_selector("h2#tugas")
    walk.shot(page, "desa-daftar-kerja")
    page.click("a:text-is('Kunjungi')")
    page.wait_for_selector("#kunjungan")
    url = page.url
    page.wait_for_selector(READY, timeout=15_000)
    walk.shot(page, "kunjungan-formulir")

    context.set_offline(True)
    page.check("input[name=hasil][value='1']")
    page.fill("[name='k:alamat']", "Dusun Krajan RT 003")
    page.click("#kj-kirim")
    page.wait_for_selector("#kj-status:has-text('Menunggu sinyal')")
    walk.shot(page, "kunjungan-tanpa-sinyal")
    page.close()
    page = context.new_page()
    page.goto(url)
    page.wait_for_selector("#kj-draf:has-text('Draf tersimpan di perangkat ini')")
    assert page.input_value("[name='k:alamat']") == "Dusun Krajan RT 003"
    assert Kunjungan.objects.count() == 0
    context.set_offline(False)
    page.wait_for_selector("#kj-status:has-text('Terkirim')", timeout=15_000)
    walk.shot(page, "kunjungan-terkirim")
    page.reload()
    page.wait_for_load_state("networkidle")
    visit = Kunjungan.objects.get()
    assert visit.keluarga_id == family.pk and Kunjungan.objects.count() == 1
    assert Usulan.objects.filter(kunjungan=visit, jenis="perbaikan").count() == 1
    context.close()


def _desa_holds_musdes(walk: Walk, user: Any) -> None:
    context, page = walk.login(user)
    page.goto(f"{walk.base}/verval/musdes/{OWN}/")
    page.fill("#pimpinan", "Kepala Desa Uji")
    page.fill(
        "#peserta", "Kepala Desa Uji - Kepala Desa\nKetua BPD Uji - Ketua BPD\nWarga Uji - Tokoh"
    )
    page.fill("#penandatangan", "Kepala Desa Uji - Kepala Desa\nKetua BPD Uji - Ketua BPD")
    page.check("input[type=radio][value=diterima]")
    page.click("button:text('Simpan musyawarah')")
    page.wait_for_selector("text=Musyawarah dan keputusannya tercatat.")
    walk.shot(page, "musdes-tercatat")
    ba = _pdf_text(walk.download(page, "berita-acara.pdf"))
    assert "Bangkleyan" in ba and "Sumarno Wiryo" in ba and "diterima" in ba.lower()
    sheet = openpyxl.load_workbook(io.BytesIO(walk.download(page, "bnba.xlsx"))).active
    cells = " ".join(str(c) for row in sheet.iter_rows(values_only=True) for c in row if c)
    assert "Sumarno Wiryo" in cells and "Jumlah keluarga: 1" in cells
    context.close()


def _kecamatan_locks_and_approves(walk: Walk, user: Any, scan: Path) -> None:
    context, page = walk.login(user)
    assert page.locator("h1").inner_text().startswith("Kecamatan Jati")
    page.goto(f"{walk.base}/verval/musdes/{OWN}/")
    page.set_input_files("#scan", str(scan))
    page.click("button:text('Unggah dan kunci')")
    page.wait_for_selector("text=keputusan terkunci")
    assert Musdes.objects.get().terkunci
    page.click("header a:text-is('Verval')")
    page.click("a:text('Pemeriksaan kecamatan')")
    page.check("input[name=usulan]")
    walk.shot(page, "kecamatan-persetujuan")
    page.click("button:text('Putuskan')")
    page.wait_for_selector("text=1 usulan diputuskan.")
    context.close()


def _dinsos_verifies_and_records_sk(walk: Walk, user: Any, family: Keluarga, scan: Path) -> None:
    context, page = walk.login(user)
    page.click("header a:text-is('Verval')")
    page.click("a:text('Verifikasi Dinas Sosial')")
    page.check("#semua")
    page.click("button:text('Putuskan')")
    page.wait_for_selector("text=1 usulan diputuskan.")
    page.click("header a:text-is('Verval')")
    page.click("a:text-is('Pengesahan (SK)')")
    _expect(page, "#nomor_sk")
    page.fill("#nomor_sk", "400.9/12/2026")
    page.fill("#tanggal_sk", "2026-12-10")
    page.set_input_files("#berkas", str(scan))
    page.click("button:text('Catat SK')")
    page.wait_for_selector("text=1 usulan diterapkan")
    walk.shot(page, "dinsos-pengesahan")
    page.goto(f"{walk.base}/registry/keluarga/{family.pk}/")
    history = page.inner_text("main")
    assert "SK 400.9/12/2026" in history and "usulan #" in history
    walk.shot(page, "riwayat-keluarga")
    context.close()


def _tkpk_sees_progress(walk: Walk, user: Any) -> None:
    context, page = walk.login(user)
    page.click("header a:text-is('Verval')")
    page.click("a:text('Kemajuan periode')")
    text = page.inner_text("main")
    assert "Jati" in text and "diterapkan 1" in text
    walk.shot(page, "tkpk-kemajuan")
    context.close()
