from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from padu.accounts.models import User
from padu.intake.export import export_register


class Command(BaseCommand):
    help = "Mengekspor register (sebatas wilayah pengguna) sebagai DTKS-CSV v1 atau XLSX."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--out", type=Path, required=True, help="folder keluaran")
        parser.add_argument("--as-user", required=True, help="pengguna yang hak aksesnya dipakai")
        parser.add_argument("--format", choices=["csv", "xlsx"], default="csv")
        parser.add_argument("--wilayah", default="", help="awalan kode wilayah, mis. 33.16.01.")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["as_user"], is_active=True).first()
        if user is None:
            raise CommandError(f"Pengguna '{options['as_user']}' tidak ada atau tidak aktif.")
        paths = export_register(
            actor=user, out=options["out"], fmt=options["format"], prefix=options["wilayah"]
        )
        for path in paths:
            self.stdout.write(f"Ditulis: {path}")
