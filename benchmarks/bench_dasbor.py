"""Benchmark of the TKPK dashboards (issue 18) on a 1M-person PostgreSQL register.

    .venv/bin/python benchmarks/bench_dasbor.py --keluarga 300000 [--database NAME --keep]

Targets: (a) ``agregat_refresh`` of a 1M-person register in < 120 s; (b) the province
and kabupaten dashboard pages p95 < 300 ms and < 300 KB transferred on first load (the page
and every stylesheet and script it loads).

Loads the register as ``bench_api.py`` does (``padu synth`` of Blora, ``import_file`` of both
files into a fresh database, ANALYZE; a database that already holds families is reused),
then gives every family a PMT desil (random but fixed, written in one INSERT ... SELECT: the
dashboards only read the stored desil) and times, in a fresh process: the refresh, then 100
requests each of the province page, the kabupaten page and the kecamatan page (Django's test
client in-process, DEBUG off, a TKPK provinsi user; the kabupaten pages cycle through the
indicators), reporting p50/p95 and bytes.
"""

from __future__ import annotations

import json
import re
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from pg_run import fixed_desil, run_on_register, signed_in
from pg_run import parser as common_parser

ROOT = Path(__file__).resolve().parents[1]


def measure(requests_per_page: int) -> None:
    """Runs in a fresh process on a loaded database; prints one JSON line."""
    import django

    django.setup()
    from django.contrib.staticfiles import finders
    from django.core.management import call_command

    from padu.accounts.services import user_upsert
    from padu.dashboard.indicators import INDICATORS
    from padu.dashboard.services import agregat_refresh
    from padu.registry.models import Person

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)  # DEBUG off: manifest
    fixed_desil()
    persons = Person.objects.count()
    started = time.perf_counter()
    summary = agregat_refresh(actor=None)
    refresh_s = time.perf_counter() - started
    user = user_upsert(
        actor=None,
        username="bench-tkpk",
        password="bench-only-Xy12",
        assignments=[("tkpk-provinsi", "")],
    )
    client = signed_in(user)
    keys = list(INDICATORS)
    pages = {
        "provinsi": "/dasbor/",
        "kabupaten": "/dasbor/33.16/",
        "kecamatan": "/dasbor/33.16.01/",
    }
    results = {}
    for name, url in pages.items():
        times, size = [], 0
        for i in range(requests_per_page):
            started = time.perf_counter()
            response = client.get(url, {"indikator": keys[i % len(keys)]})
            times.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, (url, response.status_code)
            size = max(size, len(response.content))
        html = response.content.decode()
        assets = 0
        for ref in set(re.findall(r'(?:href|src)="/static/([^"]+)"', html)):
            found = finders.find(re.sub(r"\.[0-9a-f]{12}(\.\w+)$", r"\1", ref))
            assets += Path(str(found)).stat().st_size if found else 0
        times.sort()
        results[name] = {
            "p50": statistics.median(times),
            "p95": times[int(0.95 * len(times)) - 1],
            "html_kb": size / 1000,
            "first_load_kb": (size + assets) / 1000,
        }
    report_s = []
    for _ in range(3):
        started = time.perf_counter()
        response = client.get("/dasbor/33.16/laporan/")
        report_s.append(time.perf_counter() - started)
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    results["laporan_pdf"] = {"max_s": max(report_s), "kb": len(response.content) / 1000}
    print(
        json.dumps(
            {
                "persons": persons,
                "refresh_s": refresh_s,
                "regions": summary["wilayah"],
                "pages": results,
            }
        )
    )


def main() -> None:
    parser = common_parser()
    parser.add_argument("--requests", type=int, default=100)
    args = parser.parse_args()
    if args.measure:
        measure(args.requests)
        return
    from padu.engine import synth

    def write(files: Path) -> None:
        synth.generate(kabupaten="33.16", n_keluarga=args.keluarga, seed=args.seed, out_dir=files)

    result = run_on_register(
        label="dasbor", database=args.database, keep=args.keep, write_files=write,
        measure=[__file__, "--measure", "--requests", str(args.requests)],
    )  # fmt: skip
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
