"""Benchmark (issue 4): person search, family page and family list API on a 1M-person
PostgreSQL register, served by a real server on the loopback interface.

    .venv/bin/python benchmarks/bench_api.py --keluarga 300000 [--seconds 30] [--clients 16]
    .venv/bin/python benchmarks/bench_api.py --database padu_bench_api --keep   # load once
    .venv/bin/python benchmarks/bench_api.py --database padu_bench_api --keep   # reuse it

Steps: unless ``--database`` names a database that already holds families, ``synth.generate``
(300,000 families, ~1,000,000 persons), a fresh PostgreSQL database, and in a fresh process:
migrate, load regions, ``import_file`` of keluarga.csv then art.csv, ANALYZE. Then (every
run) a superuser (province-wide sight) and an operator-kecamatan (33.16.01) with sessions,
``--api-users`` TKPK-provinsi users with an API token each, and samples of names, NIKs and
family ids. Then gunicorn (``--worker-class`` sync or gthread, ``--workers`` x ``--threads``,
``--preload``, DEBUG off) on 127.0.0.1; person search (``/registry/cari/hasil/?q=``, names
and NIKs) and the family page (``/registry/keluarga/<id>/``) one request at a time
(p50/p95); the family list API (``/api/v1/register/keluarga``, a random caller's token per
request, the default per-user rate limit in force) under ``--clients`` open connections for
``--seconds`` from ``wrk`` (Debian package ``wrk``: one client thread in C, so it leaves the
cores to the server; ``--load-tool python`` uses threads + ``requests`` instead), after 5 s
of warm-up. Beside requests/s and latency it reports the CPU time per request of the
gunicorn workers, of the PostgreSQL backends serving them and of the load tool (/proc), so
a run on a busy machine still says what a request costs. Prints Markdown rows; drops the
database at the end unless ``--keep``.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
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


def load(files: Path) -> None:
    """Runs in a fresh process on an empty benchmark database; prints one JSON line."""
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from padu.intake.services import import_file, source_get_or_create
    from padu.wilayah.services import wilayah_load

    call_command("migrate", verbosity=0)
    wilayah_load(actor=None)
    source = source_get_or_create(actor=None, name="bench", kind="sintetis")
    started = time.perf_counter()
    import_file(actor=None, path=files / "keluarga.csv", source=source, table="keluarga")
    import_file(actor=None, path=files / "art.csv", source=source, table="art")
    load_s = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(json.dumps({"load_s": load_s}))


def prepare(api_users: int) -> None:
    """Runs in a fresh process on a loaded benchmark database: users, sessions, API tokens
    and samples; prints one JSON line."""
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from padu.accounts.models import User
    from padu.accounts.services import api_token_create, user_upsert
    from padu.registry.models import Keluarga, Person

    call_command("migrate", verbosity=0)  # a kept database may predate a migration
    call_command("collectstatic", interactive=False, verbosity=0)  # DEBUG off: manifest
    admin = User.objects.filter(username="bench-admin").first() or User.objects.create_superuser(
        "bench-admin", password="bench-only-Xy12"
    )
    operator = user_upsert(
        actor=None,
        username="bench-operator",
        password="bench-only-Xy12",
        assignments=[("operator-kecamatan", "33.16.01")],
    )
    # API callers: province-wide readers (TKPK provinsi), each with a token, so the
    # per-user rate limit (PADU_API_RATE, 600/min) stays in force as in production.
    tokens = []
    for i in range(api_users):
        caller = user_upsert(
            actor=None,
            username=f"bench-api-{i}",
            password="bench-only-Xy12",
            assignments=[("tkpk-provinsi", "")],
        )
        tokens.append(api_token_create(actor=caller, user=caller, name="bench")[1])
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
    person_ids = list(Person.objects.order_by("pk").values_list("pk", flat=True))
    persons = list(
        Person.objects.filter(pk__in=rng.sample(person_ids, 400)).values_list(
            "nama", "nik", "keluarga__kode_desa"
        )
    )
    names, niks = [], []
    for nama, nik, _ in persons:
        words = nama.split()
        names.append(" ".join(words[:2]) if len(words) > 1 and rng.random() < 0.7 else words[0])
        if len(nik) == 16:
            niks.append(nik if rng.random() < 0.5 else nik[:8])
    all_families = list(Keluarga.objects.values_list("pk", flat=True))
    own = list(
        Keluarga.objects.filter(kode_desa__startswith="33.16.01.").values_list("pk", flat=True)
    )
    print(
        json.dumps(
            {
                "persons": len(person_ids),
                "families": len(all_families),
                "tokens": tokens,
                "sessions": sessions,
                "names": names,
                "niks": niks,
                "families_admin": rng.sample(all_families, 300),
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


WRK_SCRIPT = """
math.randomseed(7)
local tokens = {%(tokens)s}
request = function()
  local path = "/api/v1/register/keluarga?page=" .. math.random(1, %(pages)d) .. "%(query)s"
  local token = tokens[math.random(1, #tokens)]
  return wrk.format("GET", path, {["Authorization"] = "Bearer " .. token})
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "WRK {\\"requests\\": %%d, \\"seconds\\": %%f, \\"non2xx\\": %%d, \\"errors\\": %%d, "
    .. "\\"p50\\": %%f, \\"p95\\": %%f, \\"p99\\": %%f, \\"max\\": %%f}\\n",
    summary.requests, summary.duration / 1e6, e.status,
    e.connect + e.read + e.write + e.timeout,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000))
end
"""


def throughput_wrk(
    tokens: list[str], seconds: float, clients: int, pages: int, query: str
) -> tuple[float, int, int, float, float]:
    """wrk, one thread, ``clients`` connections, each request with a random caller's token;
    requests/s, ok, errors, p50, p95 (ms)."""
    listed = ", ".join(f'"{t}"' for t in tokens)
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as f:
        f.write(WRK_SCRIPT % {"pages": pages, "query": query, "tokens": listed})
    try:
        out = subprocess.run(
            ["wrk", "-t1", f"-c{clients}", f"-d{seconds:.0f}s", "--timeout=30s",
             "-s", f.name, f"http://127.0.0.1:{PORT}"],
            check=True, capture_output=True, text=True,
        ).stdout  # fmt: skip
    finally:
        Path(f.name).unlink()
    line = next(x for x in out.splitlines() if x.startswith("WRK "))
    r = json.loads(line[4:])
    print(f"  wrk: p99 {r['p99']:.0f} ms, max {r['max']:.0f} ms", file=sys.stderr)
    bad = r["non2xx"] + r["errors"]
    return r["requests"] / r["seconds"], r["requests"] - r["non2xx"], bad, r["p50"], r["p95"]


def throughput_python(
    tokens: list[str], seconds: float, clients: int, pages: int, query: str
) -> tuple[float, int, int, float, float]:
    """Python threads + ``requests`` (the earlier load generator, for comparison)."""
    import requests

    stop = time.perf_counter() + seconds
    counts = [0] * clients
    errors = [0] * clients
    lat: list[list[float]] = [[] for _ in range(clients)]

    def work(i: int) -> None:
        rng = random.Random(i)
        s = requests.Session()
        s.headers["Authorization"] = f"Bearer {tokens[i % len(tokens)]}"
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
    p50, p95 = percentiles([x for row in lat for x in row])
    return sum(counts) / elapsed, sum(counts), sum(errors), p50, p95


def _cpu_seconds(pid: int) -> float:
    """User + system CPU time of a live process (Linux /proc), 0 if it has gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _server_pids(server_pid: int, database: str) -> tuple[list[int], list[int]]:
    """The gunicorn workers (children of the master) and the PostgreSQL backends serving
    the benchmark database (persistent connections: CONN_MAX_AGE)."""
    workers = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == server_pid:
                workers.append(int(stat.parent.name))
        except (OSError, ValueError):
            continue
    out = _psql(f"SELECT pid FROM pg_stat_activity WHERE datname = '{database}'")
    return workers, [int(x) for x in out.split()]


def _psql(sql: str) -> str:
    return subprocess.run(
        ["psql", PG + "postgres", "-qtAc", sql], check=True, capture_output=True, text=True
    ).stdout.strip()


def _loaded(name: str) -> bool:
    """Does database ``name`` exist and hold families?"""
    if _psql(f"SELECT 1 FROM pg_database WHERE datname = '{name}'") != "1":
        return False
    out = subprocess.run(
        ["psql", PG + name, "-qtAc", "SELECT EXISTS (SELECT 1 FROM registry_keluarga)"],
        capture_output=True, text=True,
    )  # fmt: skip
    return out.returncode == 0 and out.stdout.strip() == "t"


def _step(flag: str, arg: list[str], env: dict[str, str]) -> dict[str, Any]:
    out = subprocess.run(
        [sys.executable, __file__, flag, *arg],
        env=env, check=True, capture_output=True, text=True, cwd=ROOT,
    )  # fmt: skip
    data: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    return data


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--keluarga", type=int, default=300_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--clients", type=int, default=16, help="open connections (threads)")
    parser.add_argument("--worker-class", choices=["sync", "gthread"], default="sync")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=4, help="per gthread worker")
    parser.add_argument("--load-tool", choices=["wrk", "python"], default="wrk")
    parser.add_argument("--api-users", type=int, default=32, help="callers, a token each")
    parser.add_argument("--max-page", type=int, default=20, help="API pages asked, 1..N")
    parser.add_argument("--database", help="PostgreSQL database; reused if already loaded")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--skip-pages", action="store_true", help="API throughput only")
    parser.add_argument("--load", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--prepare", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.load:
        load(args.load)
        return
    if args.prepare:
        prepare(args.api_users)
        return
    if args.load_tool == "wrk" and shutil.which("wrk") is None:
        sys.exit("wrk is not installed: apt-get install -y wrk, or use --load-tool python")

    import requests

    from padu.engine import synth

    name = args.database or f"padu_bench_api_{os.getpid()}"
    env = dict(
        os.environ,
        DATABASE_URL=PG + name,
        DJANGO_SETTINGS_MODULE="padu.settings",
        SECRET_KEY="benchmark-only-not-secret-" + "x" * 40,
        PADU_DATA_DIR=tempfile.mkdtemp(prefix="padu-bench-api-data-"),
    )
    env.pop("PADU_DEBUG", None)
    server = None
    try:
        if _loaded(name):
            print(f"reusing database {name}")
        else:
            files = Path(tempfile.mkdtemp(prefix="padu-bench-api-"))
            synth.generate(
                kabupaten="33.16", n_keluarga=args.keluarga, seed=args.seed, out_dir=files
            )
            _psql(f"DROP DATABASE IF EXISTS {name}")
            _psql(f"CREATE DATABASE {name}")
            loaded = _step("--load", [str(files)], env)
            shutil.rmtree(files)
            print(f"loaded {name} in {loaded['load_s']:.0f} s")
        data = _step("--prepare", ["--api-users", str(args.api_users)], env)
        print(f"{data['families']} families, {data['persons']} persons")
        server = subprocess.Popen(
            [
                str(Path(sys.executable).parent / "gunicorn"),
                "padu.wsgi:application",
                f"--bind=127.0.0.1:{PORT}",
                f"--worker-class={args.worker_class}",
                f"--workers={args.workers}",
                f"--threads={args.threads}",
                "--backlog=2048",
                # The app is loaded once before the workers fork: every worker is ready when
                # the first answers, and the measured seconds hold no worker start-up.
                "--preload",
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
        if not args.skip_pages:
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
        tool = throughput_wrk if args.load_tool == "wrk" else throughput_python
        print(
            f"server: gunicorn --worker-class {args.worker_class} --workers {args.workers}"
            + (f" --threads {args.threads}" if args.worker_class == "gthread" else "")
            + f"; load: {args.load_tool}, {args.clients} connections, {args.seconds:.0f} s"
        )
        print(
            "| API family list | requests ok | errors | p50 ms | p95 ms | requests/s "
            "| CPU ms/request: gunicorn | PostgreSQL | load tool |"
        )
        print("|---|---|---|---|---|---|---|---|---|")
        for label, query, families in (
            ("all visible families", "", data["families"]),
            ("one kecamatan (desa=33.16.01)", "&desa=33.16.01", data["kecamatan_families"]),
        ):
            pages = max(1, min(args.max_page, families // 50))
            tool(data["tokens"], 5, args.clients, pages, query)  # warm up: counts, connections
            before = [{p: _cpu_seconds(p) for p in g} for g in _server_pids(server.pid, name)]
            client_before = resource.getrusage(resource.RUSAGE_CHILDREN)
            rate, ok, errors, p50, p95 = tool(
                data["tokens"], args.seconds, args.clients, pages, query
            )
            client_after = resource.getrusage(resource.RUSAGE_CHILDREN)
            # Processes started during the run count whole; a backend that ended during it
            # (a connection past CONN_MAX_AGE) is lost, so the PostgreSQL figure is a floor.
            used = [
                sum(_cpu_seconds(p) - old.get(p, 0.0) for p in g)
                for old, g in zip(before, _server_pids(server.pid, name), strict=True)
            ]
            n = max(1, ok + errors)
            app_ms, db_ms = (cpu * 1000 / n for cpu in used)
            client_ms = (
                client_after.ru_utime + client_after.ru_stime
                - client_before.ru_utime - client_before.ru_stime
            ) * 1000 / n  # fmt: skip
            if args.load_tool == "python":  # threads of this process, not a child
                client_ms = float("nan")
            print(
                f"| {label}, pages 1-{pages} | {ok} | {errors} | {p50:.0f} | {p95:.0f} "
                f"| {rate:.0f} | {app_ms:.2f} | {db_ms:.2f} | {client_ms:.2f} |"
            )
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        if not args.keep:
            _psql(f"DROP DATABASE IF EXISTS {name}")


if __name__ == "__main__":
    main()
