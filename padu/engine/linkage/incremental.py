"""Incremental linkage: new records against records already linked (no Django).

A new import is linked against the existing clusters without re-running everything:

1. **Model.** The parameters trained by a full run are saved as Splink's settings dict in
   JSON (:func:`save_model`, :func:`load_model`; ``padu link --save-model``) and reused,
   so nothing is re-trained. Without a saved model the run trains on existing + new
   (as slow as a full run's training).
2. **Evidence.** The new records are prepared (:func:`~.evidence.prepare_records`). The
   existing records may come already prepared (:func:`prepare_existing`, e.g. kept as
   Parquet beside their clusters): a frame that has the prepared columns is used as it
   is, so a million existing records are not normalised again on every import.
3. **Candidates.** The blocking keys are built over existing + new (a key shared by more
   than ``max_block`` records is left out, exactly as in the full run); only existing
   records sharing at least one key with a new record are handed to Splink. Term
   frequencies of names are counted over existing + new and registered with Splink.
4. **Scoring.** Only pairs involving a new record are scored: new x existing
   (``predict_between``) and new x new (``predict_within``), with the saved parameters.
5. **Clustering** (:mod:`.incremental_cluster`): existing clusters stay as they are and
   are never merged with each other automatically. New records join an existing cluster
   or form new ones through their strongest links; a link that would bring conflicting
   records together (two NIKs, twins, two sexes: :func:`.cluster.conflicting`) is refused.
   A new record (or group of new records) linked above the threshold to two different
   existing clusters joins the strongest one only, and each refused bridge is listed in
   :attr:`LinkResult.review` for clerical review (the clusters may be one person that the
   earlier run missed, or the new record may be a mix of two people).

The result has a cluster row for every *new* record: the existing ``cluster_id`` it
joined, or a fresh one (its group's smallest ``record_id``; prefixed ``baru-`` if that
would collide with an existing cluster id).
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import polars as pl

from padu.engine.linkage.evidence import prepare_records
from padu.engine.linkage.incremental_cluster import cluster_incremental
from padu.engine.linkage.model import (
    LinkageModel,
    ModelSettings,
    duckdb_api,
    register_table,
    splink_table,
    to_polars,
)
from padu.engine.linkage.pipeline import DEFAULT_THRESHOLD, PAIR_COLUMNS, LinkResult, read_persons

__all__ = [
    "is_prepared",
    "link_file_incremental",
    "link_incremental",
    "load_model",
    "prepare_existing",
    "read_linked",
    "save_model",
]

# columns that only a prepared frame has
_PREPARED = ("nama_urut", "nama_kunci", "tgl_baik", "jk_catat", "nik_awal")


def save_model(model: LinkageModel | dict[str, Any], path: str | Path) -> None:
    """Write the trained parameters (Splink's settings dict) as JSON to ``path``."""
    parameters = model.parameters() if isinstance(model, LinkageModel) else model
    Path(path).write_text(json.dumps(parameters, indent=2), encoding="utf-8")


def load_model(path: str | Path) -> dict[str, Any]:
    """The parameters saved by :func:`save_model`; a clear error when unusable."""
    try:
        parameters = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ValueError(
            f"Model linkage {path} tidak dapat dibaca sebagai JSON: {exc}. Simpan model "
            "dengan 'padu link ... --save-model model.json' lalu ulangi."
        ) from exc
    if not isinstance(parameters, dict) or "comparisons" not in parameters:
        raise ValueError(
            f"Berkas {path} bukan model linkage Padu (tidak ada 'comparisons'). Simpan "
            "model dengan 'padu link ... --save-model model.json' lalu ulangi."
        )
    return parameters


def is_prepared(frame: pl.DataFrame) -> bool:
    """Whether ``frame`` already holds prepared evidence (:func:`prepare_existing`)."""
    return all(c in frame.columns for c in _PREPARED)


def prepare_existing(existing: pl.DataFrame, *, today: date | None = None) -> pl.DataFrame:
    """Prepared evidence of linked records, with their ``cluster_id``.

    Keep the result (``write_parquet``) to skip this step on the next import; a frame
    that is already prepared is returned as it is.
    """
    if "cluster_id" not in existing.columns:
        raise ValueError(
            "Rekaman yang sudah ditautkan harus punya kolom cluster_id (hasil 'padu link')."
        )
    if existing["cluster_id"].null_count():
        raise ValueError(
            "Ada rekaman lama tanpa cluster_id. Setiap rekaman yang sudah ditautkan harus "
            "punya klaster; isi kolom itu lalu ulangi."
        )
    if is_prepared(existing):
        return existing.with_columns(pl.col("record_id", "cluster_id").cast(pl.String))
    prepared = prepare_records(existing.drop("cluster_id"), today=today)
    return prepared.with_columns(cluster_id=existing["cluster_id"].cast(pl.String))


def _check_new(new: pl.DataFrame, existing: pl.DataFrame) -> None:
    if "record_id" not in new.columns:
        raise ValueError("Kolom record_id wajib ada pada rekaman baru.")
    if new["record_id"].null_count() or new["record_id"].is_duplicated().any():
        raise ValueError("record_id rekaman baru harus terisi dan unik.")
    seen = new.filter(pl.col("record_id").cast(pl.String).is_in(existing["record_id"].implode()))
    if seen.height:
        shown = ", ".join(seen["record_id"].cast(pl.String).head(5).to_list())
        raise ValueError(
            f"{seen.height} rekaman baru sudah ada di antara rekaman yang ditautkan "
            f"(mis. {shown}). Buang rekaman itu dari berkas baru, atau beri record_id baru."
        )


def _candidates(table: pl.DataFrame, n_existing: int, rules: list[str]) -> pl.DataFrame:
    """Existing rows of ``table`` (the first ``n_existing``) sharing a key with a new row."""
    existing, new = table.head(n_existing), table.tail(table.height - n_existing)
    shared = pl.lit(False)
    for rule in rules:
        column = f"blk_{rule}"
        keys = new[column].drop_nulls().unique().implode()
        shared = shared | pl.col(column).is_in(keys).fill_null(False)
    return existing.filter(shared)


def _term_frequencies(table: pl.DataFrame, column: str) -> pl.DataFrame:
    """Splink's term-frequency table: each value's share of the non-blank values."""
    values = table.select(column).drop_nulls()
    return (
        values.group_by(column)
        .len()
        .select(column, (pl.col("len") / values.height).alias(f"tf_{column}"))
    )


def _score(
    parameters: dict[str, Any],
    candidates: pl.DataFrame,
    new: pl.DataFrame,
    tf: pl.DataFrame,
    settings: ModelSettings,
) -> pl.DataFrame:
    """Pairs new x candidates and new x new, scored with the saved parameters."""
    from splink import Linker, block_on

    if parameters.get("sql_dialect", "duckdb") != "duckdb":
        raise ValueError(
            "Penautan bertahap memakai mesin duckdb; model ini dilatih dengan mesin "
            f"{parameters.get('sql_dialect')}. Latih dan simpan model dengan --engine duckdb."
        )
    db_api = duckdb_api()
    new_sdf = register_table(db_api, new, "padu_baru")
    old_sdf = register_table(db_api, candidates, "padu_lama")
    linker = Linker(new_sdf, dict(parameters), log_level=logging.ERROR)
    tf_sdf = register_table(db_api, tf, "padu_tf_nama_urut")
    linker.table_management.register_term_frequency_lookup(tf_sdf, "nama_urut")
    rules: list[Any] = [block_on(f"blk_{name}") for name in settings.blocking_rules]
    scored = []
    if candidates.height:
        between = linker.inference.predict_between(
            old_sdf,
            new_sdf,
            blocking_rules_to_generate_predictions=rules,
            threshold_match_probability=0.01,
            warning_mode="never",
        )
        scored.append(to_polars(between))
    if new.height > 1:
        within = linker.inference.predict_within(
            new_sdf,
            blocking_rules_to_generate_predictions=rules,
            threshold_match_probability=0.01,
            warning_mode="never",
        )
        scored.append(to_polars(within))
    empty = pl.DataFrame(schema=dict.fromkeys(PAIR_COLUMNS, pl.Float64)).cast(
        {"record_id_l": pl.String, "record_id_r": pl.String}
    )
    frames = [f.select([c for c in PAIR_COLUMNS if c in f.columns]) for f in scored]
    return pl.concat([empty, *frames], how="diagonal_relaxed")


def link_incremental(
    new: pl.DataFrame,
    existing: pl.DataFrame,
    *,
    model: dict[str, Any] | None = None,
    threshold: float = DEFAULT_THRESHOLD,
    settings: ModelSettings | None = None,
    today: date | None = None,
    on_model: Callable[[dict[str, Any]], None] | None = None,
) -> LinkResult:
    """Link ``new`` records (linkage input columns) against ``existing`` linked ones.

    ``existing``: linkage input columns, or the prepared evidence of
    :func:`prepare_existing`, plus ``cluster_id``. ``model``: parameters from
    :func:`load_model`; ``None`` trains on existing + new first. Returns clusters for the
    new records only, the scored pairs that involve a new record, and ``review``: bridges
    to a second existing cluster that were refused (see the module docstring).
    ``on_model`` receives the parameters used (e.g. to save freshly trained ones).
    """
    settings = settings or ModelSettings()
    seconds: dict[str, float] = {}
    started = time.perf_counter()
    _check_new(new, existing)
    old = prepare_existing(existing, today=today)
    fresh = prepare_records(new, today=today)
    seconds["persiapan"] = time.perf_counter() - started
    mark = time.perf_counter()
    both = pl.concat(
        [old.drop("cluster_id"), fresh.select(old.drop("cluster_id").columns)],
        how="vertical_relaxed",
    )
    if model is None:
        trained = LinkageModel(both, settings)
        trained.train()
        model = trained.parameters()
        seconds["pelatihan"] = time.perf_counter() - mark
        mark = time.perf_counter()
    if on_model is not None:
        on_model(model)
    table = splink_table(both, settings)
    candidates = _candidates(table, old.height, list(settings.blocking_rules))
    tf = _term_frequencies(table, "nama_urut")
    seconds["blok"] = time.perf_counter() - mark
    mark = time.perf_counter()
    pairs = _score(model, candidates, table.tail(fresh.height), tf, settings)
    seconds["penilaian"] = time.perf_counter() - mark
    mark = time.perf_counter()
    clusters, review = cluster_incremental(fresh, old, pairs, threshold)
    seconds["klaster"] = time.perf_counter() - mark
    return LinkResult(clusters=clusters, pairs=pairs, seconds=seconds, review=review)


def read_linked(path: str | Path) -> pl.DataFrame:
    """Records already linked, from CSV (input columns + ``cluster_id``) or Parquet (the
    same, or prepared evidence kept by ``--save-existing``)."""
    if str(path).lower().endswith(".parquet"):
        try:
            frame = pl.read_parquet(path)
        except (OSError, pl.exceptions.PolarsError) as exc:
            raise ValueError(f"Berkas {path} tidak dapat dibaca sebagai Parquet: {exc}") from exc
    else:
        frame = read_persons(path)
    if "cluster_id" not in frame.columns:
        raise ValueError(
            f"Berkas {path} tidak punya kolom cluster_id. Gabungkan rekaman lama dengan "
            "klaster hasil 'padu link' (kolom record_id dan cluster_id) lalu ulangi."
        )
    return frame


def link_file_incremental(
    persons: str | Path,
    existing: str | Path,
    out: str | Path,
    *,
    model: str | Path | None = None,
    save_model_to: str | Path | None = None,
    pairs_out: str | Path | None = None,
    review_out: str | Path | None = None,
    save_existing: str | Path | None = None,
    threshold: float = DEFAULT_THRESHOLD,
    today: date | None = None,
    progress: Callable[[str], None] | None = None,
) -> LinkResult:
    """``padu link --existing``: link the new records of ``persons`` against ``existing``;
    write their clusters (and pairs, review rows, model, all records' evidence).
    ``progress`` is called three times: after reading, linking and writing."""
    done = progress or (lambda _name: None)
    new = read_persons(persons)
    old = prepare_existing(read_linked(existing), today=today)
    done("membaca")
    parameters = load_model(model) if model is not None else None
    keep = (lambda p: save_model(p, save_model_to)) if save_model_to is not None else None
    result = link_incremental(
        new, old, model=parameters, threshold=threshold, today=today, on_model=keep
    )
    done("menautkan")
    result.clusters.write_csv(out)
    if pairs_out is not None:
        result.pairs.write_csv(pairs_out)
    if review_out is not None and result.review is not None:
        result.review.write_csv(review_out)
    if save_existing is not None:
        fresh = prepare_records(new, today=today).with_columns(result.clusters["cluster_id"])
        pl.concat([old, fresh.select(old.columns)], how="vertical_relaxed").write_parquet(
            save_existing
        )
    done("menulis")
    return result
