"""``padu pmt fit|score|evaluate``: PMT models on plain files (engine: padu/engine/pmt)."""

from __future__ import annotations

import json
import time
from argparse import ArgumentParser
from datetime import date
from pathlib import Path
from typing import Any

import polars as pl
import yaml
from django.core.management.base import BaseCommand, CommandError

from padu.core.progress import steps
from padu.engine import io
from padu.engine.pmt import artifact, fit, report, score


def _coverages(text: str | None) -> list[float] | None:
    if not text:
        return None
    try:
        values = [float(v) for v in text.split(",")]
    except ValueError as exc:
        raise CommandError(f"--cakupan '{text}' tidak valid; tulis mis. 0.1,0.2,0.4.") from exc
    if not all(0.0 < v < 1.0 for v in values):
        raise CommandError("--cakupan harus di antara 0 dan 1, mis. 0.4 untuk 40% orang.")
    return values


class Command(BaseCommand):
    help = (
        "Proxy means test (PMT): `fit` melatih model dari survey.csv, `score` memberi skor dan "
        "desil keluarga, `evaluate` membandingkan skor dengan pengeluaran sebenarnya."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="aksi", required=True)
        p = sub.add_parser("fit", help="latih model PMT dari survey.csv")
        p.add_argument("survey", type=Path, help="berkas survey.csv")
        p.add_argument("--out", type=Path, required=True, help="folder artefak model (baru)")
        p.add_argument("--seed", type=int, default=None, help="benih acak (bawaan: pengaturan)")
        p.add_argument("--garis-kemiskinan", type=float, default=None, help="rupiah/kapita/bulan")
        p.add_argument("--cakupan", default=None, help="cakupan pemilihan model, mis. 0.4")
        p.add_argument("--pengaturan", type=Path, default=None, help="YAML pengganti pmt.yaml")
        s = sub.add_parser("score", help="skor dan desil keluarga")
        s.add_argument("--keluarga", type=Path, required=True, help="keluarga.csv")
        s.add_argument("--art", type=Path, required=True, help="art.csv")
        s.add_argument("--model", type=Path, required=True, help="folder artefak model")
        s.add_argument("--out", type=Path, required=True, help="scores.csv")
        s.add_argument(
            "--tanggal-acuan",
            type=date.fromisoformat,
            default=None,
            help="tanggal untuk menghitung umur (TTTT-BB-HH; bawaan: hari ini)",
        )
        e = sub.add_parser("evaluate", help="laporan penargetan: skor terhadap truth.csv")
        e.add_argument("--scores", type=Path, required=True, help="scores.csv dari `pmt score`")
        e.add_argument("--truth", type=Path, required=True, help="truth.csv")
        e.add_argument("--garis-kemiskinan", type=float, default=None)
        e.add_argument("--cakupan", default=None, help="mis. 0.1,0.2,0.4")
        e.add_argument("--bootstrap", type=int, default=None, help="jumlah ulangan bootstrap")
        e.add_argument("--bantuan", type=float, default=300_000.0, help="rupiah/keluarga/bulan")
        e.add_argument("--json", type=Path, default=None, help="simpan hasil juga sebagai JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            getattr(self, f"_{options['aksi']}")(options)
        except (ValueError, OSError) as exc:  # engine errors carry Bahasa messages
            raise CommandError(str(exc)) from exc

    def _fit(self, options: dict[str, Any]) -> None:
        overrides: dict[str, Any] = {}
        if options["pengaturan"]:
            overrides.update(yaml.safe_load(options["pengaturan"].read_text("utf-8")) or {})
        overrides.update(
            {
                "seed": options["seed"],
                "garis_kemiskinan": options["garis_kemiskinan"],
                "cakupan_pemilihan": _coverages(options["cakupan"]),
            }
        )
        started = time.perf_counter()
        survey = fit.read_survey(options["survey"])
        with steps(fit.step_count(overrides), "Melatih PMT") as progress:
            fitted = fit.fit(survey, overrides, progress=progress)
        manifest = artifact.save(fitted, options["out"])
        self.stdout.write(
            f"Model {manifest['versi']} ({fitted.chosen}) dari {survey.height:,} keluarga survei "
            f"ditulis ke {options['out']} dalam {time.perf_counter() - started:.1f} detik.".replace(
                ",", "."
            )
        )
        self.stdout.write("Validasi silang (kerugian = galat eksklusi pada cakupan pemilihan):")
        for name, cv in fitted.cv.items():
            mark = "*" if name == fitted.chosen else " "
            self.stdout.write(
                f" {mark} {name:14s} kerugian {cv['loss']:.3f}  R2 {cv['r2']:.3f}  "
                f"AUC {cv['auc_miskin']:.3f}"
            )
        for note in fitted.notes:
            self.stdout.write(note)

    def _score(self, options: dict[str, Any]) -> None:
        started = time.perf_counter()
        with steps(4, "Memberi skor") as progress:
            loaded = artifact.load(options["model"])
            progress("model")
            keluarga = io.read_table(options["keluarga"], "keluarga")
            progress("keluarga.csv")
            art = io.read_table(options["art"], "art")
            progress("art.csv")
            reference = options["tanggal_acuan"] or date.today()
            scored = score.score_population(loaded, keluarga, art, reference)
            progress("skor")
        out = scored.select(
            "id_keluarga",
            "score",
            "desil",
            "desil_kabupaten",
            "kode_desa",
            "jumlah_art",
            pl.lit(loaded.version).alias("versi_model"),
        )
        options["out"].parent.mkdir(parents=True, exist_ok=True)
        out.write_csv(options["out"])
        desil_1_4 = int(out["desil"].is_in([1, 2, 3, 4]).sum())
        self.stdout.write(
            f"{out.height:,} keluarga diberi skor dengan model {loaded.version} dan ditulis ke "
            f"{options['out']} dalam {time.perf_counter() - started:.1f} detik; "
            f"{desil_1_4:,} keluarga di desil 1-4.".replace(",", ".")
        )

    def _evaluate(self, options: dict[str, Any]) -> None:
        started = time.perf_counter()
        conf = fit.settings()
        line = options["garis_kemiskinan"] or float(conf["garis_kemiskinan"])
        coverages = _coverages(options["cakupan"]) or list(conf["cakupan_laporan"])
        replicates = conf["bootstrap"] if options["bootstrap"] is None else options["bootstrap"]
        scores = pl.read_csv(options["scores"], schema_overrides={"id_keluarga": pl.String})
        truth = pl.read_csv(options["truth"], schema_overrides={"id_keluarga": pl.String})
        for name, frame, need in (
            ("scores", scores, ("id_keluarga", "score", "jumlah_art")),
            ("truth", truth, ("id_keluarga", "kesejahteraan")),
        ):
            missing = [c for c in need if c not in frame.columns]
            if missing:
                raise CommandError(
                    f"Berkas --{name} tidak punya kolom {', '.join(missing)}; "
                    "pakai keluaran `padu pmt score` dan truth.csv dari `padu synth --truth`."
                )
        joined = report.join_truth(
            scores.select("id_keluarga", "score", "jumlah_art"),
            truth.select("id_keluarga", "kesejahteraan"),
        )
        result = report.evaluate(
            joined,
            line=line,
            coverages=coverages,
            replicates=int(replicates),
            transfer=options["bantuan"],
        )
        persons = float(joined["jumlah_art"].sum())
        self.stdout.write(
            report.text(result, coverages, joined.height, persons, transfer=options["bantuan"])
        )
        if options["json"]:
            options["json"].write_text(json.dumps(result, indent=1, allow_nan=True), "utf-8")
        where = f"; hasil juga di {options['json']}" if options["json"] else ""
        self.stdout.write(
            f"{joined.height:,} keluarga dinilai terhadap truth.csv dalam "
            f"{time.perf_counter() - started:.1f} detik{where}.".replace(",", ".")
        )
