"""Region reference over the JSON API (public reference data, no personal data)."""

from __future__ import annotations

from ninja import Router, Schema

from padu.wilayah.models import Desa, Kabupaten, Kecamatan

router = Router(tags=["wilayah"])


class RegionOut(Schema):
    code: str
    name: str
    active: bool


class DesaOut(RegionOut):
    jenis: str


@router.get("/kabupaten", response=list[RegionOut], summary="Daftar kabupaten/kota")
def list_kabupaten(request, provinsi: str = "33"):
    return Kabupaten.objects.filter(provinsi_id=provinsi)


@router.get("/kecamatan", response=list[RegionOut], summary="Daftar kecamatan")
def list_kecamatan(request, kabupaten: str):
    return Kecamatan.objects.filter(kabupaten_id=kabupaten)


@router.get("/desa", response=list[DesaOut], summary="Daftar desa/kelurahan")
def list_desa(request, kecamatan: str):
    return Desa.objects.filter(kecamatan_id=kecamatan)
