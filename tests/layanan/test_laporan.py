"""Usul and sanggah from residents: the tracking code, the verval task they become (now or
in the next period), the outcome on the tracking page, limits per device and per desa, and
the counts staff see."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from padu.core.models import AuditLog
from padu.layanan import config
from padu.layanan.models import Laporan
from padu.layanan.selectors import incoming, tracking
from padu.layanan.services import LayananError, LayananLimit, laporan_create
from padu.verval.models import Tugas
from padu.verval.services import VervalError, VervalForbidden
from padu.verval.services.periode import periode_create
from padu.verval.services.tugas import tugas_resolve
from padu.verval.services.worklist import worklist_generate
from tests.access_fixtures import OWN, TARGETS, logged_in
from tests.layanan.helpers import NIK, Setup, at_desa_day, build, main_text

pytestmark = pytest.mark.django_db

USUL = {
    "untuk": "orang_lain", "nama_kepala": "Paijo Karso", "alamat": "Dusun Ngampel",
    "rt": "003", "rw": "001", "jumlah_anggota": "5", "telepon": "0812 3456 7890",
    "alasan": "Suami sakit menahun, tidak bekerja.", "nama_pengusul": "Tetangga",
}  # fmt: skip
SANGGAH = {"nik": NIK, "alasan": "sudah-mampu", "keterangan": "Punya dua mobil.",
           "telepon": "081299990000"}  # fmt: skip


@pytest.fixture
def setup() -> Setup:
    return build()


def _send(jenis: str, data: dict[str, Any], ip: str = "h-1", desa: str = OWN, **kw: Any) -> Any:
    return laporan_create(jenis=jenis, kode_desa=desa, data=data, ip_hash=ip, **kw)


def test_usul_in_the_desa_window_lands_on_the_worklist(setup: Setup) -> None:
    with at_desa_day():
        laporan = _send("usul", USUL)
    assert len(laporan.kode_lacak) == 10 and laporan.kunci == f"warga:{laporan.kode_lacak}"
    task = Tugas.objects.get(kunci=laporan.kunci)
    assert task.periode == setup.cycle.periode and task.kode_desa == OWN
    assert task.jenis == Tugas.Jenis.USUL and task.keluarga is None
    assert task.penanggung == setup.cycle.user("operator-desa")
    assert task.batas <= setup.cycle.periode.batas_desa
    assert "Paijo Karso" in task.uraian and "0812 3456 7890" in task.uraian
    assert tracking(laporan.kode_lacak).status.startswith("Dalam daftar kerja")  # type: ignore[union-attr]
    row = AuditLog.objects.get(action="layanan.usul_kirim")
    assert row.actor is None and row.ip_address is None and row.detail["tugas"] == task.pk


def test_sanggah_names_the_family_without_telling_the_resident(setup: Setup) -> None:
    with at_desa_day():
        laporan = _send("sanggah", SANGGAH)
    task = Tugas.objects.get(kunci=laporan.kunci)
    assert task.keluarga == setup.family and task.jenis == Tugas.Jenis.SANGGAH
    assert "Sudah mampu" in task.uraian
    page = Client().get(reverse("layanan:lacak"), {"kode": laporan.kode_lacak.lower()})
    html = page.content.decode()
    assert "Dalam daftar kerja" in html and "Bangkleyan" in html
    for secret in (NIK, "Sumarno", "081299990000", "mobil", setup.family.no_kk):
        assert secret not in html, secret


def test_sanggah_by_head_name_matches_only_a_single_head(setup: Setup) -> None:
    with at_desa_day():
        by_name = _send("sanggah", {"nama_kepala": "sumarno  wiryo", "alasan": "pindah"})
        unknown = _send("sanggah", {"nama_kepala": "Tidak Ada", "alasan": "pindah"}, ip="h-2")
    assert by_name.keluarga == setup.family
    assert unknown.keluarga is None
    assert Tugas.objects.get(kunci=unknown.kunci).keluarga is None  # the desa looks it up


def test_outside_the_window_it_waits_for_the_next_period(setup: Setup) -> None:
    with time_machine.travel("2026-12-20 09:00 +0700", tick=False):
        laporan = _send("usul", USUL)
        assert not Tugas.objects.filter(kunci=laporan.kunci).exists()
        assert "menunggu periode" in tracking(laporan.kode_lacak).status  # type: ignore[union-attr]
        waiting = incoming(setup.cycle.user("dinsos-kabupaten"))
    assert waiting == [{"kode": OWN, "nama": "Bangkleyan", "usul": 1, "sanggah": 0,
                        "menunggu": 1}]  # fmt: skip
    dinsos = setup.cycle.user("dinsos-kabupaten")
    with time_machine.travel("2027-01-05 09:00 +0700", tick=False):
        january = periode_create(actor=dinsos, kode_kabupaten="33.16", year=2027, month=1)
        made = worklist_generate(actor=dinsos, periode=january)
        again = worklist_generate(actor=dinsos, periode=january)
    assert made.get("usul") == 1 and not again.get("usul")
    task = Tugas.objects.get(kunci=laporan.kunci)
    assert task.periode == january and "Paijo Karso" in task.uraian
    assert incoming(dinsos)[0]["menunggu"] == 0


def test_resolving_shows_the_outcome_on_the_tracking_page(setup: Setup) -> None:
    operator = setup.cycle.user("operator-desa")
    with at_desa_day():
        laporan = _send("sanggah", SANGGAH)
    task = Tugas.objects.get(kunci=laporan.kunci)
    with pytest.raises(VervalError, match="catatan"):
        tugas_resolve(actor=operator, tugas=task, keputusan="diterima", catatan="  ")
    with pytest.raises(VervalForbidden):
        tugas_resolve(actor=setup.cycle.user("viewer"), tugas=task, keputusan="diterima",
                      catatan="x")  # fmt: skip
    tugas_resolve(actor=operator, tugas=task, keputusan="diterima",
                  catatan="Sudah dicek; diusulkan nonaktif di musdes.")  # fmt: skip
    with pytest.raises(VervalError, match="sudah diputuskan"):
        tugas_resolve(actor=operator, tugas=task, keputusan="ditolak", catatan="lagi")
    shown = tracking(laporan.kode_lacak)
    assert shown is not None and shown.status == "Selesai" and shown.keputusan == "Diterima"
    assert shown.catatan == "Sudah dicek; diusulkan nonaktif di musdes."
    assert incoming(operator) == []  # resolved items leave the staff counts
    assert AuditLog.objects.filter(action="verval.tugas_resolve", actor=operator).count() == 1


def test_only_resident_tasks_take_an_outcome(setup: Setup) -> None:
    task = Tugas.objects.create(
        periode=setup.cycle.periode, kode_desa=OWN, jenis=Tugas.Jenis.MENINGGAL, kunci="x",
        uraian="x", batas=dt.date(2026, 12, 17),
    )  # fmt: skip
    with pytest.raises(VervalError, match="Hanya tugas usul atau sanggah"):
        tugas_resolve(actor=setup.cycle.user("operator-desa"), tugas=task, keputusan="diterima",
                      catatan="x")  # fmt: skip


def test_resolve_view_from_the_desa_page(setup: Setup) -> None:
    with at_desa_day():
        laporan = _send("usul", USUL)
        task = Tugas.objects.get(kunci=laporan.kunci)
        client = logged_in(setup.cycle.user("operator-desa"))
        page = client.get(reverse("verval:desa", args=[OWN]))
        html = page.content.decode()
        assert "Usul/sanggah warga belum selesai" in html
        assert reverse("verval:tugas_resolve", args=[task.pk]) in html
        url = reverse("verval:tugas_resolve", args=[task.pk])
        # Outside the desa stage's roles: refused with a message, nothing decided.
        tkpk = logged_in(setup.cycle.user("tkpk-kabupaten"))
        refused = tkpk.post(url, {"keputusan": "ditolak", "catatan": "x"}, follow=True)
        assert "tidak berwenang" in refused.content.decode()
        # Outside the user's region: not even found.
        viewer = logged_in(setup.cycle.user("viewer"))
        assert viewer.post(url, {"keputusan": "ditolak", "catatan": "x"}).status_code == 404
        task.refresh_from_db()
        assert task.keputusan == "" and task.status == Tugas.Status.TERBUKA
        done = client.post(url, {"keputusan": "ditindaklanjuti", "catatan": "Dijadwalkan."})
        assert done.status_code == 302
    task.refresh_from_db()
    assert task.keputusan == "ditindaklanjuti" and task.hasil == "Dijadwalkan."
    # An accepted sanggah leads on to an usulan for its family.
    with at_desa_day():
        sanggah = _send("sanggah", SANGGAH, ip="h-9")
        accepted = Tugas.objects.get(kunci=sanggah.kunci)
        client.post(reverse("verval:tugas_resolve", args=[accepted.pk]),
                    {"keputusan": "diterima", "catatan": "Benar."})  # fmt: skip
        html = client.get(reverse("verval:desa", args=[OWN])).content.decode()
    assert f"?keluarga={setup.family.pk}" in html and "Buat usulan (mis. nonaktif)" in html


def test_staff_counts_follow_the_region_scope(setup: Setup) -> None:
    with at_desa_day():
        _send("usul", USUL, ip="h-1")
        _send("sanggah", {"nama_kepala": "Wagiman Harjo", "alasan": "pindah"}, ip="h-2",
              desa=TARGETS["same_kec"])  # fmt: skip
        _send("sanggah", {"nama_kepala": "Djoko Susilo", "alasan": "pindah"}, ip="h-3",
              desa=TARGETS["other_kab"])  # fmt: skip
        dinsos = logged_in(setup.cycle.user("dinsos-kabupaten"))
        index = dinsos.get(reverse("verval:index"))
        progress = dinsos.get(reverse("verval:progress"), {"tingkat": "desa"})
    assert [r["kode"] for r in incoming(setup.cycle.user("dinsos-kabupaten"))] == [
        OWN, TARGETS["same_kec"]]  # fmt: skip
    assert [r["kode"] for r in incoming(setup.cycle.user("operator-desa"))] == [OWN]
    assert incoming(setup.cycle.user("viewer")) == []
    html = index.content.decode()
    assert "Usul dan sanggah warga belum selesai" in html and TARGETS["other_kab"] not in html
    rows = {r["kode"]: (r["usul_warga"], r["sanggah_warga"]) for r in progress.context["rows"]}
    assert rows[OWN] == (1, 0) and rows[TARGETS["same_kec"]] == (0, 1)
    assert TARGETS["other_kab"] not in rows


def test_bad_input_says_what_to_fix(setup: Setup) -> None:
    cases = [
        ("usul", {**USUL, "telepon": ""}, "nomor telepon"),
        ("usul", {**USUL, "jumlah_anggota": "banyak"}, "Jumlah anggota"),
        ("usul", {**USUL, "nik_kepala": "123"}, "16 angka"),
        ("sanggah", {"alasan": "pindah"}, "NIK atau nama kepala"),
        ("sanggah", {"nama_kepala": "A", "alasan": "benci"}, "alasan sanggahan"),
        ("sanggah", {"nama_kepala": "A", "alasan": "lainnya"}, "jelaskan"),
    ]
    with at_desa_day():
        for jenis, data, message in cases:
            with pytest.raises(LayananError, match=message):
                _send(jenis, data)
        with pytest.raises(LayananError, match="Pilih desa"):
            _send("usul", USUL, desa="33.16.99.9999")
    assert not Laporan.objects.exists()


def test_same_idempotency_key_records_once(setup: Setup) -> None:
    with at_desa_day():
        first = _send("usul", USUL, idem="k" * 24)
        second = _send("usul", USUL, idem="k" * 24)
    assert first.pk == second.pk and Laporan.objects.count() == 1


def test_per_device_limit_trips_and_recovers(setup: Setup) -> None:
    with time_machine.travel("2026-12-10 09:00 +0700", tick=False) as clock:
        for _ in range(5):
            _send("usul", USUL, ip="same")
        with pytest.raises(LayananLimit, match="Terlalu banyak kiriman"):
            _send("usul", USUL, ip="same")
        _send("usul", USUL, ip="another")  # another device is not affected
        clock.shift(86400)
        _send("usul", USUL, ip="same")
    assert Laporan.objects.count() == 7


def test_daily_sanggah_cap_per_desa(setup: Setup, monkeypatch: pytest.MonkeyPatch) -> None:
    conf = {**config.settings()["sanggah"], "per_desa_per_hari": 3}
    monkeypatch.setitem(config.settings(), "sanggah", conf)
    data = {"nama_kepala": "Seseorang", "alasan": "pindah"}
    with time_machine.travel("2026-12-10 09:00 +0700", tick=False) as clock:
        for i in range(3):
            _send("sanggah", data, ip=f"ip-{i}")
        with pytest.raises(LayananLimit, match="Batas sanggahan harian"):
            _send("sanggah", data, ip="ip-9")
        _send("sanggah", data, ip="ip-9", desa=TARGETS["same_kec"])  # another desa's own cap
        _send("usul", USUL, ip="ip-9")  # usul are not capped per desa
        clock.shift(86400)
        _send("sanggah", data, ip="ip-9")
    assert Laporan.objects.filter(jenis="sanggah", kode_desa=OWN).count() == 4


def test_public_forms_post_and_redirect_to_tracking(setup: Setup) -> None:
    client = Client()
    with at_desa_day():
        chooser = client.get(reverse("layanan:sanggah"), {"kab": "33.16", "kec": "33.16.01"})
        assert "Bangkleyan" in chooser.content.decode()
        form = client.get(reverse("layanan:sanggah"), {"desa": OWN})
        assert "Kirim sanggahan" in form.content.decode()
        bad = client.post(reverse("layanan:sanggah") + f"?desa={OWN}",
                          {"desa": OWN, "alasan": "pindah"}, REMOTE_ADDR="10.1.1.1")  # fmt: skip
        assert bad.status_code == 200 and "NIK atau nama kepala" in main_text(bad)
        sent = client.post(reverse("layanan:sanggah") + f"?desa={OWN}",
                           {"desa": OWN, **SANGGAH}, REMOTE_ADDR="10.1.1.1")  # fmt: skip
        assert sent.status_code == 302
        page = client.get(sent["Location"])
    laporan = Laporan.objects.get()
    assert laporan.kode_lacak in page.content.decode()
    assert NIK not in page.content.decode()
