"""What every rule gets and returns, and the registry of rule functions (no Django).

A rule is a function ``(data, params) -> findings``: Polars column operations over the
prepared frames, never a loop over rows. Findings have the columns of
:data:`FINDING_SCHEMA` (``table, record_id, field, detail``); the engine adds the rule's
code, severity and text. A rule that cannot run on the data given (a column or reference
list is missing) raises :class:`NotApplicable` with the reason, which the engine reports.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import polars as pl

from padu.engine.rules.frames import FINDING_SCHEMA, Reference

DAYS_PER_YEAR = 365.2425


@dataclass(frozen=True)
class Data:
    """Prepared frames: ``keluarga`` and ``art`` (typed, with identity checks), ``families``
    (facts per family from its members), ``bad`` (cells that did not parse), ``peers``
    (other persons of the register, for duplicate rules; may be empty) and ``ref``."""

    keluarga: pl.DataFrame
    art: pl.DataFrame
    families: pl.DataFrame
    bad: pl.DataFrame
    peers: pl.DataFrame
    ref: Reference


class NotApplicable(Exception):
    """The rule cannot run on these data; the message says why, in Bahasa Indonesia."""


RuleFunction = Callable[[Data, dict[str, Any]], pl.DataFrame]
RULES: dict[str, RuleFunction] = {}


def rule(code: str) -> Callable[[RuleFunction], RuleFunction]:
    """Register a rule function under its catalogue code."""

    def register(function: RuleFunction) -> RuleFunction:
        if code in RULES:
            raise ValueError(f"rule {code} registered twice")
        RULES[code] = function
        return function

    return register


def hits(
    frame: pl.DataFrame,
    table: str,
    *,
    field: str | pl.Expr | None = None,
    detail: pl.Expr | None = None,
) -> pl.DataFrame:
    """Rows of ``frame`` (already filtered to the violations) as findings."""
    name = field if isinstance(field, pl.Expr) else pl.lit(field, dtype=pl.String)
    return frame.select(
        table=pl.lit(table),
        record_id=pl.col("record_id"),
        field=name.cast(pl.String),
        detail=(detail if detail is not None else pl.lit(None)).cast(pl.String),
    )


def where(frame: pl.DataFrame, condition: pl.Expr) -> pl.DataFrame:
    """``frame`` filtered on ``condition``, null counting as false."""
    return frame.filter(condition.fill_null(False))


def years_between(earlier: pl.Expr, later: pl.Expr) -> pl.Expr:
    return (later - earlier).dt.total_days() / DAYS_PER_YEAR


def any_flag(columns: list[str], frame: pl.DataFrame) -> pl.Expr:
    """True where any of ``columns`` (programme flags present in ``frame``) is set."""
    present = [pl.col(c).fill_null(False) for c in columns if c in frame.columns]
    return pl.any_horizontal(present) if present else pl.lit(False)


def empty() -> pl.DataFrame:
    return pl.DataFrame(schema=FINDING_SCHEMA)
