"""Services of linkage runs: start one (scoped, audited) and carry it out (the task).

A full run reads the register in bulk (``frames.read_persons``), prepares the evidence,
trains the model on the data, scores candidate pairs and clusters them
(``padu.engine.linkage``), applies the reviewers' decisions (``decisions.py``), then in
ONE transaction retires the clusters it replaces and writes clusters, golden records,
members and review items (``store.py``). The trained model is saved beside the run for
incremental runs, which link only new records against the current clusters.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import polars as pl
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from padu.accounts import access
from padu.core.audit import audit_write
from padu.intake.models import ImportRun, Source
from padu.linkage import coverage, store
from padu.linkage.decisions import apply_decisions
from padu.linkage.frames import linkage_input, read_persons
from padu.linkage.models import Cluster, Decision, LinkageRun, Member


class LinkageError(ValueError):
    """A run that cannot start or finish (message in Bahasa Indonesia, says how to fix)."""


def may_run(user: Any) -> bool:
    return access.write_prefixes(user) != []


def _check_region(actor: Any, region_prefix: str) -> str:
    if not region_prefix:
        if access.write_prefixes(actor) is not access.ALL:
            raise LinkageError(
                "Pilih wilayah: proses untuk seluruh wilayah hanya untuk peran tingkat provinsi."
            )
        return ""
    try:
        prefix = access.normalise_prefix(region_prefix)
    except access.RegionCodeError as exc:
        raise LinkageError(str(exc)) from exc
    if not access.can_write_region(actor, prefix):
        raise LinkageError(
            f"Wilayah {region_prefix} di luar wilayah yang boleh Anda ubah. Pilih wilayah "
            "penugasan Anda atau minta admin menambah penugasan."
        )
    return prefix


def linkage_run_create(
    *,
    actor: Any,
    region_prefix: str,
    source_ids: Sequence[int] = (),
    kind: str = LinkageRun.Kind.PENUH,
    import_run: ImportRun | None = None,
    threshold: float | None = None,
    review_lower: float | None = None,
) -> LinkageRun:
    """A queued run (the caller enqueues ``tasks.run_linkage``)."""
    if actor is None or not may_run(actor):
        raise LinkageError("Peran Anda tidak boleh menjalankan linkage (perlu hak ubah data).")
    prefix = _check_region(actor, region_prefix)
    sources = list(Source.objects.filter(pk__in=list(source_ids)))
    if len(sources) != len(set(source_ids)):
        raise LinkageError("Ada sumber yang tidak dikenal. Pilih sumber dari daftar.")
    base = None
    if kind == LinkageRun.Kind.INKREMENTAL:
        if import_run is None:
            raise LinkageError("Proses inkremental memerlukan impor baru yang akan ditautkan.")
        base = latest_full_run(prefix)
        if base is None:
            raise LinkageError(
                "Belum ada proses linkage penuh yang selesai untuk wilayah ini. Jalankan proses "
                "penuh dulu; proses inkremental memakai modelnya."
            )
    threshold = base.threshold if base and threshold is None else threshold
    lower = 0.5 if review_lower is None else review_lower
    threshold = 0.99 if threshold is None else threshold
    if not 0 < lower < threshold <= 1:
        raise LinkageError(
            "Ambang harus 0 < batas bawah tinjauan < ambang tautan <= 1 (mis. 0,5 dan 0,99)."
        )
    with transaction.atomic():
        run = LinkageRun.objects.create(
            kind=kind,
            region_prefix=prefix,
            import_run=import_run,
            base_run=base,
            threshold=threshold,
            review_lower=lower,
            actor=actor,
            stage="Menunggu giliran",
        )
        run.sources.set(sources)
        audit_write(
            actor=actor,
            action="linkage.mulai",
            obj=run,
            region_code=prefix,
            detail={"jenis": kind, "sumber": [s.name for s in sources]},
        )
    return run


def latest_full_run(region_prefix: str) -> LinkageRun | None:
    """The latest finished full run covering ``region_prefix`` with a saved model."""
    runs = LinkageRun.objects.filter(
        kind=LinkageRun.Kind.PENUH, status=LinkageRun.Status.SELESAI
    ).exclude(model_path="")
    for run in runs.order_by("-finished_at", "-id"):
        if region_prefix.startswith(run.region_prefix):
            return run
    return None


def _progress(run: LinkageRun, stage: str, percent: int) -> None:
    run.stage, run.percent = stage, percent
    LinkageRun.objects.filter(pk=run.pk).update(stage=stage, percent=percent)


def _model_dir(run: LinkageRun) -> Path:
    folder = Path(settings.DATA_DIR) / "linkage" / str(run.pk)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def decisions_frame(person_ids: Sequence[int] | None = None) -> pl.DataFrame:
    """Active decisions as ``record_a, record_b, verdict`` (latest per pair wins)."""
    rows = Decision.objects.filter(active=True).order_by("at", "id")
    values = list(rows.values_list("person_a", "person_b", "verdict").iterator(chunk_size=10_000))
    frame = pl.DataFrame(
        values, schema={"a": pl.Int64, "b": pl.Int64, "verdict": pl.String}, orient="row"
    )
    if person_ids is not None:
        wanted = pl.Series(list(person_ids), dtype=pl.Int64).implode()
        frame = frame.filter(pl.col("a").is_in(wanted) & pl.col("b").is_in(wanted))
    return (
        frame.unique(["a", "b"], keep="last", maintain_order=True)
        .select(
            record_a=pl.col("a").cast(pl.String),
            record_b=pl.col("b").cast(pl.String),
            verdict="verdict",
        )
        .with_columns(
            # string order, as pairs compare record ids as text
            record_a=pl.min_horizontal("record_a", "record_b"),
            record_b=pl.max_horizontal("record_a", "record_b"),
        )
    )


def linkage_run_execute(*, run: LinkageRun) -> LinkageRun:
    """Carry out a queued run; on error the run is marked failed with the reason."""
    LinkageRun.objects.filter(pk=run.pk).update(status=LinkageRun.Status.BERJALAN)
    run.status = LinkageRun.Status.BERJALAN
    try:
        if run.kind == LinkageRun.Kind.INKREMENTAL:
            from padu.linkage.incremental import execute_incremental

            counts, seconds = execute_incremental(run, _progress)
        else:
            counts, seconds = _execute_full(run)
    except Exception as exc:
        message = str(exc) if isinstance(exc, LinkageError | ValueError) else repr(exc)
        LinkageRun.objects.filter(pk=run.pk).update(
            status=LinkageRun.Status.GAGAL,
            error_message=message[:2000],
            finished_at=timezone.now(),
            stage="Gagal",
        )
        run.refresh_from_db()
        raise
    LinkageRun.objects.filter(pk=run.pk).update(
        status=LinkageRun.Status.SELESAI,
        counts=counts,
        seconds={k: round(v, 2) for k, v in seconds.items()},
        finished_at=timezone.now(),
        stage="Selesai",
        percent=100,
    )
    run.refresh_from_db()
    audit_write(
        actor=run.actor,
        action="linkage.selesai",
        obj=run,
        region_code=run.region_prefix,
        detail=counts,
    )
    return run


def run_persons(run: LinkageRun, **extra: Any) -> pl.DataFrame:
    """The register persons a run may link: its region and sources, within the write
    scope of the user who started it (fail closed: no user, nothing)."""
    scope = access.write_prefixes(run.actor) if run.actor is not None else []
    return read_persons(
        region_prefix=run.region_prefix,
        scope=scope,
        source_ids=list(run.sources.values_list("pk", flat=True)),
        **extra,
    )


def _link(
    records: pl.DataFrame, threshold: float, folder: Path, step: Any
) -> tuple[Any, dict[str, float], str]:
    """The engine's full run, step by step so the model can be saved."""
    from padu.engine.linkage.cluster import cluster_pairs
    from padu.engine.linkage.evidence import prepare_records
    from padu.engine.linkage.incremental import save_model
    from padu.engine.linkage.model import LinkageModel
    from padu.engine.linkage.pipeline import PAIR_COLUMNS

    seconds: dict[str, float] = {}
    mark = time.perf_counter()
    prepared = prepare_records(records)
    seconds["persiapan"] = time.perf_counter() - mark
    model_path = ""
    if prepared.height < 2:
        pairs = pl.DataFrame(schema=dict.fromkeys(PAIR_COLUMNS, pl.Float64)).cast(
            {"record_id_l": pl.String, "record_id_r": pl.String}
        )
    else:
        step("Melatih model dari data (perkiraan parameter)", 25)
        mark = time.perf_counter()
        model = LinkageModel(prepared)
        model.train()
        seconds["pelatihan"] = time.perf_counter() - mark
        step("Menilai pasangan kandidat", 60)
        mark = time.perf_counter()
        scored = model.predict(threshold=0.01)
        pairs = scored.select([c for c in PAIR_COLUMNS if c in scored.columns])
        seconds["penilaian"] = time.perf_counter() - mark
        path = folder / "model.json"
        save_model(model, path)
        model_path = str(path)
    step("Mengelompokkan rekaman", 70)
    mark = time.perf_counter()
    clusters = cluster_pairs(prepared, pairs, threshold)
    seconds["klaster"] = time.perf_counter() - mark
    return (clusters, pairs), seconds, model_path


def _execute_full(run: LinkageRun) -> tuple[dict[str, int], dict[str, float]]:
    started = time.perf_counter()
    _progress(run, "Membaca register", 5)
    persons = run_persons(run)
    if persons.height == 0:
        raise LinkageError(
            "Tidak ada orang di register untuk wilayah dan sumber yang dipilih. Periksa "
            "pilihan wilayah/sumber, atau impor datanya dulu."
        )
    read_seconds = time.perf_counter() - started
    _progress(run, "Menyiapkan bukti identitas", 15)
    (clusters, pairs), seconds, model_path = _link(
        linkage_input(persons),
        run.threshold,
        _model_dir(run),
        lambda stage, percent: _progress(run, stage, percent),
    )
    seconds = {"baca_register": read_seconds, **seconds}
    _progress(run, "Menerapkan keputusan peninjau", 75)
    decided = decisions_frame(persons["id"].to_list())
    clusters = apply_decisions(clusters, pairs, decided, run.threshold)
    _progress(run, "Menyimpan klaster dan rekaman emas", 85)
    mark = time.perf_counter()
    with transaction.atomic():
        covered = persons["id"].to_list()
        old = store.clusters_holding(covered)
        retired = store.retire_clusters(old, covered)
        n_clusters = store.write_clusters(run.pk, persons, clusters, pairs)
        kept = coverage.keep_uncovered(run, old, decisions_frame())
        n_review = store.write_review_items(
            run.pk, persons, clusters, pairs, decided, run.review_lower
        )
        LinkageRun.objects.filter(pk=run.pk).update(model_path=model_path)
    seconds["simpan"] = time.perf_counter() - mark
    seconds["total"] = time.perf_counter() - started
    multi = clusters.group_by("cluster_id").len().filter(pl.col("len") > 1)
    counts = {
        "rekaman": persons.height,
        "klaster": n_clusters,
        "klaster_ganda": multi.height,
        "rekaman_tertaut": int(multi["len"].sum() or 0),
        "pasangan_dinilai": pairs.height,
        "tinjauan": n_review,
        "keputusan_dipakai": decided.height,
        "klaster_diganti": retired,
        "sisa_klaster_lama": kept,
    }
    return counts, seconds


def current_cluster_ids(person_ids: Sequence[int]) -> dict[int, int]:
    """person -> active cluster (for the incremental run and the pages)."""
    found: dict[int, int] = {}
    ids = list(person_ids)
    for start in range(0, len(ids), 5_000):
        rows = Member.objects.filter(
            person_id__in=ids[start : start + 5_000], cluster__active=True
        ).values_list("person_id", "cluster_id")
        found.update(dict(rows))
    return found


__all__ = [
    "Cluster",
    "LinkageError",
    "current_cluster_ids",
    "latest_full_run",
    "linkage_run_create",
    "linkage_run_execute",
    "may_run",
]
