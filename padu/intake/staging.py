"""Staging: read a run's file chunk by chunk, repair and validate, keep every row as a source
record (valid, quarantined or blank; its values as read with its chunk's, ``SourceChunk``)
and the typed valid rows as Parquet for promotion.

Each chunk is committed on its own, so a stopped run resumes after its last staged chunk.
Nothing reaches the register here; promotion (``promote.py``) does that in one transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import polars as pl
from django.conf import settings
from django.db import connection, transaction

from padu.accounts import access
from padu.core.bulk import insert_frame, lock_tables, next_ids
from padu.engine.intake.clean import (
    ERROR_SCHEMA,
    CleanChunk,
    CleanOptions,
    DuplicateTracker,
    clean_chunk,
    error_rows,
)
from padu.engine.intake.reader import ROW, FileLayout, iter_chunks
from padu.intake.models import ImportRun, SourceChunk, SourceRecord
from padu.intake.raw import encode_rows
from padu.wilayah.models import Kecamatan

CHUNK_ROWS = 100_000
FAMILY_DESA_SCHEMA = {"source_key": pl.String, "kode_desa": pl.String}
Progress = Callable[[int], None]
T = TypeVar("T")


def run_dir(run: ImportRun) -> Path:
    folder = Path(settings.DATA_DIR) / "impor" / str(run.pk)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def chunk_path(run: ImportRun, index: int) -> Path:
    """The typed valid rows of a staged chunk, waiting for promotion."""
    return run_dir(run) / f"bagian-{index:05d}.parquet"


def layout_of(run: ImportRun) -> FileLayout:
    data = run.layout
    return FileLayout(
        path=Path(run.file_path),
        kind=data["kind"],
        encoding=data["encoding"],
        delimiter=data["delimiter"],
        header_line=data["header_line"],
        headers=data["headers"],
        sheet=data.get("sheet", ""),
    )


def _per_row_json(frame: pl.DataFrame, name: str) -> pl.DataFrame:
    """One JSON list per row (``_baris``) of the given errors or repairs."""
    if frame.height == 0:
        return pl.DataFrame(schema={ROW: pl.Int64, name: pl.String})
    columns = [c for c in frame.columns if c != ROW]
    encoded = pl.col(name).list.eval(pl.element().struct.json_encode()).list.join(",")
    return (
        frame.group_by(ROW)
        .agg(pl.struct(columns).alias(name))
        .select(ROW, pl.format("[{}]", encoded).alias(name))
    )


def _missing_family_errors(typed: pl.DataFrame, known: pl.Series, header: str) -> pl.DataFrame:
    missing = typed.filter(
        pl.col("id_keluarga").is_not_null() & ~pl.col("id_keluarga").is_in(known.implode())
    )
    message = pl.format(
        "Baris {}, kolom {}: keluarga '{}' belum ada di register untuk sumber ini. "
        "Impor berkas keluarganya lebih dulu, atau periksa ID keluarganya.",
        pl.col(ROW),
        pl.lit(header),
        pl.col("id_keluarga"),
    )
    return error_rows(missing, pl.lit(True), "id_keluarga", "keluarga_tidak_dikenal", message)


def _family_desa(run: ImportRun) -> pl.DataFrame:
    """Source family id (``source_key``) and the desa (``kode_desa``) of the register
    family it is linked to; made once per run, used for every chunk."""
    sql = (
        "SELECT l.source_key, k.kode_desa FROM intake_entitylink l "
        "JOIN registry_keluarga k ON k.id = l.entity_id "
        "WHERE l.source_id = %s AND l.\"table\" = 'keluarga'"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [run.source_id])
        rows = cursor.fetchall()
    frame = pl.DataFrame(rows, schema=FAMILY_DESA_SCHEMA, orient="row")
    return frame.unique("source_key", keep="last", maintain_order=True)


def _outside_scope_errors(
    run: ImportRun, typed: pl.DataFrame, family_desa: pl.DataFrame, header: str
) -> pl.DataFrame:
    """Rows of desa the importing user may not change (access.py decides, per distinct code).
    A run without an actor is a command run on the server by its administrator."""
    if run.actor is None:
        return pl.DataFrame(schema=ERROR_SCHEMA)
    if run.table == "keluarga":
        desa = pl.col("kode_desa")
    else:
        desa = pl.col("id_keluarga").replace_strict(
            family_desa["source_key"],
            family_desa["kode_desa"],
            default=None,
            return_dtype=pl.String,
        )
    codes = typed.select(ROW, desa.alias("_desa"))
    distinct = codes["_desa"].drop_nulls().unique().to_list()
    allowed = [c for c in distinct if access.can_write_region(run.actor, c)]
    outside = codes.filter(pl.col("_desa").is_not_null() & ~pl.col("_desa").is_in(allowed)).rename(
        {"_desa": "kode_desa"}
    )
    message = pl.format(
        "Baris {}, kolom {}: desa/kelurahan {} di luar wilayah tugas Anda; data ini harus "
        "diimpor oleh petugas wilayah tersebut.",
        pl.col(ROW),
        pl.lit(header),
        pl.col("kode_desa"),
    )
    return error_rows(outside, pl.lit(True), "kode_desa", "di_luar_wilayah", message)


@dataclass
class _Prepared:
    """One chunk read, repaired and validated (Polars only: no database), with its rows as
    read encoded for ``SourceChunk``, ready to be written."""

    index: int
    raw: pl.DataFrame
    encoded: bytes
    result: CleanChunk
    errors: pl.DataFrame


def _prepare(
    chunks: Iterator[pl.DataFrame],
    skip: int,
    opts: CleanOptions,
    tracker: DuplicateTracker,
    families: pl.Series,
) -> Iterator[_Prepared]:
    for index, chunk in enumerate(chunks):
        if index < skip:
            continue  # staged before a stop: resume after it
        result = clean_chunk(chunk, opts, tracker)
        errors = result.errors
        if opts.table == "art":
            extra = _missing_family_errors(
                result.typed, families, opts.mapping.get("id_keluarga", "id_keluarga")
            )
            errors = pl.concat([errors, extra.cast(ERROR_SCHEMA)])
        yield _Prepared(index, chunk, encode_rows(chunk), result, errors)


def _ahead(items: Iterator[T]) -> Iterator[T]:
    """The items of ``items``, the next one computed in a second thread while the caller
    handles the current one: Polars works on one chunk while the database writes the last
    (Polars and the database drivers release the GIL while they work)."""
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="padu-stage") as pool:
        future = pool.submit(next, items, None)
        while (item := future.result()) is not None:
            future = pool.submit(next, items, None)
            yield item


STAGING_COUNTS = ("dibaca", "kosong", "karantina", "sah", "diperbaiki", "peringatan")


def stage_run(
    run: ImportRun,
    *,
    progress: Progress | None = None,
    chunk_rows: int = CHUNK_ROWS,
    today: dt.date | None = None,
) -> None:
    """Stage every chunk not staged yet; updates the run's counts and progress as it goes."""
    layout = layout_of(run)
    opts = CleanOptions(
        table=run.table,  # type: ignore[arg-type]
        mapping=run.mapping,
        code_maps=run.code_mapping,
        known_kecamatan=frozenset(Kecamatan.objects.values_list("code", flat=True)),
        today=today or dt.date.today(),
    )
    primary = "id_keluarga" if run.table == "keluarga" else "id_art"
    tracker = DuplicateTracker(
        SourceRecord.objects.filter(import_run=run)
        .exclude(source_key="")
        .values_list("source_key", flat=True)
    )
    family_desa = (
        _family_desa(run) if run.table == "art" else pl.DataFrame(schema=FAMILY_DESA_SCHEMA)
    )
    for key in STAGING_COUNTS:  # a file with a header and no rows still reports zeros
        run.counts.setdefault(key, 0)
    chunk_size = run.layout.setdefault("chunk_rows", chunk_rows)
    chunks = iter_chunks(layout, chunk_size)
    header = opts.mapping.get("kode_desa" if run.table == "keluarga" else "id_keluarga", "")
    for ready in _ahead(_prepare(chunks, run.chunks, opts, tracker, family_desa["source_key"])):
        scope = _outside_scope_errors(run, ready.result.typed, family_desa, header)
        errors = pl.concat([ready.errors, scope.cast(ERROR_SCHEMA)])
        _write_chunk(run, ready, errors, primary)
        if progress:
            progress(run.rows_done)


def _insert_records(run: ImportRun, records: pl.DataFrame) -> None:
    """Most rows are valid with nothing to say: for them only id, row number and source id
    vary, the rest is written once per statement (``insert_frame`` constants)."""
    constants = {"import_run_id": run.pk, "table": run.table}
    plain = (pl.col("status") == "sah") & (pl.col("problems") == "") & (pl.col("repairs") == "")
    table = SourceRecord._meta.db_table
    insert_frame(
        table,
        records.filter(plain).select("id", "row_number", "source_key"),
        constants={**constants, "status": "sah", "problems": "", "repairs": ""},
    )
    insert_frame(table, records.filter(~plain), constants=constants)


@transaction.atomic
def _write_chunk(run: ImportRun, ready: _Prepared, errors: pl.DataFrame, primary: str) -> None:
    raw, typed, index = ready.raw, ready.result.typed, ready.index
    repairs, blank = ready.result.repairs, ready.result.blank
    lock_tables(SourceRecord._meta.db_table)
    first = next_ids(SourceRecord._meta.db_table, raw.height)
    quarantined = errors.filter(pl.col("tingkat") == "error")[ROW].unique()
    records = (
        raw.select(ROW)
        .with_columns(
            pl.int_range(first, first + raw.height).alias("id"),
            typed[primary].fill_null("").str.slice(0, 64).alias("source_key"),
            pl.when(blank)
            .then(pl.lit("kosong"))
            .when(pl.col(ROW).is_in(quarantined.implode()))
            .then(pl.lit("karantina"))
            .otherwise(pl.lit("sah"))
            .alias("status"),
        )
        .join(_per_row_json(errors, "problems"), on=ROW, how="left", maintain_order="left")
        .join(_per_row_json(repairs, "repairs"), on=ROW, how="left", maintain_order="left")
        .select(
            "id",
            pl.col(ROW).alias("row_number"),
            "source_key",
            "status",
            pl.col("problems").fill_null(""),
            pl.col("repairs").fill_null(""),
        )
    )
    _insert_records(run, records)
    SourceChunk.objects.create(
        import_run=run,
        number=index,
        first_row=int(raw[ROW].min() or 0),  # type: ignore[arg-type]
        last_row=int(raw[ROW].max() or 0),  # type: ignore[arg-type]
        rows=ready.encoded,
    )
    valid = (
        typed.with_columns(records["id"].alias("_sr"), records["status"].alias("_status"))
        .filter(pl.col("_status") == "sah")
        .drop("_status")
    )
    valid.write_parquet(chunk_path(run, index))
    counts = dict(run.counts)
    status = records["status"].value_counts()
    by_status = dict(zip(status["status"].to_list(), status["count"].to_list(), strict=True))
    for key, value in {
        "dibaca": raw.height - int(blank.sum()),
        "kosong": int(blank.sum()),
        "karantina": by_status.get("karantina", 0),
        "sah": by_status.get("sah", 0),
        "diperbaiki": repairs[ROW].n_unique() if repairs.height else 0,
        "peringatan": errors.filter(pl.col("tingkat") == "warning")[ROW].n_unique(),
    }.items():
        counts[key] = counts.get(key, 0) + int(value)
    run.counts = counts
    run.chunks = index + 1
    run.rows_done += raw.height
    run.staged_upto = int(raw[ROW].max() or 0)  # type: ignore[arg-type]
    run.save(update_fields=["counts", "chunks", "rows_done", "staged_upto", "layout"])
