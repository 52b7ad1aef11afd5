"""Verval pages: the user's verval home, a desa's worklist and usulan, usulan detail and
resubmission, new usulan, musdes with its documents, approvals, pengesahan, periods and
progress. Every page reads through selectors and writes through services."""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
import zipfile
from pathlib import Path
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.uploadedfile import UploadedFile
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from padu.accounts import access
from padu.core.audit import audit_request
from padu.layanan.selectors import incoming
from padu.registry.models import Keluarga, NonaktifReason
from padu.verval import dokumen, selectors
from padu.verval.config import stage_roles
from padu.verval.models import Bukti, Langkah, Periode, Tahap, Usulan
from padu.verval.services import VervalError, VervalForbidden
from padu.verval.services.apply import pengesahan_record
from padu.verval.services.approval import usulan_decide
from padu.verval.services.bukti import OPEN, bukti_add
from padu.verval.services.export import periode_export
from padu.verval.services.musdes import musdes_lock, musdes_record
from padu.verval.services.periode import periode_create, periode_current, window_state
from padu.verval.services.usulan import usulan_create, usulan_resubmit
from padu.verval.services.worklist import worklist_generate
from padu.wilayah.models import Desa, Kabupaten


def _desa_or_404(user: Any, kode: str) -> Desa:
    desa = Desa.objects.select_related("kecamatan__kabupaten").filter(code=kode).first()
    if desa is None or not access.can_see_region(user, kode):
        raise Http404("Desa/kelurahan tidak ditemukan atau di luar wilayah Anda.")
    return desa


def _upload(request: HttpRequest, name: str) -> UploadedFile:
    """The one file sent as ``name`` (``KeyError`` when none was sent)."""
    upload = request.FILES[name]
    if not isinstance(upload, UploadedFile):
        raise KeyError(name)
    return upload


def _fail(request: HttpRequest, exc: Exception) -> None:
    messages.error(request, str(exc))


@login_required
def index(request: HttpRequest) -> HttpResponse:
    user = request.user
    today = timezone.localdate()
    current = [
        {"periode": p, "tahap": window_state(p, today)}
        for p in selectors.periods(user).filter(mulai__lte=today, batas_pengesahan__gte=today)
    ]
    stages = [
        (t, Tahap(t).label, selectors.waiting_for(user, t).count())
        for t in (Tahap.KECAMATAN, Tahap.DINSOS)
        if access.role_write_prefixes(user, stage_roles(t)) != []
    ]
    own_desa = [p for p in (access.region_prefixes(user) or []) if len(p) == 13]
    return render(
        request,
        "verval/index.html",
        {
            "current": current,
            "stages": stages,
            "own_desa": own_desa,
            "may_open": access.role_write_prefixes(user, stage_roles("periode")) != [],
            "warga": incoming(user)[:200],
        },
    )


@login_required
def desa(request: HttpRequest, kode: str) -> HttpResponse:
    place = _desa_or_404(request.user, kode)
    periode = periode_current(kode)
    tasks = list(selectors.tasks(request.user, kode, periode)[:300])
    proposals = selectors.usulan(request.user).filter(kode_desa=kode)
    if periode is not None:
        proposals = proposals.filter(periode=periode)
    today = timezone.localdate()
    may_act = access.can_act_as(request.user, stage_roles("desa"), kode)
    return render(
        request,
        "verval/desa.html",
        {
            "petugas": access.users_acting_in(stage_roles("desa"), kode) if may_act else [],
            "desa": place,
            "periode": periode,
            "tasks": tasks,
            "usulan": proposals[:300],
            "today": today,
            "musdes": selectors.musdes_of(request.user, kode, periode),
            "may_act": may_act,
            "tahap": window_state(periode, today) if periode else [],
            "warga": next(iter(incoming(request.user, kode)), None),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def usulan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    usulan = selectors.usulan_one(request.user, pk)
    if usulan is None:
        raise Http404("Usulan tidak ditemukan atau di luar wilayah Anda.")
    if request.method == "POST":
        try:
            if "bukti" in request.FILES:
                bukti_add(
                    actor=request.user,
                    usulan=usulan,
                    berkas=request.FILES["bukti"],
                    izin_lokasi=request.POST.get("izin_lokasi") == "1",
                )
                messages.success(request, "Bukti tersimpan.")
            else:
                usulan_resubmit(
                    actor=request.user, usulan=usulan, alasan=request.POST.get("alasan", "")
                )
                messages.success(request, "Usulan diajukan ulang.")
        except (VervalError, VervalForbidden) as exc:
            _fail(request, exc)
        return redirect("verval:usulan", pk=pk)
    steps = Langkah.objects.filter(usulan=usulan).select_related("oleh")
    may_act = access.can_act_as(request.user, stage_roles("desa"), usulan.kode_desa)
    return render(
        request,
        "verval/usulan.html",
        {
            "u": usulan,
            "steps": steps,
            "evidence": usulan.bukti.order_by("id"),
            "may_resubmit": usulan.status == Usulan.Status.DIKEMBALIKAN and may_act,
            "may_add_evidence": usulan.status in OPEN and may_act,
        },
    )


@login_required
def bukti_file(request: HttpRequest, pk: int) -> FileResponse:
    """One evidence file, for those who see its usulan's desa."""
    bukti = Bukti.objects.select_related("usulan").filter(pk=pk).first()
    if bukti is None or selectors.usulan_one(request.user, bukti.usulan_id) is None:
        raise Http404("Bukti tidak ditemukan atau di luar wilayah Anda.")
    audit_request(request, "verval.bukti_lihat", obj=bukti, region_code=bukti.usulan.kode_desa)
    response = FileResponse(bukti.berkas.open("rb"), content_type=bukti.jenis_isi)
    response["Content-Disposition"] = (
        f'inline; filename="bukti-{bukti.pk}.{str(bukti.berkas.name).rsplit(".", 1)[-1]}"'
    )
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def usulan_new(request: HttpRequest, kode: str) -> HttpResponse:
    place = _desa_or_404(request.user, kode)
    keluarga = None
    if request.GET.get("keluarga"):
        keluarga = Keluarga.objects.filter(pk=request.GET["keluarga"], kode_desa=kode).first()
    if request.method == "POST":
        post = request.POST
        jenis = post.get("jenis", "")
        data: dict[str, Any] = {}
        if jenis == Usulan.Jenis.BARU:
            data = {
                "keluarga": {
                    "alamat": post.get("alamat", ""),
                    "rt": post.get("rt", ""),
                    "rw": post.get("rw", ""),
                },
                "anggota": [
                    {
                        "nama": post.get("nama", ""),
                        "nik": post.get("nik", ""),
                        "hub_kepala_keluarga": 1,
                    }
                ],
            }
        try:
            made = usulan_create(
                actor=request.user,
                kode_desa=kode,
                jenis=jenis,
                keluarga=keluarga,
                data=data,
                alasan=post.get("alasan", ""),
                alasan_nonaktif=post.get("alasan_nonaktif") or None,
            )
            messages.success(
                request, f"Usulan #{made.pk} dicatat. Tambahkan foto atau dokumen sebagai bukti."
            )
            return redirect("verval:usulan", pk=made.pk)
        except (VervalError, VervalForbidden) as exc:
            _fail(request, exc)
    return render(
        request,
        "verval/usulan_baru.html",
        {
            "desa": place,
            "keluarga": keluarga,
            "jenis": Usulan.Jenis.choices,
            "reasons": NonaktifReason.objects.filter(active=True).order_by("order", "label"),
        },
    )


def _people(text: str) -> list[dict[str, str]]:
    """One person per line: ``Nama - Jabatan``."""
    rows = []
    for line in text.splitlines():
        nama, _, jabatan = line.partition(" - ")
        if nama.strip():
            rows.append({"nama": nama.strip(), "jabatan": jabatan.strip()})
    return rows


@login_required
@require_http_methods(["GET", "POST"])
def musdes(request: HttpRequest, kode: str) -> HttpResponse:
    place = _desa_or_404(request.user, kode)
    periode = periode_current(kode)
    current = selectors.musdes_of(request.user, kode, periode)
    waiting = Q(status=Usulan.Status.DIAJUKAN)
    if current is not None:
        waiting |= Q(keputusan_musdes__musdes=current)  # decided here, still correctable
    pending = selectors.usulan(request.user).filter(waiting, kode_desa=kode, periode=periode)
    if request.method == "POST" and "scan" in request.FILES and current is not None:
        try:
            musdes_lock(actor=request.user, musdes=current, scan=_upload(request, "scan"))
            messages.success(request, "Pindaian bertanda tangan tersimpan; keputusan terkunci.")
        except (VervalError, VervalForbidden) as exc:
            _fail(request, exc)
        return redirect("verval:musdes", kode=kode)
    if request.method == "POST":
        post = request.POST
        decisions = {
            u.pk: (post.get(f"k{u.pk}", ""), post.get(f"a{u.pk}", ""))
            for u in pending
            if post.get(f"k{u.pk}")
        }
        try:
            musdes_record(
                actor=request.user,
                kode_desa=kode,
                jenis=post.get("jenis", "musdes"),
                tanggal=dt.date.fromisoformat(post.get("tanggal") or "1900-01-01"),
                tempat=post.get("tempat", ""),
                pimpinan=post.get("pimpinan", ""),
                peserta=_people(post.get("peserta", "")),
                penandatangan=_people(post.get("penandatangan", "")),
                keputusan=decisions,
                nomor=post.get("nomor", ""),
                catatan=post.get("catatan", ""),
                alasan_tanpa_musdes=post.get("alasan_tanpa_musdes", ""),
            )
            messages.success(request, "Musyawarah dan keputusannya tercatat.")
            return redirect("verval:musdes", kode=kode)
        except (VervalError, VervalForbidden, ValueError) as exc:
            _fail(request, exc)
    return render(
        request,
        "verval/musdes.html",
        {
            "desa": place,
            "periode": periode,
            "m": current,
            "pending": pending.distinct(),
            "files": dokumen.FILES,
            "today": timezone.localdate(),
            "may_act": access.can_act_as(request.user, stage_roles("musdes"), kode),
        },
    )


@login_required
def musdes_document(request: HttpRequest, kode: str, nama: str) -> HttpResponse:
    _desa_or_404(request.user, kode)
    current = selectors.musdes_of(request.user, kode, periode_current(kode))
    if current is None or nama not in dokumen.FILES:
        raise Http404("Dokumen tidak ditemukan: catat musyawarahnya dulu.")
    content_type, build = dokumen.FILES[nama]
    audit_request(request, "verval.dokumen", obj=current, region_code=kode, detail={"nama": nama})
    response = HttpResponse(build(current), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{kode}-{nama}"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def approvals(request: HttpRequest, tahap: str) -> HttpResponse:
    if tahap not in (Tahap.KECAMATAN, Tahap.DINSOS):
        raise Http404("Tahap tidak dikenal.")
    if access.role_write_prefixes(request.user, stage_roles(tahap)) == []:
        raise Http404("Halaman ini untuk peran tahap tersebut.")
    if request.method == "POST":
        ids = [int(x) for x in request.POST.getlist("usulan") if x.isdigit()]
        try:
            n = usulan_decide(
                actor=request.user,
                usulan_ids=ids,
                tahap=tahap,
                keputusan=request.POST.get("keputusan", ""),
                catatan=request.POST.get("catatan", ""),
            )
            messages.success(request, f"{n} usulan diputuskan.")
        except (VervalError, VervalForbidden) as exc:
            _fail(request, exc)
        return redirect("verval:approvals", tahap=tahap)
    waiting = selectors.waiting_for(request.user, tahap).order_by("kode_desa", "id")[:1000]
    return render(request, "verval/persetujuan.html", {"tahap": Tahap(tahap), "rows": waiting})


@login_required
@require_http_methods(["GET", "POST"])
def pengesahan(request: HttpRequest, periode: int) -> HttpResponse:
    chosen = selectors.periods(request.user).filter(pk=periode).first()
    if chosen is None or not access.can_act_as(
        request.user, stage_roles("pengesahan"), chosen.kode_kabupaten + "."
    ):
        raise Http404("Periode tidak ditemukan atau di luar wewenang Anda.")
    if request.method == "POST":
        try:
            sk = pengesahan_record(
                actor=request.user,
                periode=chosen,
                nomor_sk=request.POST.get("nomor_sk", ""),
                tanggal_sk=dt.date.fromisoformat(request.POST.get("tanggal_sk") or "1900-01-01"),
                berkas=_upload(request, "berkas"),
            )
            messages.success(
                request, f"SK {sk.nomor_sk} tercatat; {sk.jumlah_usulan} usulan diterapkan."
            )
            return redirect("verval:pengesahan", periode=periode)
        except (VervalError, VervalForbidden, ValueError, KeyError) as exc:
            _fail(
                request, exc if not isinstance(exc, KeyError) else VervalError("Unggah berkas SK.")
            )
    verified = Usulan.objects.filter(periode=chosen, status=Usulan.Status.DIVERIFIKASI).count()
    return render(
        request,
        "verval/pengesahan.html",
        {"p": chosen, "verified": verified, "done": chosen.pengesahan.order_by("-tanggal_sk")},
    )


@login_required
def periode_export_view(request: HttpRequest, periode: int) -> FileResponse:
    """The period's applied changes for upstream: the changed families in DTKS-CSV v1 (or
    one XLSX) with usulan.csv, as one zip; for those who see the kabupaten."""
    chosen = selectors.periods(request.user).filter(pk=periode).first()
    fmt = request.GET.get("format", "csv")
    if chosen is None or fmt not in ("csv", "xlsx"):
        raise Http404("Periode tidak ditemukan atau di luar wilayah Anda.")
    folder = Path(tempfile.mkdtemp(prefix="padu-verval-"))
    try:
        try:
            paths = periode_export(actor=request.user, periode=chosen, out=folder, fmt=fmt)
        except VervalForbidden as exc:
            raise Http404(str(exc)) from exc
        name = f"verval-{chosen.kode_kabupaten}-{chosen.mulai:%Y-%m}-{fmt}.zip"
        with zipfile.ZipFile(folder / name, "w", zipfile.ZIP_DEFLATED) as archive:
            for path in paths:
                archive.write(path, path.name)
        handle = (folder / name).open("rb")  # outlives its folder (POSIX)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return FileResponse(handle, as_attachment=True, filename=name)


@login_required
@require_http_methods(["GET", "POST"])
def periods(request: HttpRequest) -> HttpResponse:
    user = request.user
    if request.method == "POST":
        try:
            if request.POST.get("aksi") == "daftar_kerja":
                p = selectors.periods(user).get(pk=int(request.POST.get("periode", "0")))
                made = worklist_generate(actor=user, periode=p)
                messages.success(request, f"{sum(made.values())} tugas baru dibuat.")
            else:
                year, month = (int(x) for x in request.POST.get("bulan", "").split("-"))
                periode_create(
                    actor=user,
                    kode_kabupaten=request.POST.get("kabupaten", ""),
                    year=year,
                    month=month,
                )
                messages.success(request, "Periode dibuka.")
        except (VervalError, VervalForbidden, ValueError, Periode.DoesNotExist) as exc:
            _fail(request, exc)
        return redirect("verval:periods")
    prefixes = access.role_write_prefixes(user, stage_roles("periode"))
    choices = Kabupaten.objects.filter(code__startswith="33.").order_by("code")
    if prefixes is not access.ALL:
        choices = choices.filter(code__in={p[:5] for p in prefixes or []})
    return render(
        request,
        "verval/periode.html",
        {"rows": selectors.periods(user)[:60], "kabupaten": choices, "today": timezone.localdate()},
    )


@login_required
def progress(request: HttpRequest) -> HttpResponse:
    """A period's progress per kecamatan or desa; per kabupaten (the running period of each)
    for users who see more than one kabupaten, or when asked with ``tingkat=kabupaten``."""
    tingkat = request.GET.get("tingkat", "")
    wide = access.region_prefixes(request.user)
    many = wide is access.ALL or len({p[:5] for p in wide or []}) > 1
    if tingkat == "kabupaten" or (many and not tingkat and not request.GET.get("periode")):
        rows = selectors.recap(request.user)
        return render(request, "verval/kemajuan_kabupaten.html", {"rows": rows})
    chosen = selectors.periods(request.user).filter(pk=request.GET.get("periode") or 0).first()
    chosen = chosen or selectors.periods(request.user).first()
    level = 13 if request.GET.get("tingkat") == "desa" else 8
    rows = selectors.progress(request.user, chosen, level) if chosen else []
    return render(request, "verval/kemajuan.html", {"p": chosen, "rows": rows, "level": level})
