"""The desa pages: pagu, candidate list (every version), musdesus and its documents."""

from __future__ import annotations

import datetime as dt
import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from padu.accounts import access
from padu.core.audit import audit_request
from padu.danadesa import dokumen, forms, selectors
from padu.danadesa.laporan import aturan
from padu.danadesa.models import Baris
from padu.danadesa.services import DanadesaError, DanadesaForbidden
from padu.danadesa.services.daftar import daftar_hitung
from padu.danadesa.services.musdesus import musdesus_catat
from padu.danadesa.services.pagu import pagu_simpan, perangkat_catat
from padu.danadesa.views.common import desa_or_404, writer_or_403


def _versi(request: HttpRequest) -> int | None:
    text = request.GET.get("versi", "")
    return int(text) if text.isdigit() else None


@login_required
def desa(request: HttpRequest, kode: str, tahun: int) -> HttpResponse:
    place = desa_or_404(request.user, kode)
    shown = selectors.version(request.user, kode, tahun, _versi(request))
    rows = selectors.rows(shown) if shown else []
    audit_request(
        request,
        "danadesa.lihat_daftar",
        region_code=kode,
        detail={"tahun": tahun, "versi": shown.versi if shown else None},
    )
    return render(
        request,
        "danadesa/desa.html",
        {
            "desa": place,
            "tahun": tahun,
            "aturan": aturan(tahun),
            "pagu": selectors.pagu_of(request.user, kode, tahun),
            "versions": list(selectors.versions(request.user, kode, tahun)),
            "shown": shown,
            "rows": rows,
            "kpm": sum(1 for r in rows if r["b"].status == Baris.Status.KPM),
            "musdesus": list(selectors.musdesus_of(request.user, kode, tahun).order_by("-id")),
            "may_write": access.can_write_region(request.user, kode),
            "years": [tahun - 1, tahun + 1],
            "kunci": uuid.uuid4().hex,
        },
    )


@login_required
@require_POST
def pagu(request: HttpRequest, kode: str, tahun: int) -> HttpResponse:
    writer_or_403(request.user, kode)
    try:
        pagu_simpan(
            actor=request.user,
            kode_desa=kode,
            tahun=tahun,
            pagu=forms.rupiah(request.POST.get("pagu", ""), "Pagu Dana Desa"),
            persen_blt=forms.persen(request.POST.get("persen_blt", "")),
        )
        messages.success(request, "Pagu Dana Desa tersimpan.")
    except (DanadesaError, DanadesaForbidden) as exc:
        messages.error(request, str(exc))
    return redirect("danadesa:desa", kode=kode, tahun=tahun)


@login_required
@require_POST
def hitung(request: HttpRequest, kode: str, tahun: int) -> HttpResponse:
    writer_or_403(request.user, kode)
    try:
        d = daftar_hitung(
            actor=request.user, kode_desa=kode, tahun=tahun, kunci=request.POST.get("kunci", "")
        )
        messages.success(
            request, f"Daftar calon versi {d.versi} dihitung: kuota {d.kuota} keluarga."
        )
    except (DanadesaError, DanadesaForbidden) as exc:
        messages.error(request, str(exc))
    return redirect("danadesa:desa", kode=kode, tahun=tahun)


@login_required
@require_POST
def perangkat(request: HttpRequest, kode: str, tahun: int) -> HttpResponse:
    writer_or_403(request.user, kode)
    text = request.POST.get("keluarga", "").strip()
    keluarga = (
        selectors.families_of_desa(request.user, kode)
        .filter(pk=int(text) if text.isdigit() else 0)
        .first()
    )
    try:
        if keluarga is None:
            raise DanadesaError("Keluarga tidak ditemukan di desa ini; isi ID keluarga register.")
        perangkat_catat(
            actor=request.user, keluarga=keluarga, jabatan=request.POST.get("jabatan", "")
        )
        messages.success(request, "Keluarga perangkat desa tercatat; hitung ulang daftar calon.")
    except (DanadesaError, DanadesaForbidden) as exc:
        messages.error(request, str(exc))
    return redirect("danadesa:desa", kode=kode, tahun=tahun)


def _changes(request: HttpRequest, prefix: str) -> dict[int, str]:
    out: dict[int, str] = {}
    for key in request.POST:
        value = request.POST.get(key, "")
        if key.startswith(prefix) and key[len(prefix) :].isdigit() and value.strip():
            out[int(key[len(prefix) :])] = value
    return out


def _tambah(request: HttpRequest) -> dict[int, str]:
    """Families added by register id from the free field ``tambah_id`` + ``tambah_alasan``,
    and over-the-cap families ticked with a reason (``t<id>``)."""
    out = _changes(request, "t")
    text = request.POST.get("tambah_id", "").strip()
    if text:
        if not text.isdigit():
            raise DanadesaError(
                "ID keluarga yang ditambahkan harus angka (lihat halaman keluarga)."
            )
        out[int(text)] = request.POST.get("tambah_alasan", "")
    return out


@login_required
@require_http_methods(["GET", "POST"])
def musdesus(request: HttpRequest, kode: str, tahun: int) -> HttpResponse:
    place = desa_or_404(request.user, kode)
    base = selectors.version(request.user, kode, tahun, None)
    if request.method == "POST":
        writer_or_403(request.user, kode)
        post = request.POST
        try:
            m = musdesus_catat(
                actor=request.user,
                kode_desa=kode,
                tahun=tahun,
                tanggal=forms.tanggal(post.get("tanggal", ""), "tanggal musdesus")
                or timezone.localdate(),
                tempat=post.get("tempat", ""),
                pimpinan=post.get("pimpinan", ""),
                peserta=forms.people(post.get("peserta", "")),
                penandatangan=forms.people(post.get("penandatangan", "")),
                nomor_perkades=post.get("nomor_perkades", ""),
                tanggal_perkades=forms.tanggal(
                    post.get("tanggal_perkades", ""), "tanggal Perkades", wajib=False
                ),
                nomor=post.get("nomor", ""),
                catatan=post.get("catatan", ""),
                hapus=_changes(request, "h"),
                tambah=_tambah(request),
                kunci=post.get("kunci", ""),
            )
            messages.success(request, f"Musdesus tercatat: daftar KPM versi {m.hasil.versi}.")
            return redirect("danadesa:desa", kode=kode, tahun=tahun)
        except (DanadesaError, DanadesaForbidden) as exc:
            messages.error(request, str(exc))
            if base is None:
                return redirect("danadesa:desa", kode=kode, tahun=tahun)
    audit_request(request, "danadesa.lihat_musdesus", region_code=kode, detail={"tahun": tahun})
    return render(
        request,
        "danadesa/musdesus.html",
        {
            "desa": place,
            "tahun": tahun,
            "base": base,
            "rows": selectors.rows(base) if base else [],
            "may_write": access.can_write_region(request.user, kode),
            "today": timezone.localdate(),
            "post": request.POST,
            "kunci": request.POST.get("kunci") or uuid.uuid4().hex,
        },
    )


@login_required
def dokumen_view(request: HttpRequest, kode: str, tahun: int, nama: str) -> HttpResponse:
    desa_or_404(request.user, kode)
    if nama not in dokumen.FILES:
        raise Http404("Dokumen tidak dikenal.")
    pk = request.GET.get("musdesus", "")
    m = selectors.musdesus_one(request.user, kode, tahun, int(pk) if pk.isdigit() else None)
    if m is None:
        raise Http404("Belum ada musdesus BLT-DD untuk desa dan tahun ini.")
    content_type, build = dokumen.FILES[nama]
    audit_request(request, "danadesa.dokumen", m, region_code=kode, detail={"nama": nama})
    response = HttpResponse(build(m), content_type=content_type)
    stamp = dt.date.today().strftime("%Y%m%d")
    response["Content-Disposition"] = f'attachment; filename="blt-dd-{kode}-{tahun}-{stamp}-{nama}"'
    return response
