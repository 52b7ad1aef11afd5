"""``padu dampingan``: measure every desa for the month, list assignments, record or import
interventions, acting with a named user's rights (the same services as the pages)."""

from __future__ import annotations

import datetime as dt
import time
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from padu.accounts.models import User
from padu.core.formatting import angka
from padu.dampingan import selectors, services
from padu.dampingan.impor import intervensi_import
from padu.dampingan.models import JenisIntervensi, SumberDana
from padu.engine.io import DtksFileError
from padu.registry.models import Keluarga


def _month(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text + "-01")
    except ValueError as exc:
        raise CommandError(
            f"Bulan '{text}' tidak dikenal: tulis TAHUN-BULAN, mis. 2026-12."
        ) from exc


class Command(BaseCommand):
    help = (
        "Desa dampingan: 'indikator' (ukur semua desa bulan ini), 'penugasan' (daftar), "
        "'intervensi tambah' dan 'intervensi impor' (XLSX/CSV)."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="aksi", required=True, parser_class=CommandParser)
        ukur = sub.add_parser("indikator", help="ukur tingkat kemiskinan semua desa")
        ukur.add_argument("--bulan", default="", help="TAHUN-BULAN, bawaan bulan ini")
        daftar = sub.add_parser("penugasan", help="daftar penugasan yang dapat dilihat pengguna")
        iv = sub.add_parser("intervensi", help="catat atau impor intervensi")
        iv.add_argument("langkah", choices=["tambah", "impor"])
        iv.add_argument("--penugasan", type=int, required=True, help="nomor penugasan")
        iv.add_argument("--berkas", type=Path, help="impor: berkas XLSX/CSV")
        iv.add_argument("--jenis", help="tambah: kode jenis, mis. rtlh")
        iv.add_argument("--sumber", help="tambah: kode sumber dana, mis. apbd-provinsi")
        iv.add_argument("--jumlah", type=int, default=0, help="rupiah")
        iv.add_argument("--no-kk", default="", help="No. KK keluarga (kosong: untuk desa)")
        iv.add_argument("--status", default="rencana", choices=["rencana", "berjalan", "selesai"])
        iv.add_argument("--tanggal", type=dt.date.fromisoformat, default=None)
        iv.add_argument("--uraian", default="")
        for p in (daftar, iv):
            p.add_argument("--as-user", required=True, help="pengguna yang hak aksesnya dipakai")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["aksi"] == "indikator":
            start = time.perf_counter()
            month = _month(options["bulan"]) if options["bulan"] else None
            n = services.indikator_refresh(actor=None, month=month)
            self.stdout.write(
                f"Indikator {angka(n)} desa diukur ({time.perf_counter() - start:.1f} detik)."
            )
            return
        user = User.objects.filter(username=options["as_user"], is_active=True).first()
        if user is None:
            raise CommandError(f"Pengguna '{options['as_user']}' tidak ada atau tidak aktif.")
        try:
            if options["aksi"] == "penugasan":
                self._list(user)
            elif options["langkah"] == "impor":
                self._import(user, options)
            else:
                self._add(user, options)
        except (services.DampinganError, services.DampinganForbidden, DtksFileError) as exc:
            raise CommandError(str(exc)) from exc

    def _list(self, user: Any) -> None:
        for p in selectors.penugasan_visible(user).order_by("kode_desa", "pk"):
            self.stdout.write(
                f"{p.pk:>5}  {p.kode_desa}  {p.tahun}  {p.zona:<6}  "
                f"{'aktif' if p.aktif else 'berakhir':<8}  {p.mitra.nama} ({p.dasar_hukum})"
            )

    def _penugasan(self, user: Any, pk: int) -> Any:
        found = selectors.penugasan_visible(user).filter(pk=pk).first()
        if found is None:
            raise CommandError(
                f"Penugasan #{pk} tidak ada atau di luar wilayah Anda; lihat "
                "'padu dampingan penugasan'."
            )
        return found

    def _import(self, user: Any, options: dict[str, Any]) -> None:
        if not options["berkas"]:
            raise CommandError("Isi --berkas (XLSX atau CSV daftar intervensi).")
        n = intervensi_import(
            actor=user,
            penugasan=self._penugasan(user, options["penugasan"]),
            path=options["berkas"],
        )
        self.stdout.write(f"{n} intervensi dicatat dari {options['berkas'].name}.")

    def _add(self, user: Any, options: dict[str, Any]) -> None:
        penugasan = self._penugasan(user, options["penugasan"])
        jenis = JenisIntervensi.objects.filter(kode=options["jenis"] or "").first()
        sumber = SumberDana.objects.filter(kode=options["sumber"] or "").first()
        if jenis is None or sumber is None:
            raise CommandError(
                "Isi --jenis dan --sumber dengan kode katalog: jenis "
                f"{', '.join(JenisIntervensi.objects.values_list('kode', flat=True))}; sumber "
                f"{', '.join(SumberDana.objects.values_list('kode', flat=True))}."
            )
        keluarga = None
        if options["no_kk"]:
            keluarga = Keluarga.objects.filter(
                no_kk=options["no_kk"], kode_desa=penugasan.kode_desa
            ).first()
            if keluarga is None:
                raise CommandError(
                    f"Keluarga No. KK {options['no_kk']} tidak ada di desa {penugasan.kode_desa}."
                )
        item = services.intervensi_record(
            actor=user, penugasan=penugasan, jenis=jenis, sumber_dana=sumber,
            jumlah=options["jumlah"], mulai=options["tanggal"] or dt.date.today(),
            status=options["status"], keluarga=keluarga, uraian=options["uraian"],
        )  # fmt: skip
        self.stdout.write(f"Intervensi #{item.pk} dicatat: {jenis} ({item.get_status_display()}).")
