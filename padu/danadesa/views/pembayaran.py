"""Monthly payments of a desa's KPM: the month's form, and the import of a bank list."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from padu.accounts import access
from padu.core.audit import audit_request
from padu.core.formatting import BULAN
from padu.danadesa import forms, selectors
from padu.danadesa.laporan import aturan
from padu.danadesa.services import DanadesaError, DanadesaForbidden
from padu.danadesa.services.pembayaran import pembayaran_catat, pembayaran_impor
from padu.danadesa.views.common import Upload, desa_or_404, writer_or_403


def _bulan(request: HttpRequest) -> int:
    text = request.POST.get("bulan") or request.GET.get("bulan") or str(timezone.localdate().month)
    return int(text) if text.isdigit() and 1 <= int(text) <= 12 else 1


@login_required
@require_http_methods(["GET", "POST"])
def pembayaran(request: HttpRequest, kode: str, tahun: int) -> HttpResponse:
    place = desa_or_404(request.user, kode)
    bulan = _bulan(request)
    kpm = selectors.final_kpm(request.user, kode, tahun)
    rule = aturan(tahun)
    if request.method == "POST":
        writer_or_403(request.user, kode)
        post = request.POST
        try:
            tanggal = forms.tanggal(post.get("tanggal", ""), "tanggal salur")
            baris = [
                {
                    "keluarga_id": r["b"].keluarga_id,
                    "tanggal": tanggal,
                    "cara": post.get(f"c{r['b'].keluarga_id}", post.get("cara", "")),
                    "jumlah": forms.rupiah(post.get(f"j{r['b'].keluarga_id}", ""), "Jumlah"),
                    "label": f"KPM {r['kepala']}",
                }
                for r in kpm
                if post.get(f"k{r['b'].keluarga_id}")
            ]
            if not baris:
                raise DanadesaError("Centang minimal satu KPM yang menerima pembayaran bulan ini.")
            n = pembayaran_catat(
                actor=request.user, kode_desa=kode, tahun=tahun, bulan=bulan, baris=baris
            )
            messages.success(request, f"Pembayaran {BULAN[bulan - 1]} tercatat untuk {n} KPM.")
            return redirect(f"{request.path}?bulan={bulan}")
        except (DanadesaError, DanadesaForbidden) as exc:
            messages.error(request, str(exc))
    paid = selectors.payments(request.user, kode, tahun, bulan)
    audit_request(
        request,
        "danadesa.lihat_pembayaran",
        region_code=kode,
        detail={"tahun": tahun, "bulan": bulan},
    )
    return render(
        request,
        "danadesa/pembayaran.html",
        {
            "desa": place,
            "tahun": tahun,
            "bulan": bulan,
            "nama_bulan": BULAN[bulan - 1],
            "months": [(i, BULAN[i - 1]) for i in range(1, (rule.bulan if rule else 12) + 1)],
            "rows": [{**r, "paid": paid.get(r["b"].keluarga_id)} for r in kpm],
            "nilai": rule.nilai_per_bulan if rule else 0,
            "today": timezone.localdate(),
            "may_write": access.can_write_region(request.user, kode),
            "total": sum(p.jumlah for p in paid.values()),
        },
    )


@login_required
@require_POST
def pembayaran_impor_view(request: HttpRequest, kode: str, tahun: int) -> HttpResponse:
    writer_or_403(request.user, kode)
    with Upload(request, "berkas") as saved:
        if saved is None:
            messages.error(request, "Pilih berkas pembayaran (XLSX atau CSV) dahulu.")
        else:
            try:
                n = pembayaran_impor(
                    actor=request.user, kode_desa=kode, tahun=tahun, path=saved[0], nama=saved[1]
                )
                messages.success(request, f"{n} pembayaran dari {saved[1]} tercatat.")
            except (DanadesaError, DanadesaForbidden) as exc:
                messages.error(request, str(exc))
    return redirect("danadesa:pembayaran", kode=kode, tahun=tahun)
