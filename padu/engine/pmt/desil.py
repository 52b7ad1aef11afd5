"""Person-weighted desil 1-10 within a population (no Django).

Families are ordered by score (lower = poorer), ties broken by ``id_keluarga`` so the same
data always gives the same desil. A family falls in the desil where the middle of its
persons lies on the cumulative person count of its group: each desil then holds 10% of the
persons, up to half a family at each boundary.
"""

from __future__ import annotations

import polars as pl


def assign_desil(
    frame: pl.DataFrame,
    *,
    score: str = "score",
    weight: str = "jumlah_art",
    tie: str = "id_keluarga",
    group: str | None = None,
    out: str = "desil",
) -> pl.DataFrame:
    """``frame`` with a desil column, person-weighted within ``group`` (None: all rows)."""
    if frame.height == 0:
        return frame.with_columns(pl.lit(None, dtype=pl.Int8).alias(out))
    key = "__urut"
    ordered = frame.with_row_index(key).sort([*([group] if group else []), score, tie])
    w = pl.col(weight).cast(pl.Float64).fill_null(0.0).clip(lower_bound=0.0)
    if group:
        cum = w.cum_sum().over(group)
        total = w.sum().over(group)
    else:
        cum = w.cum_sum()
        total = w.sum()
    # A group whose families hold no persons at all: rank by family count instead.
    count_mid = (pl.int_range(pl.len()) + 0.5) / pl.len()
    if group:
        count_mid = count_mid.over(group)
    mid = pl.when(total > 0).then((cum - w / 2.0) / total).otherwise(count_mid)
    ranked = ordered.with_columns(
        ((mid * 10.0).floor().cast(pl.Int64).clip(0, 9) + 1).cast(pl.Int8).alias(out)
    )
    return ranked.sort(key).drop(key)


def desil_shares(
    frame: pl.DataFrame, *, weight: str = "jumlah_art", desil: str = "desil"
) -> pl.DataFrame:
    """Share of persons in each desil (for checks and reports)."""
    total = frame[weight].cast(pl.Float64).sum()
    return (
        frame.group_by(desil)
        .agg(orang=pl.col(weight).cast(pl.Float64).sum(), keluarga=pl.len())
        .with_columns(porsi=pl.col("orang") / total)
        .sort(desil)
    )
