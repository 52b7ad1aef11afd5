"""Loading DTKS-CSV v1 files (keluarga.csv + art.csv) into the register in bulk.

Used by the demo and benchmarks for trusted native files. One transaction: every row is kept
as a source record of one import run, families and persons are created with their
provenance, and programme flags become participations. A failure leaves nothing behind.
Messy files from other sources go through intake instead.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polars as pl
from django.db import transaction
from django.utils import timezone

from padu.core.audit import audit_write
from padu.core.bulk import insert_frame, lock_tables, next_ids, reset_sequence
from padu.engine import io, schema
from padu.intake.models import ImportRun, Source, SourceRecord
from padu.registry.models import Keluarga, Participation, Person, Program

TABLES = [
    SourceRecord._meta.db_table,
    Keluarga._meta.db_table,
    Person._meta.db_table,
    Participation._meta.db_table,
]


@dataclass(frozen=True)
class BulkLoadResult:
    import_run_id: int
    keluarga: int
    persons: int
    participations: int


def _sha256(*paths: Path) -> str:
    digest = hashlib.sha256()
    for path in paths:
        with path.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    return digest.hexdigest()


def _source_records(
    frame: pl.DataFrame, table: str, key: str, first_id: int, run_id: int
) -> pl.DataFrame:
    text = frame.select(pl.all().cast(pl.String))
    return pl.DataFrame(
        {
            "id": pl.int_range(first_id, first_id + frame.height, eager=True),
            "import_run_id": run_id,
            "table": table,
            "row_number": pl.int_range(2, frame.height + 2, eager=True),
            "source_key": frame[key],
            "data": text.select(pl.struct(pl.all()).struct.json_encode()).to_series(),
        }
    )


def _register_columns(now: dt.datetime, run_id: int) -> list[pl.Expr]:
    return [
        pl.lit(now).alias("created_at"),
        pl.lit(now).alias("updated_at"),
        pl.lit("aktif").alias("status"),
        pl.lit(None, dtype=pl.Int64).alias("status_reason_id"),
        pl.lit(run_id).alias("import_run_id"),
        pl.lit(None, dtype=pl.Datetime).alias("verified_at"),
        pl.lit(None, dtype=pl.Datetime).alias("deleted_at"),
        pl.lit("").alias("deleted_reason"),
    ]


def _text_blank(frame: pl.DataFrame, table: schema.TableName) -> pl.DataFrame:
    """Text columns are stored as '' when missing, as Django does for CharField."""
    text_types = {"id", "text", "nik", "region"}
    names = [
        n for n, c in schema.columns(table).items() if c.type in text_types and n in frame.columns
    ]
    return frame.with_columns(pl.col(names).fill_null(""))


@transaction.atomic
def load_dtks_files(
    *,
    keluarga_path: Path,
    art_path: Path,
    source_name: str,
    actor: Any = None,
    source_kind: str = Source.Kind.SINTETIS,
) -> BulkLoadResult:
    keluarga = io.read_table(keluarga_path, "keluarga")
    art = io.read_table(art_path, "art")
    orphans = art.join(keluarga.select("id_keluarga"), on="id_keluarga", how="anti")
    if orphans.height:
        raise io.DtksFileError(
            f"{art_path.name}: {orphans.height} anggota merujuk id_keluarga yang tidak ada di "
            f"{keluarga_path.name} (contoh: {orphans['id_keluarga'][0]}). Perbaiki id_keluarga."
        )
    source, _ = Source.objects.get_or_create(name=source_name, defaults={"kind": source_kind})
    run = ImportRun.objects.create(
        source=source,
        file_name=f"{keluarga_path.name} + {art_path.name}",
        file_sha256=_sha256(keluarga_path, art_path),
        actor=actor if getattr(actor, "is_authenticated", False) else None,
    )
    lock_tables(*TABLES)
    now = timezone.now().astimezone(dt.UTC).replace(tzinfo=None)
    kel_cols = schema.column_names("keluarga")
    art_cols = [c for c in schema.column_names("art") if c != "id_keluarga"]

    first_record = next_ids(SourceRecord._meta.db_table, keluarga.height + art.height)
    insert_frame(
        SourceRecord._meta.db_table,
        _source_records(keluarga, "keluarga", "id_keluarga", first_record, run.pk),
    )
    art_first_record = first_record + keluarga.height
    insert_frame(
        SourceRecord._meta.db_table, _source_records(art, "art", "id_art", art_first_record, run.pk)
    )

    first_kel = next_ids(Keluarga._meta.db_table, keluarga.height)
    families = _text_blank(keluarga.select(kel_cols), "keluarga").with_columns(
        pl.int_range(first_kel, first_kel + keluarga.height).alias("id"),
        pl.int_range(first_record, first_record + keluarga.height).alias("source_record_id"),
        *_register_columns(now, run.pk),
    )
    insert_frame(Keluarga._meta.db_table, families)

    family_ids = families.select("id_keluarga", pl.col("id").alias("keluarga_id"))
    first_person = next_ids(Person._meta.db_table, art.height)
    persons = (
        _text_blank(art, "art")
        .with_columns(
            pl.int_range(art_first_record, art_first_record + art.height).alias("source_record_id")
        )
        .join(family_ids, on="id_keluarga", how="left", maintain_order="left")
        .select(
            pl.int_range(first_person, first_person + art.height).alias("id"),
            "keluarga_id",
            *art_cols,
            "source_record_id",
            *_register_columns(now, run.pk),
        )
        .with_columns(
            pl.when(pl.col("status_hidup") == 2)
            .then(pl.lit("meninggal"))
            .otherwise(pl.lit("aktif"))
            .alias("status")
        )
    )
    insert_frame(Person._meta.db_table, persons)

    participations = _participations(families, now)
    insert_frame(Participation._meta.db_table, participations)
    for table in TABLES:
        reset_sequence(table)

    run.status = ImportRun.Status.SELESAI
    run.finished_at = timezone.now()
    run.counts = {
        "dibaca": keluarga.height + art.height,
        "keluarga_baru": keluarga.height,
        "anggota_baru": art.height,
        "kepesertaan_baru": participations.height,
    }
    run.save(update_fields=["status", "finished_at", "counts"])
    audit_write(actor=actor, action="import.bulk", obj=run, detail=run.counts)
    return BulkLoadResult(run.pk, keluarga.height, art.height, participations.height)


def _participations(families: pl.DataFrame, now: dt.datetime) -> pl.DataFrame:
    """One open participation per programme flag set on a family, starting at load time.
    For per-person programmes (PIP) the file does not say which member: person stays empty."""
    programs = list(Program.objects.exclude(flag_column="").values_list("id", "flag_column"))
    parts = [
        families.filter(pl.col(flag) == True)  # noqa: E712
        .select(pl.col("id").alias("keluarga_id"), pl.col("source_record_id"))
        .with_columns(pl.lit(program_id).alias("program_id"))
        for program_id, flag in programs
    ]
    frame = pl.concat(parts) if parts else pl.DataFrame()
    if frame.height == 0:
        return frame
    first = next_ids(Participation._meta.db_table, frame.height)
    return frame.select(
        pl.int_range(first, first + frame.height).alias("id"),
        "keluarga_id",
        pl.lit(None, dtype=pl.Int64).alias("person_id"),
        "program_id",
        pl.lit(now.date()).alias("start"),
        pl.lit(None, dtype=pl.Date).alias("end"),
        "source_record_id",
        pl.lit(now).alias("created_at"),
        pl.lit(now).alias("updated_at"),
    )
