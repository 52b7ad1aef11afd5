"""Benchmark of Satu OPD Satu Desa Dampingan (issue 14) on a 1M-person PostgreSQL register that
covers every desa of Jawa Tengah.

    .venv/bin/python benchmarks/bench_dampingan.py --keluarga 300000 [--database NAME --keep]

Targets: (a) the indicators of all 8,563 desa of a 1M-person register in < 60 s
(``indikator_refresh``); (b) the desa profile page p95 < 300 ms at 1M persons.

Builds the register with the project's generator, kabupaten by kabupaten (families in
proportion to each kabupaten's number of desa, so every desa has families), written as one
pair of DTKS-CSV files and loaded with ``import_file`` into a fresh database (a database
that already holds families is reused); every family gets a fixed pseudo-random desil in one
INSERT ... SELECT. Then, in a fresh process: the refresh of every desa (timed twice: the
first run and a second one that replaces the month), 452 assignments (the 2025 count of
assisted desa) with baselines, and 100 requests each of a desa profile page as the OPD team
member and of the TKPK progress page (Django's test client, DEBUG off), p50/p95 and bytes.
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from pg_run import fixed_desil, run_on_register, signed_in
from pg_run import parser as common_parser

ROOT = Path(__file__).resolve().parents[1]
ASSISTED = 452  # assisted desa in 18 priority kabupaten by 2025 (domain/DTKS.md section 7)


def write_register(total: int, seed: int, out: Path) -> dict[str, int]:
    """keluarga.csv and art.csv for every kabupaten of Jawa Tengah, ``total`` families."""
    import polars as pl

    from padu.engine import synth
    from padu.engine.synth.regions import _read_csv

    villages = _read_csv("villages.csv")
    codes = sorted(_read_csv("regencies.csv")["code"].to_list())
    per_kab = {
        c: villages.filter(pl.col("district_code").str.starts_with(c + ".")).height for c in codes
    }
    n_desa = sum(per_kab.values())
    families, persons = [], []
    for code in codes:
        n = max(50, round(total * per_kab[code] / n_desa))
        keluarga, art, _truth = synth.generate_frames(kabupaten=code, n_keluarga=n, seed=seed)
        families.append(keluarga)
        persons.append(art)
    keluarga = pl.concat(families, how="vertical_relaxed")
    art = pl.concat(persons, how="vertical_relaxed")
    keluarga.write_csv(out / "keluarga.csv")
    art.write_csv(out / "art.csv")
    return {
        "kabupaten": len(codes),
        "desa": n_desa,
        "desa_with_families": keluarga["kode_desa"].n_unique(),
        "keluarga": keluarga.height,
        "orang": art.height,
    }


def measure(requests: int) -> None:
    """Runs in a fresh process on a loaded database; prints one JSON line."""
    import django

    django.setup()
    from django.core.management import call_command

    from padu.accounts.services import user_upsert
    from padu.dampingan import services
    from padu.dampingan.models import IndikatorDesa, Mitra, Penugasan
    from padu.registry.models import Person

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    fixed_desil()
    persons = Person.objects.count()
    refresh = []
    for _ in range(2):
        started = time.perf_counter()
        desa = services.indikator_refresh(actor=None)
        refresh.append(time.perf_counter() - started)
    tkpk = user_upsert(
        actor=None, username="bench-tkpk", password="bench-only-Xy12",
        assignments=[("tkpk-provinsi", "")],
    )  # fmt: skip
    member = user_upsert(
        actor=None, username="bench-tim", password="bench-only-Xy12", assignments=[]
    )
    Penugasan.objects.all().delete()
    Mitra.objects.all().delete()
    codes = list(
        IndikatorDesa.objects.order_by("-nilai__kel_desil14").values_list("kode_desa", flat=True)
    )[:ASSISTED]
    started = time.perf_counter()
    mitra = []
    for i in range(48):  # 48 OPDs (2019-2022)
        mitra.append(
            services.mitra_create(
                actor=tkpk, kode=f"opd-{i}", nama=f"OPD {i}", jenis="opd-provinsi"
            )
        )
    services.anggota_add(actor=tkpk, mitra=mitra[0], user=member)
    for i, code in enumerate(codes):
        services.penugasan_create(
            actor=tkpk, mitra=mitra[i % len(mitra)], kode_desa=code, tahun=2026,
            dasar_hukum="SK bench",
        )  # fmt: skip
    assign_s = time.perf_counter() - started
    own = Penugasan.objects.filter(mitra=mitra[0]).order_by("pk").first()
    assert own is not None

    pages = {
        "profil_desa_tim": (signed_in(member), f"/dampingan/desa/{own.kode_desa}/"),
        "profil_desa_tkpk": (signed_in(tkpk), f"/dampingan/desa/{codes[-1]}/"),
        "kemajuan_tkpk": (signed_in(tkpk), "/dampingan/"),
    }
    results = {}
    for name, (client, url) in pages.items():
        times, size = [], 0
        for _ in range(requests):
            started = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, (url, response.status_code)
            size = max(size, len(response.content))
        times.sort()
        results[name] = {
            "p50_ms": statistics.median(times),
            "p95_ms": times[int(0.95 * len(times)) - 1],
            "html_kb": size / 1000,
        }
    print(
        json.dumps(
            {
                "persons": persons,
                "desa_measured": desa,
                "refresh_s": refresh,
                "assign_452_s": assign_s,
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

    def write(files: Path) -> None:
        started = time.perf_counter()
        made = write_register(args.keluarga, args.seed, files)
        print(f"generated {made} in {time.perf_counter() - started:.0f} s")

    result = run_on_register(
        label="dampingan", database=args.database, keep=args.keep, write_files=write,
        measure=[__file__, "--measure", "--requests", str(args.requests)],
    )  # fmt: skip
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
