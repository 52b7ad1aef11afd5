"""A small multi-source register for the linkage app tests: the synthetic population of
``padu synth`` as DTKS, Dukcapil, P3KE and the village lists see it, imported through
intake (one import per source and table), with the truth (register person -> true id)."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from padu.engine import synth
from padu.engine.synth.sources import make_source_views, write_intake_files
from padu.intake.models import Source
from padu.intake.services import import_file, source_get_or_create
from padu.registry.models import Person

KINDS = {
    "DTKS": Source.Kind.SIKS_NG,
    "DUKCAPIL": Source.Kind.DUKCAPIL,
    "P3KE": Source.Kind.P3KE,
    "BLT_DD": Source.Kind.DESA,
}


def source_frames(n_keluarga: int = 30, seed: int = 7) -> tuple[pl.DataFrame, pl.DataFrame]:
    keluarga, art, _ = synth.generate_frames(kabupaten="33.16", n_keluarga=n_keluarga, seed=seed)
    return make_source_views(keluarga, art, seed=seed)


def load_sources(
    folder: Path, records: pl.DataFrame, names: tuple[str, ...] = tuple(KINDS)
) -> dict[str, Source]:
    """Import the chosen sources' records; returns the sources by name."""
    sources = {}
    for name in names:
        part = records.filter(pl.col("source") == name)
        if part.height == 0:
            continue
        source = source_get_or_create(actor=None, name=name, kind=KINDS[name])
        k, a = write_intake_files(part, folder, name)
        import_file(actor=None, path=k, source=source, table="keluarga")
        import_file(actor=None, path=a, source=source, table="art")
        sources[name] = source
    return sources


def truth_of_register(truth: pl.DataFrame) -> dict[int, str]:
    """Register person pk -> the true person id (through ``id_art`` = record id)."""
    by_record = dict(truth.select("record_id", "person_id").iter_rows())
    return {
        pk: by_record[id_art]
        for pk, id_art in Person.objects.values_list("pk", "id_art")
        if id_art in by_record
    }
