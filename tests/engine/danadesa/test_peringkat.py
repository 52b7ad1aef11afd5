from __future__ import annotations

import random
from decimal import Decimal

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from padu.engine.danadesa import andai_porsi, susun, untuk_tahun
from tests.engine.danadesa.registers import DESA_A, DESA_B, REGISTER_A, families, pagu

RULE_2025 = untuk_tahun(2025)
RULE_2022 = untuk_tahun(2022)
PER_TAHUN = 300_000 * 12


def ids(frame: pl.DataFrame, *, within: bool | None = None) -> list[str]:
    if within is not None:
        frame = frame.filter(pl.col("dalam_kuota") == within)
    return frame["id_keluarga"].to_list()


def test_quota_is_floor_of_pagu_times_share_over_amount_times_months() -> None:
    # 1 billion x 15% = 150 million; / 3.6 million a family-year = 41.67 -> 41 families.
    hasil = susun(families(REGISTER_A), RULE_2025, pagu(A=1_000_000_000))
    assert hasil.ringkasan["kuota"].to_list() == [41]
    assert RULE_2025.kuota(1_000_000_000) == 41
    assert RULE_2025.kuota(1_000_000_000, Decimal("10")) == 27


def test_2025_list_in_cascade_order_with_reasons_and_ranks() -> None:
    # 5 families fit: 15% of 120,000,000 = 18,000,000 / 3,600,000.
    hasil = susun(families(REGISTER_A), RULE_2025, pagu(A=120_000_000))
    d = hasil.daftar
    assert ids(d) == ["A01", "A03", "A10", "A04", "A05", "A06", "A07"]
    assert d["peringkat"].to_list() == [1, 2, 3, 4, 5, 6, 7]
    assert d["tingkat_kode"].to_list() == ["desil1"] * 2 + ["desil2_4"] * 4 + ["kriteria"]
    assert ids(d, within=True) == ["A01", "A03", "A10", "A04", "A05"]
    assert ids(d, within=False) == ["A06", "A07"]
    assert d.filter(pl.col("id_keluarga") == "A07")["keterangan"][0].startswith(
        "Tingkat 3: Keluarga dengan kriteria"
    )
    assert "di luar kuota" in d.filter(pl.col("id_keluarga") == "A06")["keterangan"][0]
    r = hasil.ringkasan.row(0, named=True)
    assert (r["memenuhi"], r["dalam_kuota"], r["di_luar_kuota"], r["desil1_di_luar"]) == (
        7,
        5,
        2,
        0,
    )


def test_rules_of_two_years_give_the_two_expected_lists() -> None:
    reg = families(REGISTER_A)
    budget = pagu(A=45_000_000)  # 2025: 15% -> 1 family; 2022: 40% -> 5 families
    y2025 = susun(reg, RULE_2025, budget)
    y2022 = susun(reg, RULE_2022, budget)
    assert ids(y2025.daftar, within=True) == ["A01"]
    # 2022: PKH/BPNT recipients excluded (A10, A08); criteria before desil 2-4 (A05 first).
    assert ids(y2022.daftar) == ["A01", "A03", "A05", "A04", "A06"]
    assert (
        ids(y2022.daftar, within=True)
        == ["A01", "A03", "A05", "A04", "A06"][: RULE_2022.kuota(45_000_000)]
    )
    assert RULE_2022.kuota(45_000_000) == 5
    assert sorted(ids(y2022.dikecualikan)) == ["A02", "A10"]


def test_an_excluded_family_never_appears_and_its_reason_is_kept() -> None:
    hasil = susun(families(REGISTER_A), RULE_2025, pagu(A=10_000_000_000))
    assert "A02" not in ids(hasil.daftar)
    row = hasil.dikecualikan.filter(pl.col("id_keluarga") == "A02").row(0, named=True)
    assert row["pengecualian"] == ["Anggota keluarga ASN/TNI/Polri"]
    # A family meeting no tier is neither listed nor excluded.
    assert "A09" not in ids(hasil.daftar) + ids(hasil.dikecualikan)


def test_ties_are_broken_by_family_id_whatever_the_input_order_and_explained() -> None:
    rows = [
        {"id_keluarga": f"T{i}", "kode_desa": DESA_A, "desil": 1, "score": 11.0} for i in (3, 1, 2)
    ] + [{"id_keluarga": "T0", "kode_desa": DESA_A, "desil": 1, "score": 10.9}]
    firsts = set()
    for seed in range(5):
        shuffled = rows[:]
        random.Random(seed).shuffle(shuffled)
        d = susun(families(shuffled), RULE_2025, pagu(A=50_000_000)).daftar
        firsts.add(tuple(ids(d)))
    assert firsts == {("T0", "T1", "T2", "T3")}
    notes = dict(zip(ids(d), d["keterangan"].to_list(), strict=True))
    assert "seri" not in notes["T0"]
    assert "seri dengan 2 keluarga lain, diurutkan menurut ID keluarga" in notes["T2"]


def test_desa_are_ranked_separately_and_a_desa_without_pagu_gets_no_quota() -> None:
    reg = families([*REGISTER_A, {"id_keluarga": "B01", "kode_desa": DESA_B, "desil": 1}])
    hasil = susun(reg, RULE_2025, pagu(A=120_000_000))
    b = hasil.daftar.filter(pl.col("kode_desa") == DESA_B)
    assert b["peringkat"].to_list() == [1] and b["dalam_kuota"].to_list() == [False]
    row = hasil.ringkasan.filter(pl.col("kode_desa") == DESA_B).row(0, named=True)
    assert (row["kuota"], row["desil1_di_luar"]) == (0, 1)


def test_planned_share_of_the_desa_replaces_the_rule_share() -> None:
    budget = pagu(A=120_000_000).with_columns(persen=pl.lit(6.0))  # 7.2 M -> 2 families
    hasil = susun(families(REGISTER_A), RULE_2025, budget)
    assert ids(hasil.daftar, within=True) == ["A01", "A03"]


def test_what_if_a_bigger_share_covers_more_of_the_poorest() -> None:
    hasil = susun(families(REGISTER_A), RULE_2025, pagu(A=24_000_000))  # 1 family at 15%
    andai = andai_porsi(hasil, RULE_2025, Decimal("30")).row(0, named=True)
    assert (andai["kuota"], andai["kuota_andai"]) == (1, 2)
    assert (andai["tambahan"], andai["desil1_tercakup"], andai["tambahan_desil1"]) == (1, 1, 1)


_family = st.fixed_dictionaries(
    {
        "kode_desa": st.sampled_from([DESA_A, DESA_B]),
        "desil": st.integers(1, 10),
        "score": st.floats(10, 14, allow_nan=False),
        "ada_asn": st.booleans(),
        "penerima_pkh": st.booleans(),
        "tanpa_pekerjaan": st.booleans(),
        "lansia_tunggal": st.booleans(),
    }
)


@settings(max_examples=60, deadline=None)
@given(
    rows=st.lists(_family, min_size=1, max_size=60),
    budget_a=st.integers(0, 200_000_000),
    budget_b=st.integers(0, 200_000_000),
    year=st.sampled_from([2022, 2024, 2025, 2026]),
)
def test_cap_never_exceeded_and_higher_tiers_always_first(
    rows: list[dict[str, object]], budget_a: int, budget_b: int, year: int
) -> None:
    rule = untuk_tahun(year)
    reg = families([{**r, "id_keluarga": f"K{i:03d}"} for i, r in enumerate(rows)])
    hasil = susun(reg, rule, pagu(A=budget_a, B=budget_b))
    d = hasil.daftar
    for code, budget in ((DESA_A, budget_a), (DESA_B, budget_b)):
        mine = d.filter(pl.col("kode_desa") == code)
        taken = mine.filter(pl.col("dalam_kuota"))
        assert taken.height * rule.nilai_per_tahun * 100 <= budget * rule.persen
        assert taken.height == min(mine.height, rule.kuota(budget))
        tiers = mine["tingkat"].to_list()
        assert tiers == sorted(tiers)  # every family of a higher tier before any lower one
        assert mine["peringkat"].to_list() == list(range(1, mine.height + 1))
    asn = reg.filter(pl.col("ada_asn"))["id_keluarga"].to_list()
    assert not set(asn) & set(d["id_keluarga"].to_list())
