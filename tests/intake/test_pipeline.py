"""Intake end to end on real files and real databases: messy inputs, exact counts,
quarantine round trip, atomic promotion, idempotent re-import, versioned updates."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import polars as pl
import pytest
import xlsxwriter

from padu.core.models import AuditLog
from padu.intake.models import EntityLink, ImportRun, Source, SourceRecord
from padu.intake.reports import ERROR_COLUMN, quarantine_xlsx, report_xlsx
from padu.intake.services import (
    IntakeError,
    import_execute,
    import_file,
    import_prepare,
    import_rollback,
    import_set_mapping,
    source_get_or_create,
)
from padu.registry.models import Keluarga, Participation, Person, Version
from tests.intake.samples import ART, KELUARGA, load_small, write_files

pytestmark = pytest.mark.django_db


@pytest.fixture
def source() -> Source:
    return source_get_or_create(actor=None, name="Uji", kind=Source.Kind.SINTETIS)


def test_native_files_promote_with_provenance(tmp_path: Path) -> None:
    load_small(tmp_path)
    k2 = Keluarga.objects.get(id_keluarga="K2")
    assert k2.kode_desa == "33.16.01.2002"
    assert k2.alamat == "Jl. Pemuda, Gg. 3"
    assert k2.luas_lantai is None and k2.aset_tv is True
    assert k2.source_record is not None
    assert k2.source_record.values["alamat"] == "Jl. Pemuda, Gg. 3"
    assert k2.source_record.row_number == 3
    suparmi = Person.objects.get(id_art="A2")
    assert suparmi.keluarga.id_keluarga == "K1"
    assert suparmi.tgl_lahir == dt.date(1980, 7, 15)
    assert Person.objects.get(id_art="A3").status == "meninggal"
    assert set(Participation.objects.values_list("program__code", "keluarga__id_keluarga")) == {
        ("pkh", "K1"),
        ("bpnt", "K1"),
        ("pip", "K2"),
    }
    # The ORM can still create rows after the bulk ids: sequences moved on.
    assert Keluarga.objects.create(id_keluarga="K3", kode_desa="33.16.01.2001").pk > k2.pk


def test_same_file_twice_changes_nothing(tmp_path: Path, source: Source) -> None:
    k, a = write_files(tmp_path)
    import_file(actor=None, path=k, source=source, table="keluarga")
    import_file(actor=None, path=a, source=source, table="art")
    versions = Version.objects.count()
    again = import_file(actor=None, path=a, source=source, table="art")
    assert (again.counts["baru"], again.counts["diubah"], again.counts["tetap"]) == (0, 0, 3)
    assert Version.objects.count() == versions
    assert Person.objects.count() == 3
    # Input rows are still kept, once per run.
    assert SourceRecord.objects.filter(table="art").count() == 6


def test_changed_value_updates_through_history(tmp_path: Path, source: Source) -> None:
    k, a = write_files(tmp_path)
    import_file(actor=None, path=k, source=source, table="keluarga")
    import_file(actor=None, path=a, source=source, table="art")
    changed = tmp_path / "art2.csv"
    changed.write_text(
        ART.replace("A2;K1;3316015507800002;Suparmi", "A2;K1;3316015507800002;Suparmi Rahayu"),
        encoding="utf-8",
    )
    run = import_file(actor=None, path=changed, source=source, table="art")
    assert (run.counts["baru"], run.counts["diubah"], run.counts["tetap"]) == (0, 1, 2)
    person = Person.objects.get(id_art="A2")
    assert person.nama == "Suparmi Rahayu"
    version = Version.objects.get(entity="person", entity_id=person.pk)
    assert version.changes == {"nama": ["Suparmi", "Suparmi Rahayu"]}
    assert version.import_run_id == run.pk
    assert (
        version.source_record is not None
        and version.source_record.values["nama"] == "Suparmi Rahayu"
    )


def test_columns_missing_from_a_file_are_not_erased(tmp_path: Path, source: Source) -> None:
    load_small(tmp_path, source_name="Uji")
    partial = tmp_path / "k.csv"
    partial.write_text("ID KELUARGA,ALAMAT\nK1,Dukuh Krajan Lor\n", encoding="utf-8")
    run = import_file(actor=None, path=partial, source=source, table="keluarga")
    assert run.counts["diubah"] == 1
    k1 = Keluarga.objects.get(id_keluarga="K1")
    assert k1.alamat == "Dukuh Krajan Lor"
    assert k1.luas_lantai == 36.5 and k1.no_kk == "3316010101200001"


def test_semicolon_windows_1252_title_rows_synonyms_blank_lines(
    tmp_path: Path, source: Source
) -> None:
    load_small(tmp_path)
    text = (
        "DAFTAR ANGGOTA KELUARGA DESA KRAJAN;;;;;\n"
        "Dicetak: 01/10/2026;;;;;\n"
        "\n"
        "ID ANGGOTA;ID DTKS;No. NIK;NAMA LENGKAP;TANGGAL LAHIR;JK;KETERANGAN LAIN\n"
        "A10;K1;'3316016505100004;Sri Rahayu Ningsih;25-05-2010;P;anak\n"
        "\n"
        "A11;K1;3316011010120005;Bambang Sumarsono;10/10/2012;L;\n"
        "A12;K2;3316011111150006;Désirée Ayu;2015-11-11;P;x\n"
    )
    path = tmp_path / "desa.csv"
    path.write_bytes(text.encode("cp1252"))
    run = import_file(actor=None, path=path, source=source, table="art")
    assert run.layout["encoding"] == "cp1252" and run.layout["delimiter"] == ";"
    assert run.layout["header_line"] == 4
    assert run.mapping["nik"] == "No. NIK" and run.mapping["id_keluarga"] == "ID DTKS"
    assert (
        run.counts["dibaca"],
        run.counts["kosong"],
        run.counts["karantina"],
        run.counts["baru"],
    ) == (3, 1, 0, 3)
    assert Person.objects.get(id_art="A12").nama == "Désirée Ayu"
    sri = Person.objects.get(id_art="A10")
    assert sri.nik == "3316016505100004" and sri.jenis_kelamin == 2
    record = sri.source_record
    assert record is not None and record.row_number == 5
    assert record.repair_list[0]["asli"] == "'3316016505100004"
    assert record.values["KETERANGAN LAIN"] == "anak"  # extra columns kept with the row


def test_utf8_bom_and_extra_missing_columns(tmp_path: Path, source: Source) -> None:
    path = tmp_path / "kel.csv"
    path.write_text(
        "\ufeffNOMOR KK,ID KELUARGA,KODE DESA,KOLOM ASING\n3316010101200009,K9,3316012001,zzz\n",
        encoding="utf-8",
    )
    run = import_file(actor=None, path=path, source=source, table="keluarga")
    assert run.layout["encoding"] == "utf-8-sig"
    assert run.counts["baru"] == 1
    family = Keluarga.objects.get(id_keluarga="K9")
    assert family.no_kk == "3316010101200009" and family.jenis_lantai is None


def test_xlsx_numeric_nik_and_excel_serial_dates(tmp_path: Path, source: Source) -> None:
    load_small(tmp_path)
    path = tmp_path / "art.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("Data")
    sheet.write_row(0, 0, ["Laporan P3KE"])
    sheet.write_row(2, 0, ["ID ART", "ID KELUARGA", "NIK", "NAMA", "TGL LAHIR", "JENIS KELAMIN"])
    sheet.write_row(
        3, 0, ["A20", "K1", 3316010505990007, "Eko Prasetyo", 36285, "Laki-laki"]
    )  # 1999-05-05
    sheet.write_row(4, 0, ["A21", "K1", 3.31601e15, "Dwi Lestari", 37000, "Perempuan"])
    date_format = book.add_format({"num_format": "dd/mm/yyyy"})
    sheet.write_row(5, 0, ["A22", "K2", "3316010606010008", "Tri Wahyuni"])
    sheet.write_datetime(5, 4, dt.datetime(2001, 6, 6), date_format)
    sheet.write(5, 5, "P")
    book.close()
    run = import_file(actor=None, path=path, source=source, table="art")
    assert run.layout["kind"] == "xlsx" and run.layout["header_line"] == 3
    assert (run.counts["baru"], run.counts["karantina"]) == (2, 1)
    eko = Person.objects.get(id_art="A20")
    assert eko.nik == "3316010505990007" and eko.tgl_lahir == dt.date(1999, 5, 5)
    assert Person.objects.get(id_art="A22").tgl_lahir == dt.date(2001, 6, 6)
    bad = SourceRecord.objects.get(import_run=run, status="karantina")
    assert bad.row_number == 5
    assert [p["kode"] for p in bad.problem_list] == ["nik_float_rusak"]


def _messy_10k(tmp_path: Path) -> tuple[Path, Path, dict[str, int]]:
    """keluarga.csv and a 10,000-row art.csv of the generator with exactly 300 bad rows."""
    from padu.engine.synth import generate

    generate(kabupaten="33.16", n_keluarga=3_200, seed=3, out_dir=tmp_path / "synth")
    art = pl.read_csv(tmp_path / "synth" / "art.csv", infer_schema=False).head(10_000)
    kinds = {
        "tgl_lahir": "31-02-1980",  # impossible date
        "jenis_kelamin": "X",  # unknown code
        "nik": "3.31601E+15",  # float damage
        "id_art": None,  # required id missing
        "id_keluarga": "K_TIDAK_ADA",  # family not in the register
        "hub_kepala_keluarga": "12",  # code out of range
    }
    rows = list(range(15, 10_000, 33))[:300]  # 300 rows, spread through the file
    assert len(rows) == 300
    column = [list(kinds)[i % len(kinds)] for i in range(300)]
    expected: dict[str, int] = {}
    for row, name in zip(rows, column, strict=True):
        art[row, name] = kinds[name]
        expected[name] = expected.get(name, 0) + 1
    path = tmp_path / "art-kotor.csv"
    art.write_csv(path)
    return tmp_path / "synth" / "keluarga.csv", path, expected


def test_ten_thousand_rows_with_three_percent_bad_exact_counts_and_fix(
    tmp_path: Path, source: Source
) -> None:
    keluarga, art, expected = _messy_10k(tmp_path)
    first = import_file(actor=None, path=keluarga, source=source, table="keluarga")
    assert first.counts["karantina"] == 0
    run = import_file(actor=None, path=art, source=source, table="art")
    assert (run.counts["dibaca"], run.counts["karantina"], run.counts["baru"]) == (
        10_000,
        300,
        9_700,
    )
    assert Person.objects.count() == 9_700
    kinds = {
        p["kolom"]
        for r in SourceRecord.objects.filter(import_run=run, status="karantina")
        for p in r.problem_list
    }
    assert kinds == set(expected)

    # Quarantine download: the file's columns plus what to fix; fix it and import it again.
    download = tmp_path / "karantina.xlsx"
    assert quarantine_xlsx(run, download) == 300
    book = openpyxl.load_workbook(download)
    sheet = book.active
    header = [c.value for c in sheet[1]]
    assert header[-1] == ERROR_COLUMN
    original = pl.read_csv(tmp_path / "synth" / "art.csv", infer_schema=False)
    by_row = {
        r.row_number: r for r in SourceRecord.objects.filter(import_run=run, status="karantina")
    }
    for excel_row, record in zip(sheet.iter_rows(min_row=2), sorted(by_row), strict=True):
        assert excel_row[-1].value and "Baris" in excel_row[-1].value
        fixed = original.row(record - 2, named=True)
        for cell, name in zip(excel_row[:-1], header[:-1], strict=True):
            cell.value = fixed[name]
    fixed_path = tmp_path / "karantina-diperbaiki.xlsx"
    book.save(fixed_path)
    again = import_file(actor=None, path=fixed_path, source=source, table="art")
    assert (again.counts["karantina"], again.counts["baru"]) == (0, 300)
    assert Person.objects.count() == 10_000
    report_xlsx(run, tmp_path / "laporan.xlsx")
    sheet = openpyxl.load_workbook(tmp_path / "laporan.xlsx")["Masalah"]
    errors = {
        r[0]: r[2]
        for r in sheet.iter_rows(min_row=2, values_only=True)
        if r[1] != "nik_wilayah_tidak_dikenal"
    }
    assert errors == expected


class Boom(RuntimeError):
    pass


def test_failure_during_promotion_leaves_nothing_then_resumes(
    tmp_path: Path, source: Source
) -> None:
    k, _ = write_files(tmp_path)
    run = import_prepare(actor=None, source=source, table="keluarga", upload=k)
    import_set_mapping(actor=None, run=run, mapping=run.mapping)

    def fail(index: int) -> None:
        raise Boom("mati di tengah promosi")

    with pytest.raises(Boom):
        import_execute(actor=None, run=run, fail_hook=fail)
    run.refresh_from_db()
    assert run.status == ImportRun.Status.GAGAL and "mati" in run.error_message
    assert Keluarga.all_objects.count() == 0
    assert EntityLink.objects.count() == 0
    assert SourceRecord.objects.filter(import_run=run).count() == 2  # staged rows kept
    import_execute(actor=None, run=run)  # resume: staging is not repeated
    run.refresh_from_db()
    assert run.status == ImportRun.Status.SELESAI
    assert (run.counts["dibaca"], run.counts["baru"]) == (2, 2)
    assert SourceRecord.objects.filter(import_run=run).count() == 2
    assert Keluarga.objects.count() == 2


def test_rollback_of_an_unfinished_run(tmp_path: Path, source: Source) -> None:
    k, _ = write_files(tmp_path)
    run = import_prepare(actor=None, source=source, table="keluarga", upload=k)
    import_rollback(actor=None, run=run, reason="salah berkas")
    with pytest.raises(IntakeError, match="dibatalkan"):
        import_execute(actor=None, run=run)
    assert Keluarga.objects.count() == 0
    assert AuditLog.objects.filter(action="import.rollback").count() == 1


def test_required_column_is_never_guessed(tmp_path: Path, source: Source) -> None:
    path = tmp_path / "x.csv"
    path.write_text("IDKELUARGAA,NAMA\nK1,A\n", encoding="utf-8")
    with pytest.raises(IntakeError) as exc:
        import_file(actor=None, path=path, source=source, table="keluarga")
    assert "Kolom wajib 'id_keluarga'" in str(exc.value)
    assert "Kandidat: IDKELUARGAA" in str(exc.value)
    assert Keluarga.objects.count() == 0


def test_trusted_source_matches_persons_by_nik(tmp_path: Path) -> None:
    load_small(tmp_path, source_name="DTKS")
    dukcapil = source_get_or_create(
        actor=None, name="Dukcapil", kind=Source.Kind.DUKCAPIL, trusted_for_identity=True
    )
    keluarga = tmp_path / "kel.csv"
    keluarga.write_text(KELUARGA.replace("K1,", "D1,").replace("K2,", "D2,"), encoding="utf-8")
    import_file(actor=None, path=keluarga, source=dukcapil, table="keluarga")
    art = tmp_path / "dukcapil.csv"
    art.write_text(
        "id_art,id_keluarga,nik,nama\nX1,D1,3316011203750001,SUMARNO\n", encoding="utf-8"
    )
    run = import_file(actor=None, path=art, source=dukcapil, table="art")
    assert (run.counts["baru"], run.counts["diubah"]) == (0, 1)
    person = Person.objects.get(nik="3316011203750001")
    assert person.nama == "SUMARNO" and person.id_art == "A1"


def test_code_mapping_per_source_item(tmp_path: Path, source: Source) -> None:
    path = tmp_path / "form.csv"
    path.write_text(
        "id_keluarga,kode_desa,penerima_pkh,aset_tv\nK1,3316012001,3,2\nK2,3316012001,4,1\n",
        encoding="utf-8",
    )
    run = import_prepare(actor=None, source=source, table="keluarga", upload=path)
    import_set_mapping(
        actor=None,
        run=run,
        mapping=run.mapping,
        code_mapping={
            "penerima_pkh": {"3": 1, "4": 0},
            "aset_tv": {"1": 1, "2": 0},
        },
    )
    import_execute(actor=None, run=run)
    assert list(
        Keluarga.objects.order_by("id_keluarga").values_list("penerima_pkh", "aset_tv")
    ) == [(True, False), (False, True)]
    source.refresh_from_db()
    assert source.code_mapping["keluarga"]["penerima_pkh"] == {"3": 1, "4": 0}


def test_bad_file_is_explained(tmp_path: Path, source: Source) -> None:
    empty = tmp_path / "kosong.csv"
    empty.write_text("", encoding="utf-8")
    with pytest.raises(IntakeError, match="kosong"):
        import_prepare(actor=None, source=source, table="keluarga", upload=empty)
    doubled = tmp_path / "ganda.csv"
    doubled.write_text("id_keluarga,NAMA,NAMA\nK1,a,b\n", encoding="utf-8")
    with pytest.raises(IntakeError, match="judul kolom ganda: NAMA"):
        import_prepare(actor=None, source=source, table="keluarga", upload=doubled)


def test_header_without_rows_imports_nothing_and_finishes(tmp_path: Path, source: Source) -> None:
    """A file with its header line and no data (an empty export) is a finished run with
    zero rows, not a crash."""
    path = tmp_path / "kosong.csv"
    path.write_text("id_keluarga,no_kk,kode_desa,alamat,rt,rw\n", encoding="utf-8")
    run = import_file(actor=None, path=path, source=source, table="keluarga")
    assert run.status == ImportRun.Status.SELESAI
    assert (run.counts["dibaca"], run.counts["baru"], run.counts["karantina"]) == (0, 0, 0)
