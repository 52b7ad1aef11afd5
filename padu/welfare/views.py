"""Pages of the welfare app: model registry, activation, preview of programme changes."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from padu.accounts import access
from padu.welfare import selectors, services
from padu.welfare.models import PmtModel
from padu.welfare.tasks import score_register


def _may_manage(user: Any, wilayah: str) -> bool:
    """Fitting (no region) needs write rights province-wide; activating for a region needs
    write rights over the whole region (access.py decides)."""
    if not wilayah:
        return access.write_prefixes(user) is access.ALL
    return access.can_write_region(user, access.normalise_prefix(wilayah))


@login_required
def index(request: HttpRequest) -> HttpResponse:
    return render(request, "welfare/index.html", {"models": selectors.models_list(request.user)})


@login_required
@require_POST
def upload(request: HttpRequest) -> HttpResponse:
    if not _may_manage(request.user, ""):
        return HttpResponseForbidden("Hanya peran tingkat provinsi yang dapat melatih model PMT.")
    survey = request.FILES.get("survei")
    if survey is None:
        messages.error(request, "Pilih berkas survey.csv terlebih dahulu.")
        return redirect("welfare:index")
    folder = services.models_dir() / "survei"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{uuid.uuid4().hex}.csv"
    with path.open("wb") as handle:
        for chunk in survey.chunks():
            handle.write(chunk)
    nama = request.POST.get("nama") or survey.name or "survei"
    services.pmt_model_create(actor=request.user, nama=nama, survei=path)
    messages.success(request, "Survei diterima. Model sedang dilatih di latar belakang.")
    return redirect("welfare:index")


@login_required
@require_POST
def activate(request: HttpRequest, pk: int) -> HttpResponse:
    model = get_object_or_404(PmtModel, pk=pk)
    wilayah = request.POST.get("wilayah", "").strip()
    if not _may_manage(request.user, wilayah):
        return HttpResponseForbidden("Anda tidak berwenang mengaktifkan model untuk wilayah ini.")
    try:
        services.pmt_model_activate(actor=request.user, model=model, wilayah=wilayah)
    except ValueError as exc:
        messages.error(request, str(exc))
        return redirect("welfare:index")
    score_register.enqueue(model.pk, wilayah)
    messages.success(
        request,
        f"Model {model.versi} aktif untuk {wilayah or 'seluruh provinsi'}; skor dihitung ulang.",
    )
    return redirect("welfare:index")


@login_required
def preview(request: HttpRequest, pk: int) -> HttpResponse:
    model = get_object_or_404(PmtModel, pk=pk)
    wilayah = request.GET.get("wilayah", "").strip()
    if not _may_manage(request.user, wilayah):
        return HttpResponseForbidden("Anda tidak berwenang melihat wilayah ini.")
    try:
        result = selectors.preview(request.user, model, wilayah)
    except ValueError as exc:
        messages.error(request, str(exc))
        return redirect("welfare:index")
    return render(
        request, "welfare/preview.html", {"model": model, "wilayah": wilayah, "r": result}
    )
