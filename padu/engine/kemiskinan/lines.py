"""Poverty lines as data (``garis.yaml``): the line, the extreme line, period and source."""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import cache
from importlib.resources import files
from typing import Any

import yaml


@dataclass(frozen=True)
class PovertyLine:
    kode: str
    garis: float  # rupiah per capita per month
    ekstrem: float
    periode: str
    sumber: str

    def with_values(self, garis: float | None, ekstrem: float | None = None) -> PovertyLine:
        """The same line with a different value (a user's ``--garis``): source says so."""
        if garis is None and ekstrem is None:
            return self
        if (garis is not None and garis <= 0) or (ekstrem is not None and ekstrem <= 0):
            raise ValueError("Garis kemiskinan harus lebih dari 0 rupiah per kapita per bulan.")
        return replace(
            self,
            kode=f"{self.kode}+pengguna",
            garis=float(garis) if garis is not None else self.garis,
            ekstrem=float(ekstrem) if ekstrem is not None else self.ekstrem,
            sumber="ditetapkan pengguna",
        )


@cache
def _loaded() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(
        (files("padu.engine.kemiskinan") / "garis.yaml").read_text("utf-8")
    )
    return data


def line(kode: str | None = None) -> PovertyLine:
    """A poverty line of ``garis.yaml`` (the default one when ``kode`` is None)."""
    data = _loaded()
    key = kode or str(data["bawaan"])
    entry = data["garis"].get(key)
    if entry is None:
        known = ", ".join(sorted(data["garis"]))
        raise ValueError(f"Garis kemiskinan '{key}' tidak dikenal; yang ada: {known}.")
    return PovertyLine(
        kode=key,
        garis=float(entry["garis"]),
        ekstrem=float(entry["ekstrem"]),
        periode=str(entry["periode"]),
        sumber=str(entry["sumber"]),
    )
