"""``padu kemiskinan estimate|register|bps``: small-area poverty estimates (P0/P1/P2).

``estimate`` works on plain files (no database: engine ``padu/engine/kemiskinan``);
``register`` runs the same estimate on the register of a region with the access rights of a
user (``--as-user``), through the service the background task also calls; ``bps`` records a
published BPS figure as the next version of its series.
"""

from __future__ import annotations

import time
from argparse import ArgumentParser
from datetime import date
from pathlib import Path
from typing import Any

import polars as pl
from django.core.management.base import BaseCommand, CommandError

from padu.core.formatting import angka
from padu.core.progress import steps
from padu.engine import io
from padu.engine.kemiskinan import calibrate, lines, run
from padu.engine.pmt import artifact, features, fit

COLUMNS = (
    "kode_wilayah",
    "tingkat",
    "p0",
    "p0_bawah",
    "p0_atas",
    "p1",
    "p1_bawah",
    "p1_atas",
    "p2",
    "p2_bawah",
    "p2_atas",
    "p0_ekstrem",
    "p0_ekstrem_bawah",
    "p0_ekstrem_atas",
    "keluarga",
    "orang",
)


def _angka(text: str) -> float:
    """A number written either way: 11,28 or 11.28."""
    try:
        return float(text.replace(",", "."))
    except ValueError as exc:
        raise ValueError(f"'{text}' bukan angka; tulis mis. 11,28.") from exc


def _persen(value: float) -> str:
    return f"{value:.2f}".replace(".", ",")


class Command(BaseCommand):
    help = (
        "Estimasi kemiskinan (P0, P1, P2) per kabupaten, kecamatan dan desa dari model PMT, "
        "survei dan register: `estimate` pada berkas, `register` pada register, `bps` "
        "mencatat angka resmi BPS."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="aksi", required=True)
        e = sub.add_parser("estimate", help="estimasi dari keluarga.csv dan art.csv")
        e.add_argument("--model", type=Path, required=True, help="folder artefak model PMT")
        e.add_argument("--survey", type=Path, required=True, help="survey.csv pelatihan model")
        e.add_argument("--keluarga", type=Path, required=True, help="keluarga.csv")
        e.add_argument("--art", type=Path, required=True, help="art.csv")
        e.add_argument("--out", type=Path, required=True, help="areas.csv (hasil)")
        e.add_argument("--simulasi", type=int, default=100, help="jumlah simulasi (bawaan 100)")
        e.add_argument("--seed", type=int, default=1, help="benih acak")
        e.add_argument("--garis", type=float, default=None, help="garis kemiskinan Rp/kapita/bulan")
        e.add_argument("--garis-ekstrem", type=float, default=None, help="garis ekstrem")
        e.add_argument("--kalibrasi", type=Path, default=None, help="CSV angka P0 BPS")
        e.add_argument(
            "--tanggal-acuan",
            type=date.fromisoformat,
            default=None,
            help="tanggal untuk menghitung umur (TTTT-BB-HH; bawaan: hari ini)",
        )
        r = sub.add_parser("register", help="estimasi pada register suatu wilayah")
        r.add_argument("--as-user", required=True, help="pengguna yang hak aksesnya dipakai")
        r.add_argument("--model", type=int, required=True, help="nomor model PMT (siap)")
        r.add_argument("--wilayah", default="", help="kode wilayah, mis. 33.16 (kosong: provinsi)")
        r.add_argument("--simulasi", type=int, default=100)
        r.add_argument("--kalibrasi", action="store_true", help="sesuaikan ke P0 BPS tercatat")
        r.add_argument("--latar", action="store_true", help="antrekan sebagai tugas latar")
        b = sub.add_parser("bps", help="catat angka kemiskinan resmi BPS (versi baru)")
        b.add_argument("--as-user", required=True)
        b.add_argument("--kode", required=True, help="33 atau kode kabupaten/kota, mis. 33.16")
        b.add_argument("--periode", required=True, help="TTTT-BB, mis. 2025-03")
        b.add_argument("--p0", type=_angka, required=True, help="persen penduduk miskin")
        b.add_argument("--p1", type=_angka, default=None)
        b.add_argument("--p2", type=_angka, default=None)
        b.add_argument("--garis", type=float, default=None, help="garis kemiskinan BPS")
        b.add_argument("--sumber", required=True, help="mis. BRS BPS Provinsi Jawa Tengah")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            getattr(self, f"_{options['aksi']}")(options)
        except (ValueError, OSError, PermissionError) as exc:
            raise CommandError(str(exc)) from exc

    def _estimate(self, options: dict[str, Any]) -> None:
        started = time.perf_counter()
        line = lines.line().with_values(options["garis"], options["garis_ekstrem"])
        with steps(5, "Estimasi kemiskinan") as progress:
            loaded = artifact.load(options["model"])
            survey = fit.read_survey(options["survey"])
            published = (
                calibrate.read_published(options["kalibrasi"]) if options["kalibrasi"] else []
            )
            progress("model dan survei")
            keluarga = io.read_table(options["keluarga"], "keluarga")
            progress("keluarga.csv")
            art = io.read_table(options["art"], "art")
            progress("art.csv")
            reference = options["tanggal_acuan"] or date.today()
            population = features.population_frame(keluarga, art, reference)
            result = run.estimate(
                loaded,
                survey,
                population,
                line,
                n_draws=options["simulasi"],
                seed=options["seed"],
                published=published,
                where="keluarga.csv/art.csv",
            )
            progress("simulasi")
            out = result.areas.select(COLUMNS).with_columns(
                versi_model=pl.lit(result.model_version),
                garis_kemiskinan=pl.lit(line.garis),
                simulasi=pl.lit(result.n_draws),
            )
            options["out"].parent.mkdir(parents=True, exist_ok=True)
            out.write_csv(options["out"])
            progress("areas.csv")
        kab = out.filter(pl.col("tingkat") == "kabupaten")
        self.stdout.write(
            f"Estimasi {out.height} wilayah ({angka(population.height)} keluarga, "
            f"{angka(float(population['jumlah_art'].sum()))} orang) dengan model "
            f"{result.model_version} dan {result.n_draws} simulasi ditulis ke {options['out']} "
            f"dalam {time.perf_counter() - started:.1f} detik."
        )
        self.stdout.write(
            f"Garis kemiskinan Rp {angka(line.garis)}/kapita/bulan ({line.periode}, {line.sumber})."
        )
        for row in kab.iter_rows(named=True):
            self.stdout.write(
                f"  {row['kode_wilayah']}: P0 {_persen(row['p0'])}% (selang 90% "
                f"{_persen(row['p0_bawah'])}-{_persen(row['p0_atas'])}), "
                f"P1 {_persen(row['p1'])}, P2 {_persen(row['p2'])}"
            )
        for code, shift in result.shifts.items():
            self.stdout.write(f"  {code} disesuaikan ke P0 BPS (geseran log {shift:+.4f}).")
        self.stdout.write("Ini estimasi model (dengan selang), bukan hitungan register.")

    def _user(self, options: dict[str, Any]) -> Any:
        from padu.accounts.models import User

        actor = User.objects.filter(username=options["as_user"], is_active=True).first()
        if actor is None:
            raise CommandError(f"Pengguna '{options['as_user']}' tidak ada atau tidak aktif.")
        return actor

    def _register(self, options: dict[str, Any]) -> None:
        from padu.welfare import services, tasks
        from padu.welfare.models import PmtModel

        actor = self._user(options)
        model = PmtModel.objects.filter(pk=options["model"]).first()
        if model is None:
            raise CommandError(f"Model PMT #{options['model']} tidak ada.")
        if options["latar"]:
            tasks.estimate_poverty.enqueue(model.pk, options["wilayah"], options["kalibrasi"])
            self.stdout.write("Estimasi diantrekan; jalankan `padu worker` untuk mengerjakannya.")
            return
        started = time.perf_counter()
        written = services.kemiskinan_estimate_write(
            actor=actor,
            model=model,
            wilayah=options["wilayah"],
            n_draws=options["simulasi"],
            kalibrasi=options["kalibrasi"],
        )
        self.stdout.write(
            f"Estimasi kemiskinan {written} wilayah disimpan dengan model {model.versi} "
            f"dalam {time.perf_counter() - started:.1f} detik."
        )

    def _bps(self, options: dict[str, Any]) -> None:
        from padu.welfare import services

        figure = services.angka_bps_record(
            actor=self._user(options),
            kode=options["kode"],
            periode=options["periode"],
            p0=options["p0"],
            p1=options["p1"],
            p2=options["p2"],
            garis_kemiskinan=options["garis"],
            sumber=options["sumber"],
        )
        self.stdout.write(
            f"Angka BPS {figure.kode} periode {figure.periode} dicatat sebagai versi "
            f"{figure.versi}: P0 {_persen(figure.p0)}%."
        )
