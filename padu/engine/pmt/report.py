"""Targeting report: scores against true expenditure (``padu pmt evaluate``; no Django)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import polars as pl

from padu.engine.pmt import metrics

LABELS = {
    "galat_eksklusi": "galat eksklusi (miskin tidak terpilih / miskin)",
    "galat_inklusi_bukan_miskin": "galat inklusi (bukan miskin terpilih / bukan miskin)",
    "galat_inklusi_terpilih": "galat inklusi (bukan miskin terpilih / terpilih)",
    "akurasi_total": "akurasi total",
    "selisih_penargetan": "selisih penargetan (cakupan miskin - cakupan bukan miskin)",
}


def join_truth(scores: pl.DataFrame, truth: pl.DataFrame) -> pl.DataFrame:
    """Scores and truth on id_keluarga; every score must have its truth and vice versa."""
    joined = scores.join(truth, on="id_keluarga", how="full", coalesce=True)
    lost = joined.filter(pl.col("score").is_null() | pl.col("kesejahteraan").is_null())
    if lost.height:
        ids = ", ".join(lost["id_keluarga"].head(5).to_list())
        raise ValueError(
            f"{lost.height} keluarga hanya ada di salah satu berkas (skor atau truth), mis. {ids}. "
            "Pakai skor dan truth dari data yang sama."
        )
    return joined.sort("id_keluarga")


def evaluate(
    joined: pl.DataFrame,
    *,
    line: float,
    coverages: Sequence[float],
    replicates: int = 200,
    seed: int = 1,
    transfer: float = 300_000.0,
) -> dict[str, Any]:
    """All metrics with bootstrap intervals: ``{name: {"nilai": v, "bawah": lo, "atas": hi}}``."""
    score = joined["score"].to_numpy().astype(np.float64)
    welfare = joined["kesejahteraan"].to_numpy().astype(np.float64)
    size = joined["jumlah_art"].fill_null(0).to_numpy().astype(np.float64)
    w = size

    def compute(rows: np.ndarray) -> dict[str, float]:
        return metrics.report(
            score[rows],
            welfare[rows],
            w[rows],
            size[rows],
            line=line,
            coverages=coverages,
            transfer=transfer,
        )

    point = compute(np.arange(len(score)))
    intervals = (
        metrics.bootstrap(compute, len(score), replicates=replicates, seed=seed)
        if replicates
        else {}
    )
    return {
        key: {
            "nilai": value,
            "bawah": intervals.get(key, (np.nan, np.nan))[0],
            "atas": intervals.get(key, (np.nan, np.nan))[1],
        }
        for key, value in point.items()
    }


def ribuan(value: float) -> str:
    """A whole number with Indonesian thousands dots: 1.234.567."""
    return f"{value:,.0f}".replace(",", ".")


def _fmt(entry: dict[str, float], percent: bool = True) -> str:
    scale, unit = (100.0, "%") if percent else (1.0, "")
    value = f"{entry['nilai'] * scale:.1f}{unit}" if percent else f"{entry['nilai']:.3f}"
    if np.isnan(entry["bawah"]):
        return value
    if percent:
        return f"{value} ({entry['bawah'] * scale:.1f}-{entry['atas'] * scale:.1f})"
    return f"{value} ({entry['bawah']:.3f}-{entry['atas']:.3f})"


def text(
    result: dict[str, Any],
    coverages: Sequence[float],
    n_keluarga: int,
    n_orang: float,
    transfer: float = 300_000.0,
) -> str:
    """The report as plain Bahasa Indonesia lines (95% intervals in brackets)."""
    lines = [
        f"Laporan penargetan: {ribuan(n_keluarga)} keluarga, {ribuan(n_orang)} orang",
        "(angka dalam kurung: selang kepercayaan 95% bootstrap)",
        f"AUC skor terhadap kemiskinan (garis kemiskinan): {_fmt(result['auc_miskin'], False)}",
        f"Korelasi peringkat Spearman: {_fmt(result['spearman'], False)}",
        f"Kemiskinan sebenarnya: P0 {_fmt(result['p0'])}, P1 {_fmt(result['p1'])}, "
        f"P2 {_fmt(result['p2'])}",
    ]
    for c in coverages:
        tag = f"{c:g}"
        lines.append(f"\nCakupan {c * 100:g}% orang termiskin menurut skor:")
        lines.append(f"  sasaran = {c * 100:g}% termiskin sebenarnya:")
        for key, label in LABELS.items():
            lines.append(f"    {label}: {_fmt(result[f'{key}_bawah@{tag}'])}")
        lines.append("  sasaran = penduduk di bawah garis kemiskinan:")
        for key, label in LABELS.items():
            lines.append(f"    {label}: {_fmt(result[f'{key}_miskin@{tag}'])}")
        lines.append(f"  Coady-Grosh-Hoddinott (40% terbawah): {_fmt(result[f'cgh@{tag}'], False)}")
        lines.append(
            f"  penurunan P0 dengan bantuan Rp {ribuan(transfer)}/keluarga/bulan: "
            f"{_fmt(result[f'penurunan_p0@{tag}'])}"
        )
        lines.append(
            "  celah kemiskinan tertutup per rupiah bantuan: "
            f"{_fmt(result[f'celah_tertutup_per_rupiah@{tag}'], False)}"
        )
    return "\n".join(lines)
