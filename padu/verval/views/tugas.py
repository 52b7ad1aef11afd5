"""Worklist tasks from the desa page: giving a task to someone (and its due date), and
resolving a resident's usul/sanggah task."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from padu.accounts import access
from padu.verval.models import Tugas
from padu.verval.services import VervalError, VervalForbidden
from padu.verval.services.tugas import tugas_resolve
from padu.verval.services.worklist import tugas_assign


def _task_or_404(request: HttpRequest, pk: int) -> Tugas:
    found = access.scope_by_region(Tugas.objects.all(), request.user, "kode_desa").filter(pk=pk)
    task = found.first()
    if task is None:
        raise Http404("Tugas tidak ditemukan atau di luar wilayah Anda.")
    return task


def _back(task: Tugas) -> HttpResponse:
    return redirect(reverse("verval:desa", args=[task.kode_desa]) + f"#t{task.pk}")


@login_required
@require_POST
def assign(request: HttpRequest, pk: int) -> HttpResponse:
    """Give the task to a worker of its desa and, optionally, move its due date."""
    task = _task_or_404(request, pk)
    worker = get_user_model().objects.filter(pk=request.POST.get("penanggung") or 0).first()
    batas = None
    try:
        if request.POST.get("batas"):
            batas = dt.date.fromisoformat(request.POST["batas"])
    except ValueError:
        messages.error(request, "Tanggal batas tidak valid; pilih tanggal dari kalender.")
        return _back(task)
    if worker is None:
        messages.error(request, "Pilih petugas yang akan mengerjakan tugas ini.")
        return _back(task)
    try:
        tugas_assign(actor=request.user, tugas=task, penanggung=worker, batas=batas)
        messages.success(request, f"Tugas diberikan kepada {worker.get_username()}.")
    except (VervalError, VervalForbidden) as exc:
        messages.error(request, str(exc))
    return _back(task)


@login_required
@require_POST
def resolve(request: HttpRequest, pk: int) -> HttpResponse:
    """Record the outcome of a resident's usul/sanggah and the note shown on its tracking page."""
    task = _task_or_404(request, pk)
    try:
        tugas_resolve(
            actor=request.user, tugas=task, keputusan=request.POST.get("keputusan", ""),
            catatan=request.POST.get("catatan", ""),
        )  # fmt: skip
        messages.success(request, "Keputusan tersimpan; warga dapat melihatnya di halaman lacak.")
    except (VervalError, VervalForbidden) as exc:
        messages.error(request, str(exc))
    return _back(task)
