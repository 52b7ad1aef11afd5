"""One linkage run from person records to clusters (no Django): what ``padu link`` runs.

:func:`link_records` prepares the evidence, trains the model on the data itself, scores
candidate pairs and clusters them; :func:`link_file` does the same from and to CSV files
in the formats of ``formats/dtks-csv.md`` (every input record gets a cluster row).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import polars as pl

from padu.engine.linkage.cluster import cluster_pairs
from padu.engine.linkage.evidence import INPUT_COLUMNS, prepare_records
from padu.engine.linkage.model import LinkageModel, ModelSettings

__all__ = ["ENGINES", "LinkResult", "link_file", "link_records", "read_persons"]

ENGINES = ("duckdb", "spark")
DEFAULT_THRESHOLD = 0.99
# The stages link_records reports to its progress callable, in order.
LINK_STEPS = ("persiapan", "pelatihan", "penilaian", "klaster")
PAIR_COLUMNS = [
    "record_id_l", "record_id_r", "match_probability", "match_weight",
    "gamma_nik", "gamma_nama", "gamma_tgl", "gamma_jk", "gamma_desa", "gamma_rt_rw",
    "gamma_kk", "gamma_ibu",
]  # fmt: skip


@dataclass
class LinkResult:
    """What a linkage run returns.

    ``review`` is set by incremental runs (:func:`.incremental.link_incremental`): links
    refused because they would have joined two existing clusters (``record_id,
    cluster_id, cluster_id_lain, match_probability, alasan``), for clerical review.
    """

    clusters: pl.DataFrame  # record_id, cluster_id, match_probability
    pairs: pl.DataFrame  # scored candidate pairs (PAIR_COLUMNS)
    seconds: dict[str, float] = field(default_factory=dict)
    review: pl.DataFrame | None = None


def read_persons(path: str | Path) -> pl.DataFrame:
    """The linkage input as text columns; a clear error when it cannot be used."""
    try:
        frame = pl.read_csv(path, infer_schema=False, encoding="utf8-lossy")
    except (OSError, pl.exceptions.PolarsError) as exc:
        raise ValueError(f"Berkas {path} tidak dapat dibaca sebagai CSV: {exc}") from exc
    if "record_id" not in frame.columns:
        raise ValueError(
            f"Berkas {path} tidak punya kolom record_id. Kolom yang dikenali: "
            f"{', '.join(INPUT_COLUMNS)}; hanya record_id yang wajib."
        )
    duplicated = frame.filter(pl.col("record_id").is_duplicated())["record_id"].unique()
    if duplicated.len():
        shown = ", ".join(duplicated.head(5).to_list())
        raise ValueError(
            f"record_id harus unik, tetapi {duplicated.len()} nilai muncul lebih dari sekali "
            f"(mis. {shown}). Beri setiap baris record_id sendiri lalu ulangi."
        )
    if frame["record_id"].null_count():
        raise ValueError("Ada baris tanpa record_id. Isi record_id setiap baris lalu ulangi.")
    return frame


def link_records(
    records: pl.DataFrame,
    *,
    engine: str = "duckdb",
    threshold: float = DEFAULT_THRESHOLD,
    settings: ModelSettings | None = None,
    today: date | None = None,
    on_model: Callable[[LinkageModel], None] | None = None,
    progress: Callable[[str], None] | None = None,
) -> LinkResult:
    """Cluster ``records`` (linkage input columns) into persons.

    ``on_model`` is called with the trained model before its engine is closed (e.g.
    :func:`.incremental.save_model` to keep its parameters for incremental runs).
    ``progress`` is called with the name of each of the :data:`LINK_STEPS` stages as it ends.
    """
    done = progress or (lambda _name: None)
    if engine not in ENGINES:
        raise ValueError(f"Mesin '{engine}' tidak dikenal; pilih salah satu: {', '.join(ENGINES)}.")
    seconds: dict[str, float] = {}
    started = time.perf_counter()
    prepared = prepare_records(records, today=today)
    seconds["persiapan"] = time.perf_counter() - started
    done("persiapan")
    if prepared.height < 2:
        pairs = pl.DataFrame(schema=dict.fromkeys(PAIR_COLUMNS, pl.Float64)).cast(
            {"record_id_l": pl.String, "record_id_r": pl.String}
        )
    else:
        if engine == "spark":
            from padu.engine.linkage.spark import SparkLinkageModel

            model: LinkageModel = SparkLinkageModel(prepared, settings)
        else:
            model = LinkageModel(prepared, settings)
        try:
            mark = time.perf_counter()
            model.train()
            seconds["pelatihan"] = time.perf_counter() - mark
            done("pelatihan")
            mark = time.perf_counter()
            scored = model.predict(threshold=min(0.01, threshold))
            pairs = scored.select([c for c in PAIR_COLUMNS if c in scored.columns])
            seconds["penilaian"] = time.perf_counter() - mark
            done("penilaian")
            if on_model is not None:
                on_model(model)
        finally:
            close = getattr(model, "close", None)
            if close is not None:
                close()
    mark = time.perf_counter()
    clusters = cluster_pairs(prepared, pairs, threshold)
    seconds["klaster"] = time.perf_counter() - mark
    done("klaster")
    return LinkResult(clusters=clusters, pairs=pairs, seconds=seconds)


def link_file(
    persons: str | Path,
    out: str | Path,
    *,
    pairs_out: str | Path | None = None,
    engine: str = "duckdb",
    threshold: float = DEFAULT_THRESHOLD,
    on_model: Callable[[LinkageModel], None] | None = None,
    save_existing: str | Path | None = None,
    progress: Callable[[str], None] | None = None,
) -> LinkResult:
    """Link a persons CSV and write ``clusters`` (and the scored pairs) as CSV.

    ``progress``: called after reading, each of :data:`LINK_STEPS` and writing.

    ``save_existing``: also write every record's prepared evidence with its
    ``cluster_id`` as Parquet, the input of a later incremental run (``--existing``).
    """
    records = read_persons(persons)
    if progress is not None:
        progress(Path(persons).name)
    result = link_records(
        records, engine=engine, threshold=threshold, on_model=on_model, progress=progress
    )
    result.clusters.write_csv(out)
    if pairs_out is not None:
        result.pairs.write_csv(pairs_out)
    if save_existing is not None:
        prepare_records(records).with_columns(result.clusters["cluster_id"]).write_parquet(
            save_existing
        )
    if progress is not None:
        progress(Path(out).name)
    return result
