"""Migration 0008 moves the values of rows staged before it (JSON text per record) into their
run's chunks (decision 0005): every row keeps its values as read."""

from __future__ import annotations

import json

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from padu.intake.raw import raw_values

BEFORE = [("intake", "0007_source_keys_byte_order")]
AFTER = [("intake", "0008_source_rows_kept_per_chunk")]


@pytest.mark.django_db(transaction=True)
def test_rows_staged_before_the_migration_keep_their_values() -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    apps = executor.loader.project_state(BEFORE).apps
    source = apps.get_model("intake", "Source").objects.create(name="Lama", kind="lainnya")
    run = apps.get_model("intake", "ImportRun").objects.create(
        source=source, table="art", file_name="lama.csv"
    )
    record = apps.get_model("intake", "SourceRecord")
    rows = {2: {"NIK": "3316010101800001", "NAMA": "Sri"}, 4: {"NIK": None, "NAMA": "Joko"}}
    for number, values in rows.items():
        record.objects.create(
            import_run=run, table="art", row_number=number, data=json.dumps(values)
        )

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(AFTER)
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())  # back to the current schema

    assert raw_values(run.pk, [2, 4]) == rows
