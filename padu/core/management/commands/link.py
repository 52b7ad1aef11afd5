from __future__ import annotations

import time
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from padu.core.formatting import angka
from padu.core.progress import steps
from padu.engine.linkage.incremental import link_file_incremental, save_model
from padu.engine.linkage.pipeline import (
    DEFAULT_THRESHOLD,
    ENGINES,
    LINK_STEPS,
    LinkResult,
    link_file,
)


class Command(BaseCommand):
    help = (
        "Menautkan (linkage) rekaman orang dari berbagai sumber (DTKS, Dukcapil, P3KE, "
        "BLT-DD, ...) menjadi klaster per orang. Setiap rekaman masukan mendapat satu baris "
        "record_id,cluster_id,match_probability. Dengan --existing, hanya rekaman baru yang "
        "ditautkan ke klaster yang sudah ada (bertahap), memakai model dari --model."
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
        parser.add_argument(
            "--existing",
            type=Path,
            help="rekaman yang sudah ditautkan (CSV atau Parquet dengan cluster_id): "
            "tautkan rekaman baru ke klaster ini saja",
        )
        parser.add_argument(
            "--model", type=Path, help="model tersimpan (JSON dari --save-model) untuk --existing"
        )
        parser.add_argument("--save-model", type=Path, help="simpan parameter model (JSON)")
        parser.add_argument(
            "--save-existing",
            type=Path,
            help="simpan semua rekaman (bukti yang sudah disiapkan + cluster_id) sebagai "
            "Parquet, masukan --existing berikutnya",
        )
        parser.add_argument(
            "--review", type=Path, help="dengan --existing: tulis tautan untuk ditinjau (CSV)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        persons: Path = options["persons"]
        existing: Path | None = options["existing"]
        if not persons.is_file():
            raise CommandError(f"Berkas {persons} tidak ditemukan. Periksa path berkas orang.")
        if not 0 < options["threshold"] < 1:
            raise CommandError("--threshold harus di antara 0 dan 1, mis. 0.99.")
        for name in ("existing", "model"):
            path = options[name]
            if path is not None and not path.is_file():
                raise CommandError(f"Berkas --{name} {path} tidak ditemukan. Periksa path-nya.")
        if existing is None and (options["model"] or options["review"]):
            raise CommandError("--model dan --review hanya berlaku bersama --existing.")
        if existing is not None and options["engine"] != "duckdb":
            raise CommandError("Penautan bertahap (--existing) memakai mesin duckdb.")
        started = time.perf_counter()
        try:
            result = self._run(options)
        except (ValueError, ImportError) as exc:
            raise CommandError(str(exc)) from exc
        seconds = time.perf_counter() - started
        clusters = result.clusters
        n_clusters = clusters["cluster_id"].n_unique()
        self.stdout.write(
            f"{angka(clusters.height)} rekaman ditautkan menjadi {angka(n_clusters)} orang "
            f"dalam {seconds:.1f} detik; klaster ditulis ke {options['out']}."
        )
        if result.review is not None and result.review.height:
            where = f" (ditulis ke {options['review']})" if options["review"] else ""
            self.stdout.write(
                f"{angka(result.review.height)} tautan ke klaster kedua ditolak dan perlu "
                f"ditinjau petugas{where}."
            )

    def _run(self, options: dict[str, Any]) -> LinkResult:
        save_to: Path | None = options["save_model"]
        if options["existing"] is not None:
            with steps(3, "Menautkan") as progress:
                return link_file_incremental(
                    options["persons"],
                    options["existing"],
                    options["out"],
                    model=options["model"],
                    save_model_to=save_to,
                    pairs_out=options["pairs"],
                    review_out=options["review"],
                    save_existing=options["save_existing"],
                    threshold=options["threshold"],
                    progress=progress,
                )
        with steps(len(LINK_STEPS) + 2, "Menautkan") as progress:
            return link_file(
                options["persons"],
                options["out"],
                pairs_out=options["pairs"],
                engine=options["engine"],
                threshold=options["threshold"],
                on_model=(lambda model: save_model(model, save_to)) if save_to else None,
                save_existing=options["save_existing"],
                progress=progress,
            )
