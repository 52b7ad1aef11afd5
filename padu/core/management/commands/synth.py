from __future__ import annotations

import time
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from padu.core.formatting import angka
from padu.core.progress import steps
from padu.engine import synth


class Command(BaseCommand):
    help = (
        "Membuat data DTKS sintetis yang realistis untuk satu kabupaten/kota Jawa Tengah "
        "(keluarga.csv, art.csv; opsional truth.csv, survey.csv, sumber ganda, galat berlabel). "
        "Seed yang sama menghasilkan berkas yang sama persis."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--kabupaten", default="33.16", help="kode kabupaten/kota, mis. 33.16 (Blora)"
        )
        parser.add_argument("--keluarga", type=int, default=20_000, help="jumlah keluarga")
        parser.add_argument("--seed", type=int, default=1, help="benih acak")
        parser.add_argument("--out", type=Path, required=True, help="folder keluaran")
        parser.add_argument(
            "--truth", action="store_true", help="tulis truth.csv (kesejahteraan tersembunyi)"
        )
        parser.add_argument(
            "--survey", type=int, default=0, metavar="N", help="tulis survey.csv dengan N keluarga"
        )
        parser.add_argument(
            "--sources", action="store_true", help="tulis sumber ganda untuk linkage"
        )
        parser.add_argument(
            "--errors", action="store_true", help="sisipkan galat validasi berlabel"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["keluarga"] < 1:
            raise CommandError("--keluarga harus minimal 1.")
        started = time.perf_counter()
        total = synth.step_count(
            truth=options["truth"],
            survey=options["survey"],
            sources=options["sources"],
            errors=options["errors"],
        )
        try:
            with steps(total, "Membuat data") as progress:
                result = synth.generate(
                    kabupaten=options["kabupaten"],
                    n_keluarga=options["keluarga"],
                    seed=options["seed"],
                    out_dir=options["out"],
                    truth=options["truth"],
                    survey=options["survey"],
                    sources=options["sources"],
                    errors=options["errors"],
                    progress=progress,
                )
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        seconds = time.perf_counter() - started
        self.stdout.write(
            f"{angka(result.n_keluarga)} keluarga dan {angka(result.n_art)} anggota keluarga "
            f"ditulis ke {options['out']} dalam {seconds:.1f} detik:"
        )
        for path in result.paths:
            self.stdout.write(f"  {path}")
