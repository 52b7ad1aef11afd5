"""The linkage model on Spark (``--engine spark``): Splink 5's Spark backend.

PySpark is an optional extra (``pip install -e .[spark]``) and needs Java 17 or newer.
The same prepared records, comparisons (in Spark SQL), blocking rules and training as the
DuckDB model (:class:`padu.engine.linkage.model.LinkageModel`) run on a Spark session:
a local one (``local[2]``, two shuffle partitions, adaptive execution off, logs at ERROR
only, scratch space and checkpoint directory under a temporary directory) unless a session
is given, e.g. one connected to a cluster. A session the model started is stopped by
:meth:`close`, and its temporary directory removed.

Both engines give the same clusters when they see the same training data: ``u`` is then
estimated on all pairs (``ModelSettings.u_max_pairs`` at least ``n * (n - 1) / 2``); on a
sample the two engines hash record ids differently, so they sample different pairs.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Any

import polars as pl

from padu.engine.linkage.model import LinkageModel, ModelSettings

__all__ = ["SparkLinkageModel", "local_session"]

_MISSING = (
    "Mesin Spark membutuhkan paket pyspark dan Java 17 atau lebih baru. Pasang dengan "
    "'pip install -e .[spark]' (di virtualenv Padu) dan paket Java (mis. "
    "'apt-get install default-jre-headless'), atau jalankan dengan --engine duckdb."
)


_LOG4J = """\
rootLogger.level = error
rootLogger.appenderRef.stderr.ref = console
appender.console.type = Console
appender.console.name = console
appender.console.target = SYSTEM_ERR
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = %d{HH:mm:ss} %p %c{1}: %m%n
"""


def local_session(workdir: Path, *, cores: int = 2, partitions: int = 2) -> Any:
    """A quiet local Spark session with Splink's similarity functions; its scratch space
    and checkpoints live under ``workdir``."""
    try:
        from pyspark.sql import SparkSession
        from splink.backends.spark import similarity_jar_location
    except ImportError as exc:
        raise ImportError(_MISSING) from exc
    log4j = workdir / "log4j2.properties"
    log4j.write_text(_LOG4J, encoding="utf-8")
    checkpoints = workdir / "checkpoints"
    checkpoints.mkdir(exist_ok=True)
    try:
        spark = (
            SparkSession.builder.master(f"local[{cores}]")
            .appName("padu-linkage")
            .config("spark.jars", similarity_jar_location())
            .config("spark.sql.shuffle.partitions", str(partitions))
            .config("spark.default.parallelism", str(partitions))
            .config("spark.ui.enabled", "false")
            .config("spark.ui.showConsoleProgress", "false")
            .config("spark.sql.adaptive.enabled", "false")  # small local jobs: less planning
            .config("spark.sql.execution.arrow.pyspark.enabled", "true")
            .config("spark.driver.extraJavaOptions", f"-Dlog4j2.configurationFile={log4j.as_uri()}")
            .config("spark.local.dir", str(workdir))
            .getOrCreate()
        )
    except Exception as exc:  # Java missing or unusable: PySpark raises its own types
        raise ValueError(f"{_MISSING} (Spark tidak dapat dijalankan: {exc})") from exc
    spark.sparkContext.setLogLevel("ERROR")
    spark.sparkContext.setCheckpointDir(str(checkpoints))
    return spark


class SparkLinkageModel(LinkageModel):
    """:class:`LinkageModel` on Splink's ``SparkAPI``; use as a context manager or call
    :meth:`close` to stop the session it started."""

    def __init__(
        self,
        records: pl.DataFrame,
        settings: ModelSettings | None = None,
        *,
        spark: Any = None,
        partitions: int = 2,
        lineage: str = "parquet",
    ) -> None:
        try:
            from splink import SparkAPI
        except ImportError as exc:
            raise ImportError(_MISSING) from exc
        # intermediate tables are written as Parquet under the checkpoint directory
        # (Splink's break_lineage_method; "persist" keeps them in memory instead)
        self._tmp = Path(tempfile.mkdtemp(prefix="padu-spark-"))
        self._own_session = spark is None
        self.spark = spark if spark is not None else local_session(self._tmp, partitions=partitions)
        db_api = SparkAPI(
            spark_session=self.spark,
            break_lineage_method=lineage,
            num_partitions_on_repartition=partitions,
        )
        try:
            super().__init__(records, settings, db_api)
        except BaseException:
            self.close()
            raise

    def close(self) -> None:
        """Stop the session this model started and remove its temporary files."""
        if self._own_session and self.spark is not None:
            self.spark.stop()
            self.spark = None
        shutil.rmtree(self._tmp, ignore_errors=True)

    def __enter__(self) -> SparkLinkageModel:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
