"""Benchmark: bulk-load synthetic DTKS-CSV files into the register (SQLite and PostgreSQL).

    .venv/bin/python benchmarks/bench_load.py --keluarga 300000 [--database sqlite|postgres|both]

Generates the files once with the synthetic generator, then for each database, in a fresh
process and a fresh database: migrate, load regions, and time ``load_dtks_files`` (every row
kept as a source record, families, persons and participations, one transaction). Prints a
Markdown table row per database.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PG_ADMIN = "postgres://postgres@127.0.0.1:5432/postgres"


def child(files: Path) -> None:
    """Runs inside the fresh process: load and print one line of figures."""
    import django

    django.setup()
    from django.core.management import call_command

    from padu.registry.bulk import load_dtks_files
    from padu.wilayah.services import wilayah_load

    call_command("migrate", verbosity=0)
    wilayah_load(actor=None)
    started = time.perf_counter()
    result = load_dtks_files(
        keluarga_path=files / "keluarga.csv", art_path=files / "art.csv", source_name="bench"
    )
    seconds = time.perf_counter() - started
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    rows = result.keluarga + result.persons
    print(
        f"{result.keluarga} {result.persons} {result.participations} "
        f"{seconds:.1f} {rows / seconds:.0f} {rss_mb:.0f}"
    )


def run_child(database_url: str, files: Path) -> str:
    env = dict(
        os.environ,
        DATABASE_URL=database_url,
        DJANGO_SETTINGS_MODULE="padu.settings",
        SECRET_KEY="benchmark-only",
        PADU_DATA_DIR=tempfile.mkdtemp(prefix="padu-bench-"),
    )
    out = subprocess.run(
        [sys.executable, __file__, "--child", str(files)],
        env=env,
        check=True,
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    return out.stdout.strip().splitlines()[-1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--keluarga", type=int, default=300_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--database", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child)
        return

    from padu.engine import synth

    files = Path(tempfile.mkdtemp(prefix="padu-bench-files-"))
    t = time.perf_counter()
    result = synth.generate(
        kabupaten="33.16", n_keluarga=args.keluarga, seed=args.seed, out_dir=files
    )
    seconds = time.perf_counter() - t
    print(f"synth: {result.n_keluarga} keluarga, {result.n_art} persons in {seconds:.1f} s")
    print(
        "| database | keluarga | persons | participations | seconds "
        "| rows/s (keluarga+persons) | peak RSS MB |"
    )
    print("|---|---|---|---|---|---|---|")
    if args.database in ("sqlite", "both"):
        db = Path(tempfile.mkdtemp(prefix="padu-bench-db-")) / "bench.sqlite3"
        line = run_child(f"sqlite:///{db}", files)
        print("| SQLite (WAL) | " + " | ".join(line.split()) + " |")
    if args.database in ("postgres", "both"):
        name = f"padu_bench_{os.getpid()}"
        subprocess.run(["psql", PG_ADMIN, "-qc", f"CREATE DATABASE {name}"], check=True)
        try:
            line = run_child(f"postgres://postgres@127.0.0.1:5432/{name}", files)
            print("| PostgreSQL | " + " | ".join(line.split()) + " |")
        finally:
            subprocess.run(["psql", PG_ADMIN, "-qc", f"DROP DATABASE {name}"], check=True)


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
