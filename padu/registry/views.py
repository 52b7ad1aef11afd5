"""Register pages: the families of a desa, and one family with its members and timeline."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, OuterRef, Subquery
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from padu.core.audit import audit_write
from padu.registry import selectors
from padu.registry.models import Keluarga, Person
from padu.wilayah.models import Desa


@login_required
def desa(request: HttpRequest, code: str) -> HttpResponse:
    try:
        region = Desa.objects.select_related("kecamatan__kabupaten").get(code=code)
    except Desa.DoesNotExist as exc:
        raise Http404("Desa/kelurahan tidak ditemukan") from exc
    heads = Person.objects.filter(keluarga=OuterRef("pk"), hub_kepala_keluarga=1).order_by("id")
    families = (
        selectors.keluarga_visible(request.user)
        .filter(kode_desa=code)
        .annotate(kepala=Subquery(heads.values("nama")[:1]), jumlah=Count("members"))
        .order_by("rt", "rw", "id")
    )
    page = Paginator(families, 50).get_page(request.GET.get("hal"))
    return render(request, "registry/desa.html", {"desa": region, "page": page})


@login_required
def keluarga(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        family = selectors.keluarga_get(request.user, pk)
    except Keluarga.DoesNotExist as exc:
        raise Http404("Keluarga tidak ditemukan atau di luar wilayah Anda") from exc
    audit_write(
        actor=request.user,
        action="keluarga.view",
        obj=family,
        region_code=family.kode_desa,
        ip_address=request.META.get("REMOTE_ADDR"),
    )
    context = {
        "k": family,
        "members": selectors.keluarga_members(family),
        "participations": family.participations.select_related("program", "person"),
        "timeline": selectors.keluarga_timeline(family),
        "desa": Desa.objects.filter(code=family.kode_desa).first(),
    }
    return render(request, "registry/keluarga.html", context)
