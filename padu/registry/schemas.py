"""JSON shapes of the register API. NIK and No. KK are masked unless the user's role sees
them in full (``access.nik_access``)."""

from __future__ import annotations

from datetime import date
from typing import Generic, TypeVar

from ninja import Schema
from pydantic import BaseModel

T = TypeVar("T")

# Page and KeluargaItem are plain pydantic models: the API builds them from dicts, and
# Ninja's Schema would wrap each of the 50 items of a page in an attribute getter (a quarter
# of a list request's Python time); pydantic validates the dicts directly.


class Page(BaseModel, Generic[T]):
    count: int
    page: int
    page_size: int
    items: list[T]


class KeluargaItem(BaseModel):
    id: int
    id_keluarga: str
    no_kk: str
    kode_desa: str
    alamat: str
    rt: str
    rw: str
    status: str
    kepala: str | None
    jumlah_anggota: int


class PersonItem(Schema):
    id: int
    nama: str
    nik: str
    jenis_kelamin: int | None
    tgl_lahir: date | None
    keluarga_id: int
    kode_desa: str


class Anggota(PersonItem):
    hub_kepala_keluarga: int | None
    status: str


class Kepesertaan(Schema):
    program: str
    nama_program: str
    mulai: date
    berakhir: date | None
    person_id: int | None


class Sumber(Schema):
    sumber: str
    jenis: str
    tabel: str
    kunci: str
    impor: int | None


class KeluargaDetail(KeluargaItem):
    rumah: dict[str, int | float | bool | str | None]
    aset: dict[str, int | float | bool | None]
    anggota: list[Anggota]
    program: list[Kepesertaan]
    sumber: list[Sumber]


class PersonDetail(Anggota):
    no_kk: str
    tempat_lahir: str
    status_kawin: int | None
    nama_ibu: str
    pendidikan: int | None
    bekerja: bool | None
    disabilitas: bool | None
    penyakit_kronis: bool | None


class Nomor(Schema):
    nomor: str
