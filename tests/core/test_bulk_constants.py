"""Bulk inserts with run-wide constants: each row stores exactly what binding every value
would have stored, whatever the constant's type or characters (SQLite writes them into the
statement as literals; COPY sends them as columns)."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from padu.core.bulk import insert_numbered, lock_tables
from padu.intake.models import Source
from padu.registry.models import Keluarga, Version

pytestmark = pytest.mark.django_db


def test_constants_are_stored_as_if_bound_for_every_row() -> None:
    keluarga = Keluarga.objects.create(id_keluarga="K1", kode_desa="33.16.01.2001")
    source = Source.objects.create(name="Desa 100% O'Brien %s", kind=Source.Kind.DESA)
    at = dt.datetime(2026, 11, 29, 7, 30, 15, 123456)
    lock_tables(Version._meta.db_table)
    first = insert_numbered(
        Version._meta.db_table,
        pl.DataFrame({"entity_id": [keluarga.pk, keluarga.pk], "changes": ['{"a": 1}', "{}"]}),
        constants={
            "entity": "keluarga",
            "keluarga_id": keluarga.pk,
            "action": "update",
            "at": at,
            "actor_id": None,
            "reason": f"Impor #7 dari {source.name}",
            "source_record_id": None,
            "import_run_id": 7,
        },
    )
    rows = list(Version.objects.filter(pk__gte=first).order_by("pk"))
    assert [v.changes for v in rows] == [{"a": 1}, {}]
    for version in rows:
        assert version.reason == "Impor #7 dari Desa 100% O'Brien %s"
        assert version.at == at.replace(tzinfo=dt.UTC)
        assert (version.actor_id, version.import_run_id, version.entity) == (None, 7, "keluarga")
