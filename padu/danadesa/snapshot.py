"""The register as Polars frames for the BLT-DD engine (bulk reads, no ORM objects)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import polars as pl
from django.db import connection

from padu.danadesa.models import Perangkat
from padu.engine.danadesa import keluarga_ciri

BLT_PROGRAM = "blt-dd"  # the programme itself is no conflict


def _read(sql: str, params: list[Any], columns: list[str]) -> pl.DataFrame:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return pl.DataFrame(rows, schema=columns, orient="row", infer_schema_length=None)


def id_text(pk: pl.Expr) -> pl.Expr:
    """Register id as the engine's ``id_keluarga``: zero-padded, so text order = id order."""
    return pk.cast(pl.String).str.zfill(12)


def ciri(prefix: str, tanggal: dt.date) -> pl.DataFrame:
    """Family columns of the BLT-DD rules for live families under ``prefix``."""
    keluarga = _read(
        "SELECT k.id, k.kode_desa, k.penerima_pkh, k.penerima_bpnt, k.penerima_pbi, s.desil, "
        "s.score FROM registry_keluarga k LEFT JOIN welfare_keluargascore s "
        "ON s.keluarga_id = k.id WHERE k.deleted_at IS NULL AND k.status = 'aktif' "
        "AND k.kode_desa LIKE %s",
        [prefix + "%"],
        ["pk", "kode_desa", "penerima_pkh", "penerima_bpnt", "penerima_pbi", "desil", "score"],
    ).with_columns(id_keluarga=id_text(pl.col("pk")), score=pl.col("score").cast(pl.Float64))
    art = _read(
        "SELECT p.keluarga_id, p.tgl_lahir, p.jenis_kelamin, p.hub_kepala_keluarga, p.bekerja, "
        "p.disabilitas, p.penyakit_kronis, p.lapangan_usaha, p.status_hidup FROM registry_person p "
        "JOIN registry_keluarga k ON k.id = p.keluarga_id WHERE p.deleted_at IS NULL "
        "AND k.deleted_at IS NULL AND k.kode_desa LIKE %s",
        [prefix + "%"],
        [
            "pk",
            "tgl_lahir",
            "jenis_kelamin",
            "hub_kepala_keluarga",
            "bekerja",
            "disabilitas",
            "penyakit_kronis",
            "lapangan_usaha",
            "status_hidup",
        ],
    ).with_columns(id_keluarga=id_text(pl.col("pk")), tgl_lahir=pl.col("tgl_lahir").cast(pl.Date))
    perangkat = Perangkat.objects.filter(kode_desa__startswith=prefix).values_list(
        "keluarga_id", flat=True
    )
    ids = pl.Series("id", [f"{pk:012d}" for pk in perangkat], dtype=pl.String)
    return keluarga_ciri(keluarga, art, tanggal=tanggal, perangkat=ids)


CHUNK = 500


def _chunks(values: list[Any]) -> list[list[Any]]:
    return [values[i : i + CHUNK] for i in range(0, len(values), CHUNK)]


def families_sharing(members: pl.DataFrame) -> list[int]:
    """Families with a person whose NIK or linkage cluster is among ``members``' keys."""
    keys = members["kunci_orang"].to_list()
    niks = [k[4:] for k in keys if k.startswith("nik-")]
    clusters = [int(k[8:]) for k in keys if k.startswith("klaster-")]
    found: set[int] = set()
    with connection.cursor() as cursor:
        for chunk in _chunks(niks):
            marks = ", ".join(["%s"] * len(chunk))
            cursor.execute(
                "SELECT DISTINCT keluarga_id FROM registry_person WHERE deleted_at IS NULL "
                f"AND nik IN ({marks})",
                chunk,
            )
            found |= {row[0] for row in cursor.fetchall()}
        for chunk in _chunks(clusters):
            marks = ", ".join(["%s"] * len(chunk))
            cursor.execute(
                "SELECT DISTINCT p.keluarga_id FROM linkage_member m JOIN registry_person p "
                f"ON p.id = m.person_id WHERE m.cluster_id IN ({marks})",
                chunk,
            )
            found |= {row[0] for row in cursor.fetchall()}
    return sorted(found)


def anggota(keluarga_ids: list[int]) -> pl.DataFrame:
    """Members of these families with one key per real person: the active linkage cluster
    where the person is linked, otherwise the NIK."""
    if not keluarga_ids:
        return pl.DataFrame(
            schema={"id_keluarga": pl.String, "kunci_orang": pl.String, "kode_desa": pl.String}
        )
    parts = []
    for chunk in _chunks(list(keluarga_ids)):
        marks = ", ".join(["%s"] * len(chunk))
        parts.append(
            _read(
                "SELECT p.id, p.keluarga_id, k.kode_desa, p.nik, "
                "(SELECT MIN(m.cluster_id) FROM linkage_member m JOIN linkage_cluster c "
                "ON c.id = m.cluster_id WHERE m.person_id = p.id AND c.active) AS klaster "
                "FROM registry_person p JOIN registry_keluarga k ON k.id = p.keluarga_id "
                f"WHERE p.deleted_at IS NULL AND p.keluarga_id IN ({marks})",
                chunk,
                ["person", "pk", "kode_desa", "nik", "klaster"],
            )
        )
    frame = pl.concat(parts, how="vertical_relaxed")
    return frame.select(
        id_keluarga=id_text(pl.col("pk")),
        kunci_orang=pl.when(pl.col("klaster").is_not_null())
        .then(pl.format("klaster-{}", pl.col("klaster")))
        .when(pl.col("nik").fill_null("") != "")
        .then(pl.format("nik-{}", pl.col("nik")))
        .otherwise(pl.format("orang-{}", pl.col("person"))),
        kode_desa=pl.col("kode_desa"),
    )


def kepesertaan(anggota_frame: pl.DataFrame, keluarga_ids: list[int]) -> pl.DataFrame:
    """``kunci_orang, program`` of these families' people in a running programme other than
    BLT-DD (person-level participation, or every member of a participating family)."""
    empty = pl.DataFrame(schema={"kunci_orang": pl.String, "program": pl.String})
    if not keluarga_ids:
        return empty
    parts = []
    for chunk in _chunks(list(keluarga_ids)):
        marks = ", ".join(["%s"] * len(chunk))
        parts.append(
            _read(
                "SELECT pa.keluarga_id, pa.person_id, pr.nama FROM registry_participation pa "
                "JOIN registry_program pr ON pr.id = pa.program_id "
                f"WHERE pa.{connection.ops.quote_name('end')} IS NULL "
                f"AND pr.code <> %s AND pa.keluarga_id IN ({marks})",
                [BLT_PROGRAM, *chunk],
                ["pk", "person", "program"],
            )
        )
    rows = pl.concat(parts, how="vertical_relaxed")
    if rows.height == 0:
        return empty
    fam = rows.with_columns(id_keluarga=id_text(pl.col("pk")))
    return fam.join(anggota_frame, on="id_keluarga").select("kunci_orang", "program").unique()


def anggota_wilayah(prefix: str) -> pl.DataFrame:
    """Every live member under ``prefix`` with its person key (one read, for batch runs)."""
    frame = _read(
        "SELECT p.id, p.keluarga_id, k.kode_desa, p.nik, MIN(c.id) FROM registry_person p "
        "JOIN registry_keluarga k ON k.id = p.keluarga_id "
        "LEFT JOIN linkage_member m ON m.person_id = p.id "
        "LEFT JOIN linkage_cluster c ON c.id = m.cluster_id AND c.active "
        "WHERE p.deleted_at IS NULL AND k.deleted_at IS NULL AND k.kode_desa LIKE %s "
        "GROUP BY p.id, p.keluarga_id, k.kode_desa, p.nik",
        [prefix + "%"],
        ["person", "pk", "kode_desa", "nik", "klaster"],
    )
    return frame.select(
        id_keluarga=id_text(pl.col("pk")),
        kunci_orang=pl.when(pl.col("klaster").is_not_null())
        .then(pl.format("klaster-{}", pl.col("klaster")))
        .when(pl.col("nik").fill_null("") != "")
        .then(pl.format("nik-{}", pl.col("nik")))
        .otherwise(pl.format("orang-{}", pl.col("person"))),
        kode_desa=pl.col("kode_desa"),
    )


def kepesertaan_wilayah(prefix: str, members: pl.DataFrame) -> pl.DataFrame:
    """``kunci_orang, program`` of people under ``prefix`` in a running programme other than
    BLT-DD (one read, for batch runs)."""
    rows = _read(
        "SELECT pa.keluarga_id, pr.nama FROM registry_participation pa "
        "JOIN registry_program pr ON pr.id = pa.program_id "
        "JOIN registry_keluarga k ON k.id = pa.keluarga_id "
        f"WHERE pa.{connection.ops.quote_name('end')} IS NULL AND pr.code <> %s "
        "AND k.kode_desa LIKE %s",
        [BLT_PROGRAM, prefix + "%"],
        ["pk", "program"],
    )
    if rows.height == 0:
        return pl.DataFrame(schema={"kunci_orang": pl.String, "program": pl.String})
    fam = rows.with_columns(
        id_keluarga=id_text(pl.col("pk")), program=pl.col("program").cast(pl.String)
    )
    return fam.join(members, on="id_keluarga").select("kunci_orang", "program").unique()
