"""Benchmark: intake end to end (read, repair, validate, stage, promote) of synthetic
keluarga.csv + art.csv into SQLite and PostgreSQL, and a plain COPY of art.csv into a bare
table as the physical reference.

    .venv/bin/python benchmarks/bench_intake.py --keluarga 300000 [--database sqlite|postgres|both]

Generates the files once with the synthetic generator, then for each database, in a fresh
process and a fresh database: migrate, load regions, and time ``import_file`` for
keluarga.csv then art.csv. Prints a Markdown table row per database: person rows per second
over art.csv alone and over both files (the families are part of importing the persons),
with the CPU time the
person import took in this process (all its threads) and, on PostgreSQL, in the server
backend: on a busy machine the wall time grows, the CPU time much less.
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

    from padu.intake.services import import_file, source_get_or_create
    from padu.wilayah.services import wilayah_load

    call_command("migrate", verbosity=0)
    wilayah_load(actor=None)
    source = source_get_or_create(actor=None, name="bench", kind="sintetis")
    started = time.perf_counter()
    families = import_file(actor=None, path=files / "keluarga.csv", source=source, table="keluarga")
    middle = time.perf_counter()
    cpu, server = time.process_time(), server_cpu()
    persons = import_file(actor=None, path=files / "art.csv", source=source, table="art")
    done = time.perf_counter()
    cpu, server = time.process_time() - cpu, server_cpu() - server
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"{families.counts['baru']} {middle - started:.1f} {persons.counts['baru']} "
        f"{persons.counts['karantina']} {done - middle:.1f} "
        f"{persons.counts['dibaca'] / (done - middle):.0f} "
        f"{done - started:.1f} {persons.counts['dibaca'] / (done - started):.0f} "
        f"{cpu:.1f} {server:.1f} {rss_mb:.0f}"
    )


def server_cpu() -> float:
    """CPU seconds used so far by this connection's PostgreSQL backend (same machine): with
    the process's own CPU time, a figure that other work on the machine does not inflate."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return 0.0
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        (pid,) = cursor.fetchone()
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:  # server on another machine
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


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


def plain_copy(database: str, files: Path, name: str) -> float:
    """The physical reference: COPY one file into a bare table of text columns."""
    url = f"postgres://postgres@127.0.0.1:5432/{database}"
    header = (files / name).open(encoding="utf-8").readline().strip().split(",")
    columns = ", ".join(f'"{c}" text' for c in header)
    table = "bare_" + name.split(".")[0]
    subprocess.run(["psql", url, "-qc", f"CREATE TABLE {table} ({columns})"], check=True)
    started = time.perf_counter()
    subprocess.run(
        ["psql", url, "-qc", f"\\copy {table} FROM '{files / name}' WITH (FORMAT csv, HEADER)"],
        check=True,
    )
    return time.perf_counter() - started


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
        "| database | keluarga new | keluarga s | persons new | persons quarantined "
        "| persons s | person rows/s (art.csv alone) | both files s "
        "| person rows/s (both files) | persons CPU s (Python) | persons CPU s (server) "
        "| peak RSS MB |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
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
            art = plain_copy(name, files, "art.csv")
            both = art + plain_copy(name, files, "keluarga.csv")
            fields = line.split()
            print(
                f"plain COPY into bare tables: art.csv {art:.1f} s, both files {both:.1f} s; "
                f"the import takes {float(fields[4]) / art:.1f}x (art.csv) and "
                f"{float(fields[6]) / both:.1f}x (both files) as long"
            )
        finally:
            subprocess.run(["psql", PG_ADMIN, "-qc", f"DROP DATABASE {name}"], check=True)


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
