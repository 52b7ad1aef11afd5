"""Benchmark of orphan detection (issue 15) on a generated 1M-person register.

    .venv/bin/python benchmarks/bench_asuh.py --keluarga 300000 [--seed 1]

Target: detection over a 1M-person register in < 60 s. Also records the precision and recall
of the detection against the generator's truth (``padu/engine/synth/orphans.py``: deaths in
the register, children raised by their grandparents after both parents died, deaths only a
Dukcapil record knows), per path. Engine only (polars), no database: the register is read
from the generated frames as the Django side will read its snapshot.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import resource
import time

import polars as pl

from padu.engine import synth
from padu.engine.asuh.detect import find_orphans
from padu.engine.synth.orphans import add_orphans

REF = dt.date(2026, 12, 1)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--keluarga", type=int, default=300_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    started = time.perf_counter()
    keluarga, art, _ = synth.generate_frames(
        kabupaten="33.16", n_keluarga=args.keluarga, seed=args.seed
    )
    made = add_orphans(keluarga, art, seed=args.seed, reference=REF)
    frame = made.art.join(made.keluarga.select("id_keluarga", "kode_desa"), on="id_keluarga")
    generated_s = time.perf_counter() - started
    started = time.perf_counter()
    found = find_orphans(frame, REF, deaths=made.deaths)
    detect_s = time.perf_counter() - started
    truth = made.truth
    per_path = {}
    for path in ("keluarga", "lintas_keluarga", "kematian"):
        t = truth.filter(pl.col("jalur") == path)
        f = found.filter(pl.col("jalur") == path)
        hit_t = t.join(found, on=["id_art", "jenis"], how="semi").height
        hit_f = f.join(truth, on=["id_art", "jenis"], how="semi").height
        per_path[path] = {
            "truth": t.height,
            "found": f.height,
            "recall": hit_t / t.height if t.height else None,
            "precision": hit_f / f.height if f.height else None,
        }
    right = found.join(truth, on=["id_art", "jenis"], how="semi").height
    print(
        json.dumps(
            {
                "persons": frame.height,
                "families": made.keluarga.height,
                "generate_s": round(generated_s, 1),
                "detect_s": round(detect_s, 1),
                "found": found.height,
                "truth": truth.height,
                "precision": right / found.height,
                "recall": right / truth.height,
                "per_path": per_path,
                "max_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024,
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
