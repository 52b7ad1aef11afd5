"""Register pages: families of a desa (and their export), one family, one person, person
search. Every read goes through the selectors (scoped by access.py); every look at a
person's full record, every reveal of a full number and every export writes an audit row."""

from __future__ import annotations

import csv
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from padu.accounts import access
from padu.core.audit import audit_request
from padu.core.masking import mask_number
from padu.quality import selectors as quality_selectors
from padu.registry import selectors
from padu.registry.models import Keluarga, Person
from padu.welfare import selectors as welfare_selectors
from padu.wilayah.models import Desa


def _desa_or_404(code: str) -> Desa:
    try:
        return Desa.objects.select_related("kecamatan__kabupaten").get(code=code)
    except Desa.DoesNotExist as exc:
        raise Http404(_("Desa/kelurahan tidak ditemukan. Periksa kodenya.")) from exc


def _require_region(request: HttpRequest, code: str) -> None:
    if not access.can_see_region(request.user, code):
        raise PermissionDenied(
            _("Data pribadi wilayah ini di luar penugasan Anda. Minta admin menambah penugasan.")
        )


@login_required
def desa(request: HttpRequest, code: str) -> HttpResponse:
    region = _desa_or_404(code)
    _require_region(request, code)
    families = selectors.keluarga_list(request.user, desa=code)
    page = Paginator(families, 50).get_page(request.GET.get("hal"))
    return render(request, "registry/desa.html", {"desa": region, "page": page})


EXPORT_COLUMNS = [
    "id", "id_keluarga", "no_kk", "kepala_keluarga", "jumlah_anggota", "alamat", "rt", "rw",
    "kode_desa", "status",
]  # fmt: skip


class _Echo:
    def write(self, value: str) -> str:
        return value


@login_required
def desa_export(request: HttpRequest, code: str) -> StreamingHttpResponse:
    """The families of a desa as CSV, numbers masked as on the pages; audited."""
    region = _desa_or_404(code)
    _require_region(request, code)
    families = selectors.keluarga_list(request.user, desa=code)
    full = access.nik_access(request.user, code) == access.NIK_FULL
    audit_request(
        request, "keluarga.export", region, region_code=code, detail={"jumlah": families.count()}
    )
    writer = csv.writer(_Echo())

    def lines() -> Any:
        yield writer.writerow(EXPORT_COLUMNS)
        for k in families.iterator(chunk_size=2000):
            number = k.no_kk if full else mask_number(k.no_kk)
            head, size = getattr(k, "kepala", None) or "", getattr(k, "jumlah", None) or 0
            yield writer.writerow(
                [
                    k.pk,
                    k.id_keluarga,
                    number,
                    head,
                    size,
                    k.alamat,
                    k.rt,
                    k.rw,
                    k.kode_desa,
                    k.status,
                ]
            )

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="keluarga-{code}.csv"'
    return response


def _numbers(user: Any, code: str, value: str) -> dict[str, Any]:
    mode = access.nik_access(user, code)
    shown = value if mode == access.NIK_FULL else mask_number(value)
    return {"shown": shown, "can_reveal": mode == access.NIK_REVEAL and bool(value)}


@login_required
def keluarga(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        family = selectors.keluarga_get(request.user, pk)
    except Keluarga.DoesNotExist as exc:
        raise Http404(_("Keluarga tidak ditemukan atau di luar wilayah Anda.")) from exc
    audit_request(request, "keluarga.view", family, region_code=family.kode_desa)
    members = [
        {"p": p, "nik": _numbers(request.user, family.kode_desa, p.nik)}
        for p in selectors.keluarga_members(family)
    ]
    context = {
        "k": family,
        "kk": _numbers(request.user, family.kode_desa, family.no_kk),
        "members": members,
        "participations": family.participations.select_related("program", "person"),
        "timeline": selectors.keluarga_timeline(family),
        "sources": selectors.keluarga_sources(family),
        "family_score": welfare_selectors.family_score(request.user, family),
        "findings": quality_selectors.keluarga_quality(request.user, family.pk),
        "desa": Desa.objects.select_related("kecamatan__kabupaten")
        .filter(code=family.kode_desa)
        .first(),
    }
    return render(request, "registry/keluarga.html", context)


def _revealed(request: HttpRequest, value: str) -> HttpResponse:
    return render(request, "registry/_revealed.html", {"value": value})


@login_required
@require_POST
def keluarga_reveal_kk(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        family = selectors.keluarga_get(request.user, pk)
    except Keluarga.DoesNotExist as exc:
        raise Http404(_("Keluarga tidak ditemukan atau di luar wilayah Anda.")) from exc
    if access.nik_access(request.user, family.kode_desa) == access.NIK_MASKED:
        raise PermissionDenied(_("Peran Anda tidak boleh membuka nomor KK lengkap."))
    audit_request(request, "keluarga.reveal_kk", family, region_code=family.kode_desa)
    return _revealed(request, family.no_kk)


@login_required
def orang(request: HttpRequest, pk: int) -> HttpResponse:
    """A person's full record: exactly one audit row per view."""
    try:
        person = selectors.person_get(request.user, pk)
    except Person.DoesNotExist as exc:
        raise Http404(_("Orang ini tidak ditemukan atau di luar wilayah Anda.")) from exc
    code = person.keluarga.kode_desa
    audit_request(request, "person.view", person, region_code=code)
    context = {
        "p": person,
        "k": person.keluarga,
        "nik": _numbers(request.user, code, person.nik),
        "kk": _numbers(request.user, code, person.no_kk),
        "participations": person.participations.select_related("program"),
    }
    return render(request, "registry/orang.html", context)


@login_required
@require_POST
def orang_reveal_nik(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        person = selectors.person_get(request.user, pk)
    except Person.DoesNotExist as exc:
        raise Http404(_("Orang ini tidak ditemukan atau di luar wilayah Anda.")) from exc
    code = person.keluarga.kode_desa
    if access.nik_access(request.user, code) == access.NIK_MASKED:
        raise PermissionDenied(_("Peran Anda tidak boleh membuka NIK lengkap."))
    audit_request(request, "person.reveal_nik", person, region_code=code)
    return _revealed(request, person.nik)


def _require_personal(request: HttpRequest) -> None:
    if not access.sees_personal_data(request.user):
        raise PermissionDenied(_("Peran Anda hanya melihat data agregat, tanpa data pribadi."))


def _results(request: HttpRequest, query: str) -> list[dict[str, Any]]:
    return [
        {"p": p, "nik": _numbers(request.user, p.keluarga.kode_desa, p.nik)}
        for p in selectors.person_search(request.user, query)
    ]


@login_required
def cari(request: HttpRequest) -> HttpResponse:
    _require_personal(request)
    query = request.GET.get("q", "").strip()
    return render(request, "registry/cari.html", {"q": query, "results": _results(request, query)})


@login_required
def cari_hasil(request: HttpRequest) -> HttpResponse:
    """The result list only, for htmx while the user types."""
    _require_personal(request)
    query = request.GET.get("q", "").strip()
    return render(
        request, "registry/_hasil.html", {"q": query, "results": _results(request, query)}
    )
