"""Reviewers' decisions applied to the clusters of a run (no database access).

The engine's clusters come first; then

1. a cluster holding a *rejected* pair (different people) is split again: its links are
   added strongest first and a link that would bring a rejected pair together is refused;
2. clusters joined by an *accepted* pair (the same person) are merged, unless that would
   bring a rejected pair together (the contradiction stays for a reviewer).

So a rejected pair is never merged again and an accepted pair stays merged.
"""

from __future__ import annotations

import polars as pl


class _Groups:
    """Union-find over record ids that refuses unions joining a rejected pair."""

    def __init__(self, records: list[str], rejected: set[tuple[str, str]]) -> None:
        self.parent = {r: r for r in records}
        self.members = {r: {r} for r in records}
        self.rejected = rejected

    def find(self, x: str) -> str:
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: str, b: str) -> bool:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return True
        small, big = sorted((self.members[ra], self.members[rb]), key=len)
        if any((min(x, y), max(x, y)) in self.rejected for x in small for y in big):
            return False
        if len(self.members[ra]) < len(self.members[rb]):
            ra, rb = rb, ra
        self.parent[rb] = ra
        self.members[ra] |= self.members.pop(rb)
        return True


def _pair(a: str, b: str) -> tuple[str, str]:
    return (a, b) if a < b else (b, a)


def apply_decisions(
    clusters: pl.DataFrame,
    pairs: pl.DataFrame,
    decisions: pl.DataFrame,
    threshold: float,
) -> pl.DataFrame:
    """``clusters`` (``record_id, cluster_id, match_probability``) after the decisions
    (``record_a, record_b, verdict`` with verdict ``sama``/``beda``); cluster ids stay the
    smallest record id of each cluster."""
    known = set(clusters["record_id"].to_list()) if decisions.height else set()
    rows = [
        (a, b, v)
        for a, b, v in decisions.select("record_a", "record_b", "verdict").iter_rows()
        if a in known and b in known and a != b
    ]
    if not rows:
        return clusters
    rejected = {_pair(a, b) for a, b, v in rows if v == "beda"}
    accepted = [_pair(a, b) for a, b, v in rows if v == "sama" and _pair(a, b) not in rejected]
    involved_records = {x for pair in rejected for x in pair} | {x for p in accepted for x in p}
    label = dict(
        clusters.filter(pl.col("record_id").is_in(list(involved_records)))
        .select("record_id", "cluster_id")
        .iter_rows()
    )
    involved_clusters = set(label.values())
    part = clusters.filter(pl.col("cluster_id").is_in(list(involved_clusters)))
    records = part["record_id"].to_list()
    cluster_of = dict(part.select("record_id", "cluster_id").iter_rows())
    groups = _Groups(records, rejected)
    inside = set(records)
    links = (
        pairs.filter(
            (pl.col("match_probability") >= threshold)
            & pl.col("record_id_l").is_in(records)
            & pl.col("record_id_r").is_in(records)
        )
        .select("record_id_l", "record_id_r", "match_probability")
        .sort("match_probability", descending=True)
    )
    for a, b in accepted:  # the reviewers' word first
        groups.union(a, b)
    for a, b, _ in links.iter_rows():
        if a in inside and b in inside and cluster_of[a] == cluster_of[b]:
            groups.union(a, b)  # rebuild each engine cluster, refusing rejected pairs
    roots = {r: groups.find(r) for r in records}
    new_id: dict[str, str] = {}
    for record, root in roots.items():
        new_id[root] = min(new_id.get(root, record), record)
    mapping = pl.DataFrame(
        {"record_id": records, "new_cluster": [new_id[roots[r]] for r in records]},
        schema={"record_id": pl.String, "new_cluster": pl.String},
    )
    return (
        clusters.join(mapping, on="record_id", how="left", maintain_order="left")
        .with_columns(cluster_id=pl.coalesce("new_cluster", "cluster_id"))
        .drop("new_cluster")
    )
