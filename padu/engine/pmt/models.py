"""PMT candidate models on a :class:`~padu.engine.pmt.features.Design` (no Django).

Every model predicts log monthly per-capita expenditure (lower = poorer), is fitted with
survey weights, serialises to plain JSON-able data (so the artifact hash is reproducible),
and splits each prediction into per-feature contributions for explanations.

- ``linear_sel``: the BPS-style baseline, weighted OLS in each kabupaten x perkotaan cell,
  pooled to one province-wide OLS where a cell has fewer than ``sel_minimum`` families.
- ``linear_strata``: a province-wide ridge regression; each cell gets its own coefficients
  shrunk toward the province's (small cells stay close to the province model).
- ``lightgbm``: gradient-boosted trees (LightGBM, deterministic mode).
- ``linear_interaksi``: one ridge with urban/rural interactions of every feature and
  kabupaten intercepts (``padu/engine/pmt/interacted.py``).
"""

from __future__ import annotations

from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

from padu.engine.pmt.features import Design

FloatArray = npt.NDArray[np.float64]
PROVINCE = "provinsi"


class Model(Protocol):
    kind: str

    def fit(self, d: Design, y: FloatArray, w: FloatArray) -> None: ...
    def predict(self, d: Design) -> FloatArray: ...
    def contributions(self, d: Design) -> tuple[FloatArray, FloatArray]: ...
    def payload(self) -> dict[str, Any]: ...


def cell_keys(d: Design) -> npt.NDArray[np.str_]:
    return np.char.add(np.char.add(d.kabupaten.astype(str), "|"), d.perkotaan.astype(str))


def _round(values: FloatArray) -> list[float]:
    """Twelve significant digits: stable across BLAS thread orderings, ample for scores."""
    return [float(f"{v:.12g}") for v in values]


class LinearCells:
    """Weighted linear models per cell (kabupaten|perkotaan) with a province fallback."""

    def __init__(self, kind: str, params: dict[str, Any]) -> None:
        self.kind = kind
        self.alpha = float(params.get("alpha", 1e-6))
        self.cell_alpha = float(params.get("alpha_sel", self.alpha))
        self.min_cell = int(params.get("sel_minimum", 400))
        self.shrink = kind == "linear_strata"
        self.mean: FloatArray = np.zeros(0)
        self.scale: FloatArray = np.zeros(0)
        self.cells: dict[str, tuple[float, FloatArray]] = {}

    def _solve(
        self, z: FloatArray, y: FloatArray, w: FloatArray, alpha: float, prior: FloatArray | None
    ) -> tuple[float, FloatArray]:
        wn = w / w.mean()
        zbar = wn @ z / wn.sum()
        ybar = float(wn @ y / wn.sum())
        zc = z - zbar
        gram = zc.T @ (zc * wn[:, None])
        rhs = zc.T @ (wn * (y - ybar))
        penalty = alpha * wn.sum()
        base = np.zeros(z.shape[1]) if prior is None else prior
        beta = np.linalg.solve(gram + penalty * np.eye(z.shape[1]), rhs + penalty * base)
        return ybar - float(zbar @ beta), beta

    def fit(self, d: Design, y: FloatArray, w: FloatArray) -> None:
        x = d.matrix.astype(np.float64)
        wn = w / w.mean()
        self.mean = wn @ x / wn.sum()
        spread = np.sqrt(wn @ (x - self.mean) ** 2 / wn.sum())
        self.scale = np.where(spread > 1e-9, spread, 1.0)
        z = (x - self.mean) / self.scale
        province = self._solve(z, y, w, self.alpha, None)
        self.cells = {PROVINCE: province}
        keys = cell_keys(d)
        minimum = 30 if self.shrink else self.min_cell
        for key in sorted(set(keys.tolist())):
            rows = keys == key
            if rows.sum() >= minimum:
                prior = province[1] if self.shrink else None
                alpha = self.cell_alpha if self.shrink else self.alpha
                self.cells[key] = self._solve(z[rows], y[rows], w[rows], alpha, prior)

    def _coefficients(self, d: Design) -> tuple[FloatArray, FloatArray]:
        """Per row: intercept and coefficients (standardised units) of its cell."""
        keys = cell_keys(d)
        names = sorted(self.cells)
        index = {k: i for i, k in enumerate(names)}
        fallback = index[PROVINCE]
        rows = np.array([index.get(k, fallback) for k in keys.tolist()], dtype=np.int64)
        intercepts = np.array([self.cells[k][0] for k in names])
        betas = np.vstack([self.cells[k][1] for k in names])
        return intercepts[rows], betas[rows]

    def predict(self, d: Design) -> FloatArray:
        keys = cell_keys(d)
        out = np.empty(len(keys))
        z = (d.matrix - self.mean.astype(np.float32)) / self.scale.astype(np.float32)
        assigned = np.zeros(len(keys), dtype=bool)
        for key, (intercept, beta) in self.cells.items():
            if key == PROVINCE:
                continue
            rows = keys == key
            out[rows] = intercept + z[rows].astype(np.float64) @ beta
            assigned |= rows
        rest = ~assigned
        intercept, beta = self.cells[PROVINCE]
        out[rest] = intercept + z[rest].astype(np.float64) @ beta
        return out

    def contributions(self, d: Design) -> tuple[FloatArray, FloatArray]:
        """beta_j * (x_j - training mean_j) per feature; base = the cell's intercept."""
        intercepts, betas = self._coefficients(d)
        z = (d.matrix.astype(np.float64) - self.mean) / self.scale
        return z * betas, intercepts

    def payload(self) -> dict[str, Any]:
        return {
            "jenis": self.kind,
            "alpha": self.alpha,
            "alpha_sel": self.cell_alpha,
            "sel_minimum": self.min_cell,
            "rata_rata": _round(self.mean),
            "skala": _round(self.scale),
            "sel": {
                k: {"intersep": _round(np.array([c[0]]))[0], "koef": _round(c[1])}
                for k, c in sorted(self.cells.items())
            },
        }

    @classmethod
    def from_payload(cls, data: dict[str, Any]) -> LinearCells:
        model = cls(data["jenis"], data)
        model.mean = np.array(data["rata_rata"])
        model.scale = np.array(data["skala"])
        model.cells = {
            k: (float(c["intersep"]), np.array(c["koef"])) for k, c in data["sel"].items()
        }
        return model


class Boosted:
    """LightGBM regression on the design matrix plus the kabupaten as a category."""

    kind = "lightgbm"

    def __init__(self, params: dict[str, Any], seed: int) -> None:
        self.params = {k: v for k, v in params.items() if k != "jenis"}
        self.seed = seed
        self.kabupaten: list[str] = []
        self.booster: Any = None

    def _matrix(self, d: Design) -> npt.NDArray[np.float32]:
        index = {k: i for i, k in enumerate(self.kabupaten)}
        kab = np.array([index.get(k, -1) for k in d.kabupaten.tolist()], dtype=np.float32)
        return np.column_stack([d.matrix, kab])

    def fit(self, d: Design, y: FloatArray, w: FloatArray) -> None:
        import lightgbm as lgb

        self.kabupaten = sorted(set(d.kabupaten.tolist()))
        regressor = lgb.LGBMRegressor(
            **self.params,
            subsample_freq=1,
            random_state=self.seed,
            deterministic=True,
            force_col_wise=True,
            n_jobs=2,
            verbose=-1,
        )
        x = self._matrix(d)
        regressor.fit(x, y, sample_weight=w / w.mean(), categorical_feature=[x.shape[1] - 1])
        self.booster = regressor.booster_

    def predict(self, d: Design) -> FloatArray:
        return np.asarray(self.booster.predict(self._matrix(d), num_threads=2), dtype=np.float64)

    def contributions(self, d: Design) -> tuple[FloatArray, FloatArray]:
        """TreeSHAP values per feature (the kabupaten's share goes to the base)."""
        values = np.asarray(
            self.booster.predict(self._matrix(d), pred_contrib=True, num_threads=2),
            dtype=np.float64,
        )
        return values[:, :-2], values[:, -2] + values[:, -1]

    def payload(self) -> dict[str, Any]:
        return {
            "jenis": self.kind,
            "parameter": self.params,
            "seed": self.seed,
            "kabupaten": self.kabupaten,
            "booster": self.booster.model_to_string(num_iteration=-1),
        }

    @classmethod
    def from_payload(cls, data: dict[str, Any]) -> Boosted:
        import lightgbm as lgb

        model = cls(data["parameter"], int(data["seed"]))
        model.kabupaten = list(data["kabupaten"])
        model.booster = lgb.Booster(model_str=data["booster"])
        return model


def make(params: dict[str, Any], seed: int) -> Model:
    kind = params["jenis"]
    if kind in ("linear_sel", "linear_strata"):
        return LinearCells(kind, params)
    if kind == "lightgbm":
        return Boosted(params, seed)
    if kind == "linear_interaksi":
        from padu.engine.pmt.interacted import Interacted

        return Interacted(params)
    raise ValueError(
        f"Jenis model PMT '{kind}' tidak dikenal; pakai linear_sel, linear_strata, "
        "linear_interaksi atau lightgbm."
    )


def from_payload(data: dict[str, Any]) -> Model:
    if data["jenis"] == "lightgbm":
        return Boosted.from_payload(data)
    if data["jenis"] == "linear_interaksi":
        from padu.engine.pmt.interacted import Interacted

        return Interacted.from_payload(data)
    return LinearCells.from_payload(data)
