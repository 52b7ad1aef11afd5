"""Calibration to published BPS kabupaten P0 (no Django).

BPS publishes P0 per kabupaten/kota from SUSENAS. When a published figure is given, every
prediction of the kabupaten is shifted by one constant (log units) so that the simulated
kabupaten P0 equals the published one; desa and kecamatan keep their relative positions.
The shift is the distance between the log poverty line and the simulated expenditure's
person-weighted quantile at the published P0 (pooled over the draws), so one pass finds it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt
import polars as pl

from padu.engine import io
from padu.engine.kemiskinan.lines import PovertyLine
from padu.engine.kemiskinan.residuals import Residuals
from padu.engine.kemiskinan.simulate import Population, draws

FloatArray = npt.NDArray[np.float64]
BPS_COLUMNS = ("kode_kabupaten", "periode", "p0", "sumber")


@dataclass(frozen=True)
class PublishedP0:
    kode_kabupaten: str  # dotted, 33.16
    periode: str  # e.g. 2025-03
    p0: float  # percent
    sumber: str


def read_published(path: Path) -> list[PublishedP0]:
    """A CSV of published figures: kode_kabupaten, periode, p0 (percent), sumber."""
    raw = io.read_raw(path)
    missing = [c for c in BPS_COLUMNS if c not in raw.columns]
    if missing:
        raise ValueError(
            f"{path.name}: kolom tidak ada: {', '.join(missing)}. Berkas angka BPS perlu kolom "
            "kode_kabupaten, periode, p0 (persen) dan sumber."
        )
    out: list[PublishedP0] = []
    for i, row in enumerate(raw.iter_rows(named=True), start=2):
        code = (row["kode_kabupaten"] or "").replace(".", "").strip()
        if len(code) != 4 or not code.isdigit():
            raise ValueError(
                f"{path.name} baris {i}, kolom kode_kabupaten: '{row['kode_kabupaten']}' bukan "
                "kode kabupaten/kota; tulis mis. 33.16."
            )
        try:
            p0 = float((row["p0"] or "").replace(",", "."))
        except ValueError:
            p0 = -1.0
        if not 0.0 < p0 < 100.0:
            raise ValueError(
                f"{path.name} baris {i}, kolom p0: '{row['p0']}' harus persen di antara 0 dan "
                "100, mis. 11,28."
            )
        for column in ("periode", "sumber"):
            if not (row[column] or "").strip():
                raise ValueError(f"{path.name} baris {i}, kolom {column}: wajib diisi.")
        out.append(
            PublishedP0(f"{code[:2]}.{code[2:]}", row["periode"].strip(), p0, row["sumber"].strip())
        )
    return out


def _weighted_quantile(values: FloatArray, weights: FloatArray, q: float) -> float:
    order = np.argsort(values, kind="stable")
    cum = np.cumsum(weights[order])
    at = int(np.searchsorted(cum, q * cum[-1]))
    return float(values[order][min(at, len(order) - 1)])


def shifts(
    pop: Population,
    res: Residuals,
    line: PovertyLine,
    published: list[PublishedP0],
    *,
    n_draws: int = 20,
    seed: int = 1,
) -> tuple[FloatArray, dict[str, float]]:
    """Per family the log shift that calibrates its kabupaten (0 where none is published),
    and the shift of each calibrated kabupaten."""
    kab = np.array([c[:5] for c in pop.desa.tolist()])
    targets = {p.kode_kabupaten: p.p0 for p in published}
    simulated = [y.copy() for _, y in draws(pop, res, n_draws=n_draws, seed=seed)]
    per_family = np.zeros(len(pop.prediction))
    found: dict[str, float] = {}
    for code, p0 in sorted(targets.items()):
        rows = kab == code
        if not rows.any():
            continue
        values = np.concatenate([y[rows] for y in simulated])
        weights = np.tile(pop.persons[rows], len(simulated))
        delta = float(np.log(line.garis)) - _weighted_quantile(values, weights, p0 / 100.0)
        per_family[rows] = delta
        found[code] = round(delta, 6)
    return per_family, found


def published_frame(published: list[PublishedP0]) -> pl.DataFrame:
    return pl.DataFrame([p.__dict__ for p in published])
