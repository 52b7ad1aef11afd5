"""Quality of a clustering against the truth: pairwise and B-cubed (no Django).

Pairwise: every pair of records in one predicted cluster is a predicted link; precision
is the share of predicted links between records of the same true person, recall the
share of true links predicted. B-cubed averages, over records, the share of the record's
predicted cluster that is truly its person (precision) and the share of its person found
in its cluster (recall). Both are computed from the contingency table of (cluster,
person) counts: no pair is ever materialised.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import polars as pl

__all__ = ["LinkageScores", "score_clusters", "score_new_records"]


@dataclass(frozen=True)
class LinkageScores:
    records: int
    true_pairs: int
    predicted_pairs: int
    correct_pairs: int
    precision: float
    recall: float
    f1: float
    bcubed_precision: float
    bcubed_recall: float
    bcubed_f1: float

    def as_dict(self) -> dict[str, float | int]:
        return asdict(self)


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def _pairs(n: pl.Expr) -> pl.Expr:
    return (n * (n - 1) // 2).sum()


def score_clusters(clusters: pl.DataFrame, truth: pl.DataFrame) -> LinkageScores:
    """``clusters``: ``record_id, cluster_id``; ``truth``: ``record_id, person_id``.

    Every record of ``truth`` must have a cluster (else :class:`ValueError`).
    """
    both = truth.select("record_id", "person_id").join(
        clusters.select("record_id", "cluster_id"), on="record_id", how="left"
    )
    missing = both["cluster_id"].null_count()
    if missing:
        raise ValueError(f"{missing} rekaman dalam kebenaran (truth) tidak punya klaster.")
    cells = both.group_by("cluster_id", "person_id").agg(n=pl.len())
    cluster_size = cells.group_by("cluster_id").agg(c=pl.col("n").sum())
    person_size = cells.group_by("person_id").agg(t=pl.col("n").sum())
    correct = int(cells.select(_pairs(pl.col("n"))).item())
    predicted = int(cluster_size.select(_pairs(pl.col("c"))).item())
    true = int(person_size.select(_pairs(pl.col("t"))).item())
    cells = cells.join(cluster_size, on="cluster_id").join(person_size, on="person_id")
    n = both.height
    b_p = float(cells.select((pl.col("n") ** 2 / pl.col("c")).sum()).item()) / n
    b_r = float(cells.select((pl.col("n") ** 2 / pl.col("t")).sum()).item()) / n
    return _scores(n, true, predicted, correct, b_p, b_r)


def _scores(
    n: int, true: int, predicted: int, correct: int, b_p: float, b_r: float
) -> LinkageScores:
    precision = correct / predicted if predicted else 1.0
    recall = correct / true if true else 1.0
    return LinkageScores(
        records=n,
        true_pairs=true,
        predicted_pairs=predicted,
        correct_pairs=correct,
        precision=precision,
        recall=recall,
        f1=_f1(precision, recall),
        bcubed_precision=b_p,
        bcubed_recall=b_r,
        bcubed_f1=_f1(b_p, b_r),
    )


def score_new_records(
    clusters: pl.DataFrame, truth: pl.DataFrame, new_ids: pl.Series | list[str]
) -> LinkageScores:
    """As :func:`score_clusters`, counting only what involves the ``new_ids`` records:
    pairs with at least one new record, and B-cubed averaged over the new records.

    The quality of an incremental run: pairs among the records already linked before
    are not its work.
    """
    new = pl.Series("record_id", new_ids, dtype=pl.String).implode()
    both = (
        truth.select("record_id", "person_id")
        .join(clusters.select("record_id", "cluster_id"), on="record_id", how="left")
        .with_columns(new=pl.col("record_id").is_in(new))
    )
    missing = both["cluster_id"].null_count()
    if missing:
        raise ValueError(f"{missing} rekaman dalam kebenaran (truth) tidak punya klaster.")
    old = pl.col("n") - pl.col("n_new")
    cells = both.group_by("cluster_id", "person_id").agg(n=pl.len(), n_new=pl.col("new").sum())
    cluster_size = cells.group_by("cluster_id").agg(c=pl.col("n").sum(), c_old=old.sum())
    person_size = cells.group_by("person_id").agg(t=pl.col("n").sum(), t_old=old.sum())

    def involving_new(total: str, before: pl.Expr, frame: pl.DataFrame) -> int:
        return int(frame.select(_pairs(pl.col(total)) - _pairs(before)).item())

    correct = involving_new("n", old, cells)
    predicted = involving_new("c", pl.col("c_old"), cluster_size)
    true = involving_new("t", pl.col("t_old"), person_size)
    cells = cells.join(cluster_size, on="cluster_id").join(person_size, on="person_id")
    n = int(both["new"].sum())
    b_p = float(cells.select((pl.col("n_new") * pl.col("n") / pl.col("c")).sum()).item()) / n
    b_r = float(cells.select((pl.col("n_new") * pl.col("n") / pl.col("t")).sum()).item()) / n
    return _scores(n, true, predicted, correct, b_p, b_r)
