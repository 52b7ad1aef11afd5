"""``padu dasbor refresh``: recompute the TKPK dashboard aggregates of every region now
(the background task does the same after imports and pengesahan)."""

from __future__ import annotations

import time
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from padu.core.formatting import angka
from padu.dashboard.services import agregat_refresh


class Command(BaseCommand):
    help = "Dasbor TKPK: 'refresh' menghitung ulang agregat setiap wilayah."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("aksi", choices=["refresh"], help="refresh: hitung ulang agregat")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["aksi"] != "refresh":  # pragma: no cover - argparse refuses others
            raise CommandError("Aksi yang dikenal: refresh.")
        start = time.perf_counter()
        result = agregat_refresh(actor=None)
        self.stdout.write(
            f"Agregat dasbor dihitung: {angka(result['wilayah'])} wilayah, "
            f"{angka(result['keluarga'])} keluarga, {time.perf_counter() - start:.1f} detik."
        )
