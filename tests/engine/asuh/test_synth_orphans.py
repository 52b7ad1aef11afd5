"""The generator's orphans (register deaths, children raised by grandparents after both
parents died, deaths only Dukcapil knows) and how well the detection finds them."""

from __future__ import annotations

import datetime as dt

import polars as pl

from padu.engine import synth
from padu.engine.asuh.detect import find_orphans
from padu.engine.synth.orphans import add_orphans

REF = dt.date(2026, 12, 1)


def test_generated_orphans_are_found() -> None:
    keluarga, art, _ = synth.generate_frames(kabupaten="33.16", n_keluarga=3000, seed=5)
    made = add_orphans(keluarga, art, seed=5, reference=REF)
    again = add_orphans(keluarga, art, seed=5, reference=REF)
    assert made.truth.equals(again.truth) and made.art.equals(again.art)  # deterministic
    paths = dict(made.truth.group_by("jalur").len().iter_rows())
    assert paths.get("lintas_keluarga", 0) >= 20 and paths.get("kematian", 0) >= 5
    assert paths.get("keluarga", 0) >= 5
    raised = made.truth.filter(pl.col("jalur") == "lintas_keluarga")
    assert set(made.art.join(raised, on="id_art")["hub_kepala_keluarga"]) == {5}  # grandchildren
    frame = made.art.join(made.keluarga.select("id_keluarga", "kode_desa"), on="id_keluarga")
    found = find_orphans(frame, REF, deaths=made.deaths)
    right = found.join(made.truth, on=["id_art", "jenis"], how="semi").height
    assert right / found.height >= 0.95  # precision
    assert right / made.truth.height >= 0.95  # recall
