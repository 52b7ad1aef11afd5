from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.db import connection

from padu.engine.io import DtksFileError
from padu.intake.models import ImportRun, SourceRecord
from padu.registry.bulk import load_dtks_files
from padu.registry.models import Keluarga, Participation, Person
from padu.registry.services import person_update

pytestmark = pytest.mark.django_db(transaction=False)

KELUARGA = """id_keluarga,no_kk,kode_desa,alamat,rt,rw,luas_lantai,jenis_lantai,aset_tv,penerima_pkh,penerima_bpnt,penerima_pip
K1,3316010101200001,33.16.01.2001,Dukuh Krajan,001,002,36.5,9,0,1,1,0
K2,3316010202200002,3316012002,"Jl. Pemuda, Gg. 3",004,001,,2,1,0,0,1
"""
ART = """id_art;id_keluarga;nik;nama;tgl_lahir;jenis_kelamin;hub_kepala_keluarga;status_hidup;tgl_meninggal
A1;K1;3316011203750001;Sumarno;1975-03-12;1;1;1;
A2;K1;3316015507800002;Suparmi;15-07-1980;2;2;1;
A3;K2;3316010101600003;Wagiman;01/01/1960;1;1;2;2024-05-01
"""


def _files(tmp_path: Path, keluarga: str = KELUARGA, art: str = ART) -> tuple[Path, Path]:
    k = tmp_path / "keluarga.csv"
    a = tmp_path / "art.csv"
    k.write_text(keluarga, encoding="utf-8")
    a.write_text("\ufeff" + art, encoding="utf-8")
    return k, a


def test_load_keeps_rows_provenance_and_types(tmp_path: Path) -> None:
    k, a = _files(tmp_path)
    result = load_dtks_files(keluarga_path=k, art_path=a, source_name="Uji")
    assert (result.keluarga, result.persons, result.participations) == (2, 3, 3)
    run = ImportRun.objects.get(pk=result.import_run_id)
    assert run.status == "selesai"
    assert run.counts["dibaca"] == 5
    assert SourceRecord.objects.filter(import_run=run).count() == 5

    k2 = Keluarga.objects.get(id_keluarga="K2")
    assert k2.kode_desa == "33.16.01.2002"  # plain code normalised to dotted
    assert k2.alamat == "Jl. Pemuda, Gg. 3"
    assert k2.luas_lantai is None and k2.aset_tv is True
    assert k2.source_record is not None and k2.source_record.data["alamat"] == "Jl. Pemuda, Gg. 3"
    assert k2.source_record.row_number == 3

    suparmi = Person.objects.get(id_art="A2")
    assert suparmi.keluarga.id_keluarga == "K1"
    assert str(suparmi.tgl_lahir) == "1980-07-15"
    assert (
        suparmi.source_record is not None
        and suparmi.source_record.data["nik"] == "3316015507800002"
    )
    assert Person.objects.get(id_art="A3").status == "meninggal"
    assert set(Participation.objects.values_list("program__code", "keluarga__id_keluarga")) == {
        ("pkh", "K1"),
        ("bpnt", "K1"),
        ("pip", "K2"),
    }


def test_ids_continue_after_bulk_load(tmp_path: Path, admin_user: object) -> None:
    k, a = _files(tmp_path)
    load_dtks_files(keluarga_path=k, art_path=a, source_name="Uji")
    # The ORM can still create rows afterwards: sequences moved past the explicit ids.
    family = Keluarga.objects.create(id_keluarga="K3", kode_desa="33.16.01.2001")
    assert family.pk > Keluarga.objects.get(id_keluarga="K2").pk
    person = Person.objects.get(id_art="A1")
    version = person_update(
        actor=admin_user, person=person, changes={"nama": "Soemarno"}, reason="uji"
    )
    assert version is not None and version.changes == {"nama": ["Sumarno", "Soemarno"]}


def test_bad_cells_are_listed_and_nothing_is_written(tmp_path: Path) -> None:
    bad_art = (
        ART.replace("1975-03-12", "31-02-1975")
        .replace(";2;2;1;", ";2;9;1;")
        .replace("A3;K2", "A3;K9")
    )
    k, a = _files(tmp_path, art=bad_art)
    before = (Keluarga.all_objects.count(), SourceRecord.objects.count(), ImportRun.objects.count())
    with pytest.raises(DtksFileError) as exc:
        load_dtks_files(keluarga_path=k, art_path=a, source_name="Uji")
    text = str(exc.value)
    assert "art.csv baris 2, kolom tgl_lahir: '31-02-1975' bukan tanggal" in text
    assert "art.csv baris 3, kolom hub_kepala_keluarga: '9'" not in text  # 9 is a valid code
    after = (Keluarga.all_objects.count(), SourceRecord.objects.count(), ImportRun.objects.count())
    assert before == after


def test_unknown_family_and_duplicate_ids_are_refused(tmp_path: Path) -> None:
    k, a = _files(tmp_path, art=ART.replace("A3;K2", "A3;K9"))
    with pytest.raises(DtksFileError, match="id_keluarga yang tidak ada"):
        load_dtks_files(keluarga_path=k, art_path=a, source_name="Uji")
    k, a = _files(tmp_path, art=ART.replace("A2;K1", "A1;K1"))
    with pytest.raises(DtksFileError, match="baris 3, kolom id_art: 'A1' ganda"):
        load_dtks_files(keluarga_path=k, art_path=a, source_name="Uji")


def test_source_record_json_is_valid_on_this_database(tmp_path: Path) -> None:
    k, a = _files(tmp_path)
    load_dtks_files(keluarga_path=k, art_path=a, source_name="Uji")
    with connection.cursor() as cursor:
        cursor.execute("SELECT data FROM intake_sourcerecord ORDER BY id")
        rows = [r[0] for r in cursor.fetchall()]
    decoded = [json.loads(r) if isinstance(r, str) else r for r in rows]
    assert decoded[0]["id_keluarga"] == "K1"
    assert decoded[0]["penerima_pkh"] == "true"
