"""Pages of the orphans programme: counts per region for everyone who sees the region, and
per desa the findings to confirm and the confirmed children (child-protection permission
only; every read audited)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from padu.accounts import access
from padu.asuh import selectors, services
from padu.asuh.models import Jenis, Temuan
from padu.dashboard.selectors import region_named
from padu.wilayah.models import Desa, Kabupaten, Kecamatan

LEVELS = {2: 5, 5: 8, 8: 13}


@login_required
def ringkasan(request: HttpRequest, kode: str = "33") -> HttpResponse:
    """Orphans by kind and findings waiting, per kabupaten (or kecamatan, desa)."""
    if len(kode) not in LEVELS:
        raise Http404("Pilih provinsi, kabupaten/kota atau kecamatan.")
    rows = selectors.counts(request.user, kode if kode == "33" else kode + ".", LEVELS[len(kode)])
    model: Any = {5: Kabupaten, 8: Kecamatan, 13: Desa}[LEVELS[len(kode)]]
    names = dict(
        model.objects.filter(code__in=[r["kode"] for r in rows]).values_list("code", "name")
    )
    from padu.dampingan.models import Penugasan

    assisted = set(Penugasan.objects.filter(aktif=True).values_list("kode_desa", flat=True))
    for r in rows:
        r["nama"] = names.get(r["kode"], r["kode"])
        r["dampingan"] = any(code.startswith(r["kode"]) for code in assisted)
    rows.sort(key=lambda r: (not r["dampingan"], r["kode"]))  # assisted desa first
    region = region_named(kode)
    return render(
        request,
        "asuh/ringkasan.html",
        {
            "kode": kode,
            "wilayah": getattr(region, "name", kode),
            "rows": rows,
            "jenis": Jenis.choices,
            "anak_level": len(kode) == 8,
        },
    )


@login_required
def desa(request: HttpRequest, kode: str) -> HttpResponse:
    if not access.can_see_children(request.user, kode):
        raise Http404("Data anak desa ini memerlukan izin perlindungan anak.")
    region = Desa.objects.filter(code=kode).first()
    if region is None:
        raise Http404("Kode desa tidak dikenal.")
    temuan = list(selectors.temuan_of(request.user, kode).filter(status=Temuan.Status.MENUNGGU))
    anak = list(selectors.anak_of(request.user, kode))
    selectors.audit_read(request.user, kode, "asuh.desa", len(temuan) + len(anak))
    return render(
        request,
        "asuh/desa.html",
        {
            "kode": kode,
            "desa": region,
            "temuan": temuan,
            "anak": anak,
            "boleh": access.can_write_region(request.user, kode),
        },
    )


@login_required
@require_POST
def tambah(request: HttpRequest, kode: str) -> HttpResponse:
    """Record an orphan the register lacks (and propose them to the register)."""
    import datetime as dt

    if not access.can_see_children(request.user, kode):
        raise Http404("Data anak desa ini memerlukan izin perlindungan anak.")
    p = request.POST
    try:
        born = dt.date.fromisoformat(p["tgl_lahir"]) if p.get("tgl_lahir") else None
        anak, note = services.anak_add_missing(
            actor=request.user, kode_desa=kode, nama=p.get("nama", ""), tgl_lahir=born,
            jenis_kelamin=int(p["jenis_kelamin"]) if p.get("jenis_kelamin") else None,
            jenis=p.get("jenis", ""), wali_nama=p.get("wali_nama", ""),
            wali_hubungan=p.get("wali_hubungan", ""),
        )  # fmt: skip
    except ValueError as exc:
        messages.error(request, str(exc) if isinstance(exc, services.AsuhError) else
                       "Tanggal lahir tidak valid; pilih dari kalender.")  # fmt: skip
    except services.AsuhForbidden as exc:
        raise Http404(str(exc)) from exc
    else:
        messages.success(request, f"{anak.nama} tercatat. {note}")
    return redirect("asuh:desa", kode=kode)


@login_required
@require_POST
def putuskan(request: HttpRequest, pk: int) -> HttpResponse:
    found = Temuan.objects.filter(pk=pk).first()
    if found is None or not access.can_see_children(request.user, found.kode_desa):
        raise Http404("Temuan tidak ditemukan atau di luar izin Anda.")
    try:
        services.temuan_decide(
            actor=request.user,
            temuan=found,
            terima=request.POST.get("keputusan") == "terima",
            catatan=request.POST.get("catatan", ""),
        )
    except services.AsuhForbidden as exc:
        raise Http404(str(exc)) from exc
    except services.AsuhError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"Temuan {found.get_status_display().lower()}.")
    return redirect("asuh:desa", kode=found.kode_desa)
