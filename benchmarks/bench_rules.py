"""Benchmark of the data quality rules over files: all rules, 300,000 families / 1M persons.

    .venv/bin/python benchmarks/bench_rules.py --keluarga 300000
    DATABASE_URL=... .venv/bin/python benchmarks/bench_rules.py --register --keluarga 300000

``--register``: load the generated files into a fresh register (intake), time a full check
of the register, then change 1,000 persons of 1,000 families and time the incremental
re-check of what changed (target: under 2 s). Uses ``DATABASE_URL`` (default: a SQLite file
in a temporary ``PADU_DATA_DIR``); on PostgreSQL give an empty database.

Generates ``padu synth --errors`` data into a temporary folder (not timed), then times
``padu.engine.rules.check_files`` (lenient read of both CSVs, every active rule, findings
sorted) and writing the issues file. Prints the time, the slowest rules, and the accuracy
against the injected labels: recall per kind and the share of clean records with an
error-severity finding (target: recall >= 0.99 for every kind, false alarms < 0.5%).
"""

from __future__ import annotations

import argparse
import os
import resource
import tempfile
import time
from pathlib import Path

import polars as pl

from padu.engine import synth
from padu.engine.rules.engine import check_files, write_issues
from padu.engine.rules.reference import default_reference
from padu.engine.rules.scoring import score


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--keluarga", type=int, default=300_000, help="number of families")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--dir", type=Path, help="reuse/keep generated files in this folder")
    parser.add_argument("--register", action="store_true", help="benchmark the register check")
    parser.add_argument("--changed", type=int, default=1_000, help="persons changed (--register)")
    args = parser.parse_args(argv)
    if args.register:
        return register(args.keluarga, args.seed, args.changed)

    with tempfile.TemporaryDirectory(prefix="bench-rules-") as tmp:
        folder = args.dir or Path(tmp)
        if not (folder / "labels.csv").exists():
            started = time.perf_counter()
            synth.generate(
                kabupaten="33.16", n_keluarga=args.keluarga, seed=args.seed, out_dir=folder,
                errors=True,
            )  # fmt: skip
            print(f"generated in {time.perf_counter() - started:.1f} s (not part of the timing)")
        reference = default_reference(synth.REFERENCE_DATE)
        started = time.perf_counter()
        result = check_files(folder / "keluarga.csv", folder / "art.csv", reference=reference)
        write_issues(result.issues, folder / "issues.csv")
        seconds = time.perf_counter() - started
        labels = pl.read_csv(folder / "labels.csv", infer_schema=False)

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"| {result.n_keluarga:,} | {result.n_art:,} | {len(result.seconds)} | "
        f"{seconds:.1f} | {result.issues.height:,} | {peak:.0f} MB | {os.cpu_count()} |"
    )
    slowest = sorted(result.seconds.items(), key=lambda kv: -kv[1])[:5]
    print("slowest rules: " + ", ".join(f"{code} {s:.2f} s" for code, s in slowest))
    _accuracy(result.issues, labels, result.n_keluarga, result.n_art)
    return 0


def _accuracy(issues: pl.DataFrame, labels: pl.DataFrame, n_keluarga: int, n_art: int) -> None:
    found = score(issues, labels, n_keluarga=n_keluarga, n_art=n_art)
    print(f"lowest recall {found.min_recall:.4f} over {found.recall.height} kinds")
    for error, labelled, hit, recall in found.recall.iter_rows():
        print(f"  {error}: {hit}/{labelled} = {recall:.4f}")
    print(
        f"clean records with an error finding: {found.clean_with_error:,} of "
        f"{found.clean_records:,} = {found.false_alarm_rate:.4%}"
    )


def register(n_keluarga: int, seed: int, n_changed: int) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "padu.settings")
    os.environ.setdefault("SECRET_KEY", "benchmark-only")
    os.environ.setdefault("PADU_DATA_DIR", tempfile.mkdtemp(prefix="bench-rules-db-"))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from padu.intake.services import import_file, source_get_or_create
    from padu.quality.services import quality_check
    from padu.registry.models import Person
    from padu.wilayah.services import wilayah_load

    call_command("migrate", verbosity=0)
    wilayah_load(actor=None)
    folder = Path(tempfile.mkdtemp(prefix="bench-rules-files-"))
    synth.generate(kabupaten="33.16", n_keluarga=n_keluarga, seed=seed, out_dir=folder)
    source = source_get_or_create(actor=None, name="bench", kind="sintetis")
    started = time.perf_counter()
    import_file(actor=None, path=folder / "keluarga.csv", source=source, table="keluarga")
    import_file(actor=None, path=folder / "art.csv", source=source, table="art")
    print(f"{connection.vendor}: loaded in {time.perf_counter() - started:.1f} s")

    started = time.perf_counter()
    full = quality_check(actor=None, today=synth.REFERENCE_DATE)
    print(f"full check: {time.perf_counter() - started:.1f} s, {full.counts}")

    moment = timezone.now()
    ids = list(
        Person.objects.order_by("keluarga_id")
        .distinct("keluarga_id")
        .values_list("id", flat=True)[:n_changed]
        if connection.vendor == "postgresql"
        else Person.objects.filter(hub_kepala_keluarga=1).values_list("id", flat=True)[:n_changed]
    )
    table = connection.ops.quote_name(Person._meta.db_table)
    with connection.cursor() as cursor:  # a change as a service would make it, in bulk
        marks = ", ".join(["%s"] * len(ids))
        cursor.execute(
            f"UPDATE {table} SET nama = nama || ' X', updated_at = %s WHERE id IN ({marks})",
            [timezone.now(), *ids],
        )
    started = time.perf_counter()
    run = quality_check(actor=None, since=moment, today=synth.REFERENCE_DATE)
    seconds = time.perf_counter() - started
    print(
        f"| {connection.vendor} | {n_keluarga:,} | {full.counts['anggota']:,} | {len(ids):,} "
        f"| {run.counts['keluarga']:,} | {seconds:.2f} |"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
