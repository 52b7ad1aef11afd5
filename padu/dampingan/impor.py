"""Importing an existing list of interventions (XLSX or CSV) for one assignment: every row is
checked first and every problem is reported with its file, row and column, the way the
intake reports DTKS files; only a list without problems is written, in one transaction.

Columns (header names, any order, case-insensitive): ``no_kk`` (empty for work for the whole
desa), ``jenis`` and ``sumber_dana`` (catalogue code or name), ``jumlah`` (rupiah),
``status`` (rencana/berjalan/selesai, default rencana), ``tanggal`` (YYYY-MM-DD or
DD/MM/YYYY), ``uraian``.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.db import transaction

from padu.dampingan import services
from padu.dampingan.models import JenisIntervensi, Penugasan, SumberDana
from padu.engine.io import CellProblem, DtksFileError
from padu.registry.models import Keluarga, Status

REQUIRED = ("jenis", "sumber_dana", "jumlah", "tanggal")
KNOWN = (*REQUIRED, "no_kk", "status", "uraian")


def _rows(path: Path) -> list[dict[str, str]]:
    if not path.is_file():
        raise DtksFileError(f"Berkas {path} tidak ditemukan.")
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        from openpyxl import load_workbook

        sheet = load_workbook(path, read_only=True, data_only=True).worksheets[0]
        values = [
            ["" if c is None else str(c).strip() for c in row]
            for row in sheet.iter_rows(values_only=True)
        ]
    else:
        import csv

        with path.open(encoding="utf-8-sig", newline="") as handle:
            sample = handle.readline()
            handle.seek(0)
            values = [
                [c.strip() for c in row]
                for row in csv.reader(handle, delimiter=";" if ";" in sample else ",")
            ]
    if not values:
        raise DtksFileError(f"{path.name}: berkas kosong; baris pertama harus judul kolom.")
    header = [h.lower().replace(" ", "_") for h in values[0]]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise DtksFileError(
            f"{path.name}: kolom {', '.join(missing)} tidak ada di baris judul; kolom yang "
            f"dikenal: {', '.join(KNOWN)}."
        )
    return [
        {h: (row[i] if i < len(row) else "") for i, h in enumerate(header)}
        for row in values[1:]
        if any(row)
    ]


def _date(text: str) -> dt.date:
    text = text.split(" ")[0]
    for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(text)


def _lookup(model: Any, text: str) -> Any:
    found = model.objects.filter(kode=text.lower(), aktif=True).first()
    return found or model.objects.filter(nama__iexact=text, aktif=True).first()


def intervensi_import(*, actor: Any, penugasan: Penugasan, path: Path) -> int:
    """Check every row, then write them all (or nothing); returns how many were written."""
    rows = _rows(path)
    problems: list[CellProblem] = []
    ready: list[dict[str, Any]] = []

    def bad(line: int, column: str, value: str, message: str) -> None:
        problems.append(CellProblem(path.name, line, column, value, message))

    for line, row in enumerate(rows, start=2):
        item: dict[str, Any] = {"uraian": row.get("uraian", "")}
        jenis = _lookup(JenisIntervensi, row["jenis"])
        if jenis is None:
            bad(line, "jenis", row["jenis"], "bukan jenis intervensi di katalog (kode atau nama)")
        sumber = _lookup(SumberDana, row["sumber_dana"])
        if sumber is None:
            bad(line, "sumber_dana", row["sumber_dana"], "bukan sumber dana di katalog")
        try:
            item["jumlah"] = int(float(row["jumlah"].replace(".", "").replace(",", ".") or "0"))
            if item["jumlah"] < 0:
                raise ValueError
        except ValueError:
            bad(line, "jumlah", row["jumlah"], "harus rupiah tanpa tanda minus, mis. 3500000")
        try:
            item["mulai"] = _date(row["tanggal"])
        except ValueError:
            bad(line, "tanggal", row["tanggal"], "harus tanggal TTTT-BB-HH atau HH/BB/TTTT")
        status = (row.get("status") or "rencana").lower()
        if status not in ("rencana", "berjalan", "selesai"):
            bad(line, "status", status, "harus rencana, berjalan atau selesai")
        item["status"] = status
        no_kk = row.get("no_kk", "")
        item["keluarga"] = None
        if no_kk:
            item["keluarga"] = Keluarga.objects.filter(
                no_kk=no_kk, kode_desa=penugasan.kode_desa, status=Status.AKTIF
            ).first()
            if item["keluarga"] is None:
                bad(
                    line,
                    "no_kk",
                    no_kk,
                    f"tidak ada keluarga aktif ini di desa {penugasan.kode_desa}",
                )
        elif jenis is not None and not jenis.per_desa:
            bad(line, "no_kk", "", f"intervensi {jenis} untuk keluarga: isi No. KK-nya")
        item["jenis"], item["sumber_dana"] = jenis, sumber
        ready.append(item)
    if problems:
        raise DtksFileError(
            f"{path.name}: {len(problems)} masalah; tidak ada intervensi yang dicatat. "
            "Perbaiki sel berikut lalu impor lagi:",
            problems,
        )
    with transaction.atomic():
        for item in ready:
            services.intervensi_record(actor=actor, penugasan=penugasan, **item)
    return len(ready)
