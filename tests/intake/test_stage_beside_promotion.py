"""On PostgreSQL a run stages in a second thread and connection while its promotion takes
each committed chunk (``padu/intake/pipeline.py``): counts are exact, a failure on either
side leaves the register untouched and the rerun completes the run."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from django.db import connection

from padu.intake.models import EntityLink, ImportRun, Source, SourceRecord
from padu.intake.services import import_execute, import_prepare, import_set_mapping
from padu.registry.models import Keluarga

if connection.vendor != "postgresql":
    pytest.skip("staging beside promotion: PostgreSQL only", allow_module_level=True)

pytestmark = pytest.mark.django_db(transaction=True)

HEADER = "id_keluarga,no_kk,kode_desa,alamat\n"


class Boom(RuntimeError):
    pass


def _run(folder: Path, families: int, chunk_rows: int = 3) -> ImportRun:
    """A run of ``families`` families in chunks of ``chunk_rows``; row 5 repeats row 2's id."""
    lines = [
        f"{'K2' if i == 5 else f'K{i}'},33160101012{i:05d},33.16.01.2001,Dukuh {i}\n"
        for i in range(1, families + 1)
    ]
    path = folder / "keluarga.csv"
    path.write_text(HEADER + "".join(lines), encoding="utf-8")
    source = Source.objects.create(name="Uji", kind=Source.Kind.SINTETIS)
    run = import_prepare(actor=None, source=source, table="keluarga", upload=path)
    import_set_mapping(actor=None, run=run, mapping=run.mapping)
    run.layout["chunk_rows"] = chunk_rows
    run.save(update_fields=["layout"])
    return run


def test_chunks_promoted_as_they_are_staged_give_exact_counts(tmp_path: Path) -> None:
    run = _run(tmp_path, 10)
    seen: list[int] = []
    import_execute(actor=None, run=run, progress=seen.append)
    run.refresh_from_db()
    assert run.status == ImportRun.Status.SELESAI
    assert seen == [3, 6, 9, 10]  # progress after each committed chunk
    counts = run.counts
    assert (counts["dibaca"], counts["karantina"], counts["sah"], counts["baru"]) == (10, 1, 9, 9)
    assert Keluarga.objects.count() == 9 and EntityLink.objects.count() == 9
    assert SourceRecord.objects.filter(import_run=run).count() == 10


def test_staging_failing_midway_fails_the_promotion_and_the_rerun_completes(
    tmp_path: Path,
) -> None:
    run = _run(tmp_path, 10)

    def stop_at_second_chunk(done: int) -> None:
        if done == 6:
            raise Boom("berkas terputus")

    with pytest.raises(Boom):
        import_execute(actor=None, run=run, progress=stop_at_second_chunk)
    run.refresh_from_db()
    assert run.status == ImportRun.Status.GAGAL and "terputus" in run.error_message
    assert Keluarga.all_objects.count() == 0 and EntityLink.objects.count() == 0
    assert run.chunks == 2  # what was staged stays staged
    import_execute(actor=None, run=run)
    run.refresh_from_db()
    assert run.status == ImportRun.Status.SELESAI and run.counts["baru"] == 9
    assert SourceRecord.objects.filter(import_run=run).count() == 10  # none twice


def test_promotion_failing_midway_stops_staging_and_the_rerun_completes(tmp_path: Path) -> None:
    run = _run(tmp_path, 30)

    def fail(index: int) -> None:
        if index == 1:
            raise Boom("mati di tengah promosi")

    with pytest.raises(Boom):
        import_execute(actor=None, run=run, fail_hook=fail)
    run.refresh_from_db()
    assert run.status == ImportRun.Status.GAGAL
    assert Keluarga.all_objects.count() == 0 and EntityLink.objects.count() == 0
    assert not [t for t in threading.enumerate() if t.name.startswith("padu-stage-")]
    import_execute(actor=None, run=run)
    run.refresh_from_db()
    assert (run.counts["dibaca"], run.counts["baru"]) == (30, 29)
    assert Keluarga.objects.count() == 29
