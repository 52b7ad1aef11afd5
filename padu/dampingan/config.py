"""The dampingan settings (``pengaturan.yaml``): zone thresholds, the register codes behind
each deprivation indicator, report due day and the seed catalogues. Configuration as data
(DESIGN.md rule 8)."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml

PATH = Path(__file__).with_name("pengaturan.yaml")


@cache
def settings() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(PATH.read_text("utf-8"))
    return data


def zona(share_desil14: float | None) -> str:
    """merah / kuning / hijau from the percent of families in desil 1-4; a desa with no
    scored family yet is kuning until measured (never hijau by default)."""
    limits = settings()["zona"]
    if share_desil14 is None:
        return "kuning"
    if share_desil14 >= limits["merah"]:
        return "merah"
    if share_desil14 >= limits["kuning"]:
        return "kuning"
    return "hijau"


def jenis_mitra() -> dict[str, str]:
    return dict(settings()["jenis_mitra"])
