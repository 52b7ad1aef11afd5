"""Indonesian name normalisation: each spelling family, titles, degrees, old spelling."""

from __future__ import annotations

import polars as pl
import pytest

from padu.engine.linkage.normalise import (
    NameRules,
    canonical_token,
    name_columns,
    name_rules,
    normalise_name,
)


def norm(*names: str | None) -> list[str | None]:
    return normalise_name(pl.Series(list(names), dtype=pl.String)).to_list()


def columns(*names: str | None) -> pl.DataFrame:
    return name_columns(pl.Series(list(names), dtype=pl.String), "nama")


@pytest.mark.parametrize(
    ("variants", "expected"),
    [
        (
            ["Muhammad", "Muhamad", "Mohammad", "Mochammad", "Moch.", "Moh.", "Muh.", "M."],
            "muhamad",
        ),
        (["Siti", "St.", "St", "SITI"], "siti"),
        (["Nur", "Nurul", "Noer", "Noerul"], "nur"),
        (["Abdul", "Abd.", "Abdoel"], "abdul"),
        (["Ahmad", "Achmad", "Ach.", "Akhmad", "A."], "ahmad"),
        (["Rohman", "Rahman", "Rochman"], "rahman"),
    ],
)
def test_spelling_families_meet(variants: list[str], expected: str) -> None:
    got = norm(*(f"{v} Sumardi" for v in variants))
    assert got == [f"{expected} sumardi"] * len(variants)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("H. Sumardi", "sumardi"),
        ("Hj. Suparmi", "suparmi"),
        ("Drs. Slamet Riyadi", "slamet rijadi"),
        ("Ir. H. Bambang", "bambang"),
        ("Sumardi, S.Pd.", "sumardi"),
        ("Sumardi, S.E.", "sumardi"),
        ("Sumardi S.Pd", "sumardi"),
        ("Sumardi SE", "sumardi"),
        ("Dra. Tri Wahyuni, A.Md", "tri wahjuni"),
        ("Sumardi, S.Ag.", "sumardi"),
        ("Haji", "haji"),  # a title alone is kept: it is the only word
    ],
)
def test_titles_and_degrees_removed(raw: str, expected: str) -> None:
    assert norm(raw) == [expected]


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("Soeparmi", "Suparmi"),
        ("Djoko", "Joko"),
        ("Tjahjono", "Cahyono"),
        ("Choirul", "Khoirul"),
        ("Joeli", "Yuli"),
        ("Soedjono", "Sujono"),
    ],
)
def test_old_spelling_meets_new(old: str, new: str) -> None:
    assert norm(old)[0] == norm(new)[0]


def test_case_punctuation_doubled_letters_and_patronym() -> None:
    assert norm("SUPARMI", "suparmi", "Su-parmi") == ["suparmi", "suparmi", "su parmi"]
    assert norm("Ma'ruf") == ["maruf"]
    assert norm("Muhammad Assegaf") == ["muhamad asegaf"]
    assert norm("Sukardi bin Parjo", "Sulastri binti Karyo") == ["sukardi", "sulastri"]
    assert norm(None, "", "  ") == [None, None, None]


def test_token_order_and_keys() -> None:
    out = columns("Siti Suparmi", "Suparmi Siti", "St. Suparmi", "Suparmo")
    assert out["nama_urut"].to_list() == ["siti suparmi"] * 3 + ["suparmo"]
    assert out["nama_depan"].to_list() == ["suparmi"] * 3 + ["suparmo"]
    assert out["nama_akhir"].to_list() == ["suparmi", "siti", "suparmi", "suparmo"]
    # the phonetic key keeps the last vowel: Suparmi (f) and Suparmo (m) stay apart
    assert out["nama_depan_kunci"][0] != out["nama_depan_kunci"][3]
    assert out["nama_kunci"][0] == out["nama_kunci"][1] == out["nama_kunci"][2]


def test_phonetic_key_joins_sound_alikes() -> None:
    out = columns("Slamet", "Selamet", "Rohman", "Rahman", "Zainal", "Jaenal")
    keys = out["nama_depan_kunci"].to_list()
    assert keys[0] == keys[1]
    assert keys[2] == keys[3]
    assert keys[0] != keys[2]


def test_single_name_and_common_words() -> None:
    out = columns("Siti", "Muhammad", "Karyono", None)
    assert out["nama_depan"].to_list() == ["siti", "muhamad", "karjono", None]
    assert out["nama_kata"].to_list() == [["siti"], ["muhamad"], ["karjono"], None]


def test_rows_keep_input_order_with_repeats() -> None:
    names = ["Budi", "Siti", "Budi", None, "Siti", "Agus"]
    assert columns(*names)["nama_norm"].to_list() == ["budi", "siti", "budi", None, "siti", "agus"]


def test_rules_are_data() -> None:
    rules = NameRules(
        {
            "gelar_depan": ["kanjeng"],
            "gelar_belakang": [],
            "patronim": [],
            "umum": [],
            "keluarga_ejaan": {"bambang": ["bbg"]},
        }
    )
    assert normalise_name(pl.Series(["Kanjeng Bbg", "H. Bbg"]), rules).to_list() == [
        "bambang",
        "h bambang",
    ]
    assert "muhamad" in name_rules().canonical_family.values()
    assert canonical_token("Mochammad") == "mokhamad"
