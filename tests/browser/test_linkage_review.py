"""Browser test of the linkage review queue: Debian's Chromium at 360 px, the keyboard
shortcuts s (sama), b (beda) and l (lewati) moving through the queue with htmx (no full
page reload), and the decisions stored."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from padu.accounts.services import user_upsert
from padu.linkage.models import LinkageRun, Member, ReviewItem
from padu.registry.models import Person
from tests.access_fixtures import logged_in
from tests.browser.test_shell import ARGS, ARTIFACTS, CHROMIUM
from tests.conftest import restore_reference_data
from tests.linkage.conftest import full_run
from tests.linkage.world import load_sources, source_frames

playwright = pytest.importorskip("playwright.sync_api")
pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed"),
]


def _queue(run: LinkageRun, at_least: int) -> list[ReviewItem]:
    """The run's own review items, topped up with pairs of linked records."""
    items = list(ReviewItem.objects.filter(run=run))
    links = Member.objects.filter(cluster__active=True, linked_to__isnull=False).order_by("pk")
    for member in links[: max(0, at_least - len(items))]:
        pair = Person.objects.select_related("keluarga").in_bulk(
            [member.person_id, member.linked_to]
        )
        left, right = pair[member.person_id], pair[member.linked_to]
        item = ReviewItem.objects.create(
            run=run, person_l=left.pk, person_r=right.pk,
            kode_desa_l=left.keluarga.kode_desa, kode_desa_r=right.keluarga.kode_desa,
            match_probability=0.6, gammas={"nik": 4, "nama": 5, "tgl": 0},
        )  # fmt: skip
        items.append(item)
    return sorted(items, key=lambda i: (-i.match_probability, i.pk))


def test_review_queue_with_keyboard_shortcuts(live_server: Any, tmp_path: Path) -> None:
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    restore_reference_data()
    records, _ = source_frames(60, 11)
    load_sources(tmp_path, records, ("DTKS", "DUKCAPIL", "P3KE"))
    user = user_upsert(
        actor=None, username="peninjau", password="x", assignments=[("dinsos-kabupaten", "33.16")]
    )
    run = full_run(user)
    items = _queue(run, 3)
    session = logged_in(user).cookies["sessionid"].value
    ARTIFACTS.mkdir(exist_ok=True)
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        context = browser.new_context(viewport={"width": 360, "height": 740})
        context.add_cookies([{"name": "sessionid", "value": session, "url": live_server.url}])
        page = context.new_page()
        loads: list[str] = []
        page.on("load", lambda _: loads.append(page.url))
        page.goto(f"{live_server.url}/linkage/tinjauan/")
        assert "s sama" in page.inner_text("p.keys") and "b beda" in page.inner_text("p.keys")
        assert page.locator("table.pair tr.beda").count() >= 1  # differing fields marked
        page.screenshot(path=str(ARTIFACTS / "hp-360-tinjauan.png"), full_page=True)
        scroll = page.evaluate("document.documentElement.scrollWidth")
        assert scroll <= 361
        first = page.inner_text("table.pair thead")
        page.keyboard.press("b")
        page.wait_for_selector("text=1 diputuskan di sesi ini")
        assert page.inner_text("table.pair thead") != first
        page.keyboard.press("l")
        page.wait_for_selector("text=2 diputuskan di sesi ini")
        page.keyboard.press("s")
        page.wait_for_selector("text=3 diputuskan di sesi ini")
        page.screenshot(path=str(ARTIFACTS / "hp-360-tinjauan-sesudah.png"), full_page=True)
        assert len(loads) == 1  # htmx swapped the item; no page reload
        browser.close()
    statuses = [ReviewItem.objects.get(pk=i.pk).status for i in items[:3]]
    assert statuses == ["beda", "lewati", "sama"]
