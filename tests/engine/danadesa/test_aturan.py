from __future__ import annotations

import copy
from decimal import Decimal

import pytest

from padu.engine.danadesa import AturanError, bawaan, dari_dict, untuk_tahun


def test_shipped_rules_cover_the_four_years_with_their_legal_basis() -> None:
    rules = {r["tahun"]: dari_dict(r) for r in bawaan()}
    assert sorted(rules) == [2022, 2024, 2025, 2026]
    assert (rules[2022].batas, rules[2022].persen) == ("minimal", Decimal("40"))
    assert (rules[2024].batas, rules[2024].persen) == ("maksimal", Decimal("25"))
    assert (rules[2025].batas, rules[2025].persen) == ("maksimal", Decimal("15"))
    assert "Permendesa 16" in rules[2026].dasar_hukum
    assert all(r.nilai_per_bulan == 300_000 and r.bulan == 12 for r in rules.values())


def test_planned_share_is_checked_against_the_year() -> None:
    untuk_tahun(2025).periksa_persen(Decimal("15"))
    with pytest.raises(AturanError, match="melebihi batas tahun 2025"):
        untuk_tahun(2025).periksa_persen(Decimal("16"))
    with pytest.raises(AturanError, match="kurang dari batas tahun 2022"):
        untuk_tahun(2022).periksa_persen(Decimal("30"))


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"dasar_hukum": ""}, "'dasar_hukum' wajib diisi"),
        ({"batas": "kira-kira"}, "'batas' harus 'maksimal' atau 'minimal'"),
        ({"persen": 120}, "'persen' harus di antara 0 dan 100"),
        ({"nilai_per_bulan": 0}, "'nilai_per_bulan' wajib bilangan bulat"),
        ({"tingkat": []}, "isi minimal satu tingkat"),
        ({"tingkat": [{"kode": "x", "nama": "X"}]}, "tingkat 1: isi minimal satu syarat"),
    ],
)
def test_a_broken_rule_is_refused_with_the_year_and_field(
    change: dict[str, object], message: str
) -> None:
    data = copy.deepcopy(next(r for r in bawaan() if r["tahun"] == 2025))
    data.update(change)
    with pytest.raises(AturanError, match=message) as raised:
        dari_dict(data)
    assert "2025" in str(raised.value)


def test_unknown_year_is_refused() -> None:
    with pytest.raises(AturanError, match="Belum ada aturan BLT-DD untuk tahun 2030"):
        untuk_tahun(2030)
