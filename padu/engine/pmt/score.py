"""Scoring a population with a PMT artifact, desil, and per-family explanations (no Django)."""

from __future__ import annotations

from datetime import date

import numpy as np
import polars as pl

from padu.engine import schema
from padu.engine.pmt import desil, features
from padu.engine.pmt.artifact import Artifact

SCORE_DIGITS = 6


def score_frame(artifact: Artifact, frame: pl.DataFrame, where: str = "data") -> pl.DataFrame:
    """``frame`` (survey-shaped, with ``id_keluarga``) plus score, desil (whole frame) and
    desil_kabupaten (within each kabupaten). Lower score = poorer."""
    prediction = artifact.predict(frame, where)
    scored = frame.select(
        "id_keluarga",
        pl.col("kode_desa") if "kode_desa" in frame.columns else pl.lit(None).alias("kode_desa"),
        features.normalise_kabupaten(frame),
        pl.col("jumlah_art").cast(pl.Int32),
    ).with_columns(score=pl.Series(np.round(prediction, SCORE_DIGITS)))
    scored = desil.assign_desil(scored, group=None, out="desil")
    return desil.assign_desil(scored, group="kode_kabupaten", out="desil_kabupaten")


def score_population(
    artifact: Artifact, keluarga: pl.DataFrame, art: pl.DataFrame, reference_date: date
) -> pl.DataFrame:
    """Score every family of keluarga.csv (members from art.csv)."""
    frame = features.population_frame(keluarga, art, reference_date)
    return score_frame(artifact, frame, "keluarga.csv/art.csv")


def _label(source: str) -> str:
    tables: tuple[schema.TableName, ...] = ("keluarga", "art")
    for table in tables:
        if source in schema.columns(table):
            return schema.columns(table)[source].label
    return {
        "jumlah_art": "Jumlah anggota keluarga",
        "art_bekerja": "Anggota keluarga yang bekerja",
        "art_balita": "Anak balita",
        "art_lansia": "Anggota lanjut usia (60+)",
        "art_disabilitas": "Anggota dengan disabilitas",
        "art_sekolah": "Anggota yang masih sekolah",
        "pendidikan_kepala": "Pendidikan kepala keluarga",
        "umur_kepala": "Umur kepala keluarga",
        "kepala_perempuan": "Kepala keluarga perempuan",
        "perkotaan": "Tinggal di perkotaan",
    }.get(source, source)


def explain(artifact: Artifact, frame: pl.DataFrame, top: int = 5) -> list[list[dict[str, object]]]:
    """Per row of ``frame``: the proxies that move its score most, largest first.

    Each item: ``variabel`` (column), ``label`` (Bahasa Indonesia), ``nilai`` (the family's
    value), ``pengaruh`` (effect on log expenditure; negative = makes the family look
    poorer), ``arah`` ("menurunkan"/"menaikkan")."""
    d = artifact.design(frame)
    contrib, _base = artifact.model.contributions(d)
    sources = np.array(d.sources)
    unique = sorted(set(d.sources))
    grouped = np.column_stack([contrib[:, sources == s].sum(axis=1) for s in unique])
    out: list[list[dict[str, object]]] = []
    for i in range(grouped.shape[0]):
        order = np.argsort(-np.abs(grouped[i]), kind="stable")[:top]
        items = []
        for j in order:
            source = unique[j]
            value = frame[source][i] if source in frame.columns else None
            effect = float(grouped[i, j])
            items.append(
                {
                    "variabel": source,
                    "label": _label(source),
                    "nilai": value,
                    "nilai_label": _value_label(source, value),
                    "pengaruh": round(effect, 4),
                    "arah": "menurunkan" if effect < 0 else "menaikkan",
                }
            )
        out.append(items)
    return out


def _value_label(source: str, value: object) -> str:
    if value is None:
        return "tidak diisi"
    if source in schema.columns("keluarga"):
        column = schema.columns("keluarga")[source]
        if column.type == "code":
            return column.codes.get(int(value), str(value))  # type: ignore[call-overload]
        if column.type == "flag":
            return "ya" if value else "tidak"
    if source == "pendidikan_kepala":
        return schema.code_label("art", "pendidikan", int(value))  # type: ignore[call-overload]
    if source in ("kepala_perempuan", "perkotaan"):
        return "ya" if value else "tidak"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
