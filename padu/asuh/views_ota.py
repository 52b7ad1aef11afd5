"""Foster parents: the public page where a resident registers (no login, limited per
address), and the staff list where candidates are verified."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from padu.accounts import access
from padu.asuh import selectors, services, sponsorship
from padu.asuh.config import choices
from padu.asuh.models import Anak, OrangTuaAsuh
from padu.layanan.views import visitor_hash, wilayah_chooser


def _number(text: str | None) -> int:
    digits = "".join(ch for ch in (text or "") if ch.isdigit())
    return int(digits) if digits else 0


@require_http_methods(["GET", "POST"])
def daftar(request: HttpRequest) -> HttpResponse:
    context = {
        **wilayah_chooser(request),
        "kebutuhan": choices("kebutuhan"),
        "jangkauan": OrangTuaAsuh.Jangkauan.choices,
    }
    if request.method == "POST":
        place = context["desa"]
        p = request.POST
        try:
            sponsorship.ota_self_register(
                nama=p.get("nama", ""), jenis=p.get("jenis", ""),
                kode_desa=place.code if place else "", kontak=p.get("kontak", ""),
                kapasitas=_number(p.get("kapasitas")) or 1, jangkauan=p.get("jangkauan", ""),
                kebutuhan=p.getlist("kebutuhan"), jumlah_per_bulan=_number(p.get("jumlah")),
                ip_hash=visitor_hash(request),
            )  # fmt: skip
        except services.AsuhError as exc:
            context.update({"error": str(exc), "isian": p})
        else:
            return render(request, "asuh/daftar_terkirim.html", context)
    return render(request, "asuh/daftar.html", context)


@login_required
def ota_list(request: HttpRequest) -> HttpResponse:
    """Foster parents of the desa the user may change, candidates first."""
    qs = access.scope_for_write(OrangTuaAsuh.objects.all(), request.user, "kode_desa")
    desa = request.GET.get("desa", "") or request.POST.get("desa", "")
    if request.method == "POST" and desa:
        head = next(
            (h for h in selectors.potential_sponsors(request.user, desa, limit=500)
             if str(h["keluarga_id"]) == request.POST.get("keluarga")),
            None,
        )  # fmt: skip
        if head is None:
            raise Http404("Keluarga tidak ditemukan di antara calon dari register.")
        ota = sponsorship.ota_create(
            actor=request.user, jenis="warga", nama=head["nama"], kode_desa=desa,
            status=OrangTuaAsuh.StatusOta.CALON,
        )  # fmt: skip
        messages.success(
            request, f"{ota.nama} dicatat sebagai calon; hubungi untuk persetujuannya."
        )
        return redirect(reverse("asuh:ota") + f"?desa={desa}")
    return render(
        request,
        "asuh/ota.html",
        {
            "ota": qs.order_by("status", "nama")[:300],
            "calon": OrangTuaAsuh.StatusOta.CALON,
            "desa": desa,
            "potensi": selectors.potential_sponsors(request.user, desa) if desa else [],
        },
    )


@login_required
@require_POST
def ota_verify(request: HttpRequest, pk: int) -> HttpResponse:
    ota = access.scope_for_write(OrangTuaAsuh.objects.all(), request.user, "kode_desa").filter(
        pk=pk
    )
    found = ota.first()
    if found is None:
        raise Http404("Orang tua asuh tidak ditemukan atau di luar wilayah Anda.")
    sponsorship.ota_verify(
        actor=request.user, ota=found, terima=request.POST.get("keputusan") == "terima"
    )
    messages.success(request, f"{found.nama}: {found.get_status_display().lower()}.")
    return redirect("asuh:ota")


@login_required
@require_POST
def pantau(request: HttpRequest, pk: int) -> HttpResponse:
    anak = Anak.objects.filter(pk=pk).first()
    if anak is None or not access.can_see_children(request.user, anak.kode_desa):
        raise Http404("Data anak tidak ditemukan atau memerlukan izin perlindungan anak.")
    try:
        day = dt.date.fromisoformat(request.POST.get("tanggal") or dt.date.today().isoformat())
        sponsorship.pemantauan_record(
            actor=request.user, anak=anak, tanggal=day,
            masih_sekolah=request.POST.get("masih_sekolah") == "ya",
            kelas=request.POST.get("kelas", ""), kondisi=request.POST.get("kondisi", ""),
        )  # fmt: skip
    except ValueError:
        messages.error(request, "Tanggal tidak valid; pilih dari kalender.")
    except services.AsuhForbidden as exc:
        raise Http404(str(exc)) from exc
    else:
        messages.success(request, "Pemantauan tercatat.")
    selectors.audit_read(request.user, anak.kode_desa, "asuh.pemantauan", 1)
    return redirect("asuh:anak", pk=anak.pk)
