"""The demo's multi-source part: the same synthetic population as Dukcapil and a village
BLT-DD list see it, for one kecamatan, imported through intake and linked, so the demo's
Sinkronisasi pages show clusters, golden records and a review queue."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import polars as pl

from padu.engine import synth
from padu.engine.synth.sources import make_source_views, write_intake_files
from padu.intake.models import Source
from padu.intake.services import import_file, source_get_or_create
from padu.linkage import runs
from padu.linkage.models import LinkageRun

DEMO_SOURCES = {"DUKCAPIL": Source.Kind.DUKCAPIL, "BLT_DD": Source.Kind.DESA}


def load_demo_sources(folder: Path, *, n_keluarga: int, seed: int) -> tuple[str, dict[str, int]]:
    """Import the Dukcapil and village-list views of one kecamatan's people: the kecamatan
    where both sources hold the most records (Dukcapil extracts cover some kecamatan only).
    The population is the one ``synth.generate`` made with the same seed. Returns the
    kecamatan and the new persons per source."""
    keluarga, art, _ = synth.generate_frames(kabupaten="33.16", n_keluarga=n_keluarga, seed=seed)
    records, _ = make_source_views(keluarga, art, seed=seed)
    # sources write the desa code their own way (33.16.01.2001, 3316012001): digits decide
    records = records.with_columns(
        kec=pl.col("kode_desa").str.replace_all(r"\D", "").str.slice(0, 6)
    )
    per_source = [
        records.filter(pl.col("source") == name).group_by("kec").len().rename({"len": name})
        for name in DEMO_SOURCES
    ]
    both = (
        per_source[0]
        .join(per_source[1], on="kec")
        .sort(pl.min_horizontal(*DEMO_SOURCES), "kec", descending=[True, False])
    )
    if both.height == 0:
        return "", {}
    digits = str(both["kec"][0])
    kecamatan = f"{digits[:2]}.{digits[2:4]}.{digits[4:6]}"
    records = records.filter(pl.col("kec") == digits).drop("kec")
    created = {}
    for name, kind in DEMO_SOURCES.items():
        source = source_get_or_create(
            actor=None, name=f"Demo {name} (sintetis)", kind=kind, owner_region=kecamatan + "."
        )
        k, a = write_intake_files(records.filter(pl.col("source") == name), folder, name)
        import_file(actor=None, path=k, source=source, table="keluarga")
        created[name] = import_file(actor=None, path=a, source=source, table="art").counts["baru"]
    return kecamatan, created


def demo_kecamatan() -> str:
    """The kecamatan the demo's other sources cover ("" when they were not loaded)."""
    name = f"Demo {next(iter(DEMO_SOURCES))} (sintetis)"
    region = Source.objects.filter(name=name).values_list("owner_region", flat=True).first()
    return (region or "").rstrip(".")


def run_demo_linkage(actor: Any, kecamatan: str) -> LinkageRun:
    """A full linkage run over the kecamatan, carried out at once (no worker needed)."""
    run = runs.linkage_run_create(actor=actor, region_prefix=kecamatan + ".")
    return runs.linkage_run_execute(run=run)
