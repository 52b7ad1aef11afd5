"""``padu layanan bersihkan``: drop the citizen service's stale rate-limit counters (run it
daily, e.g. from cron; counters hold only HMACs, but need not stay)."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from padu.layanan.limits import prune


class Command(BaseCommand):
    help = "Layanan warga: 'bersihkan' menghapus penghitung batas yang sudah tidak dipakai."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("aksi", choices=["bersihkan"])
        parser.add_argument("--hari", type=int, default=2, help="simpan penghitung N hari")

    def handle(self, *args: Any, **options: Any) -> None:
        gone = prune(timezone.now(), keep_seconds=options["hari"] * 86400)
        self.stdout.write(f"{gone} penghitung batas dihapus.")
