"""JSON shapes of the verval API: a field visit sent by the offline-first form."""

from __future__ import annotations

from typing import Any

from ninja import Schema
from pydantic import Field


class KunjunganIn(Schema):
    """One visit as the form sends it. Kept lenient on purpose: the service checks the key,
    the outcome code and the coordinates and says in Indonesian what is wrong (a schema
    error would answer 422 in English)."""

    kunci: str = Field(..., max_length=200, description="Kunci idempotensi (8-64 karakter)")
    keluarga_id: int
    hasil: int = Field(..., description="Kode hasil kunjungan 1-5")
    data: dict[str, Any] = Field(
        default_factory=dict,
        description="{keluarga: {kolom: nilai}, anggota: [{id, kolom: nilai, keberadaan}], "
        "anggota_baru: [{nama, ...}]}",
    )
    tugas_id: int | None = None
    dikunjungi_pada: str | None = Field(None, max_length=40, description="Waktu ISO 8601")
    lintang: float | None = None
    bujur: float | None = None
    akurasi: float | None = None
    catatan: str = Field("", max_length=5000)


class KunjunganOut(Schema):
    id: int
    duplikat: bool
    usulan: list[int]


class Pesan(Schema):
    detail: str
