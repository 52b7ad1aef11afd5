"""Every write of intake: sources, import runs (prepare, map, execute, roll back)."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from padu.core.audit import audit_write
from padu.engine import schema
from padu.engine.intake.mapping import is_known_header, propose_mapping
from padu.engine.intake.reader import FileReadError, inspect_file
from padu.intake.models import ImportRun, Source
from padu.intake.pipeline import stage_and_promote
from padu.intake.promote import FailHook, promote_run
from padu.intake.staging import Progress, run_dir, stage_run


class IntakeError(ValueError):
    """An import that cannot go on; the message (Bahasa Indonesia) says why and what to do."""


@transaction.atomic
def source_get_or_create(
    *,
    actor: Any,
    name: str,
    kind: str = Source.Kind.LAINNYA,
    owner_region: str = "",
    trusted_for_identity: bool = False,
) -> Source:
    source, created = Source.objects.get_or_create(
        name=name,
        defaults={
            "kind": kind,
            "owner_region": owner_region,
            "trusted_for_identity": trusted_for_identity,
        },
    )
    if created:
        audit_write(actor=actor, action="source.create", obj=source)
    return source


def _count_lines(path: Path) -> int:
    if path.read_bytes()[:4] == b"PK\x03\x04":
        return 0
    with path.open("rb") as handle:
        return sum(block.count(b"\n") for block in iter(lambda: handle.read(1 << 20), b""))


@transaction.atomic
def import_prepare(
    *, actor: Any, source: Source, table: str, upload: Path, file_name: str = ""
) -> ImportRun:
    """Keep the uploaded file, detect its layout and propose a mapping (nothing written yet)."""
    if table not in ("keluarga", "art"):
        raise IntakeError("Jenis data harus 'keluarga' atau 'art' (anggota keluarga).")
    try:
        layout = inspect_file(upload, is_known_header)
    except FileReadError as exc:
        raise IntakeError(str(exc)) from exc
    run = ImportRun.objects.create(
        source=source,
        table=table,
        file_name=file_name or upload.name,
        actor=_user(actor),
        status=ImportRun.Status.PEMETAAN,
    )
    folder = run_dir(run)
    for leftover in folder.iterdir():  # ids can come back after a database restore
        leftover.unlink()
    stored = folder / f"asli{upload.suffix.lower() or '.csv'}"
    shutil.copyfile(upload, stored)
    proposal = propose_mapping(layout.headers, table, source.column_mapping.get(table))  # type: ignore[arg-type]
    run.file_path = str(stored)
    run.file_sha256 = _sha256(stored)
    run.layout = {
        "kind": layout.kind,
        "encoding": layout.encoding,
        "delimiter": layout.delimiter,
        "header_line": layout.header_line,
        "headers": layout.headers,
        "sheet": layout.sheet,
    }
    run.mapping = proposal.mapping
    run.code_mapping = source.code_mapping.get(table, {})
    run.rows_total = max(_count_lines(stored) - layout.header_line, 0)
    run.layout["kandidat"] = proposal.candidates
    run.save()
    audit_write(actor=actor, action="import.prepare", obj=run, detail={"berkas": run.file_name})
    return run


def mapping_problems(run: ImportRun) -> list[str]:
    proposal = propose_mapping(run.layout["headers"], run.table, run.mapping)  # type: ignore[arg-type]
    proposal.candidates = run.layout.get("kandidat", {})
    return proposal.problems()


@transaction.atomic
def import_set_mapping(
    *,
    actor: Any,
    run: ImportRun,
    mapping: dict[str, str],
    code_mapping: dict[str, dict[str, int]] | None = None,
) -> ImportRun:
    """The mapping the user confirmed (target column -> header); saved with the source too."""
    if run.status != ImportRun.Status.PEMETAAN:
        raise IntakeError("Pemetaan hanya dapat diubah sebelum impor dijalankan.")
    columns = schema.columns(run.table)  # type: ignore[arg-type]
    headers = set(run.layout["headers"])
    clean = {t: h for t, h in mapping.items() if h}
    unknown = sorted(t for t in clean if t not in columns)
    absent = sorted(h for h in clean.values() if h not in headers)
    if unknown or absent:
        raise IntakeError(
            "Pemetaan tidak sah: "
            + "; ".join(
                [f"kolom tujuan tidak dikenal: {', '.join(unknown)}"] * bool(unknown)
                + [f"judul kolom tidak ada di berkas: {', '.join(absent)}"] * bool(absent)
            )
        )
    doubled = sorted({h for h in clean.values() if list(clean.values()).count(h) > 1})
    if doubled:
        raise IntakeError(
            f"Satu judul kolom dipetakan ke lebih dari satu kolom tujuan: {', '.join(doubled)}."
        )
    run.mapping = clean
    if code_mapping is not None:
        run.code_mapping = code_mapping
    run.save(update_fields=["mapping", "code_mapping"])
    missing = [n for n, c in columns.items() if c.required and n not in clean]
    if missing:
        raise IntakeError(
            f"Kolom wajib belum dipetakan: {', '.join(missing)}. Pilih judul kolom yang sesuai."
        )
    source = run.source
    source.column_mapping = {**source.column_mapping, run.table: clean}
    if code_mapping is not None:
        source.code_mapping = {**source.code_mapping, run.table: code_mapping}
    source.save(update_fields=["column_mapping", "code_mapping"])
    audit_write(actor=actor, action="import.mapping", obj=run, detail={"pemetaan": clean})
    return run


def import_execute(
    *,
    actor: Any,
    run: ImportRun,
    progress: Progress | None = None,
    fail_hook: FailHook | None = None,
) -> ImportRun:
    """Stage (resumable, chunk by chunk) then promote (one transaction). Safe to call again
    after a stop or a failure: it resumes where the run stood."""
    if run.status == ImportRun.Status.PEMETAAN:
        problems = mapping_problems(run)
        if problems:
            raise IntakeError(" ".join(problems))
    if run.status in (ImportRun.Status.SELESAI, ImportRun.Status.DIBATALKAN):
        raise IntakeError(
            f"Impor #{run.pk} sudah {run.get_status_display().lower()}; "
            "tidak dapat dijalankan lagi."
        )
    ImportRun.objects.filter(pk=run.pk).update(status=ImportRun.Status.BERJALAN)
    run.status = ImportRun.Status.BERJALAN
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        # A second connection stages while this one promotes (not inside a caller's
        # transaction: the other connection could not see its uncommitted rows).
        stage_and_promote(run, actor=actor, progress=progress, fail_hook=fail_hook)
        return run
    stage_run(run, progress=progress)
    ImportRun.objects.filter(pk=run.pk).update(status=ImportRun.Status.SIAP)
    run.status = ImportRun.Status.SIAP
    promote_run(run, actor=actor, fail_hook=fail_hook)
    return run


RESUMABLE = (ImportRun.Status.GAGAL, ImportRun.Status.SIAP)


def import_claim_resume(*, actor: Any, run: ImportRun, stuck: bool = False) -> None:
    """Mark a failed (or staged, never promoted) run as running again, for a task to resume
    it after its last staged chunk. The status changes only if it still is resumable, so two
    clicks never start two executions of one run. ``stuck``: also a run still marked as
    running, for an administrator who knows its worker died (nothing else can tell)."""
    statuses = [*RESUMABLE]
    if stuck:
        statuses += [ImportRun.Status.BERJALAN, ImportRun.Status.PROMOSI]
    claimed = ImportRun.objects.filter(pk=run.pk, status__in=statuses).update(
        status=ImportRun.Status.BERJALAN, error_message=""
    )
    if not claimed:
        run.refresh_from_db()
        raise IntakeError(
            f"Impor #{run.pk} berstatus '{run.get_status_display()}'; hanya impor yang "
            "gagal atau yang menunggu dimasukkan ke register yang dapat dilanjutkan. Bila "
            "pekerja latarnya mati di tengah jalan, administrator dapat melanjutkannya dengan "
            f"'padu import_run lanjutkan {run.pk} --macet'."
        )
    run.refresh_from_db()
    audit_write(actor=actor, action="import.resume", obj=run, detail={"potongan": run.chunks})


@transaction.atomic
def import_rollback(*, actor: Any, run: ImportRun, reason: str) -> ImportRun:
    """Abandon a run that did not finish: nothing of it reaches the register; its input rows
    stay kept as read, marked with the cancelled run."""
    if run.status == ImportRun.Status.SELESAI:
        raise IntakeError(
            "Impor yang sudah selesai tidak dapat dibatalkan di sini; "
            "ubah datanya lewat riwayat versi."
        )
    run.status = ImportRun.Status.DIBATALKAN
    run.finished_at = timezone.now()
    run.error_message = reason
    run.save(update_fields=["status", "finished_at", "error_message"])
    for part in run_dir(run).glob("bagian-*.parquet"):
        part.unlink()
    audit_write(actor=actor, action="import.rollback", obj=run, detail={"alasan": reason})
    return run


def _user(actor: Any) -> Any:
    return actor if getattr(actor, "is_authenticated", False) else None


def _sha256(path: Path) -> str:
    import hashlib

    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def import_file(
    *,
    actor: Any,
    path: Path,
    source: Source,
    table: str,
    mapping: dict[str, str] | None = None,
    progress: Progress | None = None,
) -> ImportRun:
    """Prepare, map (given, saved or confidently proposed) and execute in one call: the CLI
    and the demo. Refuses to guess a required column (:class:`IntakeError` names candidates)."""
    run = import_prepare(actor=actor, source=source, table=table, upload=path)
    if mapping is not None:
        import_set_mapping(actor=actor, run=run, mapping=mapping)
    problems = mapping_problems(run)
    if problems:
        import_rollback(actor=actor, run=run, reason="Pemetaan kolom wajib tidak pasti")
        raise IntakeError(" ".join(problems))
    if mapping is None:
        import_set_mapping(actor=actor, run=run, mapping=run.mapping)
    return import_execute(actor=actor, run=run, progress=progress)


def audit_download(*, actor: Any, run: ImportRun, what: str) -> None:
    """Quarantine files hold personal data: every download is accountable."""
    audit_write(actor=actor, action=f"import.download.{what}", obj=run)
