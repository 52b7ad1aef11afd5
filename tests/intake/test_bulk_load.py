"""Large imports rebuild the indexes (and on PostgreSQL the foreign keys) of the tables they
load once, after loading (decision 0007): afterwards every index and constraint is there
exactly as before, a failure in the middle leaves them (and the register) untouched, and a
source trusted for identity keeps the NIK index it matches with during the load."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from padu.core.bulk_load import holds_at_most, indexes_rebuilt_after
from padu.intake.models import EntityLink, ImportRun, Source
from padu.intake.services import import_execute, import_file, import_prepare, import_set_mapping
from padu.registry.models import Keluarga, Person
from tests.intake.samples import write_files

pytestmark = pytest.mark.django_db(transaction=True)
postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="foreign keys stay on SQLite"
)


class Boom(RuntimeError):
    pass


TABLES = ["registry_person", "registry_keluarga", "intake_entitylink", "registry_participation"]


def _schema() -> set[tuple[str, str]]:
    """Every index and constraint of the loaded tables, by name and definition."""
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            marks = ", ".join(["%s"] * len(TABLES))
            cursor.execute(
                f"SELECT name, coalesce(sql, '') FROM sqlite_master WHERE tbl_name IN ({marks})",
                TABLES,
            )
            return set(cursor.fetchall())
        cursor.execute(
            "SELECT indexrelid::regclass::text, pg_get_indexdef(indexrelid) FROM pg_index "
            "WHERE indrelid = ANY(%s::regclass[])",
            [TABLES],
        )
        indexes = set(cursor.fetchall())
        cursor.execute(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid = ANY(%s::regclass[])",
            [TABLES],
        )
        return indexes | set(cursor.fetchall())


@override_settings(PADU_INTAKE_BULK_MIN_ROWS=1)
def test_bulk_import_leaves_every_index_and_constraint_as_it_was(tmp_path: Path) -> None:
    before = _schema()
    assert any("person_nik" in name for name, _ in before)
    k, a = write_files(tmp_path)
    source = Source.objects.create(name="Uji", kind=Source.Kind.SINTETIS)
    import_file(actor=None, path=k, source=source, table="keluarga")
    run = import_file(actor=None, path=a, source=source, table="art")
    assert run.counts["baru"] == 3 and Person.objects.count() == 3
    assert EntityLink.objects.filter(table="art").count() == 3
    assert _schema() == before


@override_settings(PADU_INTAKE_BULK_MIN_ROWS=1)
def test_failure_during_a_bulk_promotion_restores_indexes_and_register(tmp_path: Path) -> None:
    before = _schema()
    k, _ = write_files(tmp_path)
    source = Source.objects.create(name="Uji", kind=Source.Kind.SINTETIS)

    run = import_prepare(actor=None, source=source, table="keluarga", upload=k)
    import_set_mapping(actor=None, run=run, mapping=run.mapping)

    def fail(index: int) -> None:
        raise Boom("putus di tengah promosi")

    with pytest.raises(Boom):
        import_execute(actor=None, run=run, fail_hook=fail)
    assert Keluarga.all_objects.count() == 0 and EntityLink.objects.count() == 0
    assert ImportRun.objects.get().status == ImportRun.Status.GAGAL
    assert _schema() == before
    import_execute(actor=None, run=run)  # the rerun completes, in bulk again
    assert Keluarga.objects.count() == 2
    assert _schema() == before


@postgresql_only
def test_a_rebuilt_foreign_key_still_refuses_a_person_without_family() -> None:
    from django.db import IntegrityError, transaction

    with (
        pytest.raises(IntegrityError),
        transaction.atomic(),
        indexes_rebuilt_after(["registry_person"]),
        connection.cursor() as cursor,
    ):
        cursor.execute(
            "INSERT INTO registry_person (id, keluarga_id, id_art, nik, no_kk, nama, "
            "nama_kunci, tempat_lahir, status, created_at, updated_at, deleted_reason) "
            "VALUES (1, 999, 'A', '', '', 'X', 'x', '', 'aktif', now(), now(), '')"
        )


def test_a_trusted_source_keeps_its_nik_index_during_the_load() -> None:
    from django.db import transaction

    with (
        transaction.atomic(),
        indexes_rebuilt_after(["registry_person"], keep_columns=["nik"]),
        connection.cursor() as cursor,
    ):
        cursor.execute(
            "SELECT count(*) FROM pg_index WHERE indrelid = 'registry_person'::regclass"
            if connection.vendor == "postgresql"
            else "SELECT count(*) + 1 FROM sqlite_master WHERE type = 'index' "
            "AND tbl_name = 'registry_person'"
        )
        (left,) = cursor.fetchone()
    assert left == 2  # the primary key and the NIK index


def test_holds_at_most_counts_no_further_than_it_needs() -> None:
    for i in range(3):
        Keluarga.objects.create(id_keluarga=f"K{i}", kode_desa="33.16.01.2001")
    assert holds_at_most("registry_keluarga", 3) and holds_at_most("registry_keluarga", 50)
    assert not holds_at_most("registry_keluarga", 2)


@override_settings(PADU_INTAKE_BULK_MIN_ROWS=1)
def test_reimporting_the_same_file_keeps_indexes_in_place(tmp_path: Path) -> None:
    k, a = write_files(tmp_path)
    source = Source.objects.create(name="Uji", kind=Source.Kind.SINTETIS)
    import_file(actor=None, path=k, source=source, table="keluarga")
    with CaptureQueriesContext(connection) as first:
        import_file(actor=None, path=a, source=source, table="art")
    with CaptureQueriesContext(connection) as again:
        import_file(actor=None, path=a, source=source, table="art")
    assert any(q["sql"].startswith("DROP INDEX") for q in first.captured_queries)
    assert not any(q["sql"].startswith("DROP INDEX") for q in again.captured_queries)
