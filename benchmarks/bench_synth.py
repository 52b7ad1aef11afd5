"""Benchmark of the synthetic DTKS generator: generate and write, print a Markdown row.

    .venv/bin/python benchmarks/bench_synth.py --keluarga 300000

Times ``padu.engine.synth.generate`` (frames built in memory and written as CSV) into a
temporary directory; reports persons, families, seconds, persons per second, the process's
peak resident memory and the size of each file written.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import sys
import tempfile
import time
from pathlib import Path

from padu.engine.synth import generate

HEADER = (
    "| kabupaten | keluarga | art (persons) | seconds | persons/s | peak RSS (MB) "
    "| keluarga.csv (MB) | art.csv (MB) | truth.csv (MB) | survey.csv (MB) | CPUs | Python |"
)


def _mb(path: Path | None) -> str:
    return "-" if path is None else f"{path.stat().st_size / 1e6:.1f}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keluarga", type=int, default=300_000, help="number of families")
    parser.add_argument("--kabupaten", default="33.16", help="kabupaten/kota code (default Blora)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--survey", type=int, default=5_000, help="survey sample size (0: none)")
    parser.add_argument("--no-truth", action="store_true", help="do not write truth.csv")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="bench_synth_") as tmp:
        start = time.perf_counter()
        result = generate(
            kabupaten=args.kabupaten,
            n_keluarga=args.keluarga,
            seed=args.seed,
            out_dir=Path(tmp),
            truth=not args.no_truth,
            survey=args.survey,
        )
        seconds = time.perf_counter() - start
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
        row = (
            f"| {result.kabupaten} | {result.n_keluarga:,} | {result.n_art:,} | {seconds:.1f} "
            f"| {result.n_art / seconds:,.0f} | {peak_mb:,.0f} | {_mb(result.keluarga_path)} "
            f"| {_mb(result.art_path)} | {_mb(result.truth_path)} | {_mb(result.survey_path)} "
            f"| {os.cpu_count()} | {platform.python_version()} |"
        )
    print(HEADER)
    print("|" + "---|" * (HEADER.count("|") - 1))
    print(row)
    return 0


if __name__ == "__main__":
    sys.exit(main())
