"""Interventions, the register change of a finished one and its new PMT score, the monthly
report (also for a month without activity) and the TKPK progress page."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image
from pypdf import PdfReader

from padu.dampingan import report, selectors, services
from padu.dampingan.models import Intervensi, JenisIntervensi, LaporanBulanan, SumberDana
from padu.engine import synth
from padu.intake.models import Source
from padu.intake.services import import_file, source_get_or_create
from padu.registry.models import Keluarga, Version
from padu.welfare import services as welfare
from padu.welfare.models import KeluargaScore
from tests.access_fixtures import OWN, logged_in
from tests.dampingan.fixtures import TODAY, assisted
from tests.verval.test_bukti import _photo as photo_with_gps

FAST = {
    "lipatan_cv": 3,
    "kandidat": {"ols_bps": {"jenis": "linear_sel", "sel_minimum": 300, "alpha": 1e-6}},
}


def _pdf_text(data: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


@pytest.mark.django_db
def test_a_month_without_activity_says_so() -> None:
    d = assisted()
    empty = report.build(d.penugasan, dt.date(2026, 11, 1))
    assert not empty.ada_kegiatan and empty.intervensi == [] and empty.kunjungan == 0
    assert report.TANPA_KEGIATAN in _pdf_text(report.report_pdf(empty))
    book = openpyxl.load_workbook(io.BytesIO(report.report_xlsx(empty)))
    cells = [c for row in book["Ringkasan"].iter_rows(values_only=True) for c in row if c]
    assert report.TANPA_KEGIATAN in cells
    assert report.report_docx(empty)[:2] == b"PK"  # a Word file (zip)


@pytest.mark.django_db
def test_interventions_report_and_progress_page(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path
    d = assisted()
    family = d.world.families["own"]
    sembako = JenisIntervensi.objects.get(kode="sembako")
    jalan = JenisIntervensi.objects.get(kode="infrastruktur")
    apbd = SumberDana.objects.get(kode="apbd-provinsi")
    csr = SumberDana.objects.get(kode="csr")
    services.intervensi_record(
        actor=d.anggota, penugasan=d.penugasan, jenis=sembako, sumber_dana=apbd,
        jumlah=300_000, mulai=TODAY, status="selesai", keluarga=family,
    )  # fmt: skip
    services.intervensi_record(
        actor=d.anggota, penugasan=d.penugasan, jenis=jalan, sumber_dana=csr,
        jumlah=25_000_000, mulai=TODAY, uraian="Jalan usaha tani 200 m",
    )  # fmt: skip
    with_photo = services.intervensi_record(
        actor=d.anggota, penugasan=d.penugasan, jenis=sembako, sumber_dana=apbd, jumlah=0,
        mulai=TODAY, keluarga=family, status="batal", bukti=photo_with_gps((900, 600)),
    )  # fmt: skip
    stored = Image.open(with_photo.bukti.open("rb"))
    assert not stored.getexif() and "rumah" not in with_photo.bukti.name  # no GPS, no name
    with pytest.raises(services.DampinganError, match="bukan foto atau PDF"):
        services.intervensi_record(
            actor=d.anggota, penugasan=d.penugasan, jenis=sembako, sumber_dana=apbd, jumlah=0,
            mulai=TODAY, keluarga=family,
            bukti=SimpleUploadedFile("x.jpg", b"teks", content_type="image/jpeg"),
        )  # fmt: skip
    with pytest.raises(services.DampinganError, match="pilih keluarganya"):
        services.intervensi_record(
            actor=d.anggota, penugasan=d.penugasan, jenis=sembako, sumber_dana=apbd,
            jumlah=1, mulai=TODAY,
        )  # fmt: skip
    month = report.build(d.penugasan, dt.date(2026, 12, 1))
    assert month.ada_kegiatan and month.keluarga_terjangkau == 1
    assert month.rupiah_bulan_ini == month.rupiah_kumulatif == 25_300_000
    assert sorted(r[:4] for r in month.intervensi) == [
        ["Infrastruktur desa (jalan, jembatan, air)", "CSR perusahaan", 1, 25_000_000],
        ["Sembako", "APBD provinsi", 1, 300_000],
    ]
    text = _pdf_text(report.report_pdf(month))
    assert "Dinas PU Bina Marga" in text and "25.300.000" in text

    # TKPK sees the desa, and that November's report is missing (overdue on 7 December? no:
    # the due day is the 10th) until it is submitted.
    rows = selectors.progress(d.tkpk, dt.date(2026, 11, 1))
    assert [r.penugasan.kode_desa for r in rows] == [OWN]
    assert rows[0].intervensi == 2 and rows[0].selesai == 1 and rows[0].rupiah == 25_300_000
    assert rows[0].laporan is None
    services.laporan_submit(actor=d.anggota, penugasan=d.penugasan, month=dt.date(2026, 11, 1))
    sent = LaporanBulanan.objects.get()
    assert sent.tenggat == dt.date(2026, 12, 10) and sent.isi["bulan"] == "2026-11"
    assert selectors.progress(d.tkpk, dt.date(2026, 11, 1))[0].laporan == sent
    with pytest.raises(services.DampinganError, match="belum dapat dikirim"):
        services.laporan_submit(actor=d.anggota, penugasan=d.penugasan, month=dt.date(2099, 1, 1))
    page = logged_in(d.tkpk).get(reverse("dampingan:beranda"))
    assert page.status_code == 200 and b"Bangkleyan" in page.content
    # a partner that has not reported is listed
    assert selectors.progress(d.tkpk, dt.date(2026, 12, 1))[0].laporan is None
    # downloads
    client = logged_in(d.anggota)
    for kind in ("pdf", "docx", "xlsx"):
        r = client.get(
            reverse("dampingan:laporan", args=[d.penugasan.pk]),
            {"bulan": "2026-12", "format": kind},
        )
        assert r.status_code == 200 and len(r.content) > 1000, kind
    outsider = logged_in(d.world.users["operator-desa"])
    assert outsider.post(
        reverse("dampingan:laporan", args=[d.penugasan.pk]), {"bulan": "2026-12"}
    ).status_code in (404, 302)
    assert LaporanBulanan.objects.count() == 1


@pytest.fixture
def scored_register(tmp_path: Path, settings: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    settings.DATA_DIR = tmp_path / "data"
    synth.generate(
        kabupaten="33.16", n_keluarga=900, seed=7, out_dir=tmp_path, truth=True, survey=700
    )
    source = source_get_or_create(actor=None, name="uji", kind=Source.Kind.SINTETIS)
    import_file(actor=None, path=tmp_path / "keluarga.csv", source=source, table="keluarga")
    import_file(actor=None, path=tmp_path / "art.csv", source=source, table="art")
    real_fit = welfare.pmt_model_fit
    monkeypatch.setattr(welfare, "pmt_model_fit", lambda **kw: real_fit(**kw, overrides=FAST))
    model = welfare.pmt_model_create(actor=None, nama="uji", survei=tmp_path / "survey.csv")
    model.refresh_from_db()
    welfare.pmt_model_activate(actor=None, model=model, wilayah="33.16.")
    welfare.keluarga_scores_write(actor=None, model=model, wilayah="33.16.")
    return model


@pytest.mark.django_db(transaction=True)
def test_finished_housing_work_changes_the_register_and_the_score(scored_register: Any) -> None:
    from padu.accounts.services import user_upsert

    tkpk = user_upsert(
        actor=None, username="tkpk", password="x", assignments=[("tkpk-provinsi", "")]
    )
    member = user_upsert(actor=None, username="tim", password="x", assignments=[])
    poor = (
        Keluarga.objects.filter(jenis_lantai=9, kode_desa__startswith="33.16.")
        .exclude(jenis_dinding=1)
        .order_by("pk")
        .first()
    )
    assert poor is not None, "the generator makes earth floors"
    mitra = services.mitra_create(
        actor=tkpk, kode="disperakim", nama="Disperakim", jenis="opd-provinsi"
    )
    services.anggota_add(actor=tkpk, mitra=mitra, user=member)
    penugasan = services.penugasan_create(
        actor=tkpk, mitra=mitra, kode_desa=poor.kode_desa, tahun=2026, dasar_hukum="SK 7",
        today=TODAY,
    )  # fmt: skip
    assert penugasan.baseline["rtlh"] >= 1
    before = KeluargaScore.objects.get(keluarga=poor)
    item = services.intervensi_record(
        actor=member, penugasan=penugasan, jenis=JenisIntervensi.objects.get(kode="rtlh"),
        sumber_dana=SumberDana.objects.get(kode="apbd-provinsi"), jumlah=20_000_000,
        mulai=TODAY, keluarga=poor,
    )  # fmt: skip
    assert Version.objects.filter(keluarga=poor, reason__startswith="Intervensi").count() == 0
    notes = services.intervensi_set_status(actor=member, intervensi=item, status="berjalan")
    assert notes == []
    notes = services.intervensi_set_status(actor=member, intervensi=item, status="selesai")
    assert any("Register keluarga diperbarui" in n for n in notes)
    item.refresh_from_db()
    assert item.versi_id is not None
    version = Version.objects.get(pk=item.versi_id)
    assert version.keluarga_id == poor.pk and version.changes["jenis_lantai"] == [9, 2]
    assert "Disperakim" in version.reason
    poor.refresh_from_db()
    assert (poor.jenis_lantai, poor.jenis_dinding, poor.jenis_atap) == (2, 1, 4)
    after = KeluargaScore.objects.get(keluarga=poor)  # re-scored by the (immediate) worker
    # a new score from the changed house (its direction is the model's to say: measured, not
    # claimed)
    assert after.dihitung > before.dihitung and after.score != pytest.approx(before.score)
    # the desa's measured level follows: one uninhabitable house less than at baseline
    latest = selectors.latest(poor.kode_desa)
    assert latest is not None and latest.nilai["rtlh"] == penugasan.baseline["rtlh"] - 1
    with pytest.raises(services.DampinganError, match="sudah selesai"):
        services.intervensi_set_status(actor=member, intervensi=item, status="batal")
    assert Intervensi.objects.get().status == "selesai"
