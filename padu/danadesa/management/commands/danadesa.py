"""``padu danadesa``: the yearly BLT-DD rules, the kabupaten's pagu file, candidate lists of
every desa of a region and the monthly OM-SPAN-like realisation export, acting with a named
user's rights."""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from padu.accounts import access
from padu.accounts.models import User
from padu.danadesa.laporan import omspan_xlsx
from padu.danadesa.services import DanadesaError, DanadesaForbidden
from padu.danadesa.services.aturan import aturan_muat_bawaan
from padu.danadesa.services.daftar_wilayah import daftar_hitung_wilayah
from padu.danadesa.services.pagu import pagu_impor


class Command(BaseCommand):
    help = (
        "BLT Dana Desa: 'aturan' (muat aturan bawaan per tahun), 'pagu-impor' (berkas pagu "
        "kabupaten), 'hitung' (daftar calon semua desa berpagu di wilayah) dan 'omspan' "
        "(ekspor realisasi bulanan)."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="aksi", required=True, parser_class=CommandParser)
        aturan = sub.add_parser("aturan", help="muat aturan BLT-DD bawaan (aturan.yaml)")
        aturan.add_argument("--timpa", action="store_true", help="timpa tahun yang sudah ada")
        impor = sub.add_parser("pagu-impor", help="impor berkas pagu Dana Desa (XLSX/CSV)")
        impor.add_argument("berkas", type=Path)
        hitung = sub.add_parser("hitung", help="hitung daftar calon setiap desa berpagu")
        omspan = sub.add_parser("omspan", help="ekspor realisasi satu bulan (XLSX)")
        omspan.add_argument("--bulan", type=int, required=True, help="1-12")
        omspan.add_argument("--out", type=Path, required=True, help="berkas XLSX keluaran")
        for p in (hitung, omspan):
            p.add_argument("--wilayah", required=True, help="kode wilayah, mis. 33.16")
        for p in (impor, hitung, omspan):
            p.add_argument("--tahun", type=int, required=True)
        for p in (aturan, impor, hitung, omspan):
            p.add_argument("--as-user", required=True, help="pengguna yang hak aksesnya dipakai")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["as_user"], is_active=True).first()
        if user is None:
            raise CommandError(f"Pengguna '{options['as_user']}' tidak ada atau tidak aktif.")
        try:
            getattr(self, "_" + options["aksi"].replace("-", "_"))(user, options)
        except (DanadesaError, DanadesaForbidden) as exc:
            raise CommandError(str(exc)) from exc

    def _aturan(self, user: Any, options: dict[str, Any]) -> None:
        if access.write_prefixes(user) is not access.ALL:
            raise CommandError("Aturan BLT-DD hanya dapat dimuat oleh admin provinsi.")
        done = aturan_muat_bawaan(actor=user, timpa=options["timpa"])
        self.stdout.write(f"Aturan dimuat: {', '.join(map(str, done)) or 'tidak ada yang baru'}.")

    def _pagu_impor(self, user: Any, options: dict[str, Any]) -> None:
        path = options["berkas"]
        if not path.is_file():
            raise CommandError(f"Berkas {path} tidak ada.")
        n = pagu_impor(actor=user, path=path, nama=path.name, tahun=options["tahun"])
        self.stdout.write(f"Pagu {n} desa tahun {options['tahun']} tersimpan.")

    def _hitung(self, user: Any, options: dict[str, Any]) -> None:
        made = daftar_hitung_wilayah(actor=user, wilayah=options["wilayah"], tahun=options["tahun"])
        for d in made:
            self.stdout.write(
                f"{d.kode_desa}: versi {d.versi}, kuota {d.kuota}, calon {d.baris.count()}"
            )
        self.stdout.write(f"{len(made)} desa dihitung.")

    def _omspan(self, user: Any, options: dict[str, Any]) -> None:
        if not 1 <= options["bulan"] <= 12:
            raise CommandError("--bulan harus 1-12.")
        data = omspan_xlsx(user, options["wilayah"], options["tahun"], options["bulan"])
        options["out"].write_bytes(data)
        self.stdout.write(f"Ditulis: {options['out']}")
