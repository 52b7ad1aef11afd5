"""The TKPK dashboard's poverty panel: the estimate with its 90% interval, labelled as an
estimate (model, survey, poverty line), BPS's published P0 as a separate series."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from padu.accounts.services import user_upsert
from padu.welfare.models import EstimasiKemiskinan, PmtModel
from padu.welfare.services import angka_bps_record
from tests.access_fixtures import logged_in

pytestmark = pytest.mark.django_db


def _estimate(model: PmtModel, kode: str, tingkat: str, p0: float) -> None:
    EstimasiKemiskinan.objects.create(
        kode=kode, tingkat=tingkat, p0=p0, p0_bawah=p0 - 1.1, p0_atas=p0 + 1.3,
        p1=2.61, p1_bawah=2.2, p1_atas=3.0, p2=0.87, p2_bawah=0.7, p2_atas=1.05,
        p0_ekstrem=3.2, keluarga=20000, orang=67000, model=model, versi_model="pmt-abc123",
        survei="susenas-uji.csv", garis_kemiskinan=570870, garis_ekstrem=391000,
        garis_periode="2025-09", garis_sumber="BPS Provinsi Jawa Tengah",
        jumlah_simulasi=100, dihitung=timezone.now(),
    )  # fmt: skip


@pytest.fixture
def model() -> PmtModel:
    model = PmtModel.objects.create(nama="uji", status="siap", versi="pmt-abc123", survei="s.csv")
    _estimate(model, "33.16", "kabupaten", 11.47)
    _estimate(model, "33.17", "kabupaten", 12.5)
    return model


def _user(role: str, prefix: str) -> Any:
    return user_upsert(actor=None, username=f"u-{role}", password="x", assignments=[(role, prefix)])


def test_panel_shows_estimate_interval_and_labels(model: PmtModel) -> None:
    client = logged_in(_user("tkpk-kabupaten", "33.16"))
    html = client.get(reverse("dashboard:dasbor_wilayah", args=["33.16"])).content.decode()
    assert "Estimasi tingkat kemiskinan (perkiraan model)" in html
    assert "11,47%" in html and "10,37–12,77" in html  # the estimate and its 90% interval
    assert "Selang 90%" in html and "indeks kedalaman kemiskinan" in html
    assert "bukan hitungan register dan bukan angka resmi BPS" in html
    assert "pmt-abc123" in html and "susenas-uji.csv" in html and "570.870" in html
    assert "Angka resmi BPS" not in html  # none recorded yet
    assert "12,50%" not in html  # another kabupaten's estimate


def test_bps_figure_is_a_separate_series(model: PmtModel) -> None:
    angka_bps_record(actor=None, kode="33.16", periode="2025-03", p0=11.02, sumber="BRS uji")
    angka_bps_record(actor=None, kode="33.16", periode="2025-03", p0=11.08, sumber="BRS ralat")
    client = logged_in(_user("tkpk-kabupaten", "33.16"))
    html = client.get(reverse("dashboard:dasbor_wilayah", args=["33.16"])).content.decode()
    assert "Angka resmi BPS (seri terpisah): P0 11,08%" in html and "versi 2" in html
    assert "BRS ralat" in html and "11,02%" not in html


def test_panel_is_not_shown_outside_the_users_region(model: PmtModel) -> None:
    client = logged_in(_user("tkpk-kabupaten", "33.17"))
    assert client.get(reverse("dashboard:dasbor_wilayah", args=["33.16"])).status_code == 404
    EstimasiKemiskinan.objects.all().delete()
    own = client.get(reverse("dashboard:dasbor_wilayah", args=["33.17"])).content.decode()
    assert 'id="kemiskinan"' not in own  # nothing to show: no empty panel
