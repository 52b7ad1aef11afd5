"""``padu asuh deteksi``: find orphans in a region's register (and in death records of
another source), the findings waiting for confirmation in the field."""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

import polars as pl
from django.core.management.base import BaseCommand, CommandError

from padu.accounts.models import User
from padu.asuh import services


def _deaths(path: Path) -> pl.DataFrame:
    if not path.is_file():
        raise CommandError(f"Berkas {path} tidak ada.")
    frame = pl.read_csv(path, infer_schema=False)
    frame.columns = [c.strip().lower() for c in frame.columns]
    missing = [c for c in ("nik", "tgl_meninggal") if c not in frame.columns]
    if missing:
        raise CommandError(f"{path.name}: kolom {', '.join(missing)} tidak ada di baris judul.")
    parsed = frame.with_columns(pl.col("tgl_meninggal").str.to_date("%Y-%m-%d", strict=False))
    bad = parsed.with_row_index("baris", offset=2).filter(pl.col("tgl_meninggal").is_null())
    if bad.height:
        rows = ", ".join(str(r) for r in bad["baris"].head(10).to_list())
        raise CommandError(
            f"{path.name} baris {rows}, kolom tgl_meninggal: bukan tanggal TTTT-BB-HH."
        )
    return parsed.select("nik", "tgl_meninggal")


class Command(BaseCommand):
    help = "Anak yatim: 'deteksi' mencari anak yatim/piatu di register suatu wilayah."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("aksi", choices=["deteksi"])
        parser.add_argument("--wilayah", required=True, help="kode wilayah, mis. 33.16")
        parser.add_argument("--kematian", type=Path, help="CSV data kematian: nik, tgl_meninggal")
        parser.add_argument("--as-user", help="pengguna yang hak aksesnya dipakai")

    def handle(self, *args: Any, **options: Any) -> None:
        user = None
        if options["as_user"]:
            user = User.objects.filter(username=options["as_user"], is_active=True).first()
            if user is None:
                raise CommandError(f"Pengguna '{options['as_user']}' tidak ada atau tidak aktif.")
        deaths = _deaths(options["kematian"]) if options["kematian"] else None
        try:
            result = services.temuan_detect(actor=user, wilayah=options["wilayah"], deaths=deaths)
        except services.AsuhForbidden as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"{result['ditemukan']} anak yatim/piatu ditemukan: {result['baru']} temuan baru, "
            f"{result['diperbarui']} diperbarui, {result['dihapus']} tidak terbukti lagi."
        )
