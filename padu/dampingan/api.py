"""Dampingan over the JSON API: the assignments the user may see, and the interventions of an
assisted desa (list, register). Same selectors, access and services as the pages."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router
from ninja.errors import HttpError

from padu.accounts import access
from padu.dampingan import selectors, services
from padu.dampingan.models import Intervensi, JenisIntervensi, SumberDana
from padu.dampingan.schemas import IntervensiIn, IntervensiOut, PenugasanOut, Pesan
from padu.registry.models import Keluarga

router = Router(tags=["dampingan"])


def _out(item: Intervensi) -> dict[str, object]:
    return {
        "id": item.pk,
        "penugasan_id": item.penugasan_id,
        "kode_desa": item.kode_desa,
        "keluarga_id": item.keluarga_id,
        "jenis": item.jenis.kode,
        "sumber_dana": item.sumber_dana.kode,
        "jumlah": item.jumlah,
        "status": item.status,
        "mulai": item.mulai,
        "selesai": item.selesai,
        "versi_id": item.versi_id,
    }


@router.get(
    "/penugasan",
    response=list[PenugasanOut],
    summary="Daftar penugasan desa dampingan yang dapat Anda lihat",
    url_name="dampingan_penugasan",
)
def penugasan_list(request: HttpRequest):
    return [
        {
            "id": p.pk,
            "mitra": p.mitra.nama,
            "kode_desa": p.kode_desa,
            "tahun": p.tahun,
            "dasar_hukum": p.dasar_hukum,
            "zona": p.zona,
            "aktif": p.aktif,
            "baseline": p.baseline,
        }
        for p in selectors.penugasan_visible(request.user).order_by("kode_desa", "pk")
    ]


@router.get(
    "/desa/{kode_desa}/intervensi",
    response={200: list[IntervensiOut], 404: Pesan},
    summary="Intervensi di satu desa dampingan",
    url_name="dampingan_intervensi_list",
)
def intervensi_list(request: HttpRequest, kode_desa: str):
    if not access.can_see_region(request.user, kode_desa):
        raise HttpError(404, "Desa ini di luar wilayah Anda.")
    return [_out(i) for i in selectors.intervensi_of(request.user, kode_desa)]


@router.post(
    "/intervensi",
    response={201: IntervensiOut, 400: Pesan, 404: Pesan},
    summary="Catat intervensi mitra di desa dampingannya",
    url_name="dampingan_intervensi_create",
)
def intervensi_create(request: HttpRequest, payload: IntervensiIn):
    user = request.user
    penugasan = selectors.penugasan_visible(user).filter(pk=payload.penugasan_id).first()
    if penugasan is None:
        raise HttpError(404, "Penugasan tidak ditemukan atau di luar wilayah Anda.")
    jenis = JenisIntervensi.objects.filter(kode=payload.jenis, aktif=True).first()
    sumber = SumberDana.objects.filter(kode=payload.sumber_dana, aktif=True).first()
    if jenis is None or sumber is None:
        raise HttpError(
            400,
            f"Jenis intervensi '{payload.jenis}' atau sumber dana '{payload.sumber_dana}' tidak "
            "dikenal; lihat katalog di admin (Jenis intervensi, Sumber dana).",
        )
    keluarga = None
    if payload.keluarga_id is not None:
        keluarga = access.scope_by_region(
            Keluarga.objects.filter(pk=payload.keluarga_id), user, "kode_desa"
        ).first()
        if keluarga is None:
            raise HttpError(404, "Keluarga tidak ditemukan atau di luar wilayah Anda.")
    try:
        item = services.intervensi_record(
            actor=user,
            penugasan=penugasan,
            jenis=jenis,
            sumber_dana=sumber,
            jumlah=payload.jumlah,
            mulai=payload.mulai,
            status=payload.status,
            keluarga=keluarga,
            uraian=payload.uraian,
        )
    except services.DampinganForbidden as exc:
        raise HttpError(404, str(exc)) from exc
    except services.DampinganError as exc:
        raise HttpError(400, str(exc)) from exc
    item.refresh_from_db()
    return 201, _out(item)
