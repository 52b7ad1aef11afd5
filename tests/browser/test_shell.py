"""Browser tests: Debian's Chromium driven by Playwright, at 360 px and desktop width.
Screenshots go to tests/browser/artifacts/ (kept as CI artifacts, not committed)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from tests.access_fixtures import build_world
from tests.browser.session import sign_in
from tests.conftest import restore_reference_data

playwright = pytest.importorskip("playwright.sync_api")
CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).parent / "artifacts"
pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed"),
]
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]  # fmt: skip


@pytest.fixture
def reference_data(live_server: Any) -> None:
    """Transactional tests flush every table between tests: put back the default roles and
    the regions that the session loaded once."""
    restore_reference_data()


@pytest.mark.parametrize(
    ("label", "width", "height"), [("hp-360", 360, 740), ("desktop", 1280, 900)]
)
def test_login_drilldown_search_family_language(
    live_server: Any, reference_data: None, label: str, width: int, height: int
) -> None:
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    world = build_world()
    user = world.users["operator-desa"]
    user.set_password("sandi-uji-panjang-1")
    user.save()
    ARTIFACTS.mkdir(exist_ok=True)
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": width, "height": height})
        sign_in(page, live_server.url, user.username, "sandi-uji-panjang-1")
        # The operator lands on its own desa (issue 20), its families one tap away.
        assert page.locator("h1").inner_text() == "Desa Bangkleyan"
        page.screenshot(path=str(ARTIFACTS / f"{label}-1-desa.png"), full_page=True)
        page.click("main a[href='/registry/desa/33.16.01.2001/']")
        page.screenshot(path=str(ARTIFACTS / f"{label}-2-keluarga-desa.png"), full_page=True)
        page.click("text=Sumarno Wiryo")
        assert "Anggota keluarga" in page.content()
        page.screenshot(path=str(ARTIFACTS / f"{label}-3-keluarga.png"), full_page=True)
        page.goto(f"{live_server.url}/registry/cari/")
        page.fill("#id_q", "sumarno")
        page.wait_for_selector("#hasil a")
        assert "Sumarno Wiryo" in page.inner_text("#hasil")
        page.screenshot(path=str(ARTIFACTS / f"{label}-4-cari.png"), full_page=True)
        page.click("button[name=language]")
        page.wait_for_selector("text=Find a person")
        assert page.locator("html").get_attribute("lang") == "en"
        page.screenshot(path=str(ARTIFACTS / f"{label}-5-english.png"), full_page=True)
        # Nothing is wider than the screen on a phone.
        scroll = page.evaluate("document.documentElement.scrollWidth")
        assert scroll <= max(width, 360) + 1
        browser.close()
