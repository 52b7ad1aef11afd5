from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from padu.wilayah.loader import WilayahFileError
from padu.wilayah.services import wilayah_load

LEVEL_LABELS = {
    "provinsi": "Provinsi",
    "kabupaten": "Kabupaten/kota",
    "kecamatan": "Kecamatan",
    "desa": "Desa/kelurahan",
}


class Command(BaseCommand):
    help = (
        "Referensi wilayah Kemendagri. 'padu wilayah load' memuat Jawa Tengah (bawaan paket); "
        "'--dir FOLDER' memuat berkas lain (mis. seluruh Indonesia)."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("action", choices=["load"], help="load: muat atau perbarui wilayah")
        parser.add_argument(
            "--dir",
            type=Path,
            default=None,
            help="folder berisi provinces.csv, regencies.csv, districts.csv, villages.csv",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            report = wilayah_load(actor=None, directory=options["dir"])
        except WilayahFileError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Wilayah dimuat dari {report.directory}")
        for level, summary in report.summary().items():
            self.stdout.write(
                f"  {LEVEL_LABELS[level]:<15} {summary['di_berkas']:>6} di berkas: "
                f"{summary['baru']} baru, {summary['ganti_nama']} ganti nama, "
                f"{summary['pindah_induk']} pindah induk, {summary['hilang']} hilang (ditandai), "
                f"{summary['muncul_lagi']} muncul lagi, {summary['tetap']} tetap"
            )
        if not report.changed:
            self.stdout.write("Tidak ada perubahan.")
