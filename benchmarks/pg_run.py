"""One way to run a benchmark on a loaded PostgreSQL register, shared by the benchmarks:
a fresh database named after the benchmark (or ``--database``, reused when it already holds
families), the register files written by the benchmark and loaded with ``import_file`` in
a fresh process (``bench_api.py --load``), then the measuring step in another fresh process
whose last output line is JSON; the database is dropped afterwards unless kept."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_api import PG, _loaded, _psql

HERE = Path(__file__).resolve().parent


def child(args: list[str], env: dict[str, str]) -> dict[str, Any]:
    """Run a step in a fresh process (fresh Django, fresh connections); its last line is JSON."""
    out = subprocess.run(
        [sys.executable, *args], env=env, check=True, capture_output=True, text=True
    ).stdout
    return dict(json.loads(out.strip().splitlines()[-1]))


def run_on_register(
    *,
    label: str,
    database: str | None,
    keep: bool,
    write_files: Callable[[Path], None],
    measure: list[str],
) -> dict[str, Any]:
    """Load (or reuse) the register, run ``measure`` (a script and its arguments), return
    its JSON."""
    name = database or f"padu_bench_{label}_{os.getpid()}"
    env = dict(
        os.environ,
        DATABASE_URL=PG + name,
        DJANGO_SETTINGS_MODULE="padu.settings",
        SECRET_KEY="benchmark-only-not-secret-" + "x" * 40,
        PADU_DATA_DIR=tempfile.mkdtemp(prefix=f"padu-bench-{label}-data-"),
    )
    env.pop("PADU_DEBUG", None)
    try:
        if _loaded(name):
            print(f"reusing database {name}")
        else:
            files = Path(tempfile.mkdtemp(prefix=f"padu-bench-{label}-"))
            write_files(files)
            _psql(f"DROP DATABASE IF EXISTS {name}")
            _psql(f"CREATE DATABASE {name}")
            loaded = child([str(HERE / "bench_api.py"), "--load", str(files)], env)
            shutil.rmtree(files)
            print(f"loaded {name} in {loaded['load_s']:.0f} s")
        return child(measure, env)
    finally:
        if not keep:
            _psql(f"DROP DATABASE IF EXISTS {name}")
