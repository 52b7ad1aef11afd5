"""The dashboard aggregates of a fixed small register equal hand-computed values, per desa
and summed to kecamatan, kabupaten and province; a kabupaten role's dashboard and downloads
hold no other kabupaten's figures."""

from __future__ import annotations

import csv
import datetime as dt
import io

import openpyxl
import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from padu.dashboard.indicators import INDICATORS
from padu.dashboard.models import Agregat
from padu.dashboard.services import agregat_refresh
from padu.quality.models import CheckRun, Finding
from padu.registry.models import Keluarga, Participation, Person, Program
from padu.verval.models import Tugas
from padu.welfare.models import KeluargaScore, PmtModel
from tests.access_fixtures import OWN, TARGETS, logged_in
from tests.verval.fixtures import Cycle, open_cycle

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 12, 10)


def _score(model: PmtModel, family: Keluarga, desil: int) -> None:
    KeluargaScore.objects.create(keluarga=family, model=model, versi="uji", score=12.0,
                                 desil=desil, desil_kabupaten=desil, dihitung=timezone.now())  # fmt: skip


def _in(family: Keluarga, code: str) -> None:
    Participation.objects.create(keluarga=family, program=Program.objects.get(code=code),
                                 start=dt.date(2026, 1, 1))  # fmt: skip


def _member(family: Keluarga, n: int) -> None:
    for i in range(n):
        Person.objects.create(keluarga=family, nama=f"Anggota {family.pk}-{i}",
                              hub_kepala_keluarga=3, jenis_kelamin=1 + i % 2)  # fmt: skip


@pytest.fixture
def cycle() -> Cycle:
    cycle = open_cycle()
    f = cycle.world.families
    model = PmtModel.objects.create(nama="uji", status="siap", versi="uji", survei="x.csv")
    _member(f["own"], 2)  # the own family: 3 persons, desil 1, PKH
    _score(model, f["own"], 1)
    _in(f["own"], "pkh")
    rich = Keluarga.objects.create(id_keluarga="K9", no_kk="3316010101000900", kode_desa=OWN)
    _member(rich, 2)  # 2 persons, desil 7, PKH: a recipient outside desil 1-5
    _score(model, rich, 7)
    _in(rich, "pkh")
    unscored = Keluarga.objects.create(id_keluarga="K10", no_kk="3316010101000901", kode_desa=OWN)
    _member(unscored, 1)
    _score(model, f["same_kec"], 3)  # desil 3, no programme, one error finding
    run = CheckRun.objects.create(kind="penuh", reference_date=TODAY)
    Finding.objects.create(run=run, keluarga=f["same_kec"], kode_desa=TARGETS["same_kec"],
                           rule="nik-format", severity="error", message="x")  # fmt: skip
    _score(model, f["other_kec"], 5)
    _in(f["other_kec"], "bpnt")
    _score(model, f["other_kab"], 2)
    _in(f["other_kab"], "pkh")
    Tugas.objects.create(periode=cycle.periode, kode_desa=OWN, jenis=Tugas.Jenis.MENINGGAL,
                         kunci="t1", uraian="x", batas=dt.date(2026, 12, 9))  # fmt: skip
    Tugas.objects.create(periode=cycle.periode, kode_desa=OWN, jenis=Tugas.Jenis.MENINGGAL,
                         kunci="t2", uraian="x", batas=dt.date(2026, 12, 17))  # fmt: skip
    agregat_refresh(actor=None, today=TODAY)
    return cycle


def _value(code: str, key: str) -> float | None:
    row = Agregat.objects.get(kode=code, bulan=TODAY.replace(day=1))
    return INDICATORS[key].value(row.nilai)


def test_desa_figures_equal_the_hand_count(cycle: Cycle) -> None:
    assert _value(OWN, "keluarga") == 3 and _value(OWN, "orang") == 6
    assert _value(OWN, "desil14") == pytest.approx(100 * 3 / 5)  # 3 of 5 scored persons
    assert _value(OWN, "cakupan_pkh") == 100.0  # the one desil 1-4 family gets PKH
    assert _value(OWN, "inklusi_pkh") == 50.0  # one of two scored PKH families is desil 7
    assert _value(OWN, "kualitas") == 100.0
    assert _value(OWN, "terlambat") == 1
    assert _value(TARGETS["same_kec"], "kualitas") == 0.0
    assert _value(TARGETS["same_kec"], "cakupan_pkh") == 0.0
    assert _value(TARGETS["same_kec"], "inklusi_pkh") is None  # no recipients: no share
    nilai = Agregat.objects.get(kode=OWN).nilai
    assert nilai["orang_desil_0"] == 1 and nilai["kel_desil_0"] == 1


def test_sums_up_to_kecamatan_kabupaten_and_province(cycle: Cycle) -> None:
    assert _value("33.16.01", "keluarga") == 4 and _value("33.16.01", "orang") == 7
    assert _value("33.16.01", "desil14") == pytest.approx(100 * 4 / 6)
    assert _value("33.16.01", "cakupan_pkh") == 50.0
    assert _value("33.16.01", "kualitas") == 75.0
    assert _value("33.16", "keluarga") == 5 and _value("33.16", "orang") == 8
    assert _value("33.16", "inklusi_bpnt") == 0.0  # the BPNT family is desil 5
    assert _value("33.16", "cakupan_bpnt") == 0.0
    assert _value("33", "keluarga") == 6 and _value("33", "orang") == 9
    assert _value("33", "cakupan_pkh") == pytest.approx(100 * 2 / 3)
    parents = dict(Agregat.objects.values_list("kode", "induk"))
    assert parents[OWN] == "33.16.01" and parents["33.16.01"] == "33.16" and parents["33"] == ""


def test_refresh_replaces_this_month_and_keeps_earlier_months(cycle: Cycle) -> None:
    agregat_refresh(actor=None, today=TODAY)
    assert Agregat.objects.filter(kode=OWN).count() == 1
    agregat_refresh(actor=None, today=dt.date(2027, 1, 5))
    assert list(
        Agregat.objects.filter(kode=OWN).values_list("bulan", flat=True).order_by("bulan")
    ) == [dt.date(2026, 12, 1), dt.date(2027, 1, 1)]


def test_command_refreshes(cycle: Cycle, capsys: pytest.CaptureFixture[str]) -> None:
    Agregat.objects.all().delete()
    call_command("dasbor", "refresh")
    assert "Agregat dasbor dihitung" in capsys.readouterr().out
    assert Agregat.objects.filter(kode="33").exists()


def test_kabupaten_role_sees_only_its_kabupaten(cycle: Cycle) -> None:
    client = logged_in(cycle.user("tkpk-kabupaten"))
    province = client.get(reverse("dashboard:dasbor"))
    assert province.status_code == 302 and province["Location"].endswith("/dasbor/33.16/")
    page = client.get(reverse("dashboard:dasbor_wilayah", args=["33.16"]))
    html = page.content.decode()
    assert page.status_code == 200 and "Jati" in html
    assert "33.17" not in html and "Grobogan" not in html
    assert client.get(reverse("dashboard:dasbor_wilayah", args=["33.17"])).status_code == 404
    data = client.get(reverse("dashboard:dasbor_wilayah", args=["33.16"]), {"format": "csv"})
    rows = list(csv.reader(io.StringIO(data.content.decode("utf-8-sig"))))
    assert {r[0][:5] for r in rows[1:]} == {"33.16"}
    book = client.get(reverse("dashboard:dasbor_wilayah", args=["33.16"]), {"format": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(book.content)).active
    codes = {row[0] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert codes and all(str(c).startswith("33.16.") for c in codes)
    # A desa operator sees its desa, not the kecamatan totals.
    operator = logged_in(cycle.user("operator-desa"))
    assert operator.get(reverse("dashboard:dasbor_wilayah", args=["33.16.01"])).status_code == 404
    assert operator.get(reverse("dashboard:dasbor_wilayah", args=[OWN])).status_code == 200


def test_province_page_maps_every_kabupaten(cycle: Cycle) -> None:
    client = logged_in(cycle.user("tkpk-provinsi"))
    html = client.get(reverse("dashboard:dasbor"), {"indikator": "cakupan_pkh"}).content.decode()
    assert html.count("<path ") == 35 and "Cakupan PKH pada desil 1-4" in html
    assert 'href="/dasbor/33.16/?indikator=cakupan_pkh"' in html
    assert len(html.encode()) < 300_000


def test_monthly_report_pdf_and_xlsx(cycle: Cycle) -> None:
    from pypdf import PdfReader

    # A month before, with fewer families scored in desil 1-4, for the text to compare.
    earlier = Agregat.objects.get(kode="33.16", bulan=TODAY.replace(day=1))
    Agregat.objects.create(
        kode="33.16",
        bulan=dt.date(2026, 11, 1),
        tingkat=5,
        induk="33",
        nilai={**earlier.nilai, "pkh_d14": 0},
        dihitung=timezone.now(),
    )
    client = logged_in(cycle.user("tkpk-kabupaten"))
    url = reverse("dashboard:dasbor_laporan", args=["33.16"])
    pdf = client.get(url)
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    pages = PdfReader(io.BytesIO(pdf.content)).pages
    text = " ".join(" ".join(page.extract_text().split()) for page in pages)
    assert "LAPORAN BULANAN TKPK" in text and "KABUPATEN BLORA" in text and "DESEMBER 2026" in text
    assert "5 keluarga dan 8 orang" in text
    assert "Cakupan PKH pada desil 1-4: 50,0% (naik 50,0 poin; membaik)" in text
    assert "Jati" in text and "Grobogan" not in text
    book = client.get(url, {"format": "xlsx"})
    sheets = openpyxl.load_workbook(io.BytesIO(book.content))
    codes = [row[0] for row in sheets["Wilayah"].iter_rows(min_row=2, values_only=True)]
    assert codes and all(str(c).startswith("33.16.") for c in codes)
    desil = {row[0]: row[1] for row in sheets["Desil"].iter_rows(min_row=2, values_only=True)}
    assert desil[1] == 3 and desil[3] == 1 and desil[5] == 1 and desil[7] == 2 and desil[0] == 1
    months = [row[0] for row in sheets["Tren"].iter_rows(min_row=2, values_only=True)]
    assert [m.date() for m in months] == [dt.date(2026, 11, 1), dt.date(2026, 12, 1)]
    assert client.get(reverse("dashboard:dasbor_laporan", args=["33.17"])).status_code == 404
    assert client.get(url, {"bulan": "2025-01"}).status_code == 404
    nov = client.get(url, {"bulan": "2026-11"})
    first = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(nov.content)).pages)
    assert "Belum ada angka bulan sebelumnya" in first
