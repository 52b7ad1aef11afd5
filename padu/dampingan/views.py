"""Pages of Satu OPD Satu Desa Dampingan: the TKPK progress page, partners and their teams and
assignments, the profile of an assisted desa (indicators against the baseline, trend,
interventions, the intervention form), and the monthly report (PDF, DOCX, XLSX, submit)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from padu.accounts import access
from padu.dampingan import indicators, selectors, services
from padu.dampingan import report as laporan_doc
from padu.dampingan.config import jenis_mitra
from padu.dampingan.forms import AnggotaForm, IntervensiForm, MitraForm, PenugasanForm
from padu.dampingan.indicators import DEPRIVATION, INDIKATOR, share_desil14
from padu.dampingan.models import Intervensi, Mitra, Penugasan
from padu.dashboard import charts
from padu.engine.dates import first_of_month
from padu.registry.models import Keluarga
from padu.wilayah.models import Desa, Kabupaten

PER_PAGE = 50  # rows of the progress table per page (a cheap phone loads ~15 KB)
DOWNLOADS = {
    "pdf": ("application/pdf", laporan_doc.report_pdf),
    "docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        laporan_doc.report_docx,
    ),
    "xlsx": (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        laporan_doc.report_xlsx,
    ),
}


def _errors(form: Any) -> str:
    """A form's errors as one Indonesian sentence per field."""
    return "; ".join(
        f"{form.fields[k].label if k in form.fields else k}: {' '.join(str(e) for e in v)}"
        for k, v in form.errors.items()
    )


def _programmes(user: Any) -> list[tuple[str, str]]:
    managed = access.dampingan_programmes(user)
    kabupaten = Kabupaten.objects.order_by("code")
    if managed is access.ALL:
        return [("33", "Provinsi Jawa Tengah"), *((k.code, k.name) for k in kabupaten)]
    return [(k.code, k.name) for k in kabupaten.filter(code__in=managed)]


@login_required
def beranda(request: HttpRequest) -> HttpResponse:
    """TKPK: assisted desa ranked by progress, and who has not reported last month. A team
    member: the desa of its team."""
    kab = request.GET.get("kab", "")
    rows = selectors.progress(request.user, kabupaten=kab)
    last_month = first_of_month(timezone.localdate()) - dt.timedelta(days=1)
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("hal"))
    missing = [r for r in rows if r.laporan is None]
    codes = selectors.penugasan_visible(request.user).filter(aktif=True)
    in_rows = sorted({c[:5] for c in codes.values_list("kode_desa", flat=True)})
    return render(
        request,
        "dampingan/beranda.html",
        {
            "rows": page,
            "mulai": page.start_index(),
            "kab": kab,
            "kabupaten": Kabupaten.objects.filter(code__in=in_rows).order_by("code"),
            "bulan_laporan": last_month.replace(day=1),
            "belum": missing[:PER_PAGE],
            "belum_n": len(missing),
            "terlambat_n": sum(1 for r in missing if r.terlambat),
            "mengelola": access.manages_dampingan_somewhere(request.user),
        },
    )


@login_required
def mitra_list(request: HttpRequest) -> HttpResponse:
    programmes = _programmes(request.user)
    form = MitraForm(request.POST or None, programmes=programmes)
    if request.method == "POST":
        if not programmes:
            raise Http404("Anda tidak mengelola program dampingan.")
        if form.is_valid():
            try:
                mitra = services.mitra_create(actor=request.user, **form.cleaned_data)
            except services.DampinganForbidden as exc:
                messages.error(request, str(exc))
            except services.DampinganError as exc:
                messages.error(request, str(exc))
            else:
                messages.success(request, f"Mitra {mitra.nama} tercatat.")
                return redirect("dampingan:mitra_detail", pk=mitra.pk)
    return render(
        request,
        "dampingan/mitra_list.html",
        {
            "mitra": selectors.mitra_visible(request.user).order_by("nama"),
            "form": form if programmes else None,
            "jenis": jenis_mitra(),
        },
    )


def _mitra_or_404(request: HttpRequest, pk: int) -> Mitra:
    mitra = selectors.mitra_visible(request.user).filter(pk=pk).first()
    if mitra is None:
        raise Http404("Mitra tidak ditemukan atau bukan program Anda.")
    return mitra


def _mitra_post(request: HttpRequest, mitra: Mitra) -> str | None:
    """One action of the partner page; returns the success message."""
    action = request.POST.get("aksi")
    if action == "anggota":
        form = AnggotaForm(request.POST)
        if not form.is_valid():
            raise services.DampinganError("Isi nama pengguna anggota tim.")
        user = (
            get_user_model()
            .objects.filter(username=form.cleaned_data["username"], is_active=True)
            .first()
        )
        if user is None:
            raise services.DampinganError(
                f"Pengguna '{form.cleaned_data['username']}' tidak ada atau tidak aktif; "
                "admin provinsi membuatnya lebih dulu."
            )
        services.anggota_add(
            actor=request.user, mitra=mitra, user=user, jabatan=form.cleaned_data["jabatan"]
        )
        return f"{user.get_full_name() or user.username} masuk tim {mitra.nama}."
    if action == "hapus-anggota":
        member = mitra.anggota.filter(pk=request.POST.get("anggota") or 0).first()
        if member is None:
            raise services.DampinganError("Anggota tim tidak ditemukan.")
        services.anggota_remove(actor=request.user, member=member)
        return "Anggota dikeluarkan dari tim."
    if action == "tugaskan":
        assign = PenugasanForm(request.POST)
        if not assign.is_valid():
            raise services.DampinganError(_errors(assign))
        p = services.penugasan_create(actor=request.user, mitra=mitra, **assign.cleaned_data)
        return f"{mitra.nama} ditugaskan di desa {p.kode_desa} ({p.tahun}); zona {p.zona}."
    if action == "akhiri":
        ended = mitra.penugasan.filter(pk=request.POST.get("penugasan") or 0).first()
        if ended is None:
            raise services.DampinganError("Penugasan tidak ditemukan.")
        services.penugasan_end(actor=request.user, penugasan=ended)
        return f"Penugasan di desa {ended.kode_desa} diakhiri; tim tidak lagi melihat desa itu."
    raise services.DampinganError("Tindakan tidak dikenal.")


@login_required
def mitra_detail(request: HttpRequest, pk: int) -> HttpResponse:
    mitra = _mitra_or_404(request, pk)
    manages = access.can_manage_dampingan(request.user, mitra.wilayah)
    if request.method == "POST":
        if not manages:
            raise Http404("Anda tidak mengelola program mitra ini.")
        try:
            done = _mitra_post(request, mitra)
        except (services.DampinganError, services.DampinganForbidden) as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, done or "")
        return redirect("dampingan:mitra_detail", pk=mitra.pk)
    assignments = list(mitra.penugasan.order_by("-tahun", "kode_desa"))
    names = dict(
        Desa.objects.filter(code__in=[p.kode_desa for p in assignments]).values_list("code", "name")
    )
    return render(
        request,
        "dampingan/mitra_detail.html",
        {
            "mitra": mitra,
            "jenis": jenis_mitra().get(mitra.jenis, mitra.jenis),
            "anggota": mitra.anggota.select_related("user").order_by("user__username"),
            "penugasan": [(p, names.get(p.kode_desa, p.kode_desa)) for p in assignments],
            "mengelola": manages,
            "form_tugas": PenugasanForm(),
            "form_anggota": AnggotaForm(),
        },
    )


def _families(user: Any, kode: str) -> list[tuple[int, str]]:
    from padu.registry.models import Person

    families = list(selectors.families_for_form(user, kode)[:500])
    heads = dict(
        Person.objects.filter(keluarga__in=families, hub_kepala_keluarga=1).values_list(
            "keluarga_id", "nama"
        )
    )
    return [(k.pk, f"{heads.get(k.pk, '-')} · {k.alamat or '-'}") for k in families]


@login_required
def desa(request: HttpRequest, kode: str) -> HttpResponse:
    """Profile of an assisted desa: zone, indicators now against the baseline, trend,
    interventions; the team records interventions here."""
    if not access.can_see_region(request.user, kode):
        raise Http404("Desa ini di luar wilayah Anda.")
    region = Desa.objects.filter(code=kode).first()
    if region is None:
        raise Http404("Kode desa tidak dikenal.")
    assignments = list(selectors.penugasan_visible(request.user).filter(kode_desa=kode))
    mine = [
        p
        for p in assignments
        if p.aktif and access.can_work_in_dampingan(request.user, p.mitra_id, kode)
    ]
    families = _families(request.user, kode) if mine else []
    form = IntervensiForm(
        request.POST or None, request.FILES or None, families=families, prefix="iv"
    )
    if request.method == "POST":
        return _desa_post(request, kode, mine, form)
    history = selectors.series(kode)
    this_month = first_of_month(timezone.localdate())
    now = history[-1].nilai if history else None
    live = not history or history[-1].bulan < this_month
    if live:  # not measured this month yet: one desa is measured on the spot
        now = indicators.measure(this_month, [kode]).get(kode)
    base = assignments[0].baseline if assignments else None
    table = [
        (
            INDIKATOR[k].label,
            (base or {}).get(k),
            (now or {}).get(k),
            None if not base or not now else now.get(k, 0) - base.get(k, 0),
        )
        for k in ("keluarga", "orang", *DEPRIVATION, "lansia_sendiri", "disabilitas", "kunjungan")
    ]
    trend = charts.trend([(h.bulan, share_desil14(h.nilai)) for h in history])
    items = list(selectors.intervensi_of(request.user, kode)[:200])
    return render(
        request,
        "dampingan/desa.html",
        {
            "kode": kode,
            "desa": region,
            "penugasan": assignments,
            "tim": mine,
            "tabel": table,
            "baseline_bulan": assignments[0].baseline_bulan if assignments else None,
            "diukur": None if live else history[-1],
            "tren": trend,
            "share_awal": share_desil14(base) if base else None,
            "share_kini": share_desil14(now) if now else None,
            "intervensi": items,
            "form": form if mine else None,
            "keluarga": families,
            "bulan_ini": first_of_month(timezone.localdate()),
        },
    )


def _desa_post(
    request: HttpRequest, kode: str, mine: list[Penugasan], form: IntervensiForm
) -> HttpResponse:
    back = redirect("dampingan:desa", kode=kode)
    if not mine:
        raise Http404("Anda bukan anggota tim yang mendampingi desa ini.")
    if request.POST.get("aksi") == "ukur":
        services.indikator_refresh(actor=request.user, desa=[kode])
        messages.success(request, "Indikator desa diukur ulang dari register.")
        return back
    penugasan = next((p for p in mine if str(p.pk) == request.POST.get("penugasan")), mine[0])
    if not form.is_valid():
        messages.error(
            request,
            "Intervensi belum tercatat: " + _errors(form),
        )
        return back
    data = form.cleaned_data
    keluarga = Keluarga.objects.filter(pk=data["keluarga"]).first() if data["keluarga"] else None
    try:
        item = services.intervensi_record(
            actor=request.user,
            penugasan=penugasan,
            jenis=data["jenis"],
            sumber_dana=data["sumber_dana"],
            jumlah=data["jumlah"],
            mulai=data["mulai"],
            status=data["status"],
            keluarga=keluarga,
            uraian=data["uraian"],
            bukti=data["bukti"],
        )
    except (services.DampinganError, services.DampinganForbidden) as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request, f"Intervensi {item.jenis} tercatat ({item.get_status_display()})."
        )
    return back


@login_required
@require_POST
def intervensi_status(request: HttpRequest, pk: int) -> HttpResponse:
    item = Intervensi.objects.filter(pk=pk).select_related("penugasan").first()
    if item is None or not access.can_see_region(request.user, item.kode_desa):
        raise Http404("Intervensi tidak ditemukan atau di luar wilayah Anda.")
    try:
        notes = services.intervensi_set_status(
            actor=request.user,
            intervensi=item,
            status=request.POST.get("status", ""),
            bukti=request.FILES.get("bukti"),
        )
    except services.DampinganForbidden as exc:
        raise Http404(str(exc)) from exc
    except services.DampinganError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request, " ".join([f"Status intervensi: {item.get_status_display()}.", *notes])
        )
    return redirect(reverse("dampingan:desa", args=[item.kode_desa]) + f"#i{item.pk}")


def _month(text: str | None) -> dt.date:
    if not text:
        return first_of_month(timezone.localdate())
    try:
        return dt.date.fromisoformat(text + "-01")
    except ValueError as exc:
        raise Http404("Bulan ditulis TTTT-BB, mis. 2026-12.") from exc


@login_required
def laporan(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: the monthly report of an assignment as PDF (default), DOCX or XLSX.
    POST: submit it to TKPK."""
    penugasan = selectors.penugasan_visible(request.user).filter(pk=pk).first()
    if penugasan is None:
        raise Http404("Penugasan tidak ditemukan atau di luar wilayah Anda.")
    month = _month(request.POST.get("bulan") or request.GET.get("bulan"))
    if request.method == "POST":
        try:
            sent = services.laporan_submit(
                actor=request.user,
                penugasan=penugasan,
                month=month,
                catatan=request.POST.get("catatan", ""),
            )
        except services.DampinganForbidden as exc:
            raise Http404(str(exc)) from exc
        except services.DampinganError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(
                request, f"Laporan {laporan_doc.month_name(sent.bulan)} terkirim ke TKPK."
            )
        return redirect("dampingan:desa", kode=penugasan.kode_desa)
    kind = request.GET.get("format", "pdf")
    if kind not in DOWNLOADS:
        raise Http404("Format laporan: pdf, docx atau xlsx.")
    content_type, render_fn = DOWNLOADS[kind]
    body = render_fn(laporan_doc.build(penugasan, month))
    response = HttpResponse(body, content_type=content_type)
    name = f"laporan-dampingan-{penugasan.kode_desa}-{month:%Y-%m}.{kind}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
