"""Downloads of an import run: the quarantine as XLSX (fix and upload again) and the report."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import polars as pl
import xlsxwriter

from padu.engine.intake.reader import ROW
from padu.intake.models import ImportRun, SourceChunk, SourceRecord
from padu.intake.raw import chunk_rows, rows_as_dicts

ERROR_COLUMN = "KESALAHAN (hapus kolom ini atau biarkan; diabaikan saat impor ulang)"
COUNT_LABELS = [
    ("dibaca", "Baris dibaca"),
    ("kosong", "Baris kosong (dilewati)"),
    ("diperbaiki", "Baris yang diperbaiki otomatis"),
    ("peringatan", "Baris dengan peringatan"),
    ("karantina", "Baris di karantina"),
    ("baru", "Data baru di register"),
    ("diubah", "Data yang diubah"),
    ("tetap", "Data tanpa perubahan"),
]


def quarantine_xlsx(run: ImportRun, path: Path) -> int:
    """The quarantined rows with the file's own columns and a column saying what to fix.
    Cells are written as text so identity numbers keep every digit."""
    headers: list[str] = list(run.layout.get("headers", []))
    book = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False, "constant_memory": True})
    sheet = book.add_worksheet("Karantina")
    bold = book.add_format({"bold": True, "bg_color": "#F8D7DA"})
    text = book.add_format({"num_format": "@"})
    sheet.write_row(0, 0, [*headers, ERROR_COLUMN], bold)
    sheet.set_column(0, len(headers) - 1, 18, text)
    sheet.set_column(len(headers), len(headers), 90)
    count = 0
    chunks = SourceChunk.objects.filter(import_run=run).order_by("number")
    for pk, first, last in chunks.values_list("pk", "first_row", "last_row"):
        quarantined = list(
            SourceRecord.objects.filter(
                import_run=run,
                status=SourceRecord.Status.KARANTINA,
                row_number__gte=first,
                row_number__lte=last,
            )
            .order_by("row_number")
            .values_list("row_number", "problems")
        )
        if not quarantined:
            continue  # no need to read this chunk's values
        chunk = chunk_rows(pk)
        values = rows_as_dicts(chunk.filter(pl.col(ROW).is_in([n for n, _ in quarantined])))
        for number, problems in quarantined:
            count += 1
            row = values.get(number, {})
            found = json.loads(problems or "[]")
            errors = [p["pesan"] for p in found if p.get("tingkat") == "error"]
            sheet.write_row(count, 0, [row.get(h) or "" for h in headers], text)
            sheet.write_string(count, len(headers), " | ".join(errors))
    sheet.freeze_panes(1, 0)
    book.close()
    return count


def problem_summary(run: ImportRun) -> list[tuple[str, str, str, int]]:
    """(column, code, first message as example, rows) per kind of problem, most frequent
    first."""
    counter: Counter[tuple[str, str]] = Counter()
    example: dict[tuple[str, str], str] = {}
    records = SourceRecord.objects.filter(import_run=run).exclude(problems="")
    for problems in records.values_list("problems", flat=True).iterator(chunk_size=5_000):
        for problem in json.loads(problems):
            key = (problem["kolom"], problem["kode"])
            counter[key] += 1
            example.setdefault(key, problem["pesan"])
    return [(col, code, example[(col, code)], n) for (col, code), n in counter.most_common()]


def report_rows(run: ImportRun) -> list[tuple[str, Any]]:
    rows: list[tuple[str, Any]] = [
        ("Impor", f"#{run.pk}"),
        ("Sumber", run.source.name),
        ("Berkas", run.file_name),
        ("Jenis data", run.get_table_display()),
        ("Status", run.get_status_display()),
    ]
    rows += [(label, run.counts.get(key, 0)) for key, label in COUNT_LABELS]
    return rows


def report_xlsx(run: ImportRun, path: Path) -> None:
    book = xlsxwriter.Workbook(str(path))
    bold = book.add_format({"bold": True})
    sheet = book.add_worksheet("Laporan")
    for i, (label, value) in enumerate(report_rows(run)):
        sheet.write(i, 0, label, bold)
        sheet.write(i, 1, value)
    sheet.set_column(0, 0, 34)
    sheet.set_column(1, 1, 40)
    problems = book.add_worksheet("Masalah")
    problems.write_row(0, 0, ["Kolom", "Kode", "Jumlah baris", "Contoh pesan"], bold)
    for i, (column, code, message, n) in enumerate(problem_summary(run), start=1):
        problems.write_row(i, 0, [column, code, n, message])
    problems.set_column(3, 3, 120)
    book.close()
