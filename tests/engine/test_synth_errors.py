"""Labelled validation errors (padu.engine.synth.errors).

``violations`` below is an independent, vectorised statement of every rule: the test
checks that injecting errors creates exactly the labelled violations and nothing else.
"""

from __future__ import annotations

from datetime import date
from functools import cache

import polars as pl
import pytest

from padu.engine.nik import check_nik_column, check_no_kk_column, kecamatan_codes
from padu.engine.synth.errors import ART_ERRORS, KELUARGA_ERRORS, inject_errors
from tests.engine.test_synth_sources import VILLAGES, some_frames

TODAY = date(2026, 1, 1)
AID = ["penerima_pkh", "penerima_bpnt", "penerima_pbi", "penerima_blt_dd", "penerima_pip"]


@cache
def _desa_codes() -> pl.Series:
    return pl.read_csv(VILLAGES, columns=["code"])["code"]


def violations(keluarga: pl.DataFrame, art: pl.DataFrame, today: date = TODAY) -> pl.DataFrame:
    """Every (table, record_id, error) that breaks a rule, computed column-wise."""
    nik = check_nik_column(art["nik"], known_kecamatan=kecamatan_codes(), today=today)
    p = pl.concat(
        [art, nik.select(nik_problem="problem", nik_born="birth_date", nik_sex="sex")],
        how="horizontal",
    )
    kk_art = check_no_kk_column(art["no_kk"])["problem"]
    kk_kel = check_no_kk_column(keluarga["no_kk"])["problem"]
    tgl, hub, born = pl.col("tgl_lahir"), pl.col("hub_kepala_keluarga"), pl.col("nik_born")
    decoded = pl.col("nik_problem").is_null() & born.is_not_null()
    heads = art.filter(hub == 1).group_by("id_keluarga").agg(n_head=pl.len(), head_tgl=tgl.first())
    p = p.join(heads, on="id_keluarga", how="left").join(
        keluarga.select("id_keluarga", kel_kk="no_kk"), on="id_keluarga", how="left"
    )
    living = (pl.col("status_hidup") != 2).fill_null(True)
    art_rules = {
        **{
            k: pl.col("nik_problem") == k
            for k in [
                "nik_panjang",
                "nik_bukan_angka",
                "nik_float_rusak",
                "nik_wilayah_tidak_dikenal",
            ]
        },
        "nik_tgl_lahir_beda": decoded
        & tgl.is_not_null()
        & (
            (born.dt.day() != tgl.dt.day())
            | (born.dt.month() != tgl.dt.month())
            | (born.dt.year() % 100 != tgl.dt.year() % 100)
        ),
        "nik_jenis_kelamin_beda": decoded
        & pl.col("jenis_kelamin").is_in([1, 2])
        & (pl.col("nik_sex") != pl.col("jenis_kelamin")),
        "nik_ganda": decoded & pl.col("nik").is_duplicated(),
        "kk_panjang": pl.lit(kk_art) == "kk_panjang",
        "kk_beda_keluarga": pl.col("no_kk") != pl.col("kel_kk"),
        "anak_lebih_tua": (hub == 3) & (pl.col("n_head") == 1) & (tgl < pl.col("head_tgl")),
        "tgl_lahir_masa_depan": tgl > today,
        "umur_lebih_110": living & (tgl < date(today.year - 110, today.month, today.day)),
        "meninggal_sebelum_lahir": pl.col("tgl_meninggal") < tgl,
        "wajib_kosong": pl.col("nama").is_null() | tgl.is_null(),
    }
    fam = art.group_by("id_keluarga").agg(
        n=pl.len(),
        n_head=(hub == 1).sum(),
        all_dead=(pl.col("status_hidup") == 2).all(),
        asn=(pl.col("lapangan_usaha") == 9).any(),
    )
    f = keluarga.join(fam, on="id_keluarga", how="left").with_columns(kk_problem=pl.lit(kk_kel))
    desa = pl.col("kode_desa").str.replace_all(r"\.", "")
    dotted = pl.format(
        "{}.{}.{}.{}", *(desa.str.slice(a, b) for a, b in [(0, 2), (2, 2), (4, 2), (6, 4)])
    )
    kel_rules = {
        "kk_panjang": pl.col("kk_problem") == "kk_panjang",
        "tanpa_kepala": pl.col("n_head") == 0,
        "kepala_ganda": pl.col("n_head") >= 2,
        "desa_tidak_dikenal": ~dotted.is_in(_desa_codes().implode()),
        "bab_tanpa_fasilitas_septik": (pl.col("fasilitas_bab") == 4)
        & (pl.col("pembuangan_tinja") == 1),
        "tidak_listrik_ada_daya": (pl.col("sumber_penerangan") == 3)
        & pl.col("daya_listrik").is_not_null(),
        "luas_lantai_tidak_wajar": (pl.col("luas_lantai") == 0)
        | (pl.col("luas_lantai") / pl.col("n") > 1000),
        "asn_penerima_bansos": ((pl.col("penerima_pkh") == 1) | (pl.col("penerima_bpnt") == 1))
        & pl.col("asn"),
        "semua_meninggal_terima_bantuan": pl.col("all_dead")
        & pl.any_horizontal([pl.col(c) == 1 for c in AID]),
    }
    found = [
        p.filter(rule.fill_null(False)).select(
            table=pl.lit("art"), record_id="id_art", error=pl.lit(code)
        )
        for code, rule in art_rules.items()
    ] + [
        f.filter(rule.fill_null(False)).select(
            table=pl.lit("keluarga"), record_id="id_keluarga", error=pl.lit(code)
        )
        for code, rule in kel_rules.items()
    ]
    return pl.concat(found).unique().sort("table", "error", "record_id")


@pytest.fixture(scope="module", params=["demo", "core"])
def clean(request: pytest.FixtureRequest) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Clean input frames: the tests' stand-in and the generator core's output."""
    return some_frames(request.param)


@pytest.fixture(scope="module")
def injected(clean: tuple[pl.DataFrame, pl.DataFrame]) -> tuple[pl.DataFrame, ...]:
    return inject_errors(*clean, seed=3)


def test_input_frames_are_nearly_clean(clean: tuple[pl.DataFrame, pl.DataFrame]) -> None:
    """The stand-in is clean; the core may hold a rare real-life case (an ASN in-law in a
    PKH family), which the label test below discounts."""
    assert violations(*clean).height <= 0.001 * (clean[0].height + clean[1].height)


def test_labels_are_exactly_the_new_violations(clean, injected) -> None:
    keluarga, art, labels = injected
    before = violations(*clean)
    after = violations(keluarga, art).join(before, on=["table", "record_id", "error"], how="anti")
    expected = labels.select("table", "record_id", "error").sort("table", "error", "record_id")
    missing = expected.join(after, on=["table", "record_id", "error"], how="anti")
    extra = after.join(expected, on=["table", "record_id", "error"], how="anti")
    assert missing.is_empty(), missing.group_by("error").len()
    assert extra.is_empty(), extra.group_by("error").len()


def test_every_kind_and_rate(clean, injected) -> None:
    keluarga, art, labels = injected
    counts = dict(labels.group_by("error").len().iter_rows())
    assert set(counts) == set(ART_ERRORS) | set(KELUARGA_ERRORS)
    assert all(n > 0 for n in counts.values())
    per_table = dict(labels.group_by("table").len().iter_rows())
    assert per_table["art"] / art.height == pytest.approx(0.03, abs=0.004)
    assert per_table["keluarga"] / keluarga.height == pytest.approx(0.03, abs=0.004)
    assert labels.select("table", "record_id").is_duplicated().sum() == 0
    assert labels["field"].is_null().sum() == 0


def test_frames_keep_shape_and_untouched_rows(clean, injected) -> None:
    keluarga, art, labels = injected
    assert keluarga.schema == clean[0].schema and art.schema == clean[1].schema
    assert keluarga["id_keluarga"].equals(clean[0]["id_keluarga"])
    assert art["id_art"].equals(clean[1]["id_art"])
    fam = labels.filter(pl.col("table") == "keluarga")["record_id"].implode()
    who = labels.filter(pl.col("table") == "art")["record_id"].implode()
    untouched = ~pl.col("id_keluarga").is_in(fam)
    assert keluarga.filter(untouched).equals(clean[0].filter(untouched))
    people = untouched & ~pl.col("id_art").is_in(who)
    assert art.filter(people).equals(clean[1].filter(people))
    changed = art.filter(~people).join(clean[1].filter(~people), on=art.columns, how="anti")
    assert changed.height > 0.6 * labels.filter(pl.col("table") == "art").height


def test_deterministic(clean, injected) -> None:
    again = inject_errors(*clean, seed=3)
    for a, b in zip(injected, again, strict=True):
        assert a.equals(b)
    other = inject_errors(*clean, seed=4)
    assert not other[2].equals(injected[2])


def test_rate_zero_changes_nothing(clean) -> None:
    keluarga, art, labels = inject_errors(*clean, seed=3, rate=0.0)
    assert labels.is_empty() and keluarga.equals(clean[0]) and art.equals(clean[1])
