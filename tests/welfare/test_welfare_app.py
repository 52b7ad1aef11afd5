"""Welfare app: fit from an uploaded survey, activate, score the register in bulk, explain,
eligibility rules and the preview of who enters and leaves."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import polars as pl
import pytest

from padu.core.models import AuditLog
from padu.engine import synth
from padu.engine.pmt import eligibility
from padu.intake.models import Source
from padu.intake.services import import_file, source_get_or_create
from padu.registry.models import Keluarga, Program
from padu.welfare import selectors, services
from padu.welfare.models import Activation, EligibilityRule, KeluargaScore, PmtModel

FAST = {
    "lipatan_cv": 3,
    "kandidat": {
        "ols_bps": {"jenis": "linear_sel", "sel_minimum": 300, "alpha": 1e-6},
        "ridge_strata": {"jenis": "linear_strata", "alpha": 1e-3, "alpha_sel": 0.05},
    },
}


def test_eligibility_rules_quota_exclusion_and_changes() -> None:
    frame = pl.DataFrame(
        {
            "id_keluarga": ["a", "b", "c", "d", "e"],
            "kode_desa": ["33.16.01.2001"] * 3 + ["33.16.02.2001"] * 2,
            "desil": [1, 1, 2, 5, 1],
            "score": [1.0, 0.5, 2.0, 5.0, 0.1],
            "asn": [0, 0, 1, 0, 0],
        }
    )
    rules = [
        {
            "program": "pkh",
            "desil_maks": 4,
            "kecuali": [{"kolom": "asn", "nilai": 1}],
            "wilayah": "",
            "kuota": 2,
        }
    ]
    chosen = eligibility.eligible(frame, rules)
    assert chosen["id_keluarga"].to_list() == [
        "e",
        "b",
    ]  # desil 1 first, then lower score; c excluded
    after = eligibility.eligible(frame.with_columns(desil=pl.Series([1, 3, 2, 5, 6])), rules)
    diff = eligibility.changes(chosen, after)
    assert diff.select("id_keluarga", "perubahan").rows() == [("a", "masuk"), ("e", "keluar")]
    per_desa = eligibility.changes_by_desa(diff)
    assert per_desa.rows() == [("33.16.01.2001", "pkh", 1, 0), ("33.16.02.2001", "pkh", 0, 1)]
    with pytest.raises(ValueError, match="kolom pengecualian 'asn2'"):
        eligibility.eligible(
            frame, [{"program": "pkh", "desil_maks": 4, "kecuali": [{"kolom": "asn2", "nilai": 1}]}]
        )


@pytest.fixture
def register(tmp_path: Path, settings: Any) -> Path:
    settings.DATA_DIR = tmp_path / "data"
    synth.generate(
        kabupaten="33.16", n_keluarga=900, seed=4, out_dir=tmp_path, truth=True, survey=700
    )
    source = source_get_or_create(actor=None, name="uji", kind=Source.Kind.SINTETIS)
    import_file(actor=None, path=tmp_path / "keluarga.csv", source=source, table="keluarga")
    import_file(actor=None, path=tmp_path / "art.csv", source=source, table="art")
    return tmp_path


@pytest.mark.django_db(transaction=True)
def test_fit_activate_score_explain_preview(
    register: Path, admin_user: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_fit = services.pmt_model_fit
    monkeypatch.setattr(services, "pmt_model_fit", lambda **kw: real_fit(**kw, overrides=FAST))
    model = services.pmt_model_create(actor=admin_user, nama="uji", survei=register / "survey.csv")
    model.refresh_from_db()  # the immediate task backend has fitted it on commit
    assert model.status == PmtModel.Status.SIAP, model.pesan
    assert model.versi.startswith("pmt-") and set(model.cv) == {"ols_bps", "ridge_strata"}
    assert AuditLog.objects.filter(action="pmt_model_fit", object_id=str(model.pk)).exists()

    services.pmt_model_activate(actor=admin_user, model=model, wilayah="33.16.")
    written = services.keluarga_scores_write(actor=admin_user, model=model, wilayah="33.16.")
    assert written == Keluarga.objects.count() == KeluargaScore.objects.count()
    desil = list(KeluargaScore.objects.values_list("desil", flat=True))
    assert sorted(set(desil)) == list(range(1, 11))
    assert set(KeluargaScore.objects.values_list("versi", flat=True)) == {model.versi}

    keluarga = Keluarga.objects.order_by("id").first()
    assert keluarga is not None
    explained = selectors.family_score(admin_user, keluarga)
    assert explained is not None and 1 <= explained.desil <= 10
    assert len(explained.alasan) == 5 and explained.alasan[0]["label"]

    second = services.pmt_model_create(
        actor=admin_user, nama="kedua", survei=register / "survey.csv"
    )
    second.refresh_from_db()
    services.pmt_model_activate(actor=admin_user, model=second, wilayah="33.16.")
    assert (
        Activation.objects.filter(wilayah="33.16.", aktif=True).get().model == second
    )  # one per region
    assert AuditLog.objects.filter(action="pmt_model_activate").count() == 2

    pkh = Program.objects.get_or_create(code="pkh", defaults={"nama": "PKH"})[0]
    services.eligibility_rule_save(
        actor=admin_user, rule=EligibilityRule(program=pkh, desil_maks=4)
    )
    with pytest.raises(ValueError, match="Batas desil"):
        services.eligibility_rule_save(
            actor=admin_user, rule=EligibilityRule(program=pkh, desil_min=5, desil_maks=2)
        )
    # a different reference date changes ages, so some families move; the preview lists them by desa
    from datetime import date

    result = selectors.preview(admin_user, second, "33.16.", reference_date=date(2040, 1, 1))
    assert result["masuk"] + result["keluar"] > 0
    assert all(row["kode_desa"].startswith("33.16.") for row in result["per_desa"])
    assert {r["perubahan"] for r in result["daftar"]} <= {"masuk", "keluar"}


@pytest.mark.django_db(transaction=True)
def test_scores_are_scoped_and_failed_fits_say_why(
    register: Path, admin_user: Any, django_user_model: Any, tmp_path: Path
) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("jumlah_art\n3\n")
    model = services.pmt_model_create(actor=admin_user, nama="rusak", survei=bad)
    model.refresh_from_db()
    assert model.status == PmtModel.Status.GAGAL
    assert "kolom survei tidak ada" in model.pesan
    stranger = django_user_model.objects.create_user("tamu", password="x")
    keluarga = Keluarga.objects.first()
    assert keluarga is not None
    with pytest.raises(PermissionError):
        selectors.family_score(stranger, keluarga)
    assert selectors.family_score(admin_user, keluarga) is None  # not scored yet
    assert not selectors.models_list(stranger).exists()


@pytest.mark.django_db
def test_pages(client: Any, admin_user: Any) -> None:
    client.force_login(admin_user)
    page = client.get("/kesejahteraan/")
    assert page.status_code == 200
    assert "Latih model baru" in page.content.decode()
    assert client.post("/kesejahteraan/unggah/").status_code == 302


@pytest.mark.django_db
def test_only_write_roles_fit_and_activate(client: Any) -> None:
    from padu.accounts.services import user_upsert

    tkpk = user_upsert(
        actor=None, username="tkpk", password="x", assignments=[("tkpk-provinsi", "")]
    )
    dinsos = user_upsert(
        actor=None, username="dinsos", password="x", assignments=[("dinsos-kabupaten", "33.16.")]
    )
    client.force_login(dinsos)
    assert client.post("/kesejahteraan/unggah/").status_code == 403  # not province-wide
    from padu.welfare.views import _may_manage

    assert _may_manage(dinsos, "33.16") and _may_manage(dinsos, "33.16.01")
    assert not _may_manage(dinsos, "33.17") and not _may_manage(dinsos, "")
    assert not _may_manage(tkpk, "33.16") and not _may_manage(tkpk, "")  # read-only role


@pytest.mark.django_db
def test_default_eligibility_rules_are_data() -> None:
    rules = {
        r.program.code: (r.desil_min, r.desil_maks)
        for r in EligibilityRule.objects.filter(wilayah="")
    }
    assert rules == {"pkh": (1, 4), "bpnt": (1, 5), "pbi-jk": (1, 5), "blt-dd": (1, 1)}
