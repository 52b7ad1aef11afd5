"""The register read for linkage in bulk: one SQL query into Polars (no ORM objects).

:func:`read_persons` gives one row per live register person in a region (and, when
chosen, from chosen sources): the linkage input columns of ``formats/dtks-csv.md``
(``record_id`` is ``Person.pk`` as text) plus what survivorship needs (source kind,
source row, verification and change times, the socio-economic fields).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import Any

import polars as pl
from django.db import connection

from padu.core.bulk import fetch_frame
from padu.intake.models import EntityLink, ImportRun, Source
from padu.registry.models import Keluarga, Person

PERSON_TEXT = ["nik", "no_kk", "nama", "tempat_lahir", "nama_ibu", "nama_ayah"]
PERSON_CODES = [
    "jenis_kelamin", "hub_kepala_keluarga", "status_kawin", "pendidikan",
    "partisipasi_sekolah", "lapangan_usaha", "status_pekerjaan", "status_hidup",
]  # fmt: skip
PERSON_FLAGS = ["bekerja", "disabilitas", "penyakit_kronis", "hamil"]
FAMILY_TEXT = ["kode_desa", "alamat", "rt", "rw"]
NO_SOURCE = "register"
# The fields linkage compares: when one of them changes, the person is linked again.
IDENTITY = ["nik", "nama", "tgl_lahir", "jenis_kelamin", "nama_ibu", "no_kk", "kode_desa"]


def _q(name: str) -> str:
    return connection.ops.quote_name(name)


def _where(
    region_prefix: str,
    scope: list[str] | None,
    source_ids: Sequence[int],
    person_ids: Sequence[int] | None,
) -> tuple[str, list[Any]]:
    conditions = ["p.deleted_at IS NULL"]
    params: list[Any] = []
    if region_prefix:
        conditions.append("k.kode_desa LIKE %s")
        params.append(region_prefix + ("%" if region_prefix.endswith(".") else ""))
    if scope is not None:  # the actor's write scope: nothing outside it, ever
        if not scope:
            conditions.append("1 = 0")
        else:
            parts = []
            for prefix in scope:
                parts.append("k.kode_desa LIKE %s" if prefix.endswith(".") else "k.kode_desa = %s")
                params.append(prefix + "%" if prefix.endswith(".") else prefix)
            conditions.append("(" + " OR ".join(parts) + ")")
    if source_ids:
        marks = ", ".join(["%s"] * len(source_ids))
        conditions.append(
            f"(r.source_id IN ({marks}) OR p.id IN (SELECT entity_id FROM "
            f"{_q(EntityLink._meta.db_table)} WHERE {_q('table')} = 'art' "
            f"AND source_id IN ({marks})))"
        )
        params += [*source_ids, *source_ids]
    if person_ids is not None:
        if not person_ids:
            conditions.append("1 = 0")
        else:
            conditions.append(f"p.id IN ({', '.join(['%s'] * len(person_ids))})")
            params += list(person_ids)
    return " AND ".join(conditions), params


def read_persons(
    *,
    region_prefix: str,
    scope: list[str] | None,
    source_ids: Sequence[int] = (),
    person_ids: Sequence[int] | None = None,
    import_run_id: int | None = None,
) -> pl.DataFrame:
    """Register persons for linkage (see the module docstring); blank text is null.

    ``scope`` is the actor's write prefixes from ``access.write_prefixes`` (``None``: all).
    ``import_run_id`` keeps only persons created by that import.
    """
    columns = (
        ["p.id", "p.keluarga_id", "p.source_record_id", "p.verified_at", "p.updated_at"]
        + [f"p.{c}" for c in PERSON_TEXT + PERSON_CODES + PERSON_FLAGS]
        + ["p.tgl_lahir"]
        + [f"k.{c}" for c in FAMILY_TEXT]
        + ["s.name", "s.kind"]
    )
    names = [c.split(".")[1] for c in columns]
    names[names.index("name")] = "source"
    names[names.index("kind")] = "source_kind"
    where, params = _where(region_prefix, scope, source_ids, person_ids)
    if import_run_id is not None:
        where += " AND p.import_run_id = %s"
        params.append(import_run_id)
    sql = (
        f"SELECT {', '.join(columns)} FROM {_q(Person._meta.db_table)} p "
        f"JOIN {_q(Keluarga._meta.db_table)} k ON k.id = p.keluarga_id "
        f"LEFT JOIN {_q(ImportRun._meta.db_table)} r ON r.id = p.import_run_id "
        f"LEFT JOIN {_q(Source._meta.db_table)} s ON s.id = r.source_id "
        f"WHERE {where} ORDER BY p.id"
    )
    frame = fetch_frame(sql, params, names)
    text = [c for c in names if c not in ("id", "keluarga_id", "source_record_id")]
    frame = frame.with_columns(
        pl.col("id", "keluarga_id", "source_record_id").cast(pl.Int64),
        *[pl.col(c).cast(pl.Int64, strict=False).cast(pl.String) for c in PERSON_CODES],
        *[pl.col(c).cast(pl.Boolean, strict=False).cast(pl.String) for c in PERSON_FLAGS],
        pl.col("tgl_lahir").cast(pl.String).str.slice(0, 10),
        *[pl.col(c).cast(pl.String) for c in ("verified_at", "updated_at")],
    )
    frame = frame.with_columns(
        pl.when(pl.col(c).cast(pl.String).str.strip_chars() == "")
        .then(None)
        .otherwise(pl.col(c).cast(pl.String))
        .alias(c)
        for c in text
    )
    return frame.with_columns(
        record_id=pl.col("id").cast(pl.String),
        source=pl.col("source").fill_null(NO_SOURCE),
        source_kind=pl.col("source_kind").fill_null(Source.Kind.LAINNYA.value),
    )


def linkage_input(persons: pl.DataFrame) -> pl.DataFrame:
    """The columns ``padu.engine.linkage`` reads (``evidence.INPUT_COLUMNS``)."""
    from padu.engine.linkage.evidence import INPUT_COLUMNS

    return persons.select([pl.col(c).cast(pl.String) for c in INPUT_COLUMNS])


def identity_keys(persons: pl.DataFrame) -> pl.Series:
    """A short hash of each person's identity fields (:data:`IDENTITY`), stored on the
    member so an incremental run can tell whose identity changed since it was linked."""
    if persons.height == 0:
        return pl.Series("identity", [], dtype=pl.String)
    text = persons.select(
        pl.concat_str([pl.col(c).cast(pl.String).fill_null("") for c in IDENTITY], separator="|")
    ).to_series()
    return pl.Series(
        "identity",
        [hashlib.blake2b(t.encode(), digest_size=8).hexdigest() for t in text],
        dtype=pl.String,
    )
