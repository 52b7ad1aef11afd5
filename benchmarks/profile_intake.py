"""Where an import's time goes: wall time and database-server CPU per SQL statement, per
commit and per main step of staging and promotion, for one file of a ``padu synth`` set.

    DATABASE_URL=... .venv/bin/python benchmarks/profile_intake.py DIR [--table art|keluarga]

DIR holds keluarga.csv and art.csv (``padu synth --out DIR``). The database must be empty (a
fresh SQLite path or PostgreSQL database): it is migrated, regions are loaded, keluarga.csv
is imported untimed when the art file is profiled, then the chosen file is imported with
every statement timed. Server CPU (PostgreSQL on this machine) is read from ``/proc`` for
the backend of the connection that ran the statement; statements of the staging thread's
connection on PostgreSQL are not wrapped (only the promoting connection is).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
STEPS = {
    "padu.intake.services": ["stage_run", "promote_run"],
    "padu.intake.promote": ["_insert_new", "_update_known", "_nama_kunci", "_family_ids"],
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("files", type=Path)
    parser.add_argument("--table", choices=["art", "keluarga"], default="art")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "padu.settings")
    os.environ.setdefault("SECRET_KEY", "profile-only")
    os.environ.setdefault("PADU_DATA_DIR", tempfile.mkdtemp(prefix="padu-profile-"))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.db.backends.base.base import BaseDatabaseWrapper

    from padu.intake.services import import_file, source_get_or_create
    from padu.wilayah.services import wilayah_load

    stats: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0])
    pids: dict[int, int] = {}

    def server_cpu() -> float:
        if connection.vendor != "postgresql":
            return 0.0
        key = id(connection.connection)
        if key not in pids:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_backend_pid()")
                pids[key] = cursor.fetchone()[0]
        try:
            fields = Path(f"/proc/{pids[key]}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return 0.0
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def timed(label: str, call: Callable[[], Any], clock: Callable[[], float]) -> Any:
        wall, other = time.perf_counter(), clock()
        try:
            return call()
        finally:
            stats[label][0] += time.perf_counter() - wall
            stats[label][1] += clock() - other

    for module_name, names in STEPS.items():
        module = sys.modules.get(module_name) or __import__(module_name, fromlist=["_"])
        for name in names:
            original = getattr(module, name)

            def step(*a: Any, _f: Any = original, _n: str = name, **k: Any) -> Any:
                return timed(
                    f"step {_n} (CPU s of this process)", lambda: _f(*a, **k), time.process_time
                )

            setattr(module, name, step)

    def statement(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        label = "SQL " + " ".join(sql.split()[:4])[:60]
        return timed(label, lambda: execute(sql, params, many, context), server_cpu)

    commit = BaseDatabaseWrapper._commit

    def timed_commit(self: Any) -> Any:
        return timed("COMMIT", lambda: commit(self), server_cpu)

    call_command("migrate", verbosity=0)
    wilayah_load(actor=None)
    source = source_get_or_create(actor=None, name="profil", kind="sintetis")
    if args.table == "art":
        import_file(actor=None, path=args.files / "keluarga.csv", source=source, table="keluarga")
    stats.clear()  # what the untimed family import added
    BaseDatabaseWrapper._commit = timed_commit  # type: ignore[method-assign]
    started, cpu, server = time.perf_counter(), time.process_time(), server_cpu()
    with connection.execute_wrapper(statement):
        run = import_file(
            actor=None, path=args.files / f"{args.table}.csv", source=source, table=args.table
        )
    print(
        f"{args.table}: {run.counts['dibaca']} rows in {time.perf_counter() - started:.2f} s; "
        f"CPU {time.process_time() - cpu:.2f} s here, {server_cpu() - server:.2f} s in the "
        "server backend of this connection"
    )
    print("| what | wall s | server CPU s (steps: CPU s here) |\n|---|---|---|")
    for label, (wall, other) in sorted(stats.items(), key=lambda kv: -kv[1][0]):
        if wall >= 0.01:
            print(f"| {label} | {wall:.2f} | {other:.2f} |")


if __name__ == "__main__":
    main()
