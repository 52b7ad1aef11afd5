from __future__ import annotations

import time
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from padu.core.formatting import angka
from padu.engine.linkage.pipeline import DEFAULT_THRESHOLD, ENGINES, link_file


class Command(BaseCommand):
    help = (
        "Menautkan (linkage) rekaman orang dari berbagai sumber (DTKS, Dukcapil, P3KE, "
        "BLT-DD, ...) menjadi klaster per orang. Setiap rekaman masukan mendapat satu baris "
        "record_id,cluster_id,match_probability."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("persons", type=Path, help="berkas CSV orang (format linkage)")
        parser.add_argument("--out", type=Path, required=True, help="berkas CSV klaster keluaran")
        parser.add_argument("--pairs", type=Path, help="tulis juga pasangan yang dinilai (CSV)")
        parser.add_argument(
            "--engine", choices=ENGINES, default="duckdb", help="mesin: duckdb (bawaan) atau spark"
        )
        parser.add_argument(
            "--threshold",
            type=float,
            default=DEFAULT_THRESHOLD,
            help=f"ambang peluang cocok untuk satu klaster (bawaan {DEFAULT_THRESHOLD})",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        persons: Path = options["persons"]
        if not persons.is_file():
            raise CommandError(f"Berkas {persons} tidak ditemukan. Periksa path berkas orang.")
        if not 0 < options["threshold"] < 1:
            raise CommandError("--threshold harus di antara 0 dan 1, mis. 0.99.")
        started = time.perf_counter()
        try:
            result = link_file(
                persons,
                options["out"],
                pairs_out=options["pairs"],
                engine=options["engine"],
                threshold=options["threshold"],
            )
        except (ValueError, ImportError) as exc:
            raise CommandError(str(exc)) from exc
        seconds = time.perf_counter() - started
        clusters = result.clusters
        n_clusters = clusters["cluster_id"].n_unique()
        self.stdout.write(
            f"{angka(clusters.height)} rekaman ditautkan menjadi {angka(n_clusters)} orang "
            f"dalam {seconds:.1f} detik; klaster ditulis ke {options['out']}."
        )
