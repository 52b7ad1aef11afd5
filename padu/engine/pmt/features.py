"""PMT features: the same function for the survey sample and the population (no Django).

Input is one row per family with the keluarga.csv proxies plus the survey.csv person
aggregates (``jumlah_art``, ``art_bekerja``, ``pendidikan_kepala``, ...). For the
population those aggregates are computed from art.csv by :func:`person_aggregates`, exactly
as the generator computes them for survey.csv, so survey and population share one schema.

Programme flags (``penerima_*``) are never features: they are the result of past targeting,
and using them would make the ranking circular. A missing cell is encoded, not dropped: a
code column gets a ``kosong`` level, a number or flag gets 0 plus a ``<name>__kosong``
indicator.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date

import numpy as np
import numpy.typing as npt
import polars as pl

from padu.engine import schema

FEATURE_VERSION = 1
EXCLUDED = ("penerima_pkh", "penerima_bpnt", "penerima_pbi", "penerima_blt_dd", "penerima_pip")
IDENTITY = ("id_keluarga", "no_kk", "kode_desa", "alamat", "rt", "rw", "perkotaan")
PERSON_COUNTS = ("art_bekerja", "art_balita", "art_lansia", "art_disabilitas", "art_sekolah")
PERSON_COLUMNS = ("jumlah_art", *PERSON_COUNTS, "pendidikan_kepala", "umur_kepala")
LOG_COLUMNS = ("luas_lahan", "ternak_sapi", "ternak_kerbau", "ternak_kuda", "ternak_babi")


class PmtSchemaError(ValueError):
    """Data whose columns or feature schema do not fit a PMT model."""


@dataclass(frozen=True)
class Design:
    """A feature matrix, its column names, and the source variable of each column."""

    matrix: npt.NDArray[np.float32]
    names: list[str]
    sources: list[str]
    kabupaten: npt.NDArray[np.str_]
    perkotaan: npt.NDArray[np.int8]


def _keluarga_columns() -> dict[str, schema.Column]:
    return {
        name: col
        for name, col in schema.columns("keluarga").items()
        if name not in IDENTITY and name not in EXCLUDED
    }


def input_columns() -> list[str]:
    """Columns a family frame must have to be scored (besides kode_kabupaten/perkotaan)."""
    return [*_keluarga_columns(), *PERSON_COLUMNS, "kepala_perempuan"]


def person_aggregates(art: pl.DataFrame, reference_date: date) -> pl.DataFrame:
    """Per family, over living members: size, workers, the head's traits, member counts.

    The head is the first living member on the KK (the listed head unless deceased). The
    generator's survey.csv uses this same function, so survey and population agree."""
    age = (
        reference_date.year
        - pl.col("tgl_lahir").dt.year()
        - (
            (pl.col("tgl_lahir").dt.month().cast(pl.Int32) * 100 + pl.col("tgl_lahir").dt.day())
            > reference_date.month * 100 + reference_date.day
        ).cast(pl.Int32)
    )
    living = art.filter(pl.col("status_hidup").fill_null(1) == 1).with_columns(umur=age)
    return living.group_by("id_keluarga", maintain_order=True).agg(
        jumlah_art=pl.len(),
        art_bekerja=pl.col("bekerja").sum(),
        pendidikan_kepala=pl.col("pendidikan").first(),
        umur_kepala=pl.col("umur").first(),
        kepala_perempuan=(pl.col("jenis_kelamin").first() == 2).cast(pl.Int8),
        art_balita=(pl.col("umur") < 5).sum(),
        art_lansia=(pl.col("umur") >= 60).sum(),
        art_disabilitas=pl.col("disabilitas").sum(),
        art_sekolah=(pl.col("partisipasi_sekolah") == 1).sum(),
    )


def population_frame(
    keluarga: pl.DataFrame, art: pl.DataFrame, reference_date: date
) -> pl.DataFrame:
    """keluarga.csv + art.csv as survey-shaped rows (one per family, every family kept).

    A family without living members gets ``jumlah_art`` 0 and missing head traits."""
    aggregates = person_aggregates(art, reference_date)
    urban_default = pl.col("kode_desa").str.slice(9, 1) == "1"  # kelurahan counts as urban
    return keluarga.join(
        aggregates, on="id_keluarga", how="left", maintain_order="left"
    ).with_columns(
        pl.col("jumlah_art", *PERSON_COUNTS).fill_null(0),
        kode_kabupaten=pl.col("kode_desa").str.slice(0, 5),
        perkotaan=pl.col("perkotaan").cast(pl.Int8).fill_null(urban_default.cast(pl.Int8)),
    )


def normalise_kabupaten(frame: pl.DataFrame) -> pl.Series:
    """Kabupaten as ``33.16`` whether written ``33.16`` or ``3316``."""
    raw = frame["kode_kabupaten"].cast(pl.String).str.replace_all(r"\.", "")
    return (raw.str.slice(0, 2) + "." + raw.str.slice(2, 2)).alias("kode_kabupaten")


def check_columns(frame: pl.DataFrame, where: str) -> None:
    need = [*input_columns(), "kode_kabupaten", "perkotaan"]
    missing = [c for c in need if c not in frame.columns]
    if missing:
        raise PmtSchemaError(
            f"{where}: kolom yang dibutuhkan PMT tidak ada: {', '.join(missing)}. "
            "Lengkapi kolom tersebut (lihat format DTKS-CSV v1: keluarga.csv, survey.csv) "
            "atau sertakan art.csv agar agregat anggota keluarga dapat dihitung."
        )


def _number(frame: pl.DataFrame, name: str) -> npt.NDArray[np.float64]:
    return frame[name].cast(pl.Float64).to_numpy().astype(np.float64, copy=False)


def design(frame: pl.DataFrame, where: str = "data") -> Design:
    """The feature matrix of a survey-shaped frame (see module docstring)."""
    check_columns(frame, where)
    columns: list[npt.NDArray[np.float64]] = []
    names: list[str] = []
    sources: list[str] = []

    def add(values: npt.NDArray[np.float64], name: str, source: str) -> None:
        columns.append(values)
        names.append(name)
        sources.append(source)

    def add_number(values: npt.NDArray[np.float64], name: str, source: str) -> None:
        missing = np.isnan(values)
        add(np.where(missing, 0.0, values), name, source)
        add(missing.astype(np.float64), f"{name}__kosong", source)

    size = _number(frame, "jumlah_art")
    per_person = 1.0 / np.maximum(np.nan_to_num(size, nan=1.0), 1.0)
    for name, col in _keluarga_columns().items():
        values = _number(frame, name)
        if col.type == "code":
            for code in list(col.codes)[1:]:  # the first code is the reference level
                add((values == code).astype(np.float64), f"{name}={code}", name)
            add(np.isnan(values).astype(np.float64), f"{name}=kosong", name)
        elif name == "luas_lantai":
            add_number(np.log1p(values * per_person), "log_luas_lantai_per_kapita", name)
        elif name == "jumlah_kamar":
            add_number(values * per_person, "kamar_per_kapita", name)
        elif name in LOG_COLUMNS or col.type in ("int", "float"):
            add_number(np.log1p(values), f"log_{name}", name)
        else:
            add_number(values, name, name)
    add(np.log(np.maximum(size, 1.0)), "log_jumlah_art", "jumlah_art")
    add(np.minimum(size, 12.0), "jumlah_art", "jumlah_art")
    for name in PERSON_COUNTS:
        add(_number(frame, name) * per_person, f"porsi_{name}", name)
    education = _number(frame, "pendidikan_kepala")
    for code in list(schema.columns("art")["pendidikan"].codes)[1:]:
        add(
            (education == code).astype(np.float64), f"pendidikan_kepala={code}", "pendidikan_kepala"
        )
    add(np.isnan(education).astype(np.float64), "pendidikan_kepala=kosong", "pendidikan_kepala")
    age = _number(frame, "umur_kepala")
    add_number(age, "umur_kepala", "umur_kepala")
    add(np.nan_to_num(age) ** 2 / 100.0, "umur_kepala_kuadrat", "umur_kepala")
    add_number(_number(frame, "kepala_perempuan"), "kepala_perempuan", "kepala_perempuan")
    urban = frame["perkotaan"].cast(pl.Int8).fill_null(0).to_numpy()
    add(urban.astype(np.float64), "perkotaan", "perkotaan")
    matrix = np.column_stack(columns).astype(np.float32)
    return Design(
        matrix=matrix,
        names=names,
        sources=sources,
        kabupaten=normalise_kabupaten(frame).to_numpy().astype(str),
        perkotaan=urban.astype(np.int8),
    )


def schema_of(names: list[str]) -> dict[str, object]:
    """The feature schema stored in a model artifact and compared before scoring."""
    digest = hashlib.sha256(json.dumps(names).encode()).hexdigest()
    return {"versi": FEATURE_VERSION, "jumlah": len(names), "hash": digest, "nama": names}


def check_schema(model_schema: dict[str, object], data_names: list[str]) -> None:
    data = schema_of(data_names)
    if model_schema.get("versi") == data["versi"] and model_schema.get("hash") == data["hash"]:
        return
    model_names = [str(n) for n in model_schema.get("nama", [])]  # type: ignore[attr-defined]
    only_model = [n for n in model_names if n not in data_names][:8]
    only_data = [n for n in data_names if n not in model_names][:8]
    raise PmtSchemaError(
        "Skema fitur data tidak cocok dengan model PMT "
        f"(model: versi fitur {model_schema.get('versi')}, {model_schema.get('jumlah')} fitur; "
        f"data: versi fitur {data['versi']}, {data['jumlah']} fitur). "
        f"Fitur hanya di model: {', '.join(only_model) or '-'}; "
        f"hanya di data: {', '.join(only_data) or '-'}. "
        "Latih ulang model dengan survei yang memakai daftar kode yang sama, "
        "atau pakai model yang dilatih untuk versi format data ini."
    )


def fingerprint(frame: pl.DataFrame) -> str:
    """A content hash of training data (row order and column order count)."""
    digest = hashlib.sha256()
    for start in range(0, frame.height, 100_000):
        digest.update(frame.slice(start, 100_000).write_csv().encode())
    return digest.hexdigest()
