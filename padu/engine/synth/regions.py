"""Jawa Tengah region reference for the generator: kabupaten, kecamatan, desa (no Django).

Reads the Kemendagri code lists shipped in ``padu/wilayah/data`` with importlib.resources
and the generator's own region facts in ``regions.yaml``.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from typing import Any

import numpy as np
import numpy.typing as npt
import polars as pl
import yaml

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]


@dataclass(frozen=True)
class Kabupaten:
    """One kabupaten/kota with its kecamatan and desa/kelurahan, in code order."""

    code: str  # dotted, "33.16"
    name: str  # "Kabupaten Blora"
    place_name: str  # birthplace as written on a KK, "BLORA"
    kecamatan_codes: tuple[str, ...]  # dotted, "33.16.01"
    desa_codes: tuple[str, ...]  # dotted, "33.16.01.2001"
    desa_kecamatan: IntArray  # index into kecamatan_codes for each desa
    desa_kelurahan: BoolArray  # True for a kelurahan (urban), False for a desa
    neighbours: tuple[str, ...]  # dotted codes of neighbouring Jawa Tengah kabupaten/kota
    outside_birthplaces: tuple[str, ...]  # neighbouring birthplaces outside the province
    far_birthplaces: tuple[str, ...]
    coastal: bool
    livestock: float
    poverty_rate: float

    @property
    def digits(self) -> str:
        return self.code.replace(".", "")


def _read_csv(name: str) -> pl.DataFrame:
    data = (files("padu.wilayah") / "data" / name).read_bytes()
    return pl.read_csv(io.BytesIO(data), infer_schema=False)


@cache
def _facts() -> dict[str, Any]:
    text = (files("padu.engine.synth") / "regions.yaml").read_text("utf-8")
    facts: dict[str, Any] = yaml.safe_load(text)
    return facts


@cache
def _regencies() -> dict[str, str]:
    df = _read_csv("regencies.csv")
    return dict(zip(df["code"].to_list(), df["name"].to_list(), strict=True))


@cache
def all_kecamatan() -> pl.DataFrame:
    """Every Jawa Tengah kecamatan: ``code`` (dotted), ``regency_code``, ``kode6`` (int)."""
    df = _read_csv("districts.csv").sort("code")
    return df.with_columns(
        kode6=pl.col("code").str.replace_all(".", "", literal=True).cast(pl.Int64)
    )


def normalise_kabupaten(code: str) -> str:
    """``"3316"``, ``"33.16"`` or ``" 33 16 "`` to the dotted ``"33.16"``; ValueError if unknown."""
    digits = re.sub(r"[\s.]", "", str(code))
    dotted = f"{digits[:2]}.{digits[2:]}" if re.fullmatch(r"\d{4}", digits) else ""
    if dotted not in _regencies():
        raise ValueError(
            f"Kode kabupaten/kota '{code}' tidak dikenal. Gunakan kode kabupaten/kota "
            "Jawa Tengah, misalnya 33.16 (Blora) atau 3316."
        )
    return dotted


def place_name(regency_name: str) -> str:
    """``"Kabupaten Blora"`` to ``"BLORA"``, ``"Kota Semarang"`` to ``"SEMARANG"``."""
    return re.sub(r"^(Kabupaten|Kota)\s+", "", regency_name).upper()


@cache
def load_kabupaten(code: str) -> Kabupaten:
    dotted = normalise_kabupaten(code)
    name = _regencies()[dotted]
    kec = all_kecamatan().filter(pl.col("regency_code") == dotted)
    kec_codes = tuple(kec["code"].to_list())
    villages = (
        _read_csv("villages.csv")
        .filter(pl.col("district_code").str.starts_with(dotted + "."))
        .sort("code")
    )
    desa_codes = tuple(villages["code"].to_list())
    kec_index = {c: i for i, c in enumerate(kec_codes)}
    desa_kec = np.array([kec_index[c] for c in villages["district_code"].to_list()], dtype=np.int64)
    kelurahan = np.array([c[-4] == "1" for c in desa_codes], dtype=np.bool_)
    facts = _facts()
    livestock = facts["ternak"]
    poverty = facts["kemiskinan"]
    return Kabupaten(
        code=dotted,
        name=name,
        place_name=place_name(name),
        kecamatan_codes=kec_codes,
        desa_codes=desa_codes,
        desa_kecamatan=desa_kec,
        desa_kelurahan=kelurahan,
        neighbours=tuple(facts["neighbours"].get(dotted, [])),
        outside_birthplaces=tuple(facts["luar_provinsi"].get(dotted, [])),
        far_birthplaces=tuple(facts["kota_jauh"]),
        coastal=dotted in set(facts["pesisir"]),
        livestock=float(livestock.get(dotted, livestock["default"])),
        poverty_rate=float(poverty.get(dotted, poverty["default"])),
    )


def regency_place_names() -> dict[str, str]:
    """Dotted kabupaten code to its birthplace name, for every Jawa Tengah kabupaten/kota."""
    return {code: place_name(name) for code, name in _regencies().items()}
