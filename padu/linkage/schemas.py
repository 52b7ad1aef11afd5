"""JSON shapes of the linkage API. Members and golden values are those the user may see;
NIK is masked unless the user's role sees it in full."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ninja import Schema


class RunItem(Schema):
    id: int
    kind: str
    status: str
    region_prefix: str
    stage: str
    percent: int
    counts: dict[str, Any]
    started_at: datetime
    finished_at: datetime | None


class MemberItem(Schema):
    person_id: int
    kode_desa: str
    sumber: str
    nama: str
    nik: str
    peluang: float | None
    alasan: list[str]


class ClusterItem(Schema):
    id: int
    kode_desa: str
    jumlah_rekaman: int
    rekaman_emas: dict[str, Any]
    anggota: list[MemberItem]
    anggota_tersembunyi: int


class ReviewItemOut(Schema):
    id: int
    person_l: int
    person_r: int
    kode_desa_l: str
    kode_desa_r: str
    peluang: float
    status: str
    alasan: list[str]
