"""Changes a run makes to clusters beyond its own records, each recorded as a
:class:`ClusterChange` of kind ``proses`` (traceable, not undoable by a reviewer).

- :func:`keep_uncovered`: a full run replaces every cluster that holds a person it links;
  the members it did not cover (other sources, a wider region) keep the remainder of their
  old cluster as a new current cluster, or join the new cluster of a person a reviewer
  said is the same (unless a reviewer said one of that cluster is a different person).
- :func:`release_changed`: an incremental run takes persons whose identity changed since
  they were linked out of their clusters, so they can be linked again as new records.

Every live register person that was in a cluster stays in exactly one current cluster.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any

import polars as pl
from django.db import connection
from django.utils import timezone

from padu.core.bulk import insert_frame, lock_tables, next_ids, reset_sequence
from padu.linkage import store
from padu.linkage.models import ChangedCluster, Cluster, ClusterChange, LinkageRun, Member
from padu.registry.models import Person

_COLUMNS = ["cluster_id", "person_id", "kode_desa", "source_name", "match_probability",
            "linked_to", "gammas", "identity"]  # fmt: skip


def _q(name: str) -> str:
    return connection.ops.quote_name(name)


def _uncovered(old_ids: Sequence[int]) -> pl.DataFrame:
    """Members of ``old_ids`` (just retired) whose live person has no current cluster."""
    member, cluster = _q(Member._meta.db_table), _q(Cluster._meta.db_table)
    person = _q(Person._meta.db_table)
    rows: list[tuple[Any, ...]] = []
    with connection.cursor() as cursor:
        for chunk in store._chunks(list(old_ids)):
            marks = ", ".join(["%s"] * len(chunk))
            cursor.execute(
                f"SELECT {', '.join('m.' + _q(c) for c in _COLUMNS)} FROM {member} m "
                f"JOIN {person} p ON p.id = m.person_id "
                f"WHERE m.cluster_id IN ({marks}) AND p.deleted_at IS NULL AND NOT EXISTS "
                f"(SELECT 1 FROM {member} m2 JOIN {cluster} c2 ON c2.id = m2.cluster_id "
                f"WHERE m2.person_id = m.person_id AND c2.active = %s)",
                [*chunk, True],
            )
            rows += cursor.fetchall()
    rows = [(*r[:6], r[6] if isinstance(r[6], str) else json.dumps(r[6] or {}), r[7]) for r in rows]
    schema = {"cluster_id": pl.Int64, "person_id": pl.Int64, "kode_desa": pl.String,
              "source_name": pl.String, "match_probability": pl.Float64,
              "linked_to": pl.Int64, "gammas": pl.String, "identity": pl.String}  # fmt: skip
    return pl.DataFrame(rows, schema=schema, orient="row")


def _pairs(decided: pl.DataFrame, verdict: str) -> set[tuple[int, int]]:
    rows = decided.filter(pl.col("verdict") == verdict).select("record_a", "record_b")
    return {(int(a), int(b)) for a, b in rows.iter_rows()}


def _attachments(rest: pl.DataFrame, decided: pl.DataFrame) -> dict[int, int]:
    """old cluster -> the current cluster its remainder joins (a reviewer's ``sama``)."""
    same, apart = _pairs(decided, "sama"), _pairs(decided, "beda")
    if not same:
        return {}
    old_of = dict(rest.select("person_id", "cluster_id").iter_rows())
    partners: dict[int, set[int]] = {}
    for a, b in same:
        for mine, other in ((a, b), (b, a)):
            if mine in old_of and other not in old_of:
                partners.setdefault(old_of[mine], set()).add(other)
    if not partners:
        return {}
    current = store_current([p for ps in partners.values() for p in ps])
    targets = {
        old: sorted({current[p] for p in ps if p in current}) for old, ps in partners.items()
    }
    members: dict[int, set[int]] = {}
    for cluster_id, person_id in Member.objects.filter(
        cluster_id__in={t for ts in targets.values() for t in ts}
    ).values_list("cluster_id", "person_id"):
        members.setdefault(cluster_id, set()).add(person_id)
    chosen: dict[int, int] = {}
    for old, candidates in targets.items():
        group = {p for p, c in old_of.items() if c == old}
        for target in candidates:
            if not any((min(x, y), max(x, y)) in apart for x in group for y in members[target]):
                chosen[old] = target
                break
    return chosen


def store_current(person_ids: Iterable[int]) -> dict[int, int]:
    from padu.linkage.runs import current_cluster_ids

    return current_cluster_ids(sorted(set(person_ids)))


def _new_clusters(run_id: int, count: int) -> list[int]:
    lock_tables(Cluster._meta.db_table)
    first = next_ids(Cluster._meta.db_table, count)
    ids = list(range(first, first + count))
    now = timezone.now().replace(tzinfo=None)
    frame = pl.DataFrame(
        {
            "id": ids,
            "run_id": [run_id] * count,
            "active": [True] * count,
            "kode_desa": [""] * count,
            "size": [0] * count,
            "golden": ["{}"] * count,
            "created_at": [now] * count,
        },
        schema_overrides={"id": pl.Int64, "run_id": pl.Int64, "size": pl.Int64},
    )
    insert_frame(Cluster._meta.db_table, frame)
    reset_sequence(Cluster._meta.db_table)
    return ids


def record_changes(
    run: LinkageRun, reason: str, moves: list[tuple[dict[str, list[int]], dict[str, list[int]]]]
) -> None:
    """One ``proses`` change per (before, after) membership, with its cluster links."""
    changes = ClusterChange.objects.bulk_create(
        [
            ClusterChange(
                kind=ClusterChange.Kind.PROSES,
                run=run,
                actor=run.actor,
                reason=reason[:500],
                before=before,
                after=after,
            )
            for before, after in moves
        ],
        batch_size=2000,
    )
    ChangedCluster.objects.bulk_create(
        [
            ChangedCluster(change_id=change.pk, cluster_id=int(key))
            for change in changes
            for key in set(change.before) | set(change.after)
        ],
        batch_size=5000,
    )


def keep_uncovered(run: LinkageRun, old_ids: Sequence[int], decided: pl.DataFrame) -> int:
    """Give the uncovered members of the clusters a run replaced a current cluster again
    (see the module docstring); ``decided`` is every active decision. Returns how many
    members were kept."""
    rest = _uncovered(old_ids)
    if rest.height == 0:
        return 0
    attach = _attachments(rest, decided)
    alone = sorted(set(rest["cluster_id"].unique().to_list()) - set(attach))
    fresh = dict(zip(alone, _new_clusters(run.pk, len(alone)), strict=True))
    target = {**fresh, **attach}
    rest = rest.with_columns(
        old=pl.col("cluster_id"),
        cluster_id=pl.col("cluster_id").replace_strict(target, return_dtype=pl.Int64),
    )
    # a link to a member that went elsewhere no longer explains this membership
    kept = rest.select("old", linked_to="person_id", _kept=pl.lit(True))
    rest = rest.join(kept, on=["old", "linked_to"], how="left").with_columns(
        linked_to=pl.when(pl.col("_kept")).then("linked_to"),
        match_probability=pl.when(pl.col("_kept")).then("match_probability"),
        gammas=pl.when(pl.col("_kept")).then("gammas").otherwise(pl.lit("{}")),
    )
    insert_frame(Member._meta.db_table, rest.select(_COLUMNS))
    store.refresh_clusters(list(target.values()))
    before: dict[int, list[int]] = {}
    for cluster_id, person_id in Member.objects.filter(cluster_id__in=list(target)).values_list(
        "cluster_id", "person_id"
    ):
        before.setdefault(cluster_id, []).append(person_id)
    moves = []
    for key, group in rest.group_by("old"):
        old = int(key[0])
        persons = sorted(group["person_id"].to_list())
        moves.append(({str(old): sorted(before[old])}, {str(target[old]): persons}))
    record_changes(
        run,
        f"Proses linkage #{run.pk} tidak mencakup rekaman ini (sumber atau wilayah lain); "
        "sisa klaster lama tetap bersatu.",
        moves,
    )
    return rest.height


def _membership(cluster_ids: Sequence[int]) -> dict[int, list[int]]:
    out: dict[int, list[int]] = {c: [] for c in cluster_ids}
    for chunk in store._chunks(list(cluster_ids)):
        for cluster_id, person_id in Member.objects.filter(cluster_id__in=list(chunk)).values_list(
            "cluster_id", "person_id"
        ):
            out[cluster_id].append(person_id)
    return {c: sorted(p) for c, p in out.items()}


def release_changed(run: LinkageRun, clusters_of: dict[int, int]) -> int:
    """Take persons (``person -> current cluster``) out of their clusters: their identity
    changed since they were linked. Golden records are recomputed; a cluster left empty
    stops being current; pending review items about them are dropped."""
    if not clusters_of:
        return 0
    affected = sorted(set(clusters_of.values()))
    before = _membership(affected)
    persons = sorted(clusters_of)
    for chunk in store._chunks(persons):
        Member.objects.filter(
            person_id__in=list(chunk), cluster_id__in=sorted({clusters_of[p] for p in chunk})
        ).delete()
    store.retire_clusters([], persons)
    store.refresh_clusters(affected)
    after = _membership(affected)
    record_changes(
        run,
        f"Proses linkage #{run.pk}: identitas rekaman berubah (NIK, nama, tanggal lahir, jenis "
        "kelamin, nama ibu, No. KK atau desa); rekaman ditautkan ulang.",
        [({str(c): before[c]}, {str(c): after[c]}) for c in affected],
    )
    return len(persons)
