"""Clusters for new records linked against existing clusters (no Django).

The graph's nodes are the new records and the existing clusters touched by their links
(an existing cluster is one node: it is not re-opened). Links at or above the threshold
are added strongest first, as in :func:`.cluster.cluster_pairs`' split step, and a link is
refused when it would

- put records that conflict (:func:`.cluster.conflicting`: two NIKs, twins, two sexes)
  into one cluster: family protection, nothing to review; or
- join two different existing clusters: the bridge is refused and listed for clerical
  review (``review``: ``record_id, cluster_id, cluster_id_lain, match_probability,
  alasan``), because only a person may decide to merge two clusters already in use.
"""

from __future__ import annotations

import numpy as np
import polars as pl
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from padu.engine.linkage.cluster import conflicting

__all__ = ["REVIEW_COLUMNS", "cluster_incremental"]

REVIEW_COLUMNS = {
    "record_id": pl.String,
    "cluster_id": pl.String,
    "cluster_id_lain": pl.String,
    "match_probability": pl.Float64,
    "alasan": pl.String,
}
BRIDGE = "rekaman baru cocok dengan dua klaster yang sudah ada"
_EVIDENCE = ("nik", "nik_awal", "nama_depan_kunci", "jk_catat")


def _evidence(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.select(
        "record_id",
        pl.col("nik", "nik_awal", "nama_depan_kunci").cast(pl.String),
        pl.col("jk_catat").cast(pl.Int8),
    )


class _Groups:
    """Union-find over nodes; each group knows its existing cluster (anchor), if any."""

    def __init__(self, anchors: dict[int, int]) -> None:
        self.parent: dict[int, int] = {}
        self.members: dict[int, set[int]] = {}
        self.anchor = dict(anchors)

    def find(self, x: int) -> int:
        if x not in self.parent:
            self.parent[x], self.members[x] = x, {x}
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: int, b: int) -> None:
        if len(self.members[a]) < len(self.members[b]):
            a, b = b, a
        self.parent[b] = a
        self.members[a] |= self.members.pop(b)
        if self.anchor.get(a) is None:
            self.anchor[a] = self.anchor.get(b)  # type: ignore[assignment]


def _bad_pairs(
    nodes: pl.DataFrame, new_ev: pl.DataFrame, old_ev: pl.DataFrame, labels: np.ndarray
) -> set[tuple[int, int]]:
    """Node pairs holding conflicting records, within each connected component."""
    placed = nodes.with_columns(comp=pl.Series(labels[nodes["node"].to_numpy()]))
    new_rows = new_ev.join(
        placed.filter(pl.col("new")).select("record_id", "node", "comp"), on="record_id"
    )
    old_rows = old_ev.join(
        placed.filter(~pl.col("new")).select("cluster_id", "node", "comp"), on="cluster_id"
    ).drop("cluster_id")
    everyone = pl.concat([new_rows.select(old_rows.columns), old_rows])
    pairs = new_rows.select(old_rows.columns).join(everyone, on="comp", suffix="_b")
    bad = pairs.filter((pl.col("node") != pl.col("node_b")) & conflicting("", "", ("", "_b")))
    return {(min(a, b), max(a, b)) for a, b in bad.select("node", "node_b").iter_rows()}


def cluster_incremental(
    new: pl.DataFrame, existing: pl.DataFrame, pairs: pl.DataFrame, threshold: float
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """``(clusters, review)`` for the ``new`` records (prepared evidence).

    ``existing``: prepared evidence with ``cluster_id``; ``pairs``: ``record_id_l,
    record_id_r, match_probability`` (each involving at least one new record).
    """
    new_ids = new.select(pl.col("record_id").cast(pl.String)).with_row_index("node")
    n_new = new_ids.height
    owner = existing.select(pl.col("record_id", "cluster_id").cast(pl.String))
    links = pairs.filter(pl.col("match_probability") >= threshold).select(
        pl.col("record_id_l", "record_id_r").cast(pl.String), p="match_probability"
    )
    touched = (
        pl.concat([links["record_id_l"], links["record_id_r"]])
        .to_frame("record_id")
        .join(owner, on="record_id")
        .select("cluster_id")
        .unique()
        .sort("cluster_id")
    )
    clusters = touched.with_row_index("node", offset=n_new)
    nodes = pl.concat(
        [
            new_ids.select(
                "node", "record_id", cluster_id=pl.lit(None, pl.String), new=pl.lit(True)
            ),
            clusters.select(
                "node",
                record_id=pl.lit(None, pl.String),
                cluster_id="cluster_id",
                new=pl.lit(False),
            ),
        ]
    )
    record_node = pl.concat(
        [
            new_ids.select("record_id", "node"),
            owner.join(clusters, on="cluster_id").select("record_id", "node"),
        ]
    )
    edges = (
        links.join(record_node.rename({"record_id": "record_id_l", "node": "u"}), on="record_id_l")
        .join(record_node.rename({"record_id": "record_id_r", "node": "v"}), on="record_id_r")
        .filter(pl.col("u") != pl.col("v"))
        .select(a=pl.min_horizontal("u", "v"), b=pl.max_horizontal("u", "v"), p="p")
        .group_by("a", "b")
        .agg(pl.col("p").max())
        .sort(["p", "a", "b"], descending=[True, False, False])
    )
    n_nodes = n_new + clusters.height
    a, b = edges["a"].to_numpy(), edges["b"].to_numpy()
    graph = coo_matrix((np.ones(len(a), dtype=np.int8), (a, b)), shape=(n_nodes, n_nodes))
    _, labels = connected_components(graph, directed=False)
    members = existing.filter(
        pl.col("cluster_id").cast(pl.String).is_in(touched["cluster_id"].implode())
    )
    old_evidence = _evidence(members).with_columns(members["cluster_id"].cast(pl.String))
    bad = _bad_pairs(nodes, _evidence(new), old_evidence, labels)

    groups = _Groups({int(n): int(n) for n in clusters["node"]})
    refused: list[tuple[int, int, float]] = []  # (new record node, other cluster node, p)
    for u, v, p in edges.iter_rows():
        ru, rv = groups.find(u), groups.find(v)
        if ru == rv:
            continue
        anchor_u, anchor_v = groups.anchor.get(ru), groups.anchor.get(rv)
        if anchor_u is not None and anchor_v is not None:
            refused += [(x, other, p) for x, other in ((u, anchor_v), (v, anchor_u)) if x < n_new]
            continue
        members_u, members_v = groups.members[ru], groups.members[rv]
        if any((min(x, y), max(x, y)) in bad for x in members_u for y in members_v):
            continue
        groups.union(ru, rv)

    cluster_name = dict(clusters.select("node", "cluster_id").iter_rows())
    record_name = new_ids["record_id"].to_list()
    taken = set(owner["cluster_id"].unique().to_list())
    root_name: dict[int, str] = {}
    for top, group in groups.members.items():
        anchor = groups.anchor.get(top)
        if anchor is not None:
            root_name[top] = cluster_name[anchor]
        else:
            name = min(record_name[m] for m in group)
            root_name[top] = f"baru-{name}" if name in taken else name
    final = [
        root_name[groups.find(i)] if i in groups.parent else record_name[i] for i in range(n_new)
    ]
    roots = np.array([groups.find(i) if i in groups.parent else -1 - i for i in range(n_nodes)])
    kept = edges.filter(pl.Series(roots[a] == roots[b]) if len(a) else pl.lit(True))
    best = (
        pl.concat([kept.select(node="a", p="p"), kept.select(node="b", p="p")])
        .group_by("node")
        .agg(pl.col("p").max().alias("match_probability"))
    )
    out = (
        new_ids.with_columns(cluster_id=pl.Series(final, dtype=pl.String))
        .join(best.cast({"node": pl.UInt32}), on="node", how="left", maintain_order="left")
        .select("record_id", "cluster_id", "match_probability")
    )
    review = pl.DataFrame(
        [(record_name[x], final[x], cluster_name[other], p, BRIDGE) for x, other, p in refused],
        schema=REVIEW_COLUMNS,
        orient="row",
    )
    review = (
        review.sort("match_probability", descending=True)
        .unique(["record_id", "cluster_id_lain"], keep="first", maintain_order=True)
        .sort("record_id", "cluster_id_lain")
    )
    return out, review
