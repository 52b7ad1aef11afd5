"""The verval cycle over the JSON API: field visits sent by the offline-first form
(``/verval/kunjungan/<keluarga>/``), with a session and its CSRF token, or an API token.

Resending is safe: the same ``kunci`` answers 200 with ``duplikat: true`` and the visit
already recorded; a new visit answers 201. Same selectors, access and service as the pages.
"""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router
from ninja.errors import HttpError
from ninja.responses import Status

from padu.accounts import access
from padu.registry import selectors as registry_selectors
from padu.registry.models import Keluarga
from padu.verval.config import stage_roles
from padu.verval.models import Usulan
from padu.verval.schemas import KunjunganIn, KunjunganOut, Pesan
from padu.verval.services import VervalError, VervalForbidden
from padu.verval.services.kunjungan import kunjungan_submit

router = Router(tags=["verval"])


@router.post(
    "/kunjungan",
    response={200: KunjunganOut, 201: KunjunganOut, 400: Pesan, 403: Pesan, 404: Pesan},
    summary="Kirim hasil kunjungan lapangan (aman dikirim ulang)",
    url_name="verval_kunjungan",
)
def kunjungan_create(request: HttpRequest, payload: KunjunganIn):
    user = request.user
    try:
        family = registry_selectors.keluarga_get(user, payload.keluarga_id)
    except Keluarga.DoesNotExist as exc:
        raise HttpError(404, "Keluarga tidak ditemukan atau di luar wilayah Anda.") from exc
    if not access.can_act_as(user, stage_roles("desa"), family.kode_desa):
        raise HttpError(
            403,
            f"Anda tidak berwenang mengirim kunjungan untuk desa {family.kode_desa}: "
            "kunjungan dicatat oleh operator desa/kelurahan, pendamping, operator kecamatan "
            "atau Dinas Sosial wilayah itu.",
        )
    try:
        visit, created = kunjungan_submit(
            actor=user,
            kunci=payload.kunci,
            keluarga_id=family.pk,
            hasil=payload.hasil,
            data=payload.data,
            tugas_id=payload.tugas_id,
            dikunjungi_pada=payload.dikunjungi_pada,
            lintang=payload.lintang,
            bujur=payload.bujur,
            akurasi=payload.akurasi,
            catatan=payload.catatan,
        )
    except VervalForbidden as exc:
        raise HttpError(403, str(exc)) from exc
    except VervalError as exc:
        raise HttpError(400, str(exc)) from exc
    if not created and visit.keluarga_id != family.pk:
        raise HttpError(
            400,
            "Kunci kunjungan ini sudah dipakai untuk keluarga lain. Muat ulang formulir agar "
            "kunjungan mendapat kunci baru, lalu kirim lagi.",
        )
    proposals = list(
        Usulan.objects.filter(kunjungan=visit).order_by("pk").values_list("pk", flat=True)
    )
    body = {"id": visit.pk, "duplikat": not created, "usulan": proposals}
    return Status(201 if created else 200, body)
