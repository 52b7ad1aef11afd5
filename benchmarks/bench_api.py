"""Benchmark (issue 4): person search, family page and family list API on a 1M-person
PostgreSQL register, served by a real server on the loopback interface.

    .venv/bin/python benchmarks/bench_api.py --keluarga 300000 [--seconds 30] [--clients 16]

Steps: ``synth.generate`` (300,000 families, ~1,000,000 persons); a fresh PostgreSQL database;
in a fresh process: migrate, load regions, ``import_file`` of keluarga.csv then art.csv,
ANALYZE, a superuser (province-wide sight) and an operator-kecamatan (33.16.01) with sessions,
an API token for the superuser, and samples of names, NIKs and family ids. Then gunicorn
(gthread, ``--workers`` x ``--threads``, DEBUG off) on 127.0.0.1 and a bounded load generator
(threads + ``requests``): person search (``/registry/cari/hasil/?q=``, names and NIKs) and the
family page (``/registry/keluarga/<id>/``) one request at a time (p50/p95), and the family
list API (``/api/v1/register/keluarga``, token auth) with ``--clients`` threads for
``--seconds``. Prints Markdown rows; drops the database at the end.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any
from urllib.parse import quote

ROOT = Path(__file__).resolve().parents[1]
PG = "postgres://postgres@127.0.0.1:5432/"
PORT = 8765


def setup(files: Path) -> None:
    """Runs in a fresh process on the benchmark database; prints one JSON line."""
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from padu.accounts.models import User
    from padu.accounts.services import api_token_create, user_upsert
    from padu.intake.services import import_file, source_get_or_create
    from padu.registry.models import Keluarga, Person
    from padu.wilayah.services import wilayah_load

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)  # DEBUG off: manifest
    wilayah_load(actor=None)
    source = source_get_or_create(actor=None, name="bench", kind="sintetis")
    started = time.perf_counter()
    import_file(actor=None, path=files / "keluarga.csv", source=source, table="keluarga")
    import_file(actor=None, path=files / "art.csv", source=source, table="art")
    load_s = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    admin = User.objects.create_superuser("bench-admin", password="bench-only-Xy12")
    operator = user_upsert(
        actor=None,
        username="bench-operator",
        password="bench-only-Xy12",
        assignments=[("operator-kecamatan", "33.16.01")],
    )
    token = api_token_create(actor=admin, user=admin, name="bench")[1]
    sessions = {}
    for role, user in (("admin", admin), ("operator", operator)):
        client = Client()
        client.force_login(user)
        device, _ = TOTPDevice.objects.get_or_create(user=user, name="bench")
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
        sessions[role] = client.cookies["sessionid"].value
    rng = random.Random(7)
    n_persons = Person.objects.count()
    persons = list(
        Person.objects.filter(pk__in=rng.sample(range(1, n_persons + 1), 400)).values_list(
            "nama", "nik", "keluarga__kode_desa"
        )
    )
    names, niks = [], []
    for nama, nik, _ in persons:
        words = nama.split()
        names.append(" ".join(words[:2]) if len(words) > 1 and rng.random() < 0.7 else words[0])
        if len(nik) == 16:
            niks.append(nik if rng.random() < 0.5 else nik[:8])
    own = list(
        Keluarga.objects.filter(kode_desa__startswith="33.16.01.").values_list("pk", flat=True)
    )
    print(
        json.dumps(
            {
                "load_s": load_s,
                "persons": n_persons,
                "families": Keluarga.objects.count(),
                "token": token,
                "sessions": sessions,
                "names": names,
                "niks": niks,
                "families_admin": rng.sample(range(1, Keluarga.objects.count() + 1), 300),
                "families_operator": rng.sample(own, min(300, len(own))),
                "kecamatan_families": len(own),
            }
        )
    )


def percentiles(seconds: list[float]) -> tuple[float, float]:
    ms = sorted(s * 1000 for s in seconds)
    return statistics.median(ms), ms[max(0, int(len(ms) * 0.95) - 1)]


def timed(session: Any, urls: list[str]) -> tuple[float, float, int, int]:
    """One request at a time; p50, p95 (ms), the number of non-200 answers and of answers
    that list or link a person."""
    import requests  # noqa: F401  (the session is a requests.Session)

    took, bad, found = [], 0, 0
    for url in urls:
        t = time.perf_counter()
        response = session.get(url, timeout=30)
        took.append(time.perf_counter() - t)
        bad += response.status_code != 200
        found += "/registry/orang/" in response.text
    return *percentiles(took), bad, found


def throughput(
    token: str, seconds: float, clients: int, pages: int, query: str
) -> tuple[float, int, int, float]:
    import requests

    stop = time.perf_counter() + seconds
    counts = [0] * clients
    errors = [0] * clients
    lat: list[list[float]] = [[] for _ in range(clients)]

    def work(i: int) -> None:
        rng = random.Random(i)
        s = requests.Session()
        s.headers["Authorization"] = f"Bearer {token}"
        while time.perf_counter() < stop:
            page = rng.randint(1, pages)
            t = time.perf_counter()
            url = f"http://127.0.0.1:{PORT}/api/v1/register/keluarga?page={page}{query}"
            r = s.get(url, timeout=30)
            lat[i].append(time.perf_counter() - t)
            counts[i] += r.status_code == 200
            errors[i] += r.status_code != 200

    threads = [threading.Thread(target=work, args=(i,)) for i in range(clients)]
    begun = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - begun
    p95 = percentiles([x for row in lat for x in row])[1]
    return sum(counts) / elapsed, sum(counts), sum(errors), p95


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--keluarga", type=int, default=300_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--max-page", type=int, default=20, help="API pages asked, 1..N")
    parser.add_argument("--setup", type=Path)
    args = parser.parse_args()
    if args.setup:
        setup(args.setup)
        return

    import requests

    from padu.engine import synth

    files = Path(tempfile.mkdtemp(prefix="padu-bench-api-"))
    synth.generate(kabupaten="33.16", n_keluarga=args.keluarga, seed=args.seed, out_dir=files)
    name = f"padu_bench_api_{os.getpid()}"
    subprocess.run(["psql", PG + "postgres", "-qc", f"CREATE DATABASE {name}"], check=True)
    env = dict(
        os.environ,
        DATABASE_URL=PG + name,
        DJANGO_SETTINGS_MODULE="padu.settings",
        SECRET_KEY="benchmark-only-not-secret-" + "x" * 40,
        PADU_DATA_DIR=tempfile.mkdtemp(prefix="padu-bench-api-data-"),
    )
    env.pop("PADU_DEBUG", None)
    # The per-token limit (600/min by default, counted per gunicorn worker) is a policy, not
    # capacity: lift it so the throughput run measures the server.
    env["PADU_API_RATE"] = "1000000/m"
    server = None
    try:
        out = subprocess.run(
            [sys.executable, __file__, "--setup", str(files)],
            env=env,
            check=True,
            capture_output=True,
            text=True,
            cwd=ROOT,
        )
        data = json.loads(out.stdout.strip().splitlines()[-1])
        print(f"loaded {data['families']} families, {data['persons']} persons in ", end="")
        print(f"{data['load_s']:.0f} s")
        server = subprocess.Popen(
            [
                str(Path(sys.executable).parent / "gunicorn"),
                "padu.wsgi:application",
                f"--bind=127.0.0.1:{PORT}",
                "--worker-class=gthread",
                f"--workers={args.workers}",
                f"--threads={args.threads}",
                "--log-level=warning",
            ],
            env=env,
            cwd=ROOT,
        )
        base = f"http://127.0.0.1:{PORT}"
        for _ in range(60):
            try:
                requests.get(base + "/masuk/", timeout=30)
                break
            except requests.RequestException:
                time.sleep(0.5)
        names, niks = data["names"], data["niks"]
        queries = [q for pair in zip(names, niks, strict=False) for q in pair]
        rows = []
        for role in ("admin", "operator"):
            s = requests.Session()
            s.cookies.set("sessionid", data["sessions"][role])
            s.get(base + "/registry/keluarga/1/")  # warm up
            search = [f"{base}/registry/cari/hasil/?q={quote(q)}" for q in queries]
            fam = [f"{base}/registry/keluarga/{pk}/" for pk in data[f"families_{role}"]]
            rows.append((role, "person search", len(search), *timed(s, search)))
            rows.append((role, "family page", len(fam), *timed(s, fam)))
        print("| user | request | n | p50 ms | p95 ms | non-200 | with a person |")
        print("|---|---|---|---|---|---|---|")
        for role, what, n, p50, p95, bad, found in rows:
            print(f"| {role} | {what} | {n} | {p50:.0f} | {p95:.0f} | {bad} | {found} |")
        print(
            "| API family list | clients | seconds | requests ok | errors | p95 ms | requests/s |"
        )
        print("|---|---|---|---|---|---|---|")
        for label, query, families in (
            ("all visible families", "", data["families"]),
            ("one kecamatan (desa=33.16.01)", "&desa=33.16.01", data["kecamatan_families"]),
        ):
            pages = max(1, min(args.max_page, families // 50))
            rate, ok, errors, p95 = throughput(
                data["token"], args.seconds, args.clients, pages, query
            )
            print(
                f"| {label}, pages 1-{pages} | {args.clients} | {args.seconds:.0f} | {ok} "
                f"| {errors} | {p95:.0f} | {rate:.0f} |"
            )
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        subprocess.run(["psql", PG + "postgres", "-qc", f"DROP DATABASE {name}"], check=True)


if __name__ == "__main__":
    main()
