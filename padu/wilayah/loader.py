"""Reading the Kemendagri region files (``provinces.csv``, ``regencies.csv``,
``districts.csv``, ``villages.csv``, as in the ``idn-area-data`` package) with checks."""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from importlib import resources
from itertools import pairwise
from pathlib import Path

LEVELS = ("provinsi", "kabupaten", "kecamatan", "desa")
FILES = {
    "provinsi": ("provinces.csv", None),
    "kabupaten": ("regencies.csv", "province_code"),
    "kecamatan": ("districts.csv", "regency_code"),
    "desa": ("villages.csv", "district_code"),
}
CODE_PATTERNS = {
    "provinsi": re.compile(r"^\d{2}$"),
    "kabupaten": re.compile(r"^\d{2}\.\d{2}$"),
    "kecamatan": re.compile(r"^\d{2}\.\d{2}\.\d{2}$"),
    "desa": re.compile(r"^\d{2}\.\d{2}\.\d{2}\.\d{4}$"),
}
CODE_EXAMPLES = {
    "provinsi": "33",
    "kabupaten": "33.16",
    "kecamatan": "33.16.01",
    "desa": "33.16.01.2001",
}


class WilayahFileError(ValueError):
    """A region file cannot be loaded; the message says where and how to fix it."""


@dataclass(frozen=True)
class RegionRow:
    code: str
    parent: str | None
    name: str


def packaged_dir() -> Path:
    """The Jawa Tengah files shipped inside the package (ODbL, see the README beside them)."""
    return Path(str(resources.files("padu.wilayah").joinpath("data")))


def read_level(directory: Path, level: str) -> list[RegionRow]:
    filename, parent_column = FILES[level]
    path = directory / filename
    if not path.is_file():
        raise WilayahFileError(
            f"Berkas {path} tidak ditemukan. Folder wilayah harus berisi provinces.csv, "
            "regencies.csv, districts.csv dan villages.csv."
        )
    expected = ["code", parent_column, "name"] if parent_column else ["code", "name"]
    rows: list[RegionRow] = []
    seen: set[str] = set()
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle)
        header = [h.strip().lower() for h in next(reader, [])]
        if header != expected:
            raise WilayahFileError(
                f"{path.name}: baris 1 (judul kolom) harus '{','.join(expected)}', "
                f"tertulis '{','.join(header)}'. Perbaiki judul kolom lalu muat ulang."
            )
        for line, record in enumerate(reader, start=2):
            if not any(cell.strip() for cell in record):
                continue
            rows.append(_check_row(path.name, line, level, record, parent_column, seen))
    return rows


def _check_row(
    filename: str,
    line: int,
    level: str,
    record: list[str],
    parent_column: str | None,
    seen: set[str],
) -> RegionRow:
    width = 3 if parent_column else 2
    if len(record) != width:
        raise WilayahFileError(
            f"{filename}: baris {line} berisi {len(record)} kolom, seharusnya {width}. "
            "Nama yang mengandung koma harus diberi tanda kutip."
        )
    code = record[0].strip()
    name = record[-1].strip()
    parent = record[1].strip() if parent_column else None
    if not CODE_PATTERNS[level].match(code):
        raise WilayahFileError(
            f"{filename}: baris {line}, kolom code: '{code}' bukan kode {level} yang sah "
            f"(contoh: {CODE_EXAMPLES[level]})."
        )
    if parent is not None and code.rsplit(".", 1)[0] != parent:
        raise WilayahFileError(
            f"{filename}: baris {line}, kolom {parent_column}: '{parent}' tidak sesuai dengan "
            f"awalan kode '{code}'."
        )
    if not name:
        raise WilayahFileError(f"{filename}: baris {line}, kolom name: nama wilayah kosong.")
    if code in seen:
        raise WilayahFileError(f"{filename}: baris {line}, kolom code: kode '{code}' ganda.")
    seen.add(code)
    return RegionRow(code=code, parent=parent, name=name)


def read_all(directory: Path) -> dict[str, list[RegionRow]]:
    """All four levels, each parent checked to exist in the level above."""
    data = {level: read_level(directory, level) for level in LEVELS}
    for upper, lower in pairwise(LEVELS):
        known = {row.code for row in data[upper]}
        for row in data[lower]:
            if row.parent not in known:
                filename = FILES[lower][0]
                raise WilayahFileError(
                    f"{filename}: kode '{row.code}' merujuk ke induk '{row.parent}' yang tidak "
                    f"ada di {FILES[upper][0]}."
                )
    return data
