"""Cek status: the answer, what it never contains, a wrong second fact answering exactly as
an unknown NIK (text, status code, time), limits that trip and recover, 1,000 guesses."""

from __future__ import annotations

import datetime as dt
import re
import statistics
import time
from pathlib import Path

import pytest
import time_machine
from django.contrib.staticfiles import finders
from django.test import Client
from django.urls import reverse

from padu.core.models import AuditLog
from padu.layanan.models import Hitungan
from tests.layanan.helpers import (
    IBU,
    NIK,
    OTHER_MEMBER,
    UNKNOWN_NIK,
    Setup,
    at_desa_day,
    build,
    cek,
    main_text,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup() -> Setup:
    return build()


def _weight(client: Client, url: str) -> int:
    """Bytes of the page and of every stylesheet and script it loads."""
    response = client.get(url)
    html = response.content.decode()
    total = len(response.content)
    for ref in re.findall(r'(?:href|src)="/static/([^"]+)"', html):
        path = finders.find(ref)
        assert path, ref
        total += Path(str(path)).stat().st_size
    assert "<script" not in html
    return total


def test_pages_are_small_and_public(setup: Setup) -> None:
    client = Client()
    for name in ("landing", "cek", "usul", "sanggah", "lacak"):
        url = reverse(f"layanan:{name}")
        assert client.get(url).status_code == 200
        assert _weight(client, url) < 100_000, name
    # The desa chooser at its biggest step (a kecamatan's desa list) stays small too.
    assert _weight(client, reverse("layanan:usul") + "?kab=33.16&kec=33.16.01") < 100_000


def test_answer_lists_only_what_is_allowed(setup: Setup) -> None:
    with at_desa_day():
        response = cek(Client(), NIK, "  sumarno   WIRYO. ")
    text = main_text(response)
    assert response.status_code == 200
    assert "Terdaftar" in text and "Bangkleyan" in text
    assert "Belum diverifikasi" in text
    assert re.search(r"Program Keluarga Harapan \(PKH\): <b>Ya</b>", text)
    assert re.search(r"BPNT/Program Sembako: <b>Tidak</b>", text)
    html = response.content.decode()
    for secret in (NIK, "Dusun Krajan Kidul", OTHER_MEMBER, IBU, setup.family.no_kk, "Sumarno"):
        assert secret not in html, secret
    # The mother's name works as the second fact as well.
    with at_desa_day():
        assert "Terdaftar" in main_text(cek(Client(), NIK, "SRI rahayu", "ibu", ip="10.0.0.2"))


def test_verified_month_is_shown(setup: Setup) -> None:
    setup.family.verified_at = "2026-11-03T10:00:00+07:00"
    setup.family.save()
    with at_desa_day():
        assert "Diverifikasi November 2026" in main_text(cek(Client(), NIK, "Sumarno Wiryo"))


def test_wrong_fact_answers_exactly_like_unknown_nik(setup: Setup) -> None:
    client = Client()
    with at_desa_day():
        wrong = cek(client, NIK, "Budi Santoso", ip="10.0.1.1")
        unknown = cek(client, UNKNOWN_NIK, "Budi Santoso", ip="10.0.1.2")
        wrong_ibu = cek(client, NIK, "Budi Santoso", "ibu", ip="10.0.1.3")
    assert wrong.status_code == unknown.status_code == wrong_ibu.status_code == 200
    assert main_text(wrong) == main_text(unknown) == main_text(wrong_ibu)
    assert "Data tidak ditemukan" in main_text(wrong)


def test_wrong_fact_takes_the_time_of_unknown_nik(setup: Setup) -> None:
    client = Client()
    times: dict[str, list[float]] = {"wrong": [], "unknown": []}
    with at_desa_day():
        for _ in range(3):  # warm up templates and connections
            cek(client, UNKNOWN_NIK, "Budi")
        for i in range(40):
            for kind, nik in (("wrong", NIK), ("unknown", UNKNOWN_NIK))[:: 1 if i % 2 else -1]:
                Hitungan.objects.all().delete()
                start = time.perf_counter()
                response = cek(client, nik, "Budi Santoso")
                times[kind].append(time.perf_counter() - start)
                assert "Data tidak ditemukan" in main_text(response)
    wrong, unknown = statistics.median(times["wrong"]), statistics.median(times["unknown"])
    # Loose: the same queries and the same template run in both paths.
    assert abs(wrong - unknown) <= max(0.4 * min(wrong, unknown), 0.004), (wrong, unknown)


def test_every_lookup_is_audited_without_nik_ip_or_fact(setup: Setup) -> None:
    with at_desa_day():
        cek(Client(), NIK, "Sumarno Wiryo", ip="192.0.2.7")
        cek(Client(), NIK, "Nama Rahasia", ip="192.0.2.7")
    rows = list(AuditLog.objects.filter(action="layanan.cek_status").order_by("id"))
    assert len(rows) == 2
    for row in rows:
        dump = f"{row.object_id} {row.detail} {row.ip_address}"
        assert NIK not in dump and "192.0.2.7" not in dump and "Rahasia" not in dump
        assert row.ip_address is None and len(row.object_id) == 32
    assert [r.detail["hasil"] for r in rows] == ["cocok", "tidak"]


def test_failures_lock_out_with_a_growing_window_and_recover(setup: Setup) -> None:
    client = Client()
    with time_machine.travel("2026-12-10 12:00 +0700", tick=False) as clock:
        for _ in range(3):
            assert "Data tidak ditemukan" in main_text(cek(client, UNKNOWN_NIK, "x y"))
        assert cek(client, UNKNOWN_NIK, "x y").status_code == 200  # fourth failure: locks
        locked = cek(client, NIK, "Sumarno Wiryo")  # even the right answer waits
        assert locked.status_code == 429 and "Terlalu banyak percobaan" in main_text(locked)
        clock.shift(61)
        assert cek(client, UNKNOWN_NIK, "x y").status_code == 200  # fifth failure: 120 s
        clock.shift(61)
        assert cek(client, NIK, "Sumarno Wiryo").status_code == 429
        clock.shift(60)
        assert "Terdaftar" in main_text(cek(client, NIK, "Sumarno Wiryo"))


def test_per_nik_limit_holds_across_addresses(setup: Setup) -> None:
    with time_machine.travel("2026-12-10 12:00 +0700", tick=False) as clock:
        answers = [cek(Client(), NIK, f"Tebakan {i}", ip=f"10.9.0.{i}").status_code
                   for i in range(1, 30)]  # fmt: skip
        assert answers.count(200) <= 6 and answers[-1] == 429
        clock.shift(2 * 86400)
        assert "Terdaftar" in main_text(cek(Client(), NIK, "Sumarno Wiryo", ip="10.9.1.1"))


def test_per_ip_limit_counts_successes_too(setup: Setup) -> None:
    client = Client()
    with time_machine.travel("2026-12-10 12:00 +0700", tick=False) as clock:
        codes = [cek(client, NIK, "Sumarno Wiryo").status_code for _ in range(25)]
        # The per-NIK allowance (6 an hour) ends first; the IP is then still counted.
        assert codes[:6] == [200] * 6 and set(codes[6:]) == {429}
        clock.shift(3601)
        assert cek(client, NIK, "Sumarno Wiryo").status_code == 200


def test_thousand_sequential_guesses_are_refused_after_the_limit(setup: Setup) -> None:
    client = Client()
    answered = 0
    with at_desa_day():
        for i in range(1000):
            response = cek(client, f"3316010101{i:06d}", "Sumarno Wiryo")
            if response.status_code == 200:
                answered += 1
            else:
                assert response.status_code == 429
    assert answered <= 4  # three free failures and the one that locks
    assert AuditLog.objects.filter(action="layanan.cek_status").count() == 1000


def test_stale_counters_are_pruned_but_lockouts_kept(setup: Setup) -> None:
    from django.core.management import call_command

    with time_machine.travel("2026-12-10 12:00 +0700", tick=False) as clock:
        cek(Client(), NIK, "Sumarno Wiryo", ip="10.5.0.1")
        for _ in range(10):  # a long lockout of this address (doubling up to a day)
            cek(Client(), UNKNOWN_NIK, "x y", ip="10.5.0.2")
        clock.shift(3 * 86400)
        fresh = cek(Client(), NIK, "Sumarno Wiryo", ip="10.5.0.3")
        assert fresh.status_code == 200
        now = dt.datetime.now(dt.UTC)
        Hitungan.objects.create(
            kunci="gagal:ip:masih-terkunci",
            jumlah=40,
            mulai=now,
            terakhir=now - dt.timedelta(days=5),
            terkunci_sampai=now + dt.timedelta(hours=1),
        )
        before = Hitungan.objects.count()
        call_command("layanan", "bersihkan")
        left = set(Hitungan.objects.values_list("kunci", flat=True))
    assert before > len(left) >= 3  # the fresh address's counters and the lockout stay
    assert "gagal:ip:masih-terkunci" in left
    assert all("10.5.0" not in k for k in left)  # keys are HMACs
