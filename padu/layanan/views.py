"""Public pages of the citizen service (no login): landing, cek status, usul, sanggah and
tracking. Plain forms, no JavaScript, small enough for a cheap phone on a poor network."""

from __future__ import annotations

import re
import secrets
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from padu.core.audit import client_ip
from padu.layanan import cek as cek_service
from padu.layanan import limits
from padu.layanan.config import sanggah_reasons, settings
from padu.layanan.models import Laporan
from padu.layanan.selectors import normal_code, tracking
from padu.layanan.services import LayananError, LayananLimit, audit_public, laporan_create
from padu.wilayah.models import Desa, Kabupaten, Kecamatan

NOT_FOUND = (
    "Data tidak ditemukan untuk NIK dan nama yang diisi. Periksa kembali keduanya (nama "
    "ditulis seperti pada Kartu Keluarga). Bila keluarga Anda belum terdaftar, Anda dapat "
    "mengajukan usul."
)


def _ip_hash(request: HttpRequest) -> str:
    return limits.secret_hash("ip", client_ip(request) or "-")


def landing(request: HttpRequest) -> HttpResponse:
    return render(request, "layanan/landing.html")


def _refused(request: HttpRequest, message: str, template: str, extra: dict[str, Any]) -> Any:
    return render(request, template, {"error": message, **extra}, status=429)


@sensitive_post_parameters("nik", "fakta")
@require_http_methods(["GET", "POST"])
def cek(request: HttpRequest) -> HttpResponse:
    """NIK plus a second fact; a wrong fact answers as an unknown NIK does."""
    context: dict[str, Any] = {"fakta_pilihan": cek_service.FAKTA.items()}
    if request.method != "POST":
        return render(request, "layanan/cek.html", context)
    nik = re.sub(r"\D", "", request.POST.get("nik", ""))
    jenis = request.POST.get("fakta_jenis", "")
    fakta = request.POST.get("fakta", "")
    if len(nik) != 16 or jenis not in cek_service.FAKTA or not cek_service.normal(fakta):
        context["error"] = "Isi NIK (16 angka), pilih jenis nama, lalu isi nama tersebut."
        return render(request, "layanan/cek.html", context)
    conf = settings()["cek_status"]
    now = timezone.now()
    ip_hash, nik_hash = _ip_hash(request), limits.secret_hash("nik", nik)
    locked = limits.locked_until(f"gagal:ip:{ip_hash}", now) or limits.locked_until(
        f"gagal:nik:{nik_hash}", now
    )
    allowed = locked is None and (
        limits.allow(f"cek:ip:{ip_hash}", conf["per_ip"], now)
        and limits.allow(f"cek:nik:{nik_hash}", conf["per_nik"], now)
    )
    if not allowed:
        audit_public("layanan.cek_status", ip_hash=ip_hash, object_type="layanan.nik",
                     object_id=nik_hash, detail={"hasil": "dibatasi"})  # fmt: skip
        when = timezone.localtime(locked).strftime("%H.%M") if locked else ""
        message = "Terlalu banyak percobaan dari perangkat ini atau untuk NIK ini. " + (
            f"Silakan coba lagi setelah pukul {when} WIB." if when else "Silakan coba lagi nanti."
        )
        return _refused(request, message, "layanan/cek.html", context)
    answer = cek_service.lookup(nik, jenis, fakta)
    if answer is None:
        limits.fail(f"gagal:ip:{ip_hash}", conf["gagal"], now)
        limits.fail(f"gagal:nik:{nik_hash}", conf["gagal"], now)
    audit_public("layanan.cek_status", ip_hash=ip_hash, object_type="layanan.nik",
                 object_id=nik_hash, detail={"hasil": "cocok" if answer else "tidak"})  # fmt: skip
    context.update({"answer": answer, "not_found": NOT_FOUND if answer is None else ""})
    return render(request, "layanan/cek.html", context)


def _wilayah(request: HttpRequest) -> dict[str, Any]:
    """The three-step region chooser (kabupaten, kecamatan, desa) by plain GET forms."""
    kab = request.GET.get("kab", "")
    kec = request.GET.get("kec", "")
    desa = request.POST.get("desa") or request.GET.get("desa", "")
    chosen = Desa.objects.select_related("kecamatan__kabupaten").filter(code=desa).first()
    if chosen is not None:
        kec, kab = chosen.kecamatan.code, chosen.kecamatan.kabupaten.code
    if kec and not kec.startswith(kab + "."):
        kec = ""
    return {
        "kabupaten": Kabupaten.objects.filter(active=True).order_by("name"),
        "kecamatan": Kecamatan.objects.filter(kabupaten_id=kab, active=True).order_by("name")
        if kab else [],
        "desa_list": Desa.objects.filter(kecamatan_id=kec, active=True).order_by("name")
        if kec else [],
        "kab": kab, "kec": kec, "desa": chosen,
    }  # fmt: skip


def _report(request: HttpRequest, jenis: str) -> HttpResponse:
    template = f"layanan/{jenis}.html"
    context = {**_wilayah(request), "alasan_pilihan": sanggah_reasons().items()}
    if request.method == "POST":
        place = context["desa"]
        try:
            laporan = laporan_create(
                jenis=jenis, kode_desa=place.code if place else "", data=request.POST.dict(),
                ip_hash=_ip_hash(request), idem=request.POST.get("idem", ""),
            )  # fmt: skip
        except LayananLimit as exc:
            return _refused(request, str(exc), template, {**context, "isian": request.POST})
        except LayananError as exc:
            context.update({"error": str(exc), "isian": request.POST})
        else:
            return redirect(reverse("layanan:lacak") + f"?kode={laporan.kode_lacak}&baru=1")
    context["idem"] = secrets.token_urlsafe(24)
    return render(request, template, context)


@require_http_methods(["GET", "POST"])
def usul(request: HttpRequest) -> HttpResponse:
    return _report(request, Laporan.Jenis.USUL)


@sensitive_post_parameters("nik")
@require_http_methods(["GET", "POST"])
def sanggah(request: HttpRequest) -> HttpResponse:
    return _report(request, Laporan.Jenis.SANGGAH)


def lacak(request: HttpRequest) -> HttpResponse:
    code = normal_code(request.GET.get("kode", ""))
    context: dict[str, Any] = {"kode": code, "baru": request.GET.get("baru") == "1"}
    if code:
        ip_hash = _ip_hash(request)
        if not limits.allow(f"lacak:ip:{ip_hash}", settings()["lacak"]["per_ip"], timezone.now()):
            return _refused(request, "Terlalu banyak pencarian dari perangkat ini. Silakan coba "
                            "lagi nanti.", "layanan/lacak.html", context)  # fmt: skip
        context["hasil"] = tracking(code)
        context["tidak_ada"] = context["hasil"] is None
    return render(request, "layanan/lacak.html", context)


# The region chooser and the visitor's address hash, for other public pages (asuh).
wilayah_chooser = _wilayah
visitor_hash = _ip_hash
