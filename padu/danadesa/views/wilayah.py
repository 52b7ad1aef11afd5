"""The BLT-DD home, the kabupaten's pagu import, reports per region and the OM-SPAN export."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from padu.accounts import access
from padu.core.formatting import BULAN
from padu.danadesa import forms, laporan
from padu.danadesa.models import AturanTahun
from padu.danadesa.services import DanadesaError, DanadesaForbidden
from padu.danadesa.services.pagu import pagu_impor
from padu.danadesa.views.common import Upload
from padu.verval.dokumen import XLSX
from padu.wilayah.models import Desa


def _tahun(request: HttpRequest) -> int:
    try:
        return forms.tahun(
            request.GET.get("tahun") or request.POST.get("tahun") or timezone.localdate().year
        )
    except DanadesaError:
        return timezone.localdate().year


@login_required
def index(request: HttpRequest) -> HttpResponse:
    user = request.user
    tahun = _tahun(request)
    homes = access.home_regions(user)
    desa_codes = [p for p in (access.region_prefixes(user) or []) if len(p) == 13]
    return render(
        request,
        "danadesa/index.html",
        {
            "tahun": tahun,
            "years": list(AturanTahun.objects.values_list("tahun", flat=True)),
            "aturan": AturanTahun.objects.all(),
            "desa": Desa.objects.filter(code__in=desa_codes).order_by("code"),
            "regions": [h.rstrip(".") for h in homes] if homes is not None else ["33"],
            "may_import": access.write_prefixes(user) != [],
        },
    )


@login_required
@require_POST
def pagu_impor_view(request: HttpRequest) -> HttpResponse:
    if access.write_prefixes(request.user) == []:
        raise PermissionDenied("Anda tidak berwenang mengimpor pagu Dana Desa.")
    tahun = _tahun(request)
    with Upload(request, "berkas") as saved:
        if saved is None:
            messages.error(request, "Pilih berkas pagu Dana Desa (XLSX atau CSV) dahulu.")
        else:
            try:
                n = pagu_impor(actor=request.user, path=saved[0], nama=saved[1], tahun=tahun)
                messages.success(request, f"Pagu {n} desa tahun {tahun} dari {saved[1]} tersimpan.")
            except (DanadesaError, DanadesaForbidden) as exc:
                messages.error(request, str(exc))
    return redirect(f"{reverse('danadesa:index')}?tahun={tahun}")


def _persen(request: HttpRequest) -> Decimal | None:
    text = request.GET.get("persen", "").replace(",", ".").strip()
    if not text:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None
    return value if Decimal(0) < value <= Decimal(100) else None


@login_required
def laporan_view(request: HttpRequest, code: str, tahun: int) -> HttpResponse:
    andai = _persen(request)
    rows = laporan.laporan(request.user, code, tahun, andai)
    return render(
        request,
        "danadesa/laporan.html",
        {
            "code": code,
            "tahun": tahun,
            "aturan": laporan.aturan(tahun),
            "andai": andai,
            "groups": laporan.per_kecamatan(rows),
            "total": laporan.total(rows),
            "rows": rows,
            "desil_range": range(1, 11),
            "months": [(i, BULAN[i - 1]) for i in range(1, 13)],
            "whole": access.sees_whole_region(request.user, code),
        },
    )


@login_required
def omspan(request: HttpRequest, code: str, tahun: int) -> HttpResponse:
    text = request.GET.get("bulan", "")
    bulan = int(text) if text.isdigit() and 1 <= int(text) <= 12 else timezone.localdate().month
    response = HttpResponse(
        laporan.omspan_xlsx(request.user, code, tahun, bulan), content_type=XLSX
    )
    response["Content-Disposition"] = (
        f'attachment; filename="realisasi-blt-dd-{code}-{tahun}-{bulan:02d}.xlsx"'
    )
    return response
