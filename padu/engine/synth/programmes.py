"""Programme participation (PKH, BPNT, PBI-JK, BLT-DD, PIP) with realistic mistargeting.

Each programme ranks its eligible families by a noisy welfare score and takes the lowest
ones up to its coverage. The noise has a part shared by all programmes (the register's
own ranking error, so recipients of one programme tend to get the others) and a part of
the programme's own; together they give inclusion and exclusion errors of the size
reported for Indonesian targeting (about half of the poor missed by PKH).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

from padu.engine.synth.welfare import params

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]

PROGRAMMES = ("penerima_pkh", "penerima_bpnt", "penerima_pbi", "penerima_blt_dd", "penerima_pip")


def select(score: FloatArray, eligible: BoolArray, coverage: float) -> BoolArray:
    """The ``coverage`` share of eligible families with the lowest scores."""
    idx = np.flatnonzero(eligible)
    k = round(coverage * len(idx))
    chosen = idx[np.argsort(score[idx], kind="stable")[:k]]
    out = np.zeros(len(score), dtype=np.bool_)
    out[chosen] = True
    return out


def participation(
    rng: np.random.Generator,
    log_pce: FloatArray,
    urban: BoolArray,
    pkh_component: BoolArray,
    school_child: BoolArray,
    government: BoolArray,
) -> dict[str, IntArray]:
    settings: dict[str, Any] = params()["program"]
    n = len(log_pce)
    shared = rng.standard_normal(n)
    asn_out = government & (rng.random(n) < float(params()["asn_dikeluarkan"]))
    base = ~asn_out

    def score(name: str) -> FloatArray:
        s = settings[name]
        return log_pce + float(s["bersama"]) * shared + float(s["sendiri"]) * rng.standard_normal(n)

    def coverage(name: str) -> float:
        return float(settings[name]["cakupan"])

    out: dict[str, BoolArray] = {}
    out["penerima_pkh"] = select(
        score("penerima_pkh"), base & pkh_component, coverage("penerima_pkh")
    )
    out["penerima_bpnt"] = select(score("penerima_bpnt"), base, coverage("penerima_bpnt"))
    out["penerima_pbi"] = select(score("penerima_pbi"), base, coverage("penerima_pbi"))
    # BLT-DD: desa only (village funds), for the poor without PKH or BPNT.
    blt_ok = base & ~urban & ~out["penerima_pkh"] & ~out["penerima_bpnt"]
    out["penerima_blt_dd"] = select(score("penerima_blt_dd"), blt_ok, coverage("penerima_blt_dd"))
    out["penerima_pip"] = select(
        score("penerima_pip"), base & school_child, coverage("penerima_pip")
    )
    return {k: v.astype(np.int64) for k, v in out.items()}
