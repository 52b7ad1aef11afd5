"""Promotion: the staged valid rows of a run enter the register in ONE transaction.

New families/persons are created (with their source link and provenance); rows whose source
id is already linked (or, for a source trusted for identity, whose valid NIK is already in the
register) update the existing record through the version history, only in the columns the
file has. Unchanged rows change nothing, so importing the same file twice is a no-op.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import polars as pl
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from padu.core.audit import audit_write
from padu.core.bulk import insert_frame, insert_numbered, lock_tables, next_ids, reset_sequence
from padu.core.bulk_load import holds_at_most, indexes_rebuilt_after
from padu.core.names import name_key
from padu.engine import schema
from padu.intake.models import EntityLink, ImportRun
from padu.intake.registry_io import fetch_current, update_rows
from padu.intake.staging import run_dir
from padu.registry.models import (
    NAMA_KUNCI_LENGTH,
    Keluarga,
    Participation,
    Person,
    Program,
    Version,
)

MODELS = {"keluarga": Keluarga, "art": Person}
TEXT_TYPES = {"id", "text", "nik", "region"}
FailHook = Callable[[int], None]


def _links(run: ImportRun) -> pl.DataFrame:
    rows = EntityLink.objects.filter(source=run.source, table=run.table).values_list(
        "source_key", "entity_id"
    )
    return pl.DataFrame(
        list(rows.iterator(chunk_size=50_000)),
        schema={"source_key": pl.String, "entity_id": pl.Int64},
        orient="row",
    )


def _family_ids(run: ImportRun) -> pl.DataFrame:
    rows = EntityLink.objects.filter(source=run.source, table="keluarga").values_list(
        "source_key", "entity_id"
    )
    return pl.DataFrame(
        list(rows.iterator(chunk_size=50_000)),
        schema={"id_keluarga": pl.String, "keluarga_id": pl.Int64},
        orient="row",
    )


def _nik_matches(frame: pl.DataFrame) -> pl.DataFrame:
    """Existing persons with the NIKs of this chunk (sources trusted for identity)."""
    niks = frame["nik"].drop_nulls().unique().to_list()
    found: list[tuple[str, int]] = []
    for start in range(0, len(niks), 5_000):
        part = niks[start : start + 5_000]
        found += list(Person.objects.filter(nik__in=part).values_list("nik", "id"))
    matches = pl.DataFrame(found, schema={"nik": pl.String, "nik_entity": pl.Int64}, orient="row")
    return matches.unique("nik", keep="none")  # a NIK on two persons is no evidence


def promote_run(
    run: ImportRun,
    *,
    actor: Any,
    fail_hook: FailHook | None = None,
    chunks: Iterable[Path] | None = None,
    expected_rows: int | None = None,
) -> dict[str, int]:
    """All or nothing: on any error the register is untouched and the run can be resumed.

    ``chunks``: the staged chunk files in order, when staging still runs beside the
    promotion (``pipeline.py``); by default every chunk staged. ``expected_rows``: the
    valid rows to come, when staging has not counted them yet."""
    try:
        with transaction.atomic():
            counts = _promote(run, actor, fail_hook, chunks, expected_rows)
        for part in run_dir(run).glob("bagian-*.parquet"):  # promoted: the staging copy goes
            part.unlink()
        from padu.dashboard.tasks import refresh_aggregates

        refresh_aggregates.enqueue()  # the dashboards count the new register in the background
    except Exception as exc:
        ImportRun.objects.filter(pk=run.pk).update(
            status=ImportRun.Status.GAGAL, error_message=str(exc)[:2000]
        )
        run.refresh_from_db()
        raise
    return counts


def _promote(
    run: ImportRun,
    actor: Any,
    fail_hook: FailHook | None,
    chunks: Iterable[Path] | None,
    expected_rows: int | None,
) -> dict[str, int]:
    model = MODELS[run.table]
    lock_tables(model._meta.db_table, EntityLink._meta.db_table, Version._meta.db_table)
    now = timezone.now().astimezone(dt.UTC).replace(tzinfo=None)
    table: schema.TableName = run.table  # type: ignore[assignment]
    mapped = [c for c in schema.column_names(table) if c in run.mapping]
    links = _links(run)
    families = _family_ids(run) if run.table == "art" else None
    totals = {"baru": 0, "diubah": 0, "tetap": 0}
    keep = ["nik"] if run.table == "art" and run.source.trusted_for_identity else []
    if chunks is None:
        chunks = sorted(run_dir(run).glob("bagian-*.parquet"))
    valid = int(run.counts.get("sah", 0)) if expected_rows is None else expected_rows
    # Rows whose source id is linked already update, not insert: a re-import is no load.
    incoming = max(valid - links.height, 0)
    with indexes_rebuilt_after(_bulk_tables(run, incoming), keep_columns=keep):
        for index, path in enumerate(chunks):
            frame = pl.read_parquet(path)
            if frame.height:
                new, changed, same, links = _promote_chunk(
                    run, frame, mapped, links, families, now, actor
                )
                totals["baru"] += new
                totals["diubah"] += changed
                totals["tetap"] += same
            if fail_hook:
                fail_hook(index)
    for name in (
        model._meta.db_table,
        EntityLink._meta.db_table,
        Participation._meta.db_table,
        Version._meta.db_table,
    ):
        reset_sequence(name)
    staged = ImportRun.objects.filter(pk=run.pk).values_list("counts", flat=True).get()
    run.counts = {**run.counts, **staged, **totals}  # staging's, whichever thread staged
    run.status = ImportRun.Status.SELESAI
    run.finished_at = timezone.now()
    run.error_message = ""
    run.save(update_fields=["counts", "status", "finished_at", "error_message"])
    audit_write(actor=actor, action="import.promote", obj=run, detail=run.counts)
    return totals


def _bulk_tables(run: ImportRun, incoming: int) -> list[str]:
    """Tables this run loads at least as many rows into as they hold, when that is many
    (``PADU_INTAKE_BULK_MIN_ROWS``): their indexes (and on PostgreSQL foreign keys) are
    rebuilt once after the load instead of kept row by row (decision 0007)."""
    if incoming < settings.PADU_INTAKE_BULK_MIN_ROWS:
        return []
    tables = [MODELS[run.table]._meta.db_table, EntityLink._meta.db_table]
    if run.table == "keluarga":
        tables.append(Participation._meta.db_table)
    return [t for t in tables if holds_at_most(t, incoming)]


def _promote_chunk(
    run: ImportRun,
    frame: pl.DataFrame,
    mapped: list[str],
    links: pl.DataFrame,
    families: pl.DataFrame | None,
    now: dt.datetime,
    actor: Any,
) -> tuple[int, int, int, pl.DataFrame]:
    key = "id_keluarga" if run.table == "keluarga" else "id_art"
    frame = frame.join(links, left_on=key, right_on="source_key", how="left", maintain_order="left")
    if run.table == "art" and run.source.trusted_for_identity:
        frame = frame.join(
            _nik_matches(frame.filter(pl.col("entity_id").is_null())),
            on="nik",
            how="left",
            maintain_order="left",
        ).with_columns(pl.coalesce("entity_id", "nik_entity").alias("entity_id"))
    if families is not None:
        frame = frame.join(families, on="id_keluarga", how="left", maintain_order="left")
    fresh = frame.filter(pl.col("entity_id").is_null())
    known = frame.filter(pl.col("entity_id").is_not_null())
    new_ids = _insert_new(run, fresh, now)
    _link_inserted(run, new_ids, key)
    matched = known.join(links, left_on=key, right_on="source_key", how="anti").select(
        pl.col(key).alias("source_key"), "entity_id"
    )
    _link(run, matched)  # found by NIK: this source's id for them is new
    new_links = pl.concat(
        [new_ids.select(pl.col(key).alias("source_key"), pl.col("id").alias("entity_id")), matched]
    )
    changed = _update_known(run, known, mapped, now, actor)
    return fresh.height, changed, known.height - changed, pl.concat([links, new_links])


def _link(run: ImportRun, links: pl.DataFrame) -> None:
    if links.height == 0:
        return
    insert_numbered(
        EntityLink._meta.db_table,
        links.select("source_key", "entity_id"),
        constants={"source_id": run.source_id, "table": run.table},
    )


def _link_inserted(run: ImportRun, inserted: pl.DataFrame, key: str) -> None:
    """The source links of the records just inserted (consecutive ids), made by the database
    from the rows' own source-id column: no link row travels from Python."""
    if inserted.height == 0:
        return
    first, last = int(inserted["id"][0]), int(inserted["id"][-1])
    assert last - first + 1 == inserted.height, "records of a chunk get consecutive ids"
    link_table = EntityLink._meta.db_table
    start = next_ids(link_table, inserted.height)
    q = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {q(link_table)} (id, source_id, {q('table')}, source_key, entity_id) "
            f"SELECT id - %s + %s, %s, %s, {q(key)}, id FROM {q(MODELS[run.table]._meta.db_table)} "
            "WHERE id BETWEEN %s AND %s",
            [first, start, run.source_id, run.table, first, last],
        )


def _insert_new(run: ImportRun, fresh: pl.DataFrame, now: dt.datetime) -> pl.DataFrame:
    if fresh.height == 0:
        return pl.DataFrame(
            schema={
                "id_keluarga" if run.table == "keluarga" else "id_art": pl.String,
                "id": pl.Int64,
            }
        )
    table: schema.TableName = run.table  # type: ignore[assignment]
    model = MODELS[run.table]
    first = next_ids(model._meta.db_table, fresh.height)
    columns = schema.column_names(table)
    text = [n for n, c in schema.columns(table).items() if c.type in TEXT_TYPES]
    rows = fresh.with_columns(
        pl.int_range(first, first + fresh.height).alias("id"), pl.col(text).fill_null("")
    )
    bookkeeping = {
        "created_at": now,
        "updated_at": now,
        "status_reason_id": None,
        "import_run_id": run.pk,
        "verified_at": None,
        "deleted_at": None,
        "deleted_reason": "",
    }
    provenance = pl.col("_sr").alias("source_record_id")
    if run.table == "keluarga":
        out = rows.select("id", *columns, pl.lit("aktif").alias("status"), provenance)
    else:
        status = (
            pl.when(pl.col("status_hidup") == 2)
            .then(pl.lit("meninggal"))
            .otherwise(pl.lit("aktif"))
        )
        out = rows.select(
            "id",
            "keluarga_id",
            *[c for c in columns if c != "id_keluarga"],
            _nama_kunci(rows["nama"]),
            status.alias("status"),
            provenance,
        )
    insert_frame(model._meta.db_table, out, constants=bookkeeping)
    if run.table == "keluarga":
        _start_participations(
            rows.select("id", "_sr", *[c for c in columns if c.startswith("penerima_")]), now
        )
    return rows.select("id_keluarga" if run.table == "keluarga" else "id_art", "id")


def _start_participations(families: pl.DataFrame, now: dt.datetime) -> None:
    """An open participation for every programme flag set (for per-person programmes the
    member is not known from a family flag)."""
    parts = [
        families.filter(pl.col(flag) == True).select(  # noqa: E712
            pl.col("id").alias("keluarga_id"),
            pl.col("_sr").alias("source_record_id"),
            pl.lit(pid).alias("program_id"),
        )
        for pid, flag in Program.objects.exclude(flag_column="").values_list("id", "flag_column")
        if flag in families.columns
    ]
    frame = pl.concat(parts) if parts else pl.DataFrame()
    if frame.height == 0:
        return
    insert_numbered(
        Participation._meta.db_table,
        frame.select("keluarga_id", "program_id", "source_record_id"),
        constants={
            "person_id": None,
            "start": now.date(),
            "end": None,
            "created_at": now,
            "updated_at": now,
        },
    )


def _update_known(
    run: ImportRun, known: pl.DataFrame, mapped: list[str], now: dt.datetime, actor: Any
) -> int:
    """Versioned update of linked records in the mapped columns; returns how many changed."""
    compare = [c for c in mapped if c not in ("id_keluarga", "id_art")]
    if run.table == "art" and "id_keluarga" in mapped:
        compare.append("keluarga_id")
    if known.height == 0 or not compare:
        return 0
    table: schema.TableName = run.table  # type: ignore[assignment]
    model = MODELS[run.table]
    text = [n for n, c in schema.columns(table).items() if c.type in TEXT_TYPES and n in compare]
    incoming = known.select("entity_id", "_sr", *compare).with_columns(pl.col(text).fill_null(""))
    current = fetch_current(model, incoming["entity_id"].to_list(), compare, incoming.schema)
    joined = incoming.join(current, left_on="entity_id", right_on="id", suffix="_lama", how="inner")
    differs = pl.any_horizontal([pl.col(c).ne_missing(pl.col(f"{c}_lama")) for c in compare])
    changed = joined.filter(differs)
    if changed.height == 0:
        return 0
    keys = [_nama_kunci(changed["nama"])] if run.table == "art" and "nama" in compare else []
    update_rows(model, changed.select(pl.col("entity_id").alias("id"), *compare, *keys), now)
    family = "entity_id" if run.table == "keluarga" else "keluarga_id"
    family_col = changed[family] if family in changed.columns else changed["keluarga_id_lama"]
    versions = []
    for row, fam in zip(changed.iter_rows(named=True), family_col.to_list(), strict=True):
        diff = {
            c: [_jsonable(row[f"{c}_lama"]), _jsonable(row[c])]
            for c in compare
            if row[c] != row[f"{c}_lama"]
        }
        versions.append((row["entity_id"], fam, row["_sr"], json.dumps(diff, ensure_ascii=False)))
    user_id = actor.pk if getattr(actor, "is_authenticated", False) else None
    frame = pl.DataFrame(
        versions,
        schema={
            "entity_id": pl.Int64,
            "keluarga_id": pl.Int64,
            "source_record_id": pl.Int64,
            "changes": pl.String,
        },
        orient="row",
    )
    insert_numbered(
        Version._meta.db_table,
        frame,
        constants={
            "entity": model._meta.model_name,
            "action": "update",
            "at": now,
            "actor_id": user_id,
            "reason": f"Impor #{run.pk} dari {run.source.name}",
            "import_run_id": run.pk,
        },
    )
    return changed.height


def _nama_kunci(names: pl.Series) -> pl.Series:
    """``Person.nama_kunci`` of every name, columnar: names split into their words as
    ``name_key`` does (lower case, runs of a-z), each distinct word keyed once in Python."""
    words = names.fill_null("").str.to_lowercase().str.extract_all("[a-z]+")
    distinct = words.explode().drop_nulls().unique()
    keys = pl.Series([name_key(w) for w in distinct.to_list()], dtype=pl.String)
    keyed = words.list.eval(pl.element().replace_strict(distinct, keys, return_dtype=pl.String))
    return keyed.list.join(" ").str.slice(0, NAMA_KUNCI_LENGTH).alias("nama_kunci")


def _jsonable(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value
