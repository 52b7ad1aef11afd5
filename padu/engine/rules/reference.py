"""Reference lists for the rules from the packaged region data (no Django)."""

from __future__ import annotations

import csv
import io
from datetime import date
from functools import cache
from importlib import resources
from pathlib import Path

from padu.engine.nik import kecamatan_codes
from padu.engine.rules.frames import Reference


@cache
def packaged_desa_codes() -> frozenset[str]:
    """Dotted desa/kelurahan codes shipped in ``padu/wilayah/data/villages.csv``."""
    path = resources.files("padu.wilayah").joinpath("data").joinpath("villages.csv")
    reader = csv.DictReader(io.StringIO(path.read_text("utf-8-sig")))
    return frozenset(row["code"].strip() for row in reader if row.get("code"))


def default_reference(today: date | None = None) -> Reference:
    """Today (or the given day) with the packaged Jawa Tengah kecamatan and desa codes."""
    return Reference(
        today=today or date.today(),
        known_kecamatan=kecamatan_codes(),
        known_desa=packaged_desa_codes(),
    )


def desa_codes(path: Path) -> frozenset[str]:
    """Dotted desa/kelurahan codes from a ``villages.csv`` with a ``code`` column."""
    reader = csv.DictReader(io.StringIO(path.read_text("utf-8-sig")))
    return frozenset(row["code"].strip() for row in reader if row.get("code"))
