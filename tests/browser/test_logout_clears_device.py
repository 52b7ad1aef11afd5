"""Logging out on a shared phone leaves no family data behind (issue 12, decision 0008):
the service worker's copies of the visit form and the drafts in IndexedDB are removed; a
visit still waiting for a signal is not dropped without asking."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from tests.access_fixtures import build_world
from tests.browser.session import sign_in
from tests.browser.test_shell import ARGS, CHROMIUM
from tests.conftest import restore_reference_data
from tests.verval.test_kunjungan_api import open_today

playwright = pytest.importorskip("playwright.sync_api")
pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed"),
]
PASSWORD = "sandi-uji-panjang-1"
# The form says so once the service worker has kept the page and its files.
READY = "#kj-siap[data-siap=ya]"
STORED = """async () => ({
  caches: (await caches.keys()).filter(n => n.startsWith('padu-verval-')).length,
  databases: (await indexedDB.databases()).filter(d => d.name === 'padu-verval').length,
})"""


def test_logout_clears_the_device_and_asks_about_unsent_visits(live_server: Any) -> None:
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    restore_reference_data()
    world = build_world()
    open_today(world)
    user = world.users["operator-desa"]
    user.set_password(PASSWORD)
    user.save()
    form = f"{live_server.url}/verval/kunjungan/{world.families['own'].pk}/"
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_context(viewport={"width": 360, "height": 740}).new_page()
        sign_in(page, live_server.url, user.username, PASSWORD)
        page.goto(form)
        page.wait_for_selector(READY, timeout=15_000)
        # A visit that cannot reach the server waits in the outbox.
        page.route("**/api/v1/verval/kunjungan", lambda route: route.abort())
        page.check("input[name=hasil][value='1']")
        page.click("#kj-kirim")
        page.wait_for_selector("#kj-status:has-text('Menunggu sinyal')")
        asked: list[str] = []

        def dismiss(dialog: Any) -> None:
            asked.append(dialog.message)
            dialog.dismiss()

        page.once("dialog", dismiss)
        page.click("header button:has-text('Keluar')")
        page.wait_for_timeout(500)
        assert asked and "1 kunjungan yang belum terkirim" in asked[0]
        assert page.url == form  # still signed in, the visit still waiting
        kept = page.evaluate(STORED)
        assert kept["caches"] >= 1 and kept["databases"] == 1  # the form page, its files

        page.once("dialog", lambda dialog: dialog.accept())
        page.click("header button:has-text('Keluar')")
        page.wait_for_url(f"{live_server.url}/masuk/**")
        assert page.evaluate(STORED) == {"caches": 0, "databases": 0}
        browser.close()
