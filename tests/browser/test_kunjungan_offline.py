"""The field visit form survives a dropped connection (issue 12): Debian's Chromium at
360 x 740. The operator desa opens the form with a signal; offline, fills in the outcome and
a change and sends it: the visit waits in the outbox. A new tab, still offline, opens the
same form from the service worker with the draft and the waiting visit. Back online it is
sent once: one Kunjungan and its usulan; reloading and resending makes no second one."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from django.db import connections

from padu.core.models import AuditLog
from padu.verval.models import Kunjungan, Usulan
from tests.access_fixtures import build_world
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
# The form says so once the service worker has kept the page and its files (it answers
# the page's request to keep them only after every copy is stored).
READY = "#kj-siap[data-siap=ya]"
RESEND = """async (kunci) => {
  const body = JSON.parse(document.getElementById('kunjungan-data').textContent);
  const r = await fetch(body.api, {method: 'POST', credentials: 'same-origin',
    headers: {'Content-Type': 'application/json',
              'X-CSRFToken': document.querySelector('[name=csrfmiddlewaretoken]').value},
    body: JSON.stringify({kunci, keluarga_id: body.keluarga.id, hasil: 1, data: {}})});
  return [r.status, await r.json()];
}"""


def test_visit_sent_offline_waits_then_syncs_once(live_server: Any) -> None:
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    restore_reference_data()
    world = build_world()
    open_today(world)
    user = world.users["operator-desa"]
    user.set_password(PASSWORD)
    user.save()
    family = world.families["own"]
    url = f"{live_server.url}/verval/kunjungan/{family.pk}/"
    ARTIFACTS.mkdir(exist_ok=True)
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        context = browser.new_context(viewport={"width": 360, "height": 740})
        page = context.new_page()
        sign_in(page, live_server.url, user.username, PASSWORD)
        page.goto(url)
        assert page.input_value("[name='k:alamat']") == "Jl. Uji"
        assert "Sumarno Wiryo" in page.inner_text(".anggota")
        page.eval_on_selector_all("details", "all => all.forEach(d => { d.open = true; })")
        result = fit(page)
        assert not result["problems"], f"the form fits 360 px: {result['problems']}"
        page.wait_for_selector(READY, timeout=15_000)
        assert "dapat dibuka lagi tanpa sinyal" in page.inner_text("#kj-siap")
        assert page.evaluate("async () => !!(await caches.match(location.href))")

        context.set_offline(True)
        page.check("input[name=hasil][value='1']")
        page.fill("[name='k:alamat']", "Dusun Krajan RT 003")
        page.click("#kj-kirim")
        page.wait_for_selector("#kj-status:has-text('Menunggu sinyal, akan dikirim otomatis')")
        page.screenshot(path=str(ARTIFACTS / "kunjungan-1-menunggu.png"), full_page=True)
        page.close()
        assert Kunjungan.objects.count() == 0

        # A new tab, still without a signal: the service worker serves the form it kept
        # (the server sees no request: no new audit row of a view of the form).
        views = AuditLog.objects.filter(action="verval.kunjungan_form").count()
        page = context.new_page()
        response = page.goto(url)
        assert response is not None and response.from_service_worker
        assert AuditLog.objects.filter(action="verval.kunjungan_form").count() == views
        page.wait_for_selector("#kj-draf:has-text('Draf tersimpan di perangkat ini')")
        assert page.input_value("[name='k:alamat']") == "Dusun Krajan RT 003"
        assert page.is_checked("input[name=hasil][value='1']")
        page.wait_for_selector("#kj-status:has-text('Menunggu sinyal')")
        page.screenshot(path=str(ARTIFACTS / "kunjungan-2-offline-lagi.png"), full_page=True)
        assert Kunjungan.objects.count() == 0

        context.set_offline(False)
        page.wait_for_selector("#kj-status:has-text('Terkirim')", timeout=15_000)
        page.screenshot(path=str(ARTIFACTS / "kunjungan-3-terkirim.png"), full_page=True)
        visit = Kunjungan.objects.get()
        assert visit.keluarga_id == family.pk and visit.hasil == 1
        assert visit.petugas_id == user.pk
        usulan = Usulan.objects.get(kunjungan=visit)
        assert usulan.jenis == "perbaikan"
        assert usulan.data == {"keluarga": {"alamat": "Dusun Krajan RT 003"}}

        # Reloading sends nothing again (the outbox is empty, the draft gone) ...
        page.reload()
        page.wait_for_load_state("networkidle")
        assert page.input_value("[name='k:alamat']") == "Jl. Uji"
        assert page.is_hidden("#kj-draf")
        # ... and resending the same key by hand is answered as a duplicate.
        status, body = page.evaluate(RESEND, visit.kunci)
        assert status == 200 and body["duplikat"] is True and body["id"] == visit.pk
        assert Kunjungan.objects.count() == 1
        assert Usulan.objects.filter(kunjungan=visit).count() == 1
        browser.close()
        # Queries made inside the Playwright block ran on a connection of their own (its
        # greenlet has its own context): close it, or PostgreSQL keeps the test database busy.
        connections.close_all()
