"""The worklist of a desa as an XLSX file (xlsxwriter, streamed row by row)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import IO

import xlsxwriter

from padu.quality.models import Finding
from padu.wilayah.models import Desa

HEADERS = [
    "No.",
    "Tingkat",
    "Aturan",
    "ID keluarga",
    "Nomor KK",
    "Anggota",
    "Kolom",
    "Masalah dan cara memperbaiki",
]
WIDTHS = [6, 12, 26, 16, 20, 26, 18, 90]
SEVERITY_LABELS = {"error": "Galat", "warning": "Peringatan", "info": "Info"}


def _masked(number: str) -> str:
    return f"{number[:6]}******{number[12:]}" if len(number) == 16 else number


def worklist_xlsx(target: IO[bytes], desa: Desa, findings: Iterable[Finding]) -> int:
    """Write the findings to ``target``; returns the number of rows written."""
    book = xlsxwriter.Workbook(target, {"in_memory": True})
    sheet = book.add_worksheet("Daftar perbaikan")
    bold = book.add_format({"bold": True, "bg_color": "#F0F3F6", "border": 1})
    wrap = book.add_format({"text_wrap": True, "valign": "top"})
    text = book.add_format({"num_format": "@", "valign": "top"})
    sheet.write(
        0, 0, f"Daftar perbaikan data: {desa.name} ({desa.code})", book.add_format({"bold": True})
    )
    for col, (header, width) in enumerate(zip(HEADERS, WIDTHS, strict=True)):
        sheet.write(2, col, header, bold)
        sheet.set_column(col, col, width)
    row = 2
    for row, finding in enumerate(findings, start=3):
        person = finding.person
        sheet.write_number(row, 0, row - 2)
        sheet.write_string(row, 1, SEVERITY_LABELS.get(finding.severity, finding.severity), text)
        sheet.write_string(row, 2, finding.rule, text)
        sheet.write_string(row, 3, finding.keluarga.id_keluarga or str(finding.keluarga_id), text)
        sheet.write_string(row, 4, _masked(finding.keluarga.no_kk), text)
        sheet.write_string(row, 5, person.nama if person else "(keluarga)", text)
        sheet.write_string(row, 6, finding.field, text)
        sheet.write_string(row, 7, finding.message, wrap)
    sheet.freeze_panes(3, 0)
    sheet.autofilter(2, 0, max(row, 3), len(HEADERS) - 1)
    book.close()
    return row - 2
