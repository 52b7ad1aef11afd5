"""Targeting and poverty metrics against small examples computed by hand."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.stats import spearmanr

from padu.engine.pmt import metrics

SCORE = np.array([1.0, 2.0, 3.0, 4.0])
W = np.array([1.0, 1.0, 2.0, 2.0])
TARGET = np.array([True, False, True, False])


def test_select_bottom_uses_the_middle_of_each_family() -> None:
    # cumulative persons 1, 2, 4, 6: middles at 0.5/6, 1.5/6, 3/6, 5/6
    assert metrics.select_bottom(SCORE, W, 0.34).tolist() == [True, True, False, False]
    assert metrics.select_bottom(SCORE, W, 0.51).tolist() == [True, True, True, False]
    assert metrics.select_bottom(SCORE[::-1], W[::-1], 0.34).tolist() == [False, False, True, True]


def test_targeting_errors_by_hand() -> None:
    selected = np.array([True, True, False, False])
    m = metrics.targeting(selected, TARGET, W)
    assert m["cakupan"] == pytest.approx(2 / 6)
    assert m["galat_eksklusi"] == pytest.approx(2 / 3)  # poor persons 3, missed 2
    assert m["galat_inklusi_bukan_miskin"] == pytest.approx(1 / 3)  # non-poor 3, selected 1
    assert m["galat_inklusi_terpilih"] == pytest.approx(1 / 2)  # selected 2, non-poor 1
    assert m["akurasi_total"] == pytest.approx(3 / 6)
    assert m["selisih_penargetan"] == pytest.approx((1 - 2 / 3) - 1 / 3)


def test_perfect_targeting() -> None:
    m = metrics.targeting(TARGET, TARGET, W)
    assert m["galat_eksklusi"] == 0.0
    assert m["galat_inklusi_terpilih"] == 0.0
    assert m["akurasi_total"] == 1.0
    assert m["selisih_penargetan"] == 1.0


def test_weighted_auc_by_hand() -> None:
    # poor-vs-non-poor pairs (weight product): (0,1) 1 right, (0,3) 2 right, (2,1) 2 wrong,
    # (2,3) 4 right -> 7 / 9
    assert metrics.auc(SCORE, TARGET, W) == pytest.approx(7 / 9)
    assert metrics.auc(SCORE, TARGET, np.ones(4)) == pytest.approx(3 / 4)
    assert np.isnan(metrics.auc(SCORE, np.ones(4, bool), W))


def test_spearman() -> None:
    rng = np.random.default_rng(3)
    a, b = rng.normal(size=200), rng.normal(size=200)
    assert metrics.spearman(a, b, np.ones(200)) == pytest.approx(spearmanr(a, b).statistic)
    assert metrics.spearman(SCORE, SCORE * 2, W) == pytest.approx(1.0)
    assert metrics.spearman(SCORE, -SCORE, W) == pytest.approx(-1.0)
    # a weight of 2 counts like a duplicated row
    dup = metrics.spearman([1, 2, 3, 3], [2, 1, 3, 3], [1, 1, 1, 1])
    assert metrics.spearman([1, 2, 3], [2, 1, 3], [1, 1, 2]) == pytest.approx(dup)


def test_fgt_by_hand() -> None:
    y, w = np.array([50.0, 100.0, 150.0]), np.array([1.0, 1.0, 2.0])
    assert metrics.fgt(y, 100.0, w, 0) == pytest.approx(1 / 4)  # 100 is not below the line
    assert metrics.fgt(y, 100.0, w, 1) == pytest.approx(0.5 / 4)
    assert metrics.fgt(y, 100.0, w, 2) == pytest.approx(0.25 / 4)


def test_coady_grosh_hoddinott_by_hand() -> None:
    # true bottom 40% of persons: families 0 and 1 (2 of 6 persons); benefits go to 0 and 2
    cgh = metrics.coady_grosh_hoddinott(TARGET, SCORE, W, bottom=0.4)
    assert cgh == pytest.approx((1 / 3) / 0.4)


def test_poverty_reduction_per_rupiah_by_hand() -> None:
    y, size, w = (
        np.array([50.0, 100.0, 150.0]),
        np.array([1.0, 1.0, 2.0]),
        np.array([1.0, 1.0, 2.0]),
    )
    selected = np.array([True, False, False])
    exact = metrics.poverty_reduction(y, selected, size, w, 100.0, 30.0)
    assert exact["p1_sebelum"] == pytest.approx(0.125)
    assert exact["p1_sesudah"] == pytest.approx(0.05)
    assert exact["biaya_per_bulan"] == pytest.approx(30.0)
    assert exact["celah_tertutup_per_rupiah"] == pytest.approx(1.0)  # every rupiah closes gap
    over = metrics.poverty_reduction(y, selected, size, w, 100.0, 60.0)
    assert over["p0_sesudah"] == 0.0
    assert over["celah_tertutup_per_rupiah"] == pytest.approx(50.0 / 60.0)
    leak = metrics.poverty_reduction(y, ~selected, size, w, 100.0, 30.0)
    assert leak["celah_tertutup_per_rupiah"] == 0.0  # all to the non-poor


def test_targeting_loss_is_zero_for_the_truth_and_high_for_the_reverse() -> None:
    welfare = np.arange(100.0)
    w = np.ones(100)
    assert metrics.targeting_loss(welfare, welfare, w, [0.2, 0.4]) == 0.0
    assert metrics.targeting_loss(-welfare, welfare, w, [0.2, 0.4]) == 1.0


def test_report_and_bootstrap_intervals() -> None:
    rng = np.random.default_rng(7)
    welfare = rng.normal(13.5, 0.5, 2000)
    score = welfare + rng.normal(0, 0.4, 2000)
    size = rng.integers(1, 7, 2000).astype(float)
    full = metrics.report(score, welfare, size, size, line=float(np.exp(13.0)), coverages=[0.2])
    assert 0.5 < full["auc_miskin"] < 1.0
    assert full["cakupan_bawah@0.2"] == pytest.approx(0.2, abs=0.01)

    def metric(rows: np.ndarray) -> dict[str, float]:
        return metrics.report(
            score[rows],
            welfare[rows],
            size[rows],
            size[rows],
            line=float(np.exp(13.0)),
            coverages=[0.2],
        )

    ci = metrics.bootstrap(metric, 2000, replicates=30, seed=2)
    again = metrics.bootstrap(metric, 2000, replicates=30, seed=2)
    assert ci == again
    low, high = ci["galat_eksklusi_bawah@0.2"]
    assert low < full["galat_eksklusi_bawah@0.2"] < high
    assert high - low < 0.2
