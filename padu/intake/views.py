"""Intake pages: upload, review the mapping, watch progress, read the report, download the
quarantine; export of the register."""

from __future__ import annotations

import shutil
import tempfile
import uuid
import zipfile
from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from padu.engine import schema
from padu.intake import selectors, services
from padu.intake.export import export_register
from padu.intake.forms import MappingForm, UploadForm
from padu.intake.models import ImportRun
from padu.intake.reports import problem_summary, quarantine_xlsx, report_rows, report_xlsx
from padu.intake.staging import run_dir
from padu.intake.tasks import run_import

PREVIEW_ROWS = 3


def _run(request: HttpRequest, pk: int) -> ImportRun:
    try:
        return selectors.run_get(request.user, pk)
    except ImportRun.DoesNotExist as exc:
        raise Http404("Impor tidak ditemukan atau bukan milik wilayah Anda") from exc


def _check_may_change(request: HttpRequest, run: ImportRun) -> None:
    if not selectors.may_change_run(request.user, run):
        raise PermissionDenied(
            "Anda hanya boleh melihat impor ini. Mengubah pemetaan atau membatalkannya hanya "
            "boleh oleh pengimpornya atau pengguna dengan hak ubah di wilayah sumbernya."
        )


@login_required
def run_list(request: HttpRequest) -> HttpResponse:
    runs = selectors.runs_visible(request.user).order_by("-started_at")[:100]
    return render(
        request,
        "intake/list.html",
        {"runs": runs, "may_import": selectors.may_import(request.user)},
    )


@login_required
def upload(request: HttpRequest) -> HttpResponse:
    if not selectors.may_import(request.user):
        raise PermissionDenied("Peran Anda tidak boleh mengimpor data.")
    sources = selectors.sources_for(request.user)
    if request.method == "POST":
        form = UploadForm(request.POST, request.FILES, sources=sources)
        key = request.POST.get("idempotency_key", "")
        done = (
            ImportRun.objects.filter(actor_id=request.user.pk, layout__idempotency_key=key).first()
            if key
            else None
        )
        if done is not None:  # the same form sent twice (a dropped connection): no second run
            return redirect("intake:mapping", pk=done.pk)
        if form.is_valid():
            data = form.cleaned_data
            source = data["source"] or services.source_get_or_create(
                actor=request.user,
                name=data["new_source"].strip(),
                kind=data["new_kind"],
                owner_region=selectors.home_region(request.user),
            )
            with tempfile.TemporaryDirectory() as folder:
                uploaded = data["file"]
                path = Path(folder) / Path(uploaded.name).name
                with path.open("wb") as handle:
                    for part in uploaded.chunks():
                        handle.write(part)
                try:
                    run = services.import_prepare(
                        actor=request.user,
                        source=source,
                        table=data["table"],
                        upload=path,
                        file_name=uploaded.name,
                    )
                except services.IntakeError as exc:
                    form.add_error("file", str(exc))
                    return render(request, "intake/upload.html", {"form": form}, status=400)
            run.layout["idempotency_key"] = key
            run.save(update_fields=["layout"])
            return redirect("intake:mapping", pk=run.pk)
    else:
        form = UploadForm(sources=sources, initial={"idempotency_key": uuid.uuid4().hex})
    return render(request, "intake/upload.html", {"form": form})


def _preview(run: ImportRun) -> dict[str, list[str]]:
    from padu.engine.intake.reader import iter_chunks
    from padu.intake.staging import layout_of

    chunk = next(iter_chunks(layout_of(run), PREVIEW_ROWS), None)
    if chunk is None:
        return {}
    return {
        h: [v or "" for v in chunk[h].head(PREVIEW_ROWS).to_list()]
        for h in run.layout["headers"]
        if h in chunk.columns
    }


@login_required
def mapping(request: HttpRequest, pk: int) -> HttpResponse:
    run = _run(request, pk)
    if run.status != ImportRun.Status.PEMETAAN:
        return redirect("intake:run", pk=run.pk)
    headers = run.layout["headers"]
    table: schema.TableName = "art" if run.table == "art" else "keluarga"
    form = MappingForm(request.POST or None, table=table, headers=headers, initial_map=run.mapping)
    if request.method == "POST":
        _check_may_change(request, run)
    if request.method == "POST" and form.is_valid():
        try:
            services.import_set_mapping(actor=request.user, run=run, mapping=form.mapping())
        except services.IntakeError as exc:
            form.add_error(None, str(exc))
        else:
            run_import.enqueue(run.pk, request.user.pk)
            messages.info(request, "Impor dimulai. Halaman ini menampilkan kemajuannya.")
            return redirect("intake:run", pk=run.pk)
    preview = _preview(run)
    rows = [
        {
            "field": form[name],
            "sample": ", ".join(v for v in preview.get(run.mapping.get(name, ""), []) if v),
        }
        for name in form.fields
    ]
    context = {
        "run": run,
        "form": form,
        "rows": rows,
        "unmapped": [h for h in headers if h not in run.mapping.values()],
        "problems": services.mapping_problems(run),
        "may_change": selectors.may_change_run(request.user, run),
    }
    return render(request, "intake/mapping.html", context)


@login_required
def run_detail(request: HttpRequest, pk: int) -> HttpResponse:
    run = _run(request, pk)
    return render(request, "intake/run.html", _run_context(request, run))


@login_required
def run_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress fragment that the run page polls (htmx)."""
    run = _run(request, pk)
    return render(request, "intake/_progress.html", _run_context(request, run))


def _run_context(request: HttpRequest, run: ImportRun) -> dict[str, object]:
    finished = run.status in (
        ImportRun.Status.SELESAI,
        ImportRun.Status.GAGAL,
        ImportRun.Status.DIBATALKAN,
    )
    percent = (
        100
        if run.status == ImportRun.Status.SELESAI
        else (min(99, int(100 * run.rows_done / run.rows_total)) if run.rows_total else 0)
    )
    return {
        "run": run,
        "finished": finished,
        "percent": percent,
        "report": report_rows(run),
        "problems": problem_summary(run)[:20] if finished else [],
        "may_change": selectors.may_change_run(request.user, run),
        "resumable": run.status in services.RESUMABLE,
    }


@login_required
def quarantine_download(request: HttpRequest, pk: int) -> FileResponse:
    run = _run(request, pk)
    path = run_dir(run) / "karantina.xlsx"
    quarantine_xlsx(run, path)
    services.audit_download(actor=request.user, run=run, what="karantina")
    return FileResponse(
        path.open("rb"), as_attachment=True, filename=f"karantina-impor-{run.pk}.xlsx"
    )


@login_required
def report_download(request: HttpRequest, pk: int) -> FileResponse:
    run = _run(request, pk)
    path = run_dir(run) / "laporan.xlsx"
    report_xlsx(run, path)
    return FileResponse(
        path.open("rb"), as_attachment=True, filename=f"laporan-impor-{run.pk}.xlsx"
    )


@login_required
@require_POST
def rollback(request: HttpRequest, pk: int) -> HttpResponse:
    run = _run(request, pk)
    _check_may_change(request, run)
    try:
        services.import_rollback(
            actor=request.user, run=run, reason=request.POST.get("alasan") or "Dibatalkan pengguna"
        )
    except services.IntakeError as exc:
        messages.error(request, str(exc))
    return redirect("intake:run", pk=run.pk)


@login_required
@require_POST
def resume(request: HttpRequest, pk: int) -> HttpResponse:
    """Run a failed import again from its last staged chunk (in the background)."""
    run = _run(request, pk)
    _check_may_change(request, run)
    try:
        services.import_claim_resume(actor=request.user, run=run)
    except services.IntakeError as exc:
        messages.error(request, str(exc))
    else:
        run_import.enqueue(run.pk, request.user.pk)
        messages.info(request, "Impor dilanjutkan dari potongan terakhir yang tersimpan.")
    return redirect("intake:run", pk=run.pk)


@login_required
def export(request: HttpRequest) -> HttpResponse | FileResponse:
    fmt = request.GET.get("format")
    if fmt not in ("csv", "xlsx"):
        return render(request, "intake/export.html")
    folder = Path(tempfile.mkdtemp(prefix="padu-ekspor-"))
    try:
        paths = export_register(
            actor=request.user, out=folder, fmt=fmt, prefix=request.GET.get("wilayah", "")
        )
        archive_path = folder / f"register-{fmt}.zip"
        with zipfile.ZipFile(archive_path, "w", zipfile.ZIP_DEFLATED) as archive:
            for path in paths:
                archive.write(path, path.name)
        # Streamed from disk, not memory; the open file outlives its folder (POSIX).
        handle = archive_path.open("rb")
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return FileResponse(handle, as_attachment=True, filename=f"register-{fmt}.zip")
