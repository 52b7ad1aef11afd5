"""Poverty estimates on the register: the service and the background task store P0/P1/P2
per area from a fitted model; BPS figures are a separate versioned series; reads are scoped."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from padu.accounts.services import user_upsert
from padu.core.models import AuditLog
from padu.engine import synth
from padu.intake.models import Source
from padu.intake.services import import_file, source_get_or_create
from padu.registry.models import Keluarga
from padu.welfare import selectors, services, tasks
from padu.welfare.models import AngkaKemiskinanBps, EstimasiKemiskinan, PmtModel

OLS_ONLY = {
    "lipatan_cv": 2,
    "kandidat": {"ols_bps": {"jenis": "linear_sel", "sel_minimum": 300, "alpha": 1e-6}},
}


@pytest.fixture
def model(tmp_path: Path, settings: Any, monkeypatch: pytest.MonkeyPatch) -> PmtModel:
    settings.DATA_DIR = tmp_path / "data"
    synth.generate(kabupaten="33.16", n_keluarga=900, seed=4, out_dir=tmp_path, survey=700)
    source = source_get_or_create(actor=None, name="uji", kind=Source.Kind.SINTETIS)
    import_file(actor=None, path=tmp_path / "keluarga.csv", source=source, table="keluarga")
    import_file(actor=None, path=tmp_path / "art.csv", source=source, table="art")
    real_fit = services.pmt_model_fit
    monkeypatch.setattr(services, "pmt_model_fit", lambda **kw: real_fit(**kw, overrides=OLS_ONLY))
    fitted = services.pmt_model_create(actor=None, nama="uji", survei=tmp_path / "survey.csv")
    fitted.refresh_from_db()
    assert fitted.status == PmtModel.Status.SIAP, fitted.pesan
    return fitted


@pytest.mark.django_db(transaction=True)
def test_task_estimates_the_register_and_calibrates_to_bps(model: PmtModel) -> None:
    admin = user_upsert(
        actor=None, username="adm", password="x", assignments=[("admin-provinsi", "")]
    )
    first = services.angka_bps_record(
        actor=admin, kode="3316", periode="2025-03", p0=11.0, sumber="BRS BPS (uji)"
    )
    second = services.angka_bps_record(
        actor=admin, kode="33.16", periode="2025-03", p0=9.5, sumber="BRS BPS (ralat uji)"
    )
    assert (first.versi, second.versi) == (1, 2)
    assert AngkaKemiskinanBps.objects.count() == 2  # a correction keeps the earlier version

    tasks.estimate_poverty.enqueue(model.pk, "33.16", True)  # immediate backend in tests
    kab = EstimasiKemiskinan.objects.get(kode="33.16")
    assert kab.tingkat == "kabupaten" and kab.keluarga == Keluarga.objects.count()
    assert abs(kab.p0 - 9.5) < 0.6  # calibrated to the latest version
    assert kab.kalibrasi["angka_bps"][0]["sumber"] == "BRS BPS (ralat uji)"
    assert kab.p0_bawah <= kab.p0 <= kab.p0_atas and kab.p2 <= kab.p1 <= kab.p0
    assert kab.versi_model == model.versi and kab.survei == "survey.csv"
    assert (kab.garis_kemiskinan, kab.garis_periode) == (570870.0, "2025-09")
    desa = EstimasiKemiskinan.objects.filter(tingkat="desa")
    assert desa.count() == Keluarga.objects.values("kode_desa").distinct().count()
    assert AuditLog.objects.filter(action="kemiskinan_estimate_write").count() == 1

    # A kecamatan's run replaces only its own areas, and stores no kabupaten row from a part.
    kec = desa.first().kode[:8]  # type: ignore[union-attr]
    before = EstimasiKemiskinan.objects.count()
    written = services.kemiskinan_estimate_write(actor=admin, model=model, wilayah=kec, n_draws=20)
    assert EstimasiKemiskinan.objects.count() == before
    assert written == EstimasiKemiskinan.objects.filter(kode__startswith=kec).count()
    assert EstimasiKemiskinan.objects.get(kode="33.16").dihitung == kab.dihitung


@pytest.mark.django_db(transaction=True)
def test_reads_and_writes_are_scoped(model: PmtModel, capsys: pytest.CaptureFixture[str]) -> None:
    from django.core.management import CommandError, call_command

    tkpk = user_upsert(
        actor=None, username="tkpk", password="x", assignments=[("tkpk-kabupaten", "33.16")]
    )
    register = ["kemiskinan", "register", "--model", str(model.pk), "--simulasi", "20"]
    call_command(*register, "--as-user", "tkpk", "--wilayah", "33.16")
    assert "Estimasi kemiskinan" in capsys.readouterr().out
    code = EstimasiKemiskinan.objects.filter(tingkat="desa").values_list("kode", flat=True)[0]
    other = user_upsert(
        actor=None, username="lain", password="x", assignments=[("tkpk-kabupaten", "33.17")]
    )
    operator = user_upsert(
        actor=None, username="op", password="x", assignments=[("operator-desa", code)]
    )
    panel = selectors.poverty_panel(tkpk, "33.16")
    assert panel is not None and panel.estimasi is not None and panel.bps is None
    assert selectors.poverty_panel(other, "33.16") is None
    assert selectors.poverty_panel(operator, "33.16") is None  # not the whole kabupaten
    assert selectors.poverty_panel(operator, code) is not None
    assert {e.kode for e in selectors.poverty_estimates(operator, "33.16")} == {code}
    with pytest.raises(CommandError, match="tidak berwenang"):
        call_command(*register, "--as-user", "lain", "--wilayah", "33.16")
    with pytest.raises(PermissionError):
        services.angka_bps_record(actor=other, kode="33.16", periode="2025-03", p0=9, sumber="x")
    with pytest.raises(ValueError, match="TTTT-BB"):
        services.angka_bps_record(actor=None, kode="33.16", periode="2025", p0=9, sumber="x")
    with pytest.raises(ValueError, match="antara 0 dan 100"):
        services.angka_bps_record(actor=None, kode="33.16", periode="2025-03", p0=0, sumber="x")


@pytest.mark.django_db
def test_bps_command_records_versions(capsys: pytest.CaptureFixture[str]) -> None:
    from django.core.management import CommandError, call_command

    user_upsert(actor=None, username="dinsos", password="x", assignments=[("admin-provinsi", "")])
    args = ["kemiskinan", "bps", "--as-user", "dinsos", "--kode", "33.16", "--periode", "2025-03"]
    call_command(*args, "--p0", "11,28", "--sumber", "BRS BPS Jawa Tengah")
    call_command(*args, "--p0", "11.30", "--sumber", "BRS BPS Jawa Tengah (ralat)")
    out = capsys.readouterr().out
    assert "versi 1: P0 11,28%" in out and "versi 2: P0 11,30%" in out
    assert list(AngkaKemiskinanBps.objects.values_list("versi", "p0")) == [(2, 11.3), (1, 11.28)]
    with pytest.raises(CommandError, match="tidak ada atau tidak aktif"):
        call_command(*args[:3], "siapa", *args[4:], "--p0", "9", "--sumber", "x")
