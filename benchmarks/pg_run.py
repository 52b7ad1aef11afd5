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


def parser() -> Any:
    """The options every register benchmark takes."""
    import argparse

    p = argparse.ArgumentParser()
    p.add_argument("--keluarga", type=int, default=300_000)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--database", help="PostgreSQL database; reused if already loaded")
    p.add_argument("--keep", action="store_true")
    p.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    return p


# In the measuring process (Django set up) ---------------------------------------------------


def fixed_desil() -> None:
    """Give every family a fixed pseudo-random PMT desil (one INSERT ... SELECT) when none has
    one: the pages and counts only read the stored desil."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM welfare_keluargascore")
        if cursor.fetchone()[0]:
            return
        cursor.execute(
            "INSERT INTO welfare_pmtmodel (nama, status, versi, hash, folder, survei, kandidat,"
            " cv, manifest, pesan, created_at, updated_at) VALUES ('bench', 'siap', 'bench',"
            " '', '', 'x', '', '{}', '{}', '', now(), now()) RETURNING id"
        )
        model_id = cursor.fetchone()[0]
        cursor.execute(
            "INSERT INTO welfare_keluargascore (keluarga_id, model_id, versi, score, desil,"
            " desil_kabupaten, wilayah, dihitung) SELECT id, %s, 'bench', 12.0,"
            " 1 + (id * 7919) %% 10, 1 + (id * 7919) %% 10, '', now() FROM registry_keluarga",
            [model_id],
        )
        cursor.execute("ANALYZE")


def signed_in(user: Any) -> Any:
    """A test client logged in as ``user``, past the second factor."""
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client = Client(HTTP_HOST="localhost")
    client.force_login(user)
    device, _ = TOTPDevice.objects.get_or_create(user=user, name="bench")
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client
