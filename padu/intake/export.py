"""Export of the register as DTKS-CSV v1 (keluarga.csv + art.csv) or XLSX, scoped to what the
user may see (access.py) and streamed in chunks."""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import xlsxwriter

from padu.accounts import access
from padu.core.audit import audit_write
from padu.engine import schema
from padu.registry.models import Keluarga, Person

CHUNK = 5_000


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return 1 if value else 0
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def keluarga_rows(
    user: Any, prefix: str = "", keluarga_ids: list[int] | None = None
) -> Iterator[list[Any]]:
    columns = schema.column_names("keluarga")
    families = access.scope_by_region(Keluarga.objects.all(), user, "kode_desa")
    if prefix:
        families = families.filter(kode_desa__startswith=prefix)
    if keluarga_ids is not None:
        families = families.filter(pk__in=keluarga_ids)
    for row in (
        families.order_by("kode_desa", "id").values_list(*columns).iterator(chunk_size=CHUNK)
    ):
        yield [_cell(v) for v in row]


def art_rows(
    user: Any, prefix: str = "", keluarga_ids: list[int] | None = None
) -> Iterator[list[Any]]:
    columns = schema.column_names("art")
    persons = access.scope_by_region(
        Person.objects.filter(keluarga__deleted_at__isnull=True), user, "keluarga__kode_desa"
    )
    if prefix:
        persons = persons.filter(keluarga__kode_desa__startswith=prefix)
    if keluarga_ids is not None:
        persons = persons.filter(keluarga_id__in=keluarga_ids)
    fields = ["keluarga__id_keluarga" if c == "id_keluarga" else c for c in columns]
    for row in (
        persons.order_by("keluarga__kode_desa", "keluarga_id", "id")
        .values_list(*fields)
        .iterator(chunk_size=CHUNK)
    ):
        yield [_cell(v) for v in row]


def export_register(
    *,
    actor: Any,
    out: Path,
    fmt: str = "csv",
    prefix: str = "",
    keluarga_ids: list[int] | None = None,
) -> list[Path]:
    """Write the visible part of the register (only ``keluarga_ids`` when given, e.g. the
    families a verval period changed); every export writes an audit row."""
    out.mkdir(parents=True, exist_ok=True)
    counts = {}
    if fmt == "xlsx":
        path = out / "register.xlsx"
        book = xlsxwriter.Workbook(
            str(path), {"constant_memory": True, "strings_to_numbers": False}
        )
        for table, rows in (
            ("keluarga", keluarga_rows(actor, prefix, keluarga_ids)),
            ("art", art_rows(actor, prefix, keluarga_ids)),
        ):
            sheet = book.add_worksheet(table)
            sheet.write_row(0, 0, schema.column_names(table))  # type: ignore[arg-type]
            n = 0
            for n, row in enumerate(rows, start=1):
                sheet.write_row(n, 0, [str(v) if isinstance(v, str) else v for v in row])
            counts[table] = n
        book.close()
        paths = [path]
    else:
        paths = []
        for table, rows in (
            ("keluarga", keluarga_rows(actor, prefix, keluarga_ids)),
            ("art", art_rows(actor, prefix, keluarga_ids)),
        ):
            path = out / f"{table}.csv"
            with path.open("w", encoding="utf-8", newline="") as handle:
                writer = csv.writer(handle)
                writer.writerow(schema.column_names(table))  # type: ignore[arg-type]
                n = 0
                for row in rows:
                    writer.writerow(row)
                    n += 1
            counts[table] = n
            paths.append(path)
    audit_write(
        actor=actor,
        action="register.export",
        object_type="register",
        region_code=prefix[:13],
        detail={"format": fmt, "jumlah": counts},
    )
    return paths
