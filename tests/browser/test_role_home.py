"""Every role lands on its own work (issue 20): Debian's Chromium at 360 x 740, one login
per role. After login the heading names the role's own region, the main task is one tap
away, and the home page and every page of the menu fit the screen (no element wider than
the viewport, every table fits or scrolls inside a visible box). Screenshots go to
tests/browser/artifacts/ (not committed)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from padu.intake.models import ImportRun, Source
from padu.quality.services import quality_check
from tests.access_fixtures import OWN, ROLES, build_world
from tests.browser.fit import fit
from tests.browser.session import sign_in
from tests.browser.test_shell import ARGS, ARTIFACTS, CHROMIUM
from tests.conftest import restore_reference_data

playwright = pytest.importorskip("playwright.sync_api")
pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed"),
]
WIDTH, HEIGHT = 360, 740
PASSWORD = "sandi-uji-panjang-1"
DESA = f"/registry/desa/{OWN}/"
# Per role: the heading of its home page, the link of its main task, and the heading that
# link opens.
HOME = {
    "admin-provinsi": ("Provinsi Jawa Tengah", "/wilayah/33.16/", "Kabupaten Blora"),
    "tkpk-provinsi": ("Provinsi Jawa Tengah", "/wilayah/33.16/", "Kabupaten Blora"),
    "viewer": ("Provinsi Jawa Tengah", "/wilayah/33.16/", "Kabupaten Blora"),
    "dinsos-kabupaten": ("Kabupaten Blora", "/wilayah/kecamatan/33.16.01/", "Kecamatan Jati"),
    "tkpk-kabupaten": ("Kabupaten Blora", "/wilayah/kecamatan/33.16.01/", "Kecamatan Jati"),
    "operator-kecamatan": ("Kecamatan Jati", DESA, "Desa Bangkleyan"),
    "operator-desa": ("Desa Bangkleyan", DESA, "Desa Bangkleyan"),
    "opd-pendamping": ("Desa Bangkleyan", DESA, "Desa Bangkleyan"),
}
PROVINCE = {"admin-provinsi", "tkpk-provinsi", "viewer"}


def test_every_role_is_listed() -> None:
    assert set(HOME) == set(ROLES)


def _second_factor(page: Any, user: Any) -> None:
    """Province-wide roles confirm a TOTP code after the password."""
    page.wait_for_selector("#id_kode")
    device = TOTPDevice.objects.get(user=user)
    code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    page.fill("#id_kode", f"{code:06d}")
    page.click("button.primary")


def _assert_fits(page: Any, where: str) -> dict[str, Any]:
    result = fit(page)
    assert not result["problems"], f"{where}: {result['problems']}"
    assert result["width"] <= WIDTH
    return result


@pytest.mark.parametrize("role", list(HOME))
def test_role_lands_on_its_own_region(live_server: Any, role: str) -> None:
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    restore_reference_data()
    world = build_world()
    quality_check(actor=None)
    source = Source.objects.create(name="uji-desa", kind="desa", owner_region=OWN)
    ImportRun.objects.create(source=source, file_name="desa.csv", status=ImportRun.Status.GAGAL)
    user = world.users[role]
    user.set_password(PASSWORD)
    user.save()
    heading, task, opened = HOME[role]
    ARTIFACTS.mkdir(exist_ok=True)
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": WIDTH, "height": HEIGHT})
        sign_in(page, live_server.url, user.username, PASSWORD, home=False)
        if role in ("admin-provinsi", "tkpk-provinsi"):
            _second_factor(page, user)
        page.wait_for_url(f"{live_server.url}/")
        assert page.locator("h1").inner_text().startswith(heading)
        page.screenshot(path=str(ARTIFACTS / f"peran-{role}-1-beranda.png"), full_page=True)
        home = _assert_fits(page, "beranda")
        assert not home["scrolling"], "the home page's tables fit without scrolling"
        # The main task: one tap, on the first screen except for the province's long list.
        link = page.locator(f"main a[href='{task}']").first
        assert link.is_visible()
        box = link.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= WIDTH
        if role not in PROVINCE:
            assert box["y"] + box["height"] <= HEIGHT, "main task below the first screen"
        menu = page.eval_on_selector_all(
            "header nav a", "links => links.map(a => a.getAttribute('href'))"
        )
        link.click()
        page.wait_for_load_state()
        assert page.locator("h1").inner_text().startswith(opened)
        page.screenshot(path=str(ARTIFACTS / f"peran-{role}-2-tugas.png"), full_page=True)
        _assert_fits(page, task)
        # Every page of the menu fits the screen too.
        for href in menu:
            if href.startswith("/admin/"):
                continue
            page.goto(f"{live_server.url}{href}")
            _assert_fits(page, href)
        if role == "operator-desa":
            page.goto(f"{live_server.url}/")
            assert "Impor #" in page.inner_text("main")  # the failed import is listed
            page.goto(f"{live_server.url}/kualitas/desa/{OWN}/")
            _assert_fits(page, "kualitas desa")
            page.screenshot(path=str(ARTIFACTS / f"peran-{role}-3-kualitas.png"), full_page=True)
        browser.close()
