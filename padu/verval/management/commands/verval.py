"""``padu verval``: periods, worklist generation, the export of a period's applied changes and
the import of the national result (penetapan), acting with a named user's rights."""

from __future__ import annotations

import datetime as dt
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from padu.accounts.models import User
from padu.verval.models import Periode
from padu.verval.services import VervalError, VervalForbidden
from padu.verval.services.export import penetapan_import, periode_export
from padu.verval.services.periode import periode_create
from padu.verval.services.worklist import worklist_generate

STAGES = ("batas_desa", "batas_musdes", "batas_kecamatan", "batas_dinsos", "batas_pengesahan")


def _month(text: str) -> tuple[int, int]:
    try:
        year, month = (int(x) for x in text.split("-"))
        dt.date(year, month, 1)
    except ValueError as exc:
        raise CommandError(
            f"Bulan '{text}' tidak dikenal: tulis TAHUN-BULAN, mis. 2026-12."
        ) from exc
    return year, month


class Command(BaseCommand):
    help = (
        "Siklus verval: 'periode buat' dan 'periode daftar', 'daftar-kerja' (buat tugas desa), "
        "'ekspor' (perubahan yang disahkan, DTKS-CSV v1 atau XLSX) dan 'impor-penetapan'."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="aksi", required=True, parser_class=CommandParser)
        buat = sub.add_parser("periode", help="buat atau daftar periode verval")
        buat.add_argument("langkah", choices=["buat", "daftar"])
        buat.add_argument("--kabupaten", default="", help="kode kabupaten/kota, mis. 33.16")
        buat.add_argument("--bulan", default="", help="TAHUN-BULAN, mis. 2026-12")
        for stage in STAGES:
            buat.add_argument(
                f"--{stage.replace('_', '-')}",
                type=dt.date.fromisoformat,
                help=f"tanggal {stage.replace('_', ' ')} (TAHUN-BULAN-HARI)",
            )
        kerja = sub.add_parser("daftar-kerja", help="buat tugas desa dari temuan data")
        kerja.add_argument("--periode", type=int, required=True, help="nomor periode")
        ekspor = sub.add_parser("ekspor", help="ekspor perubahan yang disahkan dalam periode")
        ekspor.add_argument("--periode", type=int, required=True, help="nomor periode")
        ekspor.add_argument("--out", type=Path, required=True, help="folder keluaran")
        ekspor.add_argument("--format", choices=["csv", "xlsx"], default="csv")
        impor = sub.add_parser("impor-penetapan", help="impor hasil penetapan sebagai sumber")
        impor.add_argument("berkas", type=Path, help="berkas CSV/XLSX hasil penetapan")
        impor.add_argument("--tabel", choices=["keluarga", "art"], default="keluarga")
        for p in (buat, kerja, ekspor, impor):
            p.add_argument("--as-user", required=True, help="pengguna yang hak aksesnya dipakai")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["as_user"], is_active=True).first()
        if user is None:
            raise CommandError(f"Pengguna '{options['as_user']}' tidak ada atau tidak aktif.")
        try:
            getattr(self, "_" + options["aksi"].replace("-", "_"))(user, options)
        except (VervalError, VervalForbidden) as exc:
            raise CommandError(str(exc)) from exc

    def _periode(self, user: Any, options: dict[str, Any]) -> None:
        if options["langkah"] == "daftar":
            from padu.verval.selectors import periods

            for p in periods(user):
                self.stdout.write(
                    f"{p.pk:>5}  {p.kode_kabupaten}  {p.nama:<28} desa s.d. {p.batas_desa}, "
                    f"pengesahan s.d. {p.batas_pengesahan}"
                )
            return
        if not options["kabupaten"] or not options["bulan"]:
            raise CommandError("Isi --kabupaten (mis. 33.16) dan --bulan (mis. 2026-12).")
        year, month = _month(options["bulan"])
        dates = {s: options[s] for s in STAGES if options.get(s)}
        made = periode_create(
            actor=user,
            kode_kabupaten=options["kabupaten"],
            year=year,
            month=month,
            dates=dates or None,
        )
        self.stdout.write(f"Periode #{made.pk} dibuka: {made.nama} ({made.kode_kabupaten}).")

    def _chosen(self, options: dict[str, Any]) -> Periode:
        chosen = Periode.objects.filter(pk=options["periode"]).first()
        if chosen is None:
            raise CommandError(
                f"Periode #{options['periode']} tidak ada; lihat 'padu verval periode daftar'."
            )
        return chosen

    def _daftar_kerja(self, user: Any, options: dict[str, Any]) -> None:
        made = worklist_generate(actor=user, periode=self._chosen(options))
        detail = ", ".join(f"{k} {v}" for k, v in sorted(made.items())) or "tidak ada yang baru"
        self.stdout.write(f"{sum(made.values())} tugas baru: {detail}.")

    def _ekspor(self, user: Any, options: dict[str, Any]) -> None:
        paths = periode_export(
            actor=user, periode=self._chosen(options), out=options["out"], fmt=options["format"]
        )
        for path in paths:
            self.stdout.write(f"Ditulis: {path}")

    def _impor_penetapan(self, user: Any, options: dict[str, Any]) -> None:
        if not options["berkas"].is_file():
            raise CommandError(f"Berkas {options['berkas']} tidak ada.")
        run = penetapan_import(actor=user, path=options["berkas"], table=options["tabel"])
        self.stdout.write(f"Impor penetapan #{run.pk}: {run.get_status_display()}; {run.counts}.")
