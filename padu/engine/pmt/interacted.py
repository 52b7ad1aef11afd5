"""``linear_interaksi``: one weighted ridge regression with urban/rural interactions and
kabupaten effects (no Django).

BPS fits separate PMT models for urban and rural areas. Here each feature enters twice, once
for every family and once multiplied by ``perkotaan``, so urban families get their own slopes
(shrunk toward the rural ones by the ridge penalty, which small urban samples need), and
when the survey spans several kabupaten, each with at least ``kabupaten_minimum`` survey
families gets its own (ridge-shrunk) effect; the others share the survey's average.
Economies of scale in family size enter through the design's ``log_jumlah_art`` and its
urban interaction.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from padu.engine.pmt.features import Design
from padu.engine.pmt.models import PROVINCE, FloatArray, LinearCells


class Interacted:
    kind = "linear_interaksi"

    def __init__(self, params: dict[str, Any]) -> None:
        self.alpha = float(params.get("alpha", 1e-3))
        self.min_kabupaten = int(params.get("kabupaten_minimum", 200))
        self.kabupaten: list[str] = []
        self.inner = LinearCells("linear_sel", {"alpha": self.alpha, "sel_minimum": 10**12})

    def _expand(self, d: Design) -> Design:
        urban = d.perkotaan.astype(np.float32)[:, None]
        dummies = np.column_stack(
            [(d.kabupaten == k).astype(np.float32) for k in self.kabupaten]
            or [np.zeros((len(d.kabupaten), 0), np.float32)]
        )
        names = [
            *d.names,
            *(f"{n}*perkotaan" for n in d.names),
            *(f"kabupaten={k}" for k in self.kabupaten),
        ]
        sources = [*d.sources, *d.sources, *(["kode_kabupaten"] * len(self.kabupaten))]
        matrix = np.hstack([d.matrix, d.matrix * urban, dummies]).astype(np.float32)
        return Design(matrix, names, sources, d.kabupaten, d.perkotaan)

    def fit(self, d: Design, y: FloatArray, w: FloatArray) -> None:
        codes, counts = np.unique(d.kabupaten, return_counts=True)
        listed = [str(c) for c, n in zip(codes, counts, strict=True) if n >= self.min_kabupaten]
        self.kabupaten = listed if len(listed) > 1 else []
        self.inner.fit(self._expand(d), y, w)

    def predict(self, d: Design) -> FloatArray:
        return self.inner.predict(self._expand(d))

    def contributions(self, d: Design) -> tuple[FloatArray, FloatArray]:
        """Per original feature: its own and its urban term; kabupaten effects go to base."""
        values, base = self.inner.contributions(self._expand(d))
        k = d.matrix.shape[1]
        return values[:, :k] + values[:, k : 2 * k], base + values[:, 2 * k :].sum(axis=1)

    def payload(self) -> dict[str, Any]:
        inner = self.inner.payload()
        return {
            "jenis": self.kind,
            "alpha": self.alpha,
            "kabupaten_minimum": self.min_kabupaten,
            "kabupaten": self.kabupaten,
            "rata_rata": inner["rata_rata"],
            "skala": inner["skala"],
            "koef": inner["sel"][PROVINCE]["koef"],
            "intersep": inner["sel"][PROVINCE]["intersep"],
        }

    @classmethod
    def from_payload(cls, data: dict[str, Any]) -> Interacted:
        model = cls(data)
        model.kabupaten = list(data["kabupaten"])
        model.inner.mean = np.array(data["rata_rata"])
        model.inner.scale = np.array(data["skala"])
        model.inner.cells = {PROVINCE: (float(data["intersep"]), np.array(data["koef"]))}
        return model
