"""An incremental run: the persons of a new import linked against the current clusters
with the model saved by the last full run (``padu.engine.linkage.incremental``), without
re-running everything. New persons join an existing cluster or form new ones; links that
would bridge two existing clusters, and uncertain pairs, go to the review queue.

Persons whose identity fields changed since they were linked (an import updated them, or
someone edited them: the member's stored identity hash differs) are taken out of their
cluster first and linked again with the new records (``coverage.release_changed``)."""

from __future__ import annotations

import time
from collections.abc import Callable

import polars as pl
from django.db import transaction

from padu.linkage import coverage, store
from padu.linkage.frames import identity_keys, linkage_input
from padu.linkage.models import Cluster, LinkageRun, Member
from padu.linkage.runs import LinkageError, decisions_frame, run_persons

Progress = Callable[[LinkageRun, str, int], None]


def _current_members(region_prefix: str) -> pl.DataFrame:
    rows = Member.objects.filter(cluster__active=True)
    if region_prefix:
        rows = rows.filter(kode_desa__startswith=region_prefix)
    values = list(
        rows.values_list("person_id", "cluster_id", "identity").iterator(chunk_size=50_000)
    )
    return pl.DataFrame(
        values,
        schema={"id": pl.Int64, "cluster": pl.Int64, "linked_identity": pl.String},
        orient="row",
    )


def execute_incremental(
    run: LinkageRun, progress: Progress
) -> tuple[dict[str, int], dict[str, float]]:
    from padu.engine.linkage.incremental import link_incremental, load_model

    started = time.perf_counter()
    progress(run, "Membaca register", 5)
    base = run.base_run
    if base is None or not base.model_path:
        raise LinkageError("Proses penuh acuan tidak punya model tersimpan. Jalankan proses penuh.")
    model = load_model(base.model_path)
    current = _current_members(run.region_prefix)
    persons = run_persons(run)
    # identity changed since linked (no stored hash: linked before hashes were kept)
    changed = (
        persons.with_columns(identity=identity_keys(persons))
        .join(current, on="id")
        .filter(
            (pl.col("linked_identity") != "") & (pl.col("linked_identity") != pl.col("identity"))
        )
    )
    current = current.join(changed.select("id"), on="id", how="anti")
    linked = persons.join(current, on="id")
    created = run_persons(run, import_run_id=run.import_run_id).join(current, on="id", how="anti")
    parts = [f for f in (created, changed.select(persons.columns)) if f.height]
    new = pl.concat(parts).unique("id", keep="first", maintain_order=True) if parts else created
    if new.height == 0:
        raise LinkageError(
            "Impor ini tidak membawa orang baru atau orang yang identitasnya berubah di wilayah "
            "dan sumber terpilih. Tidak ada yang perlu ditautkan."
        )
    existing = linkage_input(linked).with_columns(cluster_id=linked["cluster"].cast(pl.String))
    progress(run, "Menautkan rekaman baru", 30)
    read_seconds = time.perf_counter() - started
    result = link_incremental(linkage_input(new), existing, model=model, threshold=run.threshold)
    seconds = {"baca_register": read_seconds, **result.seconds}
    progress(run, "Menyimpan", 80)
    mark = time.perf_counter()
    clusters = result.clusters.with_columns(pl.col("record_id", "cluster_id").cast(pl.String))
    known = set(existing["cluster_id"].unique().to_list())
    joined = clusters.filter(pl.col("cluster_id").is_in(list(known)))
    fresh = clusters.filter(~pl.col("cluster_id").is_in(list(known)))
    everyone = pl.concat(
        [
            existing.select("record_id", "cluster_id"),
            clusters.select("record_id", "cluster_id"),
        ]
    )
    pairs = result.pairs
    decided = decisions_frame(persons["id"].to_list())
    with transaction.atomic():
        relinked = coverage.release_changed(run, dict(changed.select("id", "cluster").iter_rows()))
        n_new = 0
        if fresh.height:
            n_new = store.write_clusters(
                run.pk,
                new.filter(pl.col("record_id").is_in(fresh["record_id"].implode())),
                fresh,
                pairs,
            )
        if joined.height:
            members = new.join(
                joined.select("record_id", "match_probability", cluster_key="cluster_id"),
                on="record_id",
            ).with_columns(cluster_id=pl.col("cluster_key").cast(pl.Int64))
            store.insert_members(members, store.strongest_links(everyone, pairs))
            store.refresh_clusters(members["cluster_id"].unique().to_list())
        n_review = store.write_review_items(
            run.pk, persons, everyone, pairs, decided, run.review_lower
        )
    seconds["simpan"] = time.perf_counter() - mark
    seconds["total"] = time.perf_counter() - started
    bridges = result.review.height if result.review is not None else 0
    counts = {
        "rekaman_baru": new.height - relinked,
        "identitas_berubah": relinked,
        "rekaman_lama": linked.height,
        "bergabung_klaster_lama": joined.height,
        "klaster_baru": n_new,
        "pasangan_dinilai": pairs.height,
        "tinjauan": n_review,
        "jembatan_ditolak": bridges,
    }
    return counts, seconds


__all__ = ["Cluster", "execute_incremental"]
