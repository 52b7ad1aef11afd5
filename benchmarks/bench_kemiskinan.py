# ruff: noqa: E501  (long report lines are kept whole for readability)
"""Benchmark: small-area poverty estimates (P0/P1/P2) and the PMT model choice.

    .venv/bin/python benchmarks/bench_kemiskinan.py [--keluarga 60000] [--survei 2000]
        [--kabupaten 33.16,33.01,33.74,33.19] [--besar 300000]

1. Accuracy, per kabupaten: the generator's families (``padu synth``) and its stratified
   survey (``padu synth --survey``: kecamatan x urban strata, with ``kode_desa``); the PMT is
   fitted on the survey with the default settings (every candidate, chosen by CV with the
   noise margin); P0/P1/P2 are estimated for every family with 100 draws and compared with
   the truth: kabupaten error, per-kecamatan mean absolute error of P0 and the share of
   kecamatan (and desa) whose true P0 lies inside the 90% interval.
2. PMT on held-out data: families not in the survey. Exclusion error at 20% coverage (the
   true poorest 20% of persons that the selection misses), the baseline OLS (``ols_bps``)
   against the chosen model.
3. Speed: a population of ``--besar`` families (about 1,000,000 persons at 300,000) with 100
   draws: prediction, residuals and simulation, timed.

Prints Markdown for benchmarks/RESULTS.md.
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from padu.engine import synth
from padu.engine.kemiskinan import lines, run, simulate
from padu.engine.pmt import artifact, features, fit, report, score

REFERENCE = synth.REFERENCE_DATE
BASELINE_ONLY = {"kandidat": {"ols_bps": fit.default_settings()["kandidat"]["ols_bps"]}}
# One province-wide OLS, no urban/rural or kabupaten cells: the pooled reference.
POOLED = {
    "kandidat": {"ols_bps": {**fit.default_settings()["kandidat"]["ols_bps"], "sel_minimum": 10**9}}
}


def _model(
    survey: pl.DataFrame, overrides: dict[str, Any], folder: Path
) -> tuple[artifact.Artifact, fit.Fitted]:
    fitted = fit.fit(survey, overrides)
    artifact.save(fitted, folder)
    return artifact.load(folder), fitted


def _survey(
    keluarga: pl.DataFrame,
    art: pl.DataFrame,
    truth: pl.DataFrame,
    n: int,
    kab: str,
    seed: int,
    folder: Path,
) -> pl.DataFrame:
    sample = synth.generate_survey(keluarga, art, truth, n=n, kabupaten=kab, seed=seed)
    sample.write_csv(folder / "survey.csv")
    return fit.read_survey(folder / "survey.csv")


def _exclusion(model: artifact.Artifact, held_out: pl.DataFrame) -> float:
    scored = score.score_frame(model, held_out).join(
        held_out.select("id_keluarga", "kesejahteraan"), on="id_keluarga", maintain_order="left"
    )
    result = report.evaluate(scored, line=570870.0, coverages=[0.2], replicates=0)
    return float(result["galat_eksklusi_bawah@0.2"]["nilai"])


def accuracy(kab: str, n: int, n_survey: int, seed: int, tmp: Path) -> dict[str, Any]:
    started = time.perf_counter()
    keluarga, art, truth = synth.generate_frames(kabupaten=kab, n_keluarga=n, seed=seed)
    folder = Path(tempfile.mkdtemp(dir=tmp))
    survey = _survey(keluarga, art, truth, n_survey, kab, seed, folder)
    chosen, fitted = _model(survey, {}, folder / "chosen")
    population = features.population_frame(keluarga, art, REFERENCE)
    line = lines.line()
    estimate = run.estimate(chosen, survey, population, line, n_draws=100, seed=1)
    log_pce = population.join(truth, on="id_keluarga", how="left")["kesejahteraan"]
    true = simulate.true_fgt(log_pce, population["jumlah_art"], population["kode_desa"], line)
    joined = estimate.areas.join(true, on=["kode_wilayah", "tingkat"], suffix="_benar")

    def level(name: str) -> pl.DataFrame:
        return joined.filter(pl.col("tingkat") == name)

    def covered(frame: pl.DataFrame) -> float:
        return float(
            (  # type: ignore[arg-type]
                (frame["p0_bawah"] <= frame["p0_benar"]) & (frame["p0_benar"] <= frame["p0_atas"])
            ).mean()
        )

    kec, desa = level("kecamatan"), level("desa")
    k = level("kabupaten").row(0, named=True)
    # PMT on held-out families: a simple random sample of the survey's size trains both
    # the baseline and the chosen model; every other family is held out.
    frame = population.join(
        truth.select("id_keluarga", "kesejahteraan", "pengeluaran_per_kapita"),
        on="id_keluarga",
        maintain_order="left",
    )
    in_sample = np.random.default_rng(seed).random(frame.height) < n_survey / frame.height
    sample = frame.filter(pl.Series(in_sample)).with_columns(
        bobot=pl.col("jumlah_art").cast(pl.Float64) * (frame.height / int(in_sample.sum()))
    )
    held_out = frame.filter(~pl.Series(in_sample))
    held_base, _ = _model(sample, BASELINE_ONLY, folder / "held-base")
    held_pooled, _ = _model(sample, POOLED, folder / "held-pooled")
    held_chosen, held_fit = _model(sample, {}, folder / "held-chosen")
    return {
        "kab": kab,
        "keluarga": population.height,
        "orang": int(population["jumlah_art"].sum()),
        "survei": survey.height,
        "chosen": fitted.chosen,
        "cv": {name: round(v["loss"], 4) for name, v in fitted.cv.items()},
        "notes": fitted.notes,
        "p0": k["p0"],
        "p0_benar": k["p0_benar"],
        "p0_selang": (k["p0_bawah"], k["p0_atas"]),
        "kec_n": kec.height,
        "kec_mae": float((kec["p0"] - kec["p0_benar"]).abs().mean()),  # type: ignore[arg-type]
        "kec_cover": covered(kec),
        "kec_width": float((kec["p0_atas"] - kec["p0_bawah"]).mean()),  # type: ignore[arg-type]
        "desa_n": desa.height,
        "desa_mae": float((desa["p0"] - desa["p0_benar"]).abs().mean()),  # type: ignore[arg-type]
        "desa_cover": covered(desa),
        "held_chosen": held_fit.chosen,
        "excl_pooled": _exclusion(held_pooled, held_out),
        "excl_base": _exclusion(held_base, held_out),
        "excl_chosen": _exclusion(held_chosen, held_out),
        "seconds": time.perf_counter() - started,
    }


def speed(n: int, seed: int, tmp: Path) -> str:
    t = time.perf_counter()
    keluarga, art, truth = synth.generate_frames(kabupaten="33.16", n_keluarga=n, seed=seed)
    folder = Path(tempfile.mkdtemp(dir=tmp))
    survey = _survey(keluarga, art, truth, 5000, "33.16", seed, folder)
    model, _ = _model(survey, BASELINE_ONLY, folder / "base")
    population = features.population_frame(keluarga, art, REFERENCE)
    persons = int(population["jumlah_art"].sum())
    prepared = time.perf_counter() - t
    t = time.perf_counter()
    estimate = run.estimate(model, survey, population, lines.line(), n_draws=100, seed=1)
    seconds = time.perf_counter() - t
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return (
        f"{population.height:,} families / {persons:,} persons, {estimate.areas.height:,} areas, "
        f"100 draws: **{seconds:.1f} s** (prediction + residuals + simulation; data generated and "
        f"model fitted beforehand in {prepared:.1f} s); peak RSS {peak:,.0f} MB"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--keluarga", type=int, default=60_000)
    parser.add_argument("--survei", type=int, default=2_000)
    parser.add_argument("--kabupaten", default="33.16,33.01,33.74,33.19")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--besar", type=int, default=300_000)
    parser.add_argument("--tmp", type=Path, default=Path("/tmp/bench-kemiskinan"))
    args = parser.parse_args()
    args.tmp.mkdir(parents=True, exist_ok=True)
    rows = [
        accuracy(kab, args.keluarga, args.survei, args.seed + i, args.tmp)
        for i, kab in enumerate(args.kabupaten.split(","))
    ]
    print(
        "\n| kabupaten | keluarga / orang | survei | model | P0 kab. est. (90%) | P0 kab. benar | kecamatan | P0 MAE kec. | cakupan 90% kec. | lebar selang kec. | P0 MAE desa | cakupan 90% desa | excl. 20% pooled OLS | excl. 20% OLS baseline (ols_bps) | excl. 20% chosen (model) |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        low, high = r["p0_selang"]
        print(
            f"| {r['kab']} | {r['keluarga']:,} / {r['orang']:,} | {r['survei']:,} | {r['chosen']} | "
            f"{r['p0']:.2f} ({low:.2f}-{high:.2f}) | {r['p0_benar']:.2f} | {r['kec_n']} | {r['kec_mae']:.2f} | "
            f"{r['kec_cover']:.0%} | {r['kec_width']:.2f} | {r['desa_mae']:.2f} | {r['desa_cover']:.0%} | "
            f"{r['excl_pooled']:.3f} | {r['excl_base']:.3f} | {r['excl_chosen']:.3f} ({r['held_chosen']}) |"
        )
    kec_total = sum(int(r["kec_n"]) for r in rows)
    cover = sum(float(r["kec_cover"]) * int(r["kec_n"]) for r in rows) / kec_total
    mae = sum(float(r["kec_mae"]) * int(r["kec_n"]) for r in rows) / kec_total
    print(
        f"\nAll {kec_total} kecamatan: P0 MAE {mae:.2f} points, 90% interval coverage {cover:.0%}."
    )
    for r in rows:
        print(
            f"- {r['kab']}: CV loss {r['cv']}; {' '.join(r['notes']) or 'no note'} ({r['seconds']:.0f} s)"
        )
    print("\n" + speed(args.besar, args.seed, args.tmp))


if __name__ == "__main__":
    main()
