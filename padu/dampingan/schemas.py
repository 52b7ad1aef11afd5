from __future__ import annotations

import datetime as dt

from ninja import Schema


class PenugasanOut(Schema):
    id: int
    mitra: str
    kode_desa: str
    tahun: int
    dasar_hukum: str
    zona: str
    aktif: bool
    baseline: dict[str, float]


class IntervensiIn(Schema):
    penugasan_id: int
    jenis: str
    sumber_dana: str
    jumlah: int
    mulai: dt.date
    status: str = "rencana"
    keluarga_id: int | None = None
    uraian: str = ""


class IntervensiOut(Schema):
    id: int
    penugasan_id: int
    kode_desa: str
    keluarga_id: int | None
    jenis: str
    sumber_dana: str
    jumlah: int
    status: str
    mulai: dt.date
    selesai: dt.date | None
    versi_id: int | None


class Pesan(Schema):
    detail: str
