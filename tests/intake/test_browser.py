"""The import as a user does it, in a real browser (Playwright driving Debian's Chromium):
upload, review and edit the mapping, confirm, watch progress, read the report, download the
quarantine file."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from padu.accounts.services import user_upsert

CHROMIUM = "/usr/bin/chromium"
pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not shutil.which(CHROMIUM), reason="Debian's chromium is not installed"),
]

FILE = (
    "DATA KELUARGA DESA CONTOH\n"
    "\n"
    "ID DTKS;KODE WIL;ALAMAT;NO_KK\n"
    "K1;3316012001;Dukuh Krajan;3316010101200001\n"
    "K2;3316012001;Dukuh Ngasem;33160101012\n"
    "K3;3316012001;Dukuh Jati;3316010101200003\n"
)


@pytest.fixture
def browser_page(tmp_path: Path) -> Any:
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # Playwright's sync API runs a loop
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        context = browser.new_context(viewport={"width": 360, "height": 800}, accept_downloads=True)
        yield context.new_page()
        browser.close()


def test_upload_map_confirm_progress_report_download(
    live_server: Any, browser_page: Any, tmp_path: Path
) -> None:
    user_upsert(
        actor=None,
        username="dinsos",
        password="sandi-uji-123",
        assignments=[("dinsos-kabupaten", "33.16.")],
    )
    source_file = tmp_path / "keluarga-desa.csv"
    source_file.write_text(FILE, encoding="utf-8")
    page = browser_page
    page.goto(f"{live_server.url}/masuk/?next=/impor/baru/")
    page.fill("#id_username", "dinsos")
    page.fill("#id_password", "sandi-uji-123")
    page.click("main button[type=submit]")
    page.wait_for_url("**/impor/baru/")
    page.set_input_files("#id_file", str(source_file))
    page.select_option("#id_table", "keluarga")
    page.fill("#id_new_source", "Simnakis Blora")
    page.click("main button[type=submit]")
    page.wait_for_url("**/pemetaan/")
    page.screenshot(path=str(tmp_path / "pemetaan.png"), full_page=True)
    # The proposal found the id by synonym; the user maps the two columns it could not.
    assert page.input_value("#id_id_keluarga") == "ID DTKS"
    assert page.input_value("#id_no_kk") == "NO_KK"
    assert "Dukuh Krajan" in page.content()
    page.select_option("#id_kode_desa", "KODE WIL")
    page.select_option("#id_alamat", "ALAMAT")
    page.click("#pemetaan button[type=submit]")
    page.wait_for_url("**/impor/*/")
    page.wait_for_selector("text=Laporan")
    progress = page.get_attribute("progress", "value")
    assert progress == "100"
    text = page.inner_text("main")
    assert "Baris di karantina" in text and "Data baru di register" in text
    assert "Nomor KK" in text or "NO_KK" in text
    page.screenshot(path=str(tmp_path / "laporan.png"), full_page=True)
    with page.expect_download() as info:
        page.click("#unduh-karantina")
    saved = tmp_path / "karantina.xlsx"
    info.value.save_as(saved)
    sheet = openpyxl.load_workbook(saved).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("ID DTKS", "KODE WIL", "ALAMAT", "NO_KK")
    assert rows[1][0] == "K2" and "16 digit" in rows[1][-1]
    assert len(rows) == 2
