"""The TKPK dashboard's maps in Debian's Chromium, on a phone (360 x 740) and a laptop
(1366 x 768): the province map draws the 35 kabupaten/kota; tapping Blora opens its
kecamatan map, tapping Jati its desa map, tapping a desa the desa's figures. Every page fits
the screen; screenshots go to tests/browser/artifacts/ (not committed)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from padu.dashboard.services import agregat_refresh
from tests.access_fixtures import OWN, build_world
from tests.browser.fit import fit
from tests.browser.session import sign_in
from tests.browser.test_role_home import _second_factor
from tests.browser.test_shell import ARGS, ARTIFACTS, CHROMIUM
from tests.conftest import restore_reference_data

playwright = pytest.importorskip("playwright.sync_api")
pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed"),
]
PASSWORD = "sandi-uji-panjang-1"


def _check(page: Any, name: str, width: int) -> None:
    page.screenshot(path=str(ARTIFACTS / f"dasbor-{width}-{name}.png"), full_page=True)
    assert not fit(page)["problems"], name
    if page.locator("#peta").count():
        box = page.locator("#peta").bounding_box()
        assert box is not None and box["width"] <= width and box["height"] > 50


@pytest.mark.parametrize(("width", "height"), [(360, 740), (1366, 768)])
def test_map_drills_from_province_to_a_desa(live_server: Any, width: int, height: int) -> None:
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    restore_reference_data()
    world = build_world()
    agregat_refresh(actor=None)
    user = world.users["tkpk-provinsi"]
    user.set_password(PASSWORD)
    user.save()
    ARTIFACTS.mkdir(exist_ok=True)
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": width, "height": height})
        sign_in(page, live_server.url, user.username, PASSWORD, home=False)
        _second_factor(page, user)
        page.wait_for_url(f"{live_server.url}/")
        page.click("header a:text-is('Dasbor')")
        page.wait_for_selector("#peta")
        assert page.locator("#peta a").count() == 35
        assert page.locator("h1").inner_text() == "Dasbor Provinsi Jawa Tengah"
        _check(page, "1-provinsi", width)
        page.click("#peta a[data-kode='33.16']")
        page.wait_for_url("**/dasbor/33.16/**")
        assert page.locator("h1").inner_text() == "Dasbor Kabupaten Blora"
        assert page.locator("#peta a").count() == 16  # the kecamatan of Blora
        _check(page, "2-kabupaten", width)
        page.click("#peta a[data-kode='33.16.01']")
        page.wait_for_url("**/dasbor/33.16.01/**")
        assert page.locator("h1").inner_text() == "Dasbor Kecamatan Jati"
        assert page.locator("#peta a").count() >= 10
        _check(page, "3-kecamatan", width)
        page.click(f"#peta a[data-kode='{OWN}']")
        page.wait_for_url(f"**/dasbor/{OWN}/**")
        assert page.locator("h1").inner_text() == "Dasbor Desa Bangkleyan"
        assert page.inner_text("#ringkas").startswith("Keluarga")
        _check(page, "4-desa", width)
        browser.close()
