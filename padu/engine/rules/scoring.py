"""Scoring findings against the labels of injected errors (``padu synth --errors``).

Recall per error kind: the share of labelled records with a finding of the same rule code.
False alarms: the share of clean records (no label at all) with an error-severity finding.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl


@dataclass(frozen=True)
class Score:
    recall: pl.DataFrame  # error, labelled, found, recall
    clean_records: int
    clean_with_error: int

    @property
    def false_alarm_rate(self) -> float:
        return self.clean_with_error / self.clean_records if self.clean_records else 0.0

    @property
    def min_recall(self) -> float:
        return (
            float(self.recall.select(pl.col("recall").min()).item() or 0.0)
            if self.recall.height
            else 1.0
        )


def score(issues: pl.DataFrame, labels: pl.DataFrame, *, n_keluarga: int, n_art: int) -> Score:
    """``issues`` from the engine (with ``table``), ``labels`` as written by the generator
    (``table, record_id, error, field``)."""
    found = issues.select("table", "record_id", error="rule").unique()
    matched = labels.join(
        found.with_columns(_found=pl.lit(True)), on=["table", "record_id", "error"], how="left"
    )
    recall = (
        matched.group_by("error")
        .agg(labelled=pl.len(), found=pl.col("_found").fill_null(False).sum())
        .with_columns(recall=pl.col("found") / pl.col("labelled"))
        .sort("error")
    )
    labelled = labels.select("table", "record_id").unique()
    flagged = (
        issues.filter(pl.col("severity") == "error")
        .select("table", "record_id")
        .unique()
        .join(labelled, on=["table", "record_id"], how="anti")
    )
    clean = n_keluarga + n_art - labelled.height
    return Score(recall=recall, clean_records=clean, clean_with_error=flagged.height)
