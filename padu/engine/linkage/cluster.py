"""Clusters of records from scored pairs, without chaining different people (no Django).

1. Connected components of the pairs at or above ``threshold`` (scipy's sparse graph).
2. A cluster holding *conflicting* records (two valid NIKs that are not a one-digit or
   swapped-digit variant of each other; two different recorded sexes) is split again:
   its links are added strongest first, and a link that would bring conflicting records
   into one cluster is refused. One weak record cannot chain two people together, and
   a person's records stay together through their strongest links.

Every record gets a cluster (alone when it has no link); ``match_probability`` is the
probability of its strongest link kept inside its cluster.
"""

from __future__ import annotations

import numpy as np
import polars as pl
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from padu.engine.linkage.evidence import nik_relation

__all__ = ["cluster_pairs", "conflicting"]


def conflicting(left: pl.Expr | str, right: pl.Expr | str, suffix: tuple[str, str]) -> pl.Expr:
    """Strong evidence that two records are different people (columns ``nik``,
    ``nik_awal``, ``nama_depan_kunci``, ``jk_catat`` with the given suffixes): two NIKs
    that are not a typo of each other, two different NIKs with different first names
    (twins get NIKs one serial digit apart), or two different recorded sexes."""
    a, b = suffix

    def col(name: str, side: str) -> pl.Expr:
        return pl.col(f"{name}{side}")

    relation = nik_relation(col("nik", a), col("nik", b), col("nik_awal", a), col("nik_awal", b))
    both = col("nik", a).is_not_null() & col("nik", b).is_not_null()
    nik_differs = both & (relation == "beda")
    # twins: NIKs one serial digit apart and different first names
    first_names_differ = (col("nama_depan_kunci", a) != col("nama_depan_kunci", b)).fill_null(False)
    twins = both & (col("nik", a) != col("nik", b)) & first_names_differ
    sex_differs = (col("jk_catat", a) != col("jk_catat", b)).fill_null(False)
    return nik_differs | twins | sex_differs


def _components(n: int, left: np.ndarray, right: np.ndarray) -> np.ndarray:
    graph = coo_matrix((np.ones(len(left), dtype=np.int8), (left, right)), shape=(n, n))
    _, labels = connected_components(graph, directed=False)
    return labels


def _split(
    members: list[int], edges: list[tuple[float, int, int]], bad: set[tuple[int, int]]
) -> dict[int, int]:
    """Greedy constrained merging of one cluster: record -> representative."""
    parent = {m: m for m in members}
    groups = {m: {m} for m in members}

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for _, i, j in sorted(edges, reverse=True):
        ri, rj = find(i), find(j)
        if ri == rj:
            continue
        if any((min(x, y), max(x, y)) in bad for x in groups[ri] for y in groups[rj]):
            continue
        if len(groups[ri]) < len(groups[rj]):
            ri, rj = rj, ri
        parent[rj] = ri
        groups[ri] |= groups.pop(rj)
    return {m: find(m) for m in members}


def cluster_pairs(records: pl.DataFrame, pairs: pl.DataFrame, threshold: float) -> pl.DataFrame:
    """``record_id, cluster_id, match_probability`` for every record of ``records``.

    ``records`` needs ``record_id, nik, nik_awal, nama_depan_kunci, jk_catat``; ``pairs`` needs
    ``record_id_l, record_id_r, match_probability``.
    """
    ids = records.select("record_id").with_row_index("i")
    n = ids.height
    links = (
        pairs.filter(pl.col("match_probability") >= threshold)
        .select("record_id_l", "record_id_r", p="match_probability")
        .join(ids.rename({"record_id": "record_id_l", "i": "i"}), on="record_id_l")
        .join(ids.rename({"record_id": "record_id_r", "i": "j"}), on="record_id_r")
        .select("i", "j", "p")
    )
    labels = _components(n, links["i"].to_numpy(), links["j"].to_numpy())
    evidence = records.select(
        pl.col("nik", "nik_awal", "nama_depan_kunci").cast(pl.String),
        pl.col("jk_catat").cast(pl.Int8),
    ).with_row_index("i")
    members = evidence.with_columns(c=pl.Series(labels))
    sizes = members.group_by("c").agg(pl.len().alias("size"))
    multi = members.join(sizes.filter(pl.col("size") > 1), on="c")
    within = multi.join(multi, on="c", suffix="_b").filter(pl.col("i") < pl.col("i_b"))
    bad = within.filter(conflicting("", "", ("", "_b"))).select("c", "i", "i_b")
    labels = labels.astype(np.int64)
    if bad.height:
        links_c = links.with_columns(c=pl.Series(labels[links["i"].to_numpy()]))
        bad_by_cluster = bad.partition_by("c", as_dict=True)
        links_by_cluster = links_c.filter(
            pl.col("c").is_in(bad["c"].unique().implode())
        ).partition_by("c", as_dict=True)
        next_label = int(labels.max()) + 1
        for key, conflicts in bad_by_cluster.items():
            cluster_links = links_by_cluster[key]
            member_ids = np.flatnonzero(labels == key[0]).tolist()
            bad_set = {(int(a), int(b)) for a, b in conflicts.select("i", "i_b").iter_rows()}
            edges = [
                (float(p), int(i), int(j))
                for i, j, p in cluster_links.select("i", "j", "p").iter_rows()
            ]
            roots = _split(member_ids, edges, bad_set)
            for root in set(roots.values()):
                for m in member_ids:
                    if roots[m] == root:
                        labels[m] = next_label
                next_label += 1
    # strongest link kept inside the final cluster
    kept = links.filter(pl.Series(labels[links["i"].to_numpy()] == labels[links["j"].to_numpy()]))
    best = (
        pl.concat([kept.select(i="i", p="p"), kept.select(i="j", p="p")])
        .group_by("i")
        .agg(pl.col("p").max().alias("match_probability"))
    )
    out = ids.with_columns(label=pl.Series(labels)).join(
        best, on="i", how="left", maintain_order="left"
    )
    first = out.group_by("label").agg(pl.col("record_id").min().alias("cluster_id"))
    return out.join(first, on="label", how="left", maintain_order="left").select(
        "record_id", "cluster_id", "match_probability"
    )
