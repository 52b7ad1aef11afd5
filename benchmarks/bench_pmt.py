# ruff: noqa: E501  (long report lines are kept whole for readability)
"""Benchmark: PMT held-out targeting accuracy, desil shares, scoring and fitting speed.

    .venv/bin/python benchmarks/bench_pmt.py --keluarga 300000 [--seed 1] [--bootstrap 50]

1. Generates a population with the project's generator (300,000 families, about 1,000,000
   persons) and its hidden truth.
2. Held-out evaluation: a 15% simple random sample of families is the survey (expenditure
   known, weight = persons represented); the other 85% are the population whose expenditure
   is hidden. The BPS-style baseline (OLS by kabupaten x perkotaan) and the model the
   cross-validation chooses are fitted on the sample and scored on the held-out 85%.
3. Desil shares on all families (person-weighted, province-wide).
4. Speed: scoring + desil of all families from frames in memory; fitting on a 50,000-family
   stratified survey drawn by the generator (``padu synth --survey``).

Prints Markdown for benchmarks/RESULTS.md.
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path

import numpy as np
import polars as pl

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from padu.engine import synth
from padu.engine.pmt import artifact, features, fit, report, score

REFERENCE = synth.REFERENCE_DATE
COVERAGES = (0.1, 0.2, 0.4)


def _fit_and_save(
    survey: pl.DataFrame, overrides: dict[str, object], folder: Path
) -> tuple[artifact.Artifact, fit.Fitted, float]:
    started = time.perf_counter()
    fitted = fit.fit(survey, overrides)
    seconds = time.perf_counter() - started
    artifact.save(fitted, folder)
    return artifact.load(folder), fitted, seconds


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--keluarga", type=int, default=300_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--sampel", type=float, default=0.15)
    parser.add_argument("--survei-cepat", type=int, default=50_000)
    parser.add_argument("--bootstrap", type=int, default=50)
    parser.add_argument("--tmp", type=Path, default=Path("/tmp/bench-pmt"))
    args = parser.parse_args()
    args.tmp.mkdir(parents=True, exist_ok=True)
    artifact.remove_staging(args.tmp)
    stamp = time.strftime("%Y%m%d%H%M%S")

    t = time.perf_counter()
    keluarga, art, truth = synth.generate_frames(
        kabupaten="33.16", n_keluarga=args.keluarga, seed=args.seed
    )
    population = features.population_frame(keluarga, art, REFERENCE).join(
        truth.select("id_keluarga", "kesejahteraan", "pengeluaran_per_kapita"),
        on="id_keluarga",
        maintain_order="left",
    )
    persons = int(population["jumlah_art"].sum())
    print(
        f"generated {keluarga.height:,} families / {persons:,} persons in {time.perf_counter() - t:.1f} s",
        flush=True,
    )

    # -- held-out evaluation ------------------------------------------------------------
    rng = np.random.default_rng(args.seed)
    in_sample = rng.random(population.height) < args.sampel
    n_sample = int(in_sample.sum())
    household_weight = population.height / n_sample
    sample = population.filter(pl.Series(in_sample)).with_columns(
        bobot=pl.col("jumlah_art").cast(pl.Float64) * household_weight
    )
    held_out = population.filter(~pl.Series(in_sample))
    baseline, _, base_seconds = _fit_and_save(
        sample,
        {"kandidat": {"ols_bps": fit.default_settings()["kandidat"]["ols_bps"]}},
        args.tmp / f"base-{stamp}",
    )
    chosen, fitted, chosen_seconds = _fit_and_save(sample, {}, args.tmp / f"chosen-{stamp}")
    print(
        f"fitted on {n_sample:,} sampled families: baseline {base_seconds:.1f} s, all candidates {chosen_seconds:.1f} s; chosen {fitted.chosen}",
        flush=True,
    )
    rows = []
    for label, model in (
        ("OLS baseline (ols_bps)", baseline),
        (f"chosen ({fitted.chosen})", chosen),
    ):
        scored = score.score_frame(model, held_out).join(
            held_out.select("id_keluarga", "kesejahteraan"), on="id_keluarga", maintain_order="left"
        )
        result = report.evaluate(
            scored,
            line=float(fit.default_settings()["garis_kemiskinan"]),
            coverages=COVERAGES,
            replicates=args.bootstrap,
        )
        rows.append((label, result))
    print(
        "\n### Held-out targeting (85% of families, expenditure hidden; 95% bootstrap intervals)\n"
    )
    header = "| model | AUC (poor) | Spearman |" + "".join(
        f" excl. {c:.0%} | incl. {c:.0%} (non-poor) | incl. {c:.0%} (selected) |" for c in COVERAGES
    )
    print(header)
    print("|" + "---|" * (3 + 3 * len(COVERAGES)))
    for label, result in rows:
        cells = [
            f"{result['auc_miskin']['nilai']:.3f} ({result['auc_miskin']['bawah']:.3f}-{result['auc_miskin']['atas']:.3f})",
            f"{result['spearman']['nilai']:.3f}",
        ]
        for c in COVERAGES:
            for key in (
                "galat_eksklusi_bawah",
                "galat_inklusi_bukan_miskin_bawah",
                "galat_inklusi_terpilih_bawah",
            ):
                e = result[f"{key}@{c:g}"]
                cells.append(f"{e['nilai']:.3f} ({e['bawah']:.3f}-{e['atas']:.3f})")
        print(f"| {label} | " + " | ".join(cells) + " |")
    print(
        "\nAgainst the poverty line (target = poor by truth), exclusion / inclusion-among-selected:\n"
    )
    for label, result in rows:
        parts = [
            f"{c:.0%}: {result[f'galat_eksklusi_miskin@{c:g}']['nilai']:.3f} / {result[f'galat_inklusi_terpilih_miskin@{c:g}']['nilai']:.3f}"
            for c in COVERAGES
        ]
        print(f"- {label}: " + "; ".join(parts) + f"; CGH@40% {result['cgh@0.4']['nilai']:.2f}")
    print("\nCV on the sample (targeting loss at 40% coverage, R2, AUC):\n")
    for name, cv in fitted.cv.items():
        print(f"- {name}: loss {cv['loss']:.4f}, R2 {cv['r2']:.3f}, AUC {cv['auc_miskin']:.3f}")

    # -- scoring speed and desil shares -----------------------------------------------------
    t = time.perf_counter()
    frame = features.population_frame(keluarga, art, REFERENCE)
    scored_all = score.score_frame(chosen, frame)
    score_seconds = time.perf_counter() - t
    shares = scored_all.group_by("desil").agg(pl.col("jumlah_art").sum()).sort("desil")
    share = (shares["jumlah_art"] / shares["jumlah_art"].sum()).to_list()
    print(
        f"\nscoring + desil of {frame.height:,} families / {persons:,} persons with {chosen.version} ({fitted.chosen}): {score_seconds:.1f} s"
    )
    print(
        "desil person shares: "
        + ", ".join(f"{s:.4f}" for s in share)
        + f" (max |share - 0.1| = {max(abs(s - 0.1) for s in share):.4f})"
    )

    # -- fitting speed on a generator survey ------------------------------------------------
    survey = synth.generate_survey(
        keluarga, art, truth, n=args.survei_cepat, kabupaten="33.16", seed=args.seed
    )
    survey = survey.with_columns(
        features.normalise_kabupaten(survey.with_columns(pl.col("kode_kabupaten")))
    )
    t = time.perf_counter()
    big = fit.fit(survey)
    print(
        f"fit on {survey.height:,} survey families (5-fold CV of {len(big.cv)} candidates + refit): {time.perf_counter() - t:.1f} s; chosen {big.chosen}"
    )
    for name, cv in big.cv.items():
        print(f"- {name}: loss {cv['loss']:.4f}, R2 {cv['r2']:.3f}, AUC {cv['auc_miskin']:.3f}")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 / 1024
    print(f"peak RSS {peak:.1f} GB")


if __name__ == "__main__":
    main()
