"""JSON shapes of the BLT-DD API."""

from __future__ import annotations

from ninja import Schema


class BarisOut(Schema):
    peringkat: int
    keluarga_id: int
    kepala: str
    status: str
    tingkat: int | None
    alasan: str
    keterangan: str
    desil: int | None
    konflik: list[str]


class DaftarOut(Schema):
    kode_desa: str
    tahun: int
    versi: int
    jenis: str
    pagu: int
    persen: str
    kuota: int
    baris: list[BarisOut]


class LaporanDesaOut(Schema):
    kode_desa: str
    nama: str
    kecamatan: str
    pagu: int
    kuota: int
    kpm: int
    ditetapkan: bool
    rencana: int
    dibayar: int
    porsi_terpakai: float
    di_atas_batas: bool
    desil1_tertinggal: bool
    kpm_per_desil: dict[str, int]
