"""Writing a run's results in bulk (COPY / executemany): clusters with golden records,
members with their strongest link, review items. Called inside the run's transaction."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import polars as pl
from django.db import connection
from django.utils import timezone

from padu.core.bulk import insert_frame, lock_tables, next_ids, reset_sequence
from padu.linkage.explain import COLUMNS as GAMMA_COLUMNS
from padu.linkage.frames import identity_keys
from padu.linkage.golden import golden_records
from padu.linkage.models import Cluster, Member, ReviewItem

CHUNK = 5_000


def _q(name: str) -> str:
    return connection.ops.quote_name(name)


def _chunks(values: Sequence[int]) -> Iterable[Sequence[int]]:
    for start in range(0, len(values), CHUNK):
        yield values[start : start + CHUNK]


def _now() -> pl.Expr:
    return pl.lit(timezone.now().replace(tzinfo=None), dtype=pl.Datetime("us"))


def gamma_struct(pairs: pl.DataFrame) -> pl.Expr:
    """The comparison levels of a pair as a struct ``{nik: 4, nama: 6, ...}``."""
    fields = [
        pl.col(f"gamma_{c}").cast(pl.Int8).alias(c)
        for c in GAMMA_COLUMNS
        if f"gamma_{c}" in pairs.columns
    ]
    return pl.struct(fields) if fields else pl.struct(pl.lit(None, pl.Int8).alias("kosong"))


def clusters_holding(person_ids: Sequence[int]) -> list[int]:
    """Active clusters holding any of these persons."""
    found: set[int] = set()
    for chunk in _chunks(list(person_ids)):
        found.update(
            Member.objects.filter(person_id__in=list(chunk), cluster__active=True).values_list(
                "cluster_id", flat=True
            )
        )
    return sorted(found)


def retire_clusters(cluster_ids: Sequence[int], person_ids: Sequence[int]) -> int:
    """These clusters stop being current (a new run replaced them); pending review items
    about ``person_ids`` are dropped. Returns clusters retired."""
    cluster, item = _q(Cluster._meta.db_table), _q(ReviewItem._meta.db_table)
    retired = 0
    with connection.cursor() as cursor:
        for chunk in _chunks(list(cluster_ids)):
            marks = ", ".join(["%s"] * len(chunk))
            cursor.execute(
                f"UPDATE {cluster} SET active = %s WHERE active = %s AND id IN ({marks})",
                [False, True, *chunk],
            )
            retired += cursor.rowcount
        for chunk in _chunks(list(person_ids)):
            marks = ", ".join(["%s"] * len(chunk))
            cursor.execute(
                f"DELETE FROM {item} WHERE status IN ('menunggu', 'lewati') AND "
                f"(person_l IN ({marks}) OR person_r IN ({marks}))",
                [*chunk, *chunk],
            )
    return retired


def strongest_links(clusters: pl.DataFrame, pairs: pl.DataFrame) -> pl.DataFrame:
    """``record_id, linked_to, gammas`` (JSON): each record's strongest link inside its
    cluster."""
    label = clusters.select("record_id", "cluster_id")
    inside = (
        pairs.join(label.rename({"record_id": "record_id_l"}), on="record_id_l")
        .join(label.rename({"record_id": "record_id_r", "cluster_id": "c_r"}), on="record_id_r")
        .filter(pl.col("cluster_id") == pl.col("c_r"))
        .with_columns(g=gamma_struct(pairs).struct.json_encode())
    )
    both = pl.concat(
        [
            inside.select(
                record_id="record_id_l", linked_to="record_id_r", p="match_probability", gammas="g"
            ),
            inside.select(
                record_id="record_id_r", linked_to="record_id_l", p="match_probability", gammas="g"
            ),
        ]
    )
    return (
        both.sort("p", descending=True)
        .group_by("record_id", maintain_order=True)
        .first()
        .select("record_id", pl.col("linked_to").cast(pl.Int64), "gammas")
    )


def write_clusters(
    run_id: int, persons: pl.DataFrame, clusters: pl.DataFrame, pairs: pl.DataFrame
) -> int:
    """Insert the clusters (``record_id, cluster_id`` keys from the engine) and members of a
    run; returns the number of clusters."""
    lock_tables(Cluster._meta.db_table)
    members = persons.join(
        clusters.select("record_id", pl.col("cluster_id").alias("key"), "match_probability"),
        on="record_id",
    )
    keys = members.select("key").unique().sort("key")
    first = next_ids(Cluster._meta.db_table, keys.height)
    keys = keys.with_row_index("n").select("key", cluster_id=pl.col("n").cast(pl.Int64) + first)
    members = members.join(keys, on="key")
    golden = golden_records(members)
    sizes = members.group_by("cluster_id").agg(size=pl.len())
    rows = golden.join(sizes, on="cluster_id").select(
        id="cluster_id",
        run_id=pl.lit(run_id, pl.Int64),
        active=pl.lit(True),
        kode_desa="kode_desa",
        size=pl.col("size").cast(pl.Int64),
        golden="golden",
        created_at=_now(),
    )
    insert_frame(Cluster._meta.db_table, rows)
    reset_sequence(Cluster._meta.db_table)
    insert_members(members, strongest_links(clusters, pairs))
    return rows.height


def insert_members(members: pl.DataFrame, links: pl.DataFrame) -> int:
    """Members (``cluster_id, id, record_id, kode_desa, source, match_probability``)."""
    keyed = members.with_columns(identity=identity_keys(members))
    frame = keyed.join(links, on="record_id", how="left").select(
        "cluster_id",
        person_id="id",
        kode_desa=pl.col("kode_desa").fill_null(""),
        source_name=pl.col("source").fill_null("").str.slice(0, 100),
        match_probability="match_probability",
        linked_to="linked_to",
        gammas=pl.col("gammas").fill_null("{}"),
        identity="identity",
    )
    return insert_frame(Member._meta.db_table, frame)


def write_review_items(
    run_id: int,
    persons: pl.DataFrame,
    clusters: pl.DataFrame,
    pairs: pl.DataFrame,
    decided: pl.DataFrame,
    lower: float,
) -> int:
    """Pairs at or above ``lower`` whose records ended in different clusters and that no
    reviewer has decided yet (``decided``: ``record_a, record_b``)."""
    label = clusters.select("record_id", "cluster_id")
    desa = persons.select("record_id", pl.col("kode_desa").fill_null(""))
    pairs = pairs.with_columns(
        a=pl.min_horizontal("record_id_l", "record_id_r"),
        b=pl.max_horizontal("record_id_l", "record_id_r"),
    )
    items = (
        pairs.filter(pl.col("match_probability") >= lower)
        .join(label.rename({"record_id": "record_id_l", "cluster_id": "c_l"}), on="record_id_l")
        .join(label.rename({"record_id": "record_id_r", "cluster_id": "c_r"}), on="record_id_r")
        .filter(pl.col("c_l") != pl.col("c_r"))
        .join(decided.rename({"record_a": "a", "record_b": "b"}), on=["a", "b"], how="anti")
        .join(
            desa.rename({"record_id": "record_id_l", "kode_desa": "kode_desa_l"}), on="record_id_l"
        )
        .join(
            desa.rename({"record_id": "record_id_r", "kode_desa": "kode_desa_r"}), on="record_id_r"
        )
    )
    frame = items.select(
        run_id=pl.lit(run_id, pl.Int64),
        person_l=pl.col("record_id_l").cast(pl.Int64),
        person_r=pl.col("record_id_r").cast(pl.Int64),
        kode_desa_l="kode_desa_l",
        kode_desa_r="kode_desa_r",
        match_probability="match_probability",
        gammas=gamma_struct(pairs).struct.json_encode(),
        status=pl.lit(ReviewItem.Status.MENUNGGU.value),
    )
    return insert_frame(ReviewItem._meta.db_table, frame)


def cluster_members(cluster_ids: Sequence[int]) -> pl.DataFrame:
    """``cluster_id, person_id`` of the given clusters."""
    rows: list[tuple[int, int]] = []
    ids = list(cluster_ids)
    for start in range(0, len(ids), CHUNK):
        rows += list(
            Member.objects.filter(cluster_id__in=ids[start : start + CHUNK]).values_list(
                "cluster_id", "person_id"
            )
        )
    return pl.DataFrame(rows, schema={"cluster_id": pl.Int64, "person_id": pl.Int64}, orient="row")


def refresh_clusters(cluster_ids: Sequence[int]) -> None:
    """Size, golden record and desa of clusters after their membership changed; a cluster
    left without members stops being current."""
    from padu.linkage.frames import read_persons

    ids = sorted(set(cluster_ids))
    if not ids:
        return
    membership = cluster_members(ids)
    parts = [
        read_persons(region_prefix="", scope=None, person_ids=list(chunk))
        for chunk in _chunks(membership["person_id"].to_list())
    ]  # chunked: SQLite caps the parameters of one query
    persons = (
        pl.concat(parts, how="diagonal_relaxed")
        if parts
        else read_persons(region_prefix="", scope=None, person_ids=[])
    )
    members = persons.join(membership.rename({"person_id": "id"}), on="id")
    golden = (
        golden_records(members)
        if members.height
        else pl.DataFrame(
            schema={"cluster_id": pl.Int64, "kode_desa": pl.String, "golden": pl.String}
        )
    )
    sizes = membership.group_by("cluster_id").agg(size=pl.len())
    table = _q(Cluster._meta.db_table)
    rows = (
        pl.DataFrame({"cluster_id": ids}, schema={"cluster_id": pl.Int64})
        .join(sizes, on="cluster_id", how="left")
        .join(golden, on="cluster_id", how="left")
        .select(
            pl.col("size").fill_null(0).cast(pl.Int64),
            pl.col("kode_desa").fill_null(""),
            pl.col("golden").fill_null("{}"),
            "cluster_id",
        )
    )
    with connection.cursor() as cursor:
        cursor.executemany(
            f"UPDATE {table} SET size = %s, kode_desa = %s, golden = %s, "
            f"active = (%s > 0) WHERE id = %s",
            [(s, k, g, s, c) for s, k, g, c in rows.iter_rows()],
        )
