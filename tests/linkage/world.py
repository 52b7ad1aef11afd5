"""A small multi-source register for the linkage app tests: the synthetic population of
``padu synth`` as DTKS, Dukcapil, P3KE and the village lists see it, imported through
intake (one import per source and table), with the truth (register person -> true id)."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from padu.engine import synth
from padu.engine.synth.sources import make_source_views
from padu.intake.models import Source
from padu.intake.services import import_file, source_get_or_create
from padu.registry.models import Person

KINDS = {
    "DTKS": Source.Kind.SIKS_NG,
    "DUKCAPIL": Source.Kind.DUKCAPIL,
    "P3KE": Source.Kind.P3KE,
    "BLT_DD": Source.Kind.DESA,
}
_SEX = {"1": "1", "L": "1", "LAKI-LAKI": "1", "2": "2", "P": "2", "PEREMPUAN": "2"}


def source_frames(n_keluarga: int = 30, seed: int = 7) -> tuple[pl.DataFrame, pl.DataFrame]:
    keluarga, art, _ = synth.generate_frames(kabupaten="33.16", n_keluarga=n_keluarga, seed=seed)
    return make_source_views(keluarga, art, seed=seed)


def _files(records: pl.DataFrame, folder: Path, name: str) -> tuple[Path, Path]:
    frame = records.with_columns(
        id_keluarga=pl.concat_str(pl.lit(name + "-"), pl.coalesce("no_kk", "record_id")),
        jenis_kelamin=pl.col("jenis_kelamin").replace_strict(_SEX, default=None),
    )
    families = frame.group_by("id_keluarga", maintain_order=True).first()
    k = folder / f"{name}-keluarga.csv"
    a = folder / f"{name}-art.csv"
    families.select("id_keluarga", "no_kk", "kode_desa", "alamat", "rt", "rw").write_csv(k)
    frame.select(
        id_art="record_id", id_keluarga="id_keluarga", nik="nik", no_kk="no_kk", nama="nama",
        tgl_lahir="tgl_lahir", jenis_kelamin="jenis_kelamin", tempat_lahir="tempat_lahir",
        nama_ibu="nama_ibu",
    ).write_csv(a)  # fmt: skip
    return k, a


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
        k, a = _files(part, folder, name)
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
