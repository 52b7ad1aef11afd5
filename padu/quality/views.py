"""Quality pages: scores by region, the worklist of a desa (filters, XLSX, print), rules."""

from __future__ import annotations

import io
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from padu.accounts import access
from padu.core.audit import audit_write
from padu.quality import selectors, tasks
from padu.quality.export import worklist_xlsx
from padu.wilayah.models import Desa, Kabupaten, Kecamatan

PROVINSI = "33"
LEVELS: dict[int, tuple[Any, int]] = {2: (Kabupaten, 5), 5: (Kecamatan, 8), 8: (Desa, 13)}
SEVERITIES = [("error", "Galat"), ("warning", "Peringatan"), ("info", "Info")]


def _region_rows(request: HttpRequest, code: str) -> list[dict[str, Any]]:
    model, length = LEVELS[len(code)]
    scores = selectors.quality_by_region(request.user, f"{code}.", length)
    regions = model.objects.filter(code__startswith=f"{code}.")
    return [{"region": r, "q": scores.get(r.code)} for r in regions if r.code in scores]


@login_required
def index(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "quality/region.html",
        {
            "title": "Provinsi Jawa Tengah",
            "rows": _region_rows(request, PROVINSI),
            "last_run": selectors.last_run(),
            "can_run": selectors.may_run_check(request.user),
        },
    )


@login_required
def region(request: HttpRequest, code: str) -> HttpResponse:
    if len(code) not in (5, 8):
        raise Http404("Wilayah tidak ditemukan")
    model: Any = Kabupaten if len(code) == 5 else Kecamatan
    place = model.objects.filter(code=code).first()
    if place is None:
        raise Http404("Wilayah tidak ditemukan")
    return render(
        request,
        "quality/region.html",
        {
            "title": place.name,
            "place": place,
            "rows": _region_rows(request, code),
            "last_run": selectors.last_run(),
            "desa_level": len(code) == 8,
        },
    )


def _desa(request: HttpRequest, code: str) -> Desa:
    desa = Desa.objects.filter(code=code).select_related("kecamatan").first()
    if desa is None or not access.can_see_region(request.user, code):
        raise Http404("Desa/kelurahan tidak ditemukan")
    return desa


def _filters(request: HttpRequest) -> dict[str, str]:
    severity = request.GET.get("tingkat", "")
    return {
        "severity": severity if severity in dict(SEVERITIES) else "",
        "rule": request.GET.get("aturan", "")[:60],
    }


@login_required
def desa(request: HttpRequest, code: str) -> HttpResponse:
    place = _desa(request, code)
    filters = _filters(request)
    items = selectors.worklist(request.user, code, **filters)
    page = Paginator(items, 100).get_page(request.GET.get("hal"))
    score = selectors.quality_by_region(request.user, code, 13).get(code)
    return render(
        request,
        "quality/desa.html",
        {
            "desa": place,
            "page": page,
            "score": score,
            "filters": filters,
            "severities": SEVERITIES,
            "rules": selectors.worklist_rules(request.user, code),
            "query": request.GET.urlencode(),
        },
    )


@login_required
def desa_xlsx(request: HttpRequest, code: str) -> HttpResponse:
    place = _desa(request, code)
    filters = _filters(request)
    items = selectors.worklist(request.user, code, **filters)
    buffer = io.BytesIO()
    count = worklist_xlsx(buffer, place, items)
    audit_write(
        actor=request.user,
        action="quality.worklist_export",
        object_type="wilayah.desa",
        object_id=code,
        region_code=code,
        detail={"baris": count, **filters},
    )
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="daftar-perbaikan-{code}.xlsx"'
    return response


@login_required
def rules(request: HttpRequest) -> HttpResponse:
    return render(request, "quality/rules.html", {"rules": selectors.rules_for_display()})


@login_required
@require_POST
def run_check(request: HttpRequest) -> HttpResponse:
    if not selectors.may_run_check(request.user):
        raise PermissionDenied(
            "Pemeriksaan seluruh register hanya boleh dijalankan admin provinsi."
        )
    if request.POST.get("jenis") == "perubahan":
        tasks.check_changes.enqueue()
        messages.info(request, "Pemeriksaan data yang berubah sudah dijadwalkan.")
    else:
        tasks.check_register.enqueue()
        messages.info(request, "Pemeriksaan seluruh register sudah dijadwalkan.")
    return redirect("quality:index")
