"""The child's page (child-protection permission): guardian, schooling, needs, support and
the guardian's consent; foster-parent suggestions and the match with its pledge;
disbursements with receipts. And the sponsor's own page: pseudonymous profiles only."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from padu.accounts import access
from padu.asuh import selectors, services, sponsorship
from padu.asuh.config import choices
from padu.asuh.models import Anak, Asuhan, OrangTuaAsuh
from padu.core.audit import audit_write


def _date(text: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text) if text else None
    except ValueError as exc:
        raise services.AsuhError(f"Tanggal '{text}' tidak valid; pilih dari kalender.") from exc


def _int(text: str | None, label: str) -> int:
    try:
        return int((text or "0").replace(".", ""))
    except ValueError as exc:
        raise services.AsuhError(f"{label} harus angka rupiah, mis. 300000.") from exc


def _post(request: HttpRequest, anak: Anak) -> str:
    p = request.POST
    action = p.get("aksi")
    if action == "ubah":
        services.anak_update(
            actor=request.user,
            anak=anak,
            changes={
                "wali_nama": p.get("wali_nama", ""),
                "wali_hubungan": p.get("wali_hubungan", ""),
                "sekolah": p.get("sekolah", ""),
                "kebutuhan": p.getlist("kebutuhan"),
                "dukungan": p.getlist("dukungan"),
                "persetujuan_wali": _date(p.get("persetujuan_wali")),
            },
        )
        return "Data anak disimpan."
    if action == "asuh":
        ota = OrangTuaAsuh.objects.filter(pk=p.get("ota") or 0).first()
        if ota is None:
            raise services.AsuhError("Pilih orang tua asuh dari saran.")
        sponsorship.asuhan_confirm(
            actor=request.user, anak=anak, ota=ota, kebutuhan=p.get("kebutuhan_asuh", ""),
            jumlah_per_bulan=_int(p.get("jumlah"), "Janji per bulan"),
            mulai=_date(p.get("mulai")) or dt.date.today(), selesai=_date(p.get("selesai")),
        )  # fmt: skip
        return f"{ota.nama} menjadi orang tua asuh {anak.nama}."
    asuhan = anak.asuhan.filter(pk=p.get("asuhan") or 0).first()
    if asuhan is None:
        raise services.AsuhError("Asuhan tidak ditemukan.")
    if action == "salur":
        sponsorship.penyaluran_record(
            actor=request.user, asuhan=asuhan, tanggal=_date(p.get("tanggal")) or dt.date.today(),
            jumlah=_int(p.get("jumlah"), "Jumlah"), bukti=request.FILES.get("bukti"),
            rekening=p.get("rekening", ""),
        )  # fmt: skip
        return "Penyaluran tercatat."
    if action == "akhiri":
        sponsorship.asuhan_end(
            actor=request.user, asuhan=asuhan, alasan=p.get("alasan", ""),
            tanggal=_date(p.get("tanggal")) or dt.date.today(),
        )  # fmt: skip
        return "Asuhan diakhiri."
    raise services.AsuhError("Tindakan tidak dikenal.")


@login_required
def anak_detail(request: HttpRequest, pk: int) -> HttpResponse:
    anak = Anak.objects.filter(pk=pk).first()
    if anak is None or not access.can_see_children(request.user, anak.kode_desa):
        raise Http404("Data anak tidak ditemukan atau memerlukan izin perlindungan anak.")
    if request.method == "POST":
        try:
            messages.success(request, _post(request, anak))
        except services.AsuhForbidden as exc:
            raise Http404(str(exc)) from exc
        except services.AsuhError as exc:
            messages.error(request, str(exc))
        return redirect("asuh:anak", pk=anak.pk)
    selectors.audit_read(request.user, anak.kode_desa, "asuh.anak", 1)
    asuhan = list(anak.asuhan.select_related("ota").prefetch_related("penyaluran"))
    return render(
        request,
        "asuh/anak.html",
        {
            "anak": anak,
            "boleh": access.can_write_region(request.user, anak.kode_desa),
            "sekolah": Anak.Sekolah.choices,
            "kebutuhan": choices("kebutuhan"),
            "dukungan": choices("dukungan"),
            "saran": sponsorship.suggestions(anak)[:10] if anak.persetujuan_wali else [],
            "asuhan": asuhan,
            "aktif": Asuhan.StatusAsuhan.AKTIF,
        },
    )


def pseudonym(anak: Anak, today: dt.date) -> dict[str, Any]:
    """What a sponsor may know of a child: first name, age, school level, needs."""
    age = None
    if anak.tgl_lahir:
        age = (
            today.year
            - anak.tgl_lahir.year
            - ((today.month, today.day) < (anak.tgl_lahir.month, anak.tgl_lahir.day))
        )
    needs = choices("kebutuhan")
    return {
        "nama_depan": (anak.nama.split() or ["-"])[0],
        "umur": age,
        "sekolah": anak.get_sekolah_display() if anak.sekolah else "-",
        "kebutuhan": [needs.get(k, k) for k in anak.kebutuhan],
    }


@login_required
def saya(request: HttpRequest) -> HttpResponse:
    """A foster parent's own page: the children it sponsors, pseudonymous, and what was
    paid. Never NIK, address or photo."""
    ota = OrangTuaAsuh.objects.filter(user_id=int(request.user.pk or 0)).first()
    if ota is None:
        raise Http404("Akun ini bukan akun orang tua asuh.")
    today = dt.date.today()
    rows = []
    for a in ota.asuhan.select_related("anak").prefetch_related("penyaluran").order_by("pk"):
        if a.anak.persetujuan_wali is None:  # consent withdrawn or never given
            continue
        rows.append(
            {
                "profil": pseudonym(a.anak, today),
                "asuhan": a,
                "dibayar": sum(p.jumlah for p in a.penyaluran.all()),
            }
        )
    audit_write(
        actor=request.user, action="asuh.lihat", object_type="asuh.saya",
        region_code=ota.kode_desa, detail={"baris": len(rows)},
    )  # fmt: skip
    return render(request, "asuh/saya.html", {"ota": ota, "rows": rows})
