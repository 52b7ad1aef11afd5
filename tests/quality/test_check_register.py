"""Checking the register: full run, bulk-stored findings, incremental re-check, rules
switched off in the database. Real SQLite/PostgreSQL, data from the project's generator."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from padu.core.models import AuditLog
from padu.engine import synth
from padu.intake.models import Source
from padu.intake.services import import_file, source_get_or_create
from padu.quality import services, tasks
from padu.quality.models import CheckRun, Finding, Rule
from padu.registry.models import Keluarga, Person
from padu.registry.services import person_update

pytestmark = pytest.mark.django_db
TODAY = synth.REFERENCE_DATE


@pytest.fixture
def register(tmp_path: Path) -> None:
    result = synth.generate(kabupaten="33.16", n_keluarga=120, seed=21, out_dir=tmp_path)
    source = source_get_or_create(actor=None, name="Uji", kind=Source.Kind.SINTETIS)
    import_file(actor=None, path=result.keluarga_path, source=source, table="keluarga")
    import_file(actor=None, path=result.art_path, source=source, table="art")


def _head(keluarga: Keluarga) -> Person:
    return keluarga.members.get(hub_kepala_keluarga=1)


def test_catalogue_is_loaded_into_the_database_with_defaults() -> None:
    codes = set(Rule.objects.values_list("code", flat=True))
    assert {"nik_ganda", "tanpa_kepala", "verifikasi_kedaluwarsa"} <= codes
    assert Rule.objects.get(code="umur_lebih_110").params == {"umur_maksimal": 110}
    assert services.rules_sync(actor=None) == 0  # nothing missing


def test_full_check_stores_findings_per_record_and_rule(register: None) -> None:
    families = list(Keluarga.objects.order_by("id")[:3])
    Person.objects.filter(pk=_head(families[0]).pk).update(hub_kepala_keluarga=7)
    Keluarga.objects.filter(pk=families[1].pk).update(fasilitas_bab=4, pembuangan_tinja=1)
    Person.objects.filter(pk=_head(families[2]).pk).update(nik="")
    run = services.quality_check(actor=None, today=TODAY)
    assert run.status == CheckRun.Status.DONE and run.kind == CheckRun.Kind.FULL
    errors = Finding.objects.filter(severity="error")
    assert errors.filter(keluarga=families[0], rule="tanpa_kepala", person=None).exists()
    assert errors.filter(keluarga=families[1], rule="bab_tanpa_fasilitas_septik").exists()
    nik = errors.get(rule="nik_kosong")
    assert nik.person_id == _head(families[2]).pk and nik.keluarga_id == families[2].pk
    assert nik.kode_desa == families[2].kode_desa and "NIK kosong" in nik.message
    assert run.counts["keluarga"] == 120 and run.counts["error"] >= 3
    assert "verifikasi_kedaluwarsa" in run.skipped  # nobody verified yet
    assert AuditLog.objects.filter(action="quality.check", object_id=str(run.pk)).exists()
    # Clean synthetic families stay (almost) clean.
    flagged = errors.values("keluarga").distinct().count()
    assert flagged <= 3 + 2


def test_incremental_check_replaces_only_the_changed_families(register: None) -> None:
    services.quality_check(actor=None, today=TODAY)
    before = {f.pk for f in Finding.objects.all()}
    fam = Keluarga.objects.order_by("id").first()
    assert fam is not None
    head = _head(fam)
    moment = timezone.now()
    person_update(actor=None, person=head, changes={"tgl_lahir": dt.date(2026, 6, 1)}, reason="uji")
    run = services.quality_check(actor=None, since=moment, today=TODAY)
    assert run.kind == CheckRun.Kind.INCREMENTAL
    assert run.counts["keluarga"] < 120  # only what changed (and its duplicates)
    assert Finding.objects.filter(person=head, rule="tgl_lahir_masa_depan").exists()
    untouched = Finding.objects.exclude(keluarga=fam)
    assert {f.pk for f in untouched} <= before


def test_incremental_check_finds_and_clears_a_duplicate_nik_in_another_family(
    register: None,
) -> None:
    services.quality_check(actor=None, today=TODAY)
    first, second = Keluarga.objects.order_by("id")[:2]
    a, b = _head(first), _head(second)
    original = b.nik
    Person.objects.filter(pk=b.pk).update(nik=a.nik)
    services.quality_check(actor=None, keluarga_ids=[second.pk], today=TODAY)
    assert set(Finding.objects.filter(rule="nik_ganda").values_list("person_id", flat=True)) == {
        a.pk,
        b.pk,
    }
    Person.objects.filter(pk=b.pk).update(nik=original)
    services.quality_check(actor=None, keluarga_ids=[second.pk], today=TODAY)
    assert not Finding.objects.filter(rule="nik_ganda").exists()


def test_a_rule_switched_off_in_the_database_is_not_run(register: None, admin_user: Any) -> None:
    fam = Keluarga.objects.order_by("id").first()
    assert fam is not None
    Person.objects.filter(pk=_head(fam).pk).update(hub_kepala_keluarga=7)
    services.rule_update(actor=admin_user, code="tanpa_kepala", active=False)
    services.quality_check(actor=None, today=TODAY)
    assert not Finding.objects.filter(rule="tanpa_kepala").exists()
    with pytest.raises(services.QualityError, match="parameter"):
        services.rule_update(actor=admin_user, code="umur_lebih_110", params={"umur": 1})
    services.rule_update(actor=admin_user, code="tanpa_kepala", active=True, severity="warning")
    services.quality_check(actor=None, today=TODAY)
    assert Finding.objects.get(rule="tanpa_kepala").severity == "warning"


def test_the_background_task_checks_the_register(register: None) -> None:
    result = tasks.check_register.enqueue()
    assert result.return_value is not None
    run = CheckRun.objects.get(pk=result.return_value)
    assert run.status == CheckRun.Status.DONE and run.counts["anggota"] > 300
    again = tasks.check_changes.enqueue()
    assert again.return_value is not None
    assert CheckRun.objects.get(pk=again.return_value).kind == CheckRun.Kind.INCREMENTAL
