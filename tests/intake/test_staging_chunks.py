"""Staging in several chunks (the next chunk is prepared while the last one is written): a stop
between chunks keeps what was staged, the resumed run stages the rest exactly once; the
columnar name key of promotion equals the one ``Person.save`` stores."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from padu.accounts.services import user_upsert
from padu.intake.models import EntityLink, ImportRun, Source, SourceChunk, SourceRecord
from padu.intake.promote import _nama_kunci
from padu.intake.raw import raw_values
from padu.intake.services import import_execute, import_file, import_prepare, import_set_mapping
from padu.intake.staging import stage_run
from padu.registry.models import Keluarga, nama_kunci_of
from tests.intake.samples import write_files

pytestmark = pytest.mark.django_db

HEADER = "id_keluarga,no_kk,kode_desa,alamat\n"


def _families(folder: Path, count: int) -> Path:
    """``count`` families; row 5 repeats the id of row 2 and row 8 has no id."""
    lines = []
    for i in range(1, count + 1):
        key = {5: "K2", 8: ""}.get(i, f"K{i}")
        lines.append(f"{key},33160101012{i:05d},33.16.01.2001,Dukuh {i}\n")
    path = folder / "keluarga.csv"
    path.write_text(HEADER + "".join(lines), encoding="utf-8")
    return path


class Stop(RuntimeError):
    pass


def test_stop_between_chunks_keeps_them_and_resume_stages_the_rest_once(tmp_path: Path) -> None:
    source = Source.objects.create(name="Uji", kind=Source.Kind.SINTETIS)
    run = import_prepare(
        actor=None, source=source, table="keluarga", upload=_families(tmp_path, 10)
    )
    import_set_mapping(actor=None, run=run, mapping=run.mapping)
    seen: list[int] = []

    def stop_after_two_chunks(done: int) -> None:
        seen.append(done)
        if len(seen) == 2:
            raise Stop("berhenti setelah dua potongan")

    with pytest.raises(Stop):
        stage_run(run, progress=stop_after_two_chunks, chunk_rows=3)
    run.refresh_from_db()
    assert (run.chunks, run.rows_done, run.staged_upto) == (2, 6, 7)
    assert SourceRecord.objects.filter(import_run=run).count() == 6
    assert Keluarga.all_objects.count() == 0 and EntityLink.objects.count() == 0

    import_execute(actor=None, run=run)  # resumes after chunk 2, then promotes
    run.refresh_from_db()
    assert run.status == ImportRun.Status.SELESAI
    rows = list(
        SourceRecord.objects.filter(import_run=run)
        .order_by("row_number")
        .values_list("row_number", "status")
    )
    assert [r for r, _ in rows] == list(range(2, 12))  # every line once, none twice
    quarantined = {r for r, s in rows if s == "karantina"}
    assert quarantined == {6, 9}  # the repeated id (row 5) and the missing id (row 8)
    counts = run.counts
    assert (counts["dibaca"], counts["karantina"], counts["sah"], counts["baru"]) == (10, 2, 8, 8)
    assert Keluarga.objects.count() == 8
    # Each row's values as read come back from its own chunk (four chunks of three rows).
    assert SourceChunk.objects.filter(import_run=run).count() == 4
    values = raw_values(run.pk, range(2, 12))
    assert [values[r]["alamat"] for r in range(2, 12)] == [f"Dukuh {i}" for i in range(1, 11)]
    assert values[9]["id_keluarga"] is None  # the empty id, as read
    record = SourceRecord.objects.get(import_run=run, row_number=8)
    assert record.values == {
        "id_keluarga": "K7",
        "no_kk": "3316010101200007",
        "kode_desa": "33.16.01.2001",
        "alamat": "Dukuh 7",
    }


def test_columnar_name_key_equals_the_stored_key() -> None:
    names = [
        "Moch. Djoko Soesilo",
        "HJ. SITI  AMINAH",
        "Jusuf Tjahjono-Wibowo",
        "Muhammad  bin Abdullah",
        "İbrahim Öztürk",
        "O'Neill, St. Aisyah",
        "",
        None,
        "123",
        "Ny. Sri Rahayu S.Pd.",
        "A" * 300,
    ]
    keys = _nama_kunci(pl.Series(names, dtype=pl.String)).to_list()
    assert keys == [nama_kunci_of(n) for n in names]


def test_persons_of_a_family_outside_the_operators_desa_are_quarantined(tmp_path: Path) -> None:
    k, a = write_files(tmp_path)
    source = Source.objects.create(name="Uji", kind=Source.Kind.SINTETIS)
    import_file(actor=None, path=k, source=source, table="keluarga")
    operator = user_upsert(
        actor=None, username="op", password="x", assignments=[("operator-desa", "33.16.01.2001")]
    )
    run = import_file(actor=operator, path=a, source=source, table="art")
    # A3 belongs to K2, whose desa is 33.16.01.2002: not this operator's.
    assert (run.counts["baru"], run.counts["karantina"]) == (2, 1)
    record = SourceRecord.objects.get(import_run=run, source_key="A3")
    assert record.status == "karantina"
    assert "desa/kelurahan 33.16.01.2002 di luar wilayah tugas Anda" in record.problems
