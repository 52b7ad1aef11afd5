"""Every rule of the catalogue: a violating example and a clean one, on small frames.

The clean example is one small village: a PKH family (head, wife, child) and a single
elderly man. Each case damages it in one way and expects exactly the records listed to be
found by that rule (so the rule also stays silent on every clean record).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

import polars as pl
import pytest

from padu.engine.nik import make_nik
from padu.engine.rules import check, default_catalogue, with_overrides
from padu.engine.rules.catalogue import CatalogueError, parse_catalogue
from padu.engine.rules.engine import ISSUE_COLUMNS, write_issues
from padu.engine.rules.frames import RulesInputError
from padu.engine.rules.reference import default_reference

TODAY = date(2026, 1, 1)
KK1, KK2 = "3316012708160002", "3316010101150003"
Rows = list[dict[str, Any]]


def _family(id_: str, kk: str, desa: str, **values: Any) -> dict[str, Any]:
    base = {
        "id_keluarga": id_, "no_kk": kk, "kode_desa": desa, "luas_lantai": "60",
        "jenis_lantai": "2", "jenis_dinding": "1", "jenis_atap": "4", "sumber_air_minum": "6",
        "sumber_penerangan": "1", "daya_listrik": "2", "bahan_bakar_memasak": "3",
        "fasilitas_bab": "1", "jenis_kloset": "1", "pembuangan_tinja": "1", "jumlah_kamar": "2",
        "aset_mobil": "0", "aset_kapal": "0", "penerima_pkh": "0", "penerima_bpnt": "0",
        "penerima_pbi": "0", "penerima_blt_dd": "0", "penerima_pip": "0",
    }  # fmt: skip
    return {**base, **values}


def _person(id_: str, fam: str, kk: str, born: date, sex: int, hub: int, **values: Any) -> dict:
    base = {
        "id_art": id_, "id_keluarga": fam, "nik": make_nik("33.16.01", born, sex, int(id_[-1])),
        "no_kk": kk, "nama": f"ORANG {id_}", "tgl_lahir": born.isoformat(),
        "jenis_kelamin": str(sex), "hub_kepala_keluarga": str(hub),
        "status_kawin": "2" if hub in (1, 2) else "1", "nama_ibu": f"IBU {id_}",
        "bekerja": "1" if hub == 1 else "0", "lapangan_usaha": "1" if hub == 1 else None,
        "status_pekerjaan": "1" if hub == 1 else None, "status_hidup": "1", "tgl_meninggal": None,
    }  # fmt: skip
    return {**base, **values}


def village() -> tuple[Rows, Rows]:
    keluarga = [
        _family("K1", KK1, "33.16.01.2001", penerima_pkh="1"),
        _family("K2", KK2, "33.16.01.2002", luas_lantai="30", jumlah_kamar="1"),
    ]
    art = [
        _person("A1", "K1", KK1, date(1980, 7, 31), 1, 1),
        _person("A2", "K1", KK1, date(1983, 3, 5), 2, 2),
        _person("A3", "K1", KK1, date(2008, 1, 10), 1, 3),
        _person("B4", "K2", KK2, date(1950, 5, 17), 1, 1, status_kawin="4"),
    ]
    return keluarga, art


def frames(keluarga: Rows, art: Rows) -> tuple[pl.DataFrame, pl.DataFrame]:
    def frame(rows: Rows) -> pl.DataFrame:
        columns = list(dict.fromkeys(c for row in rows for c in row))
        return pl.DataFrame(
            [{c: row.get(c) for c in columns} for row in rows],
            schema=dict.fromkeys(columns, pl.String),
        )

    return frame(keluarga), frame(art)


def run(keluarga: Rows, art: Rows, **reference: Any) -> pl.DataFrame:
    kel, persons = frames(keluarga, art)
    ref = replace(default_reference(TODAY), **reference)
    return check(kel, persons, reference=ref).issues


def _set(rows: Rows, record: str, **values: Any) -> None:
    key = "id_art" if record[0] in "AB" else "id_keluarga"
    row = next(r for r in rows if r[key] == record)
    row.update(values)


Mutation = Callable[[Rows, Rows], None]


@dataclass
class Case:
    rule: str
    mutate: Mutation
    expected: set[str]
    reference: dict[str, Any] = field(default_factory=dict)


def art_set(record: str, **values: Any) -> Mutation:
    return lambda kel, art: _set(art, record, **values)


def kel_set(record: str, **values: Any) -> Mutation:
    return lambda kel, art: _set(kel, record, **values)


def both(*mutations: Mutation) -> Mutation:
    def apply(kel: Rows, art: Rows) -> None:
        for mutation in mutations:
            mutation(kel, art)

    return apply


def add_person(row: dict[str, Any]) -> Mutation:
    return lambda kel, art: art.append(row)


ADULT = date(1980, 7, 31)
CASES = [
    Case("nik_kosong", art_set("A2", nik=None), {"A2"}),
    Case("nik_panjang", art_set("A2", nik="331601450383000"), {"A2"}),
    Case("nik_bukan_angka", art_set("A2", nik="33160145038300O2"), {"A2"}),
    Case("nik_float_rusak", art_set("A2", nik="3.31601E+15"), {"A2"}),
    Case("nik_wilayah_tidak_dikenal", art_set("A2", nik="3316954503830002"), {"A2"}),
    Case("nik_tanggal_tidak_valid", art_set("A2", nik="3316013503830002"), {"A2"}),
    Case("nik_nomor_urut_nol", art_set("A2", nik="3316014503830000"), {"A2"}),
    Case("nik_tgl_lahir_beda", art_set("A2", tgl_lahir="1983-01-01"), {"A2"}),
    Case("nik_jenis_kelamin_beda", art_set("A3", jenis_kelamin="2"), {"A3"}),
    Case("nik_ganda", art_set("B4", nik=make_nik("33.16.01", ADULT, 1, 1)), {"A1", "B4"}),
    Case(
        "orang_dua_keluarga",
        add_person(
            _person(
                "B5",
                "K2",
                KK2,
                date(2008, 1, 10),
                1,
                3,
                nama="ORANG A3",
                nama_ibu="ibu  a3",
                nik=make_nik("33.16.01", date(2008, 1, 10), 1, 9),
            )
        ),
        {"A3", "B5"},
    ),
    Case("kk_kosong", kel_set("K2", no_kk=None), {"K2"}),
    Case(
        "kk_panjang",
        both(kel_set("K2", no_kk=KK2[:15]), art_set("B4", no_kk=KK2[:15])),
        {"K2", "B4"},
    ),
    Case("kk_bukan_angka", kel_set("K2", no_kk="331601O101150003"), {"K2"}),
    Case("kk_float_rusak", art_set("B4", no_kk="3.31601E+15"), {"B4"}),
    Case("kk_wilayah_tidak_dikenal", kel_set("K2", no_kk="3399010101150003"), {"K2"}),
    Case("kk_beda_keluarga", art_set("A3", no_kk=KK2), {"A3"}),
    Case("tanpa_kepala", art_set("A1", hub_kepala_keluarga="7"), {"K1"}),
    Case("kepala_ganda", art_set("A2", hub_kepala_keluarga="1"), {"K1"}),
    Case("anak_lebih_tua", add_person(_person("A5", "K1", KK1, date(1955, 1, 1), 2, 3)), {"A5"}),
    Case(
        "anak_selisih_umur_kecil",
        art_set("A3", tgl_lahir="1992-02-02", nik=make_nik("33.16.01", date(1992, 2, 2), 1, 3)),
        {"A3"},
    ),
    Case(
        "cucu_lebih_tua",
        add_person(_person("A5", "K1", KK1, date(1975, 1, 1), 1, 5)),
        {"A5"},
    ),
    Case(
        "anak_kawin_muda",
        art_set(
            "A3",
            status_kawin="2",
            tgl_lahir="2011-06-01",
            nik=make_nik("33.16.01", date(2011, 6, 1), 1, 3),
        ),
        {"A3"},
    ),
    Case(
        "selisih_umur_pasangan",
        art_set("A2", tgl_lahir="1945-03-05", nik=make_nik("33.16.01", date(1945, 3, 5), 2, 2)),
        {"A2"},
    ),
    Case("keluarga_tidak_ada", art_set("B4", id_keluarga="K9"), {"B4"}),
    Case(
        "tgl_lahir_masa_depan",
        art_set("A3", tgl_lahir="2026-05-01", nik=make_nik("33.16.01", date(2026, 5, 1), 1, 3)),
        {"A3"},
    ),
    Case(
        "umur_lebih_110",
        art_set("B4", tgl_lahir="1910-05-17", nik=make_nik("33.16.01", date(1910, 5, 17), 1, 4)),
        {"B4"},
    ),
    Case(
        "meninggal_sebelum_lahir",
        art_set("A2", status_hidup="2", tgl_meninggal="1970-01-01"),
        {"A2"},
    ),
    Case(
        "meninggal_masa_depan", art_set("B4", status_hidup="2", tgl_meninggal="2026-02-01"), {"B4"}
    ),
    Case("hidup_ada_tgl_meninggal", art_set("B4", tgl_meninggal="2025-02-01"), {"B4"}),
    Case(
        "semua_meninggal_terima_bantuan",
        both(
            kel_set("K2", penerima_bpnt="1"),
            art_set("B4", status_hidup="2", tgl_meninggal="2025-02-01"),
        ),
        {"K2"},
    ),
    Case("asn_penerima_bansos", art_set("A1", lapangan_usaha="9", status_pekerjaan="4"), {"K1"}),
    Case("aset_mewah_penerima_bansos", kel_set("K1", aset_mobil="1"), {"K1"}),
    Case("pengusaha_penerima_bansos", art_set("A1", status_pekerjaan="3"), {"K1"}),
    Case(
        "desil_di_atas_batas",
        both(kel_set("K1", desil="6"), kel_set("K2", desil="9")),  # K2 receives nothing
        {"K1"},
    ),
    Case("desa_tidak_dikenal", kel_set("K2", kode_desa="3316012999"), {"K2"}),
    Case(
        "desa_tidak_aktif",
        lambda kel, art: None,
        {"K2"},
        reference={"vanished_desa": frozenset({"33.16.01.2002"})},
    ),
    Case(
        "bab_tanpa_fasilitas_septik",
        kel_set("K2", fasilitas_bab="4", jenis_kloset="4", pembuangan_tinja="1"),
        {"K2"},
    ),
    Case("tidak_listrik_ada_daya", kel_set("K2", sumber_penerangan="3", daya_listrik="6"), {"K2"}),
    Case(
        "luas_lantai_tidak_wajar",
        both(kel_set("K1", luas_lantai="0"), kel_set("K2", luas_lantai="1200")),
        {"K1", "K2"},
    ),
    Case("kamar_tanpa_luas", kel_set("K2", luas_lantai=None), {"K2"}),
    Case(
        "wajib_kosong",
        both(art_set("A3", nama=None), kel_set("K2", kode_desa=None)),
        {"A3", "K2"},
    ),
    Case("data_program_kosong", kel_set("K1", jenis_atap=None), {"K1"}),
    Case("nilai_tidak_valid", art_set("A2", jenis_kelamin="X", tgl_lahir="31/02/1983"), {"A2"}),
    Case(
        "verifikasi_kedaluwarsa",
        both(
            kel_set("K1", tgl_verifikasi="2024-06-30"), kel_set("K2", tgl_verifikasi="2025-06-30")
        ),
        {"K1"},
    ),
]


def test_the_clean_village_has_no_finding() -> None:
    keluarga, art = village()
    assert run(keluarga, art).height == 0


def test_every_catalogue_rule_has_a_case() -> None:
    assert sorted(c.rule for c in CASES) == sorted(default_catalogue())


@pytest.mark.parametrize("case", CASES, ids=[c.rule for c in CASES])
def test_rule_finds_exactly_the_damaged_records(case: Case) -> None:
    keluarga, art = village()
    case.mutate(keluarga, art)
    issues = run(keluarga, art, **case.reference)
    found = set(issues.filter(pl.col("rule") == case.rule)["record_id"])
    assert found == case.expected
    rule = default_catalogue()[case.rule]
    row = issues.filter(pl.col("rule") == case.rule).row(0, named=True)
    assert row["severity"] == rule.severity
    assert row["message"].startswith(rule.message_text())
    assert row["message"].endswith(rule.hint_text())


def test_bad_cell_is_reported_once_not_also_as_blank() -> None:
    keluarga, art = village()
    _set(art, "A2", jenis_kelamin="X")
    issues = run(keluarga, art)
    assert issues.select("record_id", "rule", "field").rows() == [
        ("A2", "nilai_tidak_valid", "jenis_kelamin")
    ]
    assert "'X'" in issues["message"][0]


def test_thresholds_are_parameters() -> None:
    keluarga, art = village()
    _set(art, "B4", tgl_lahir="1920-05-17", nik=make_nik("33.16.01", date(1920, 5, 17), 1, 4))
    kel, persons = frames(keluarga, art)
    ref = default_reference(TODAY)
    assert check(kel, persons, reference=ref).issues.height == 0  # 105 years: allowed
    strict = with_overrides(
        default_catalogue(), {"umur_lebih_110": {"params": {"umur_maksimal": 100}}}
    )
    issues = check(kel, persons, reference=ref, catalogue=strict).issues
    assert issues.select("record_id", "rule").rows() == [("B4", "umur_lebih_110")]
    assert "lebih dari 100 tahun" in issues["message"][0]


def test_a_rule_switched_off_does_not_run() -> None:
    keluarga, art = village()
    _set(art, "A2", nik=None)
    kel, persons = frames(keluarga, art)
    off = with_overrides(default_catalogue(), {"nik_kosong": {"active": False}})
    ref = default_reference(TODAY)
    assert check(kel, persons, reference=ref, catalogue=off).issues.height == 0
    assert check(kel, persons, reference=ref).issues.height == 1


def test_rules_that_need_missing_data_say_why() -> None:
    keluarga, art = village()
    kel, persons = frames(keluarga, art)
    result = check(kel, persons, reference=replace(default_reference(TODAY), known_desa=None))
    assert set(result.skipped) == {
        "desa_tidak_dikenal",
        "desil_di_atas_batas",
        "verifikasi_kedaluwarsa",
    }
    assert "desa" in result.skipped["desa_tidak_dikenal"]


def test_duplicates_are_found_against_peers_but_reported_only_for_own_records() -> None:
    keluarga, art = village()
    kel, persons = frames(keluarga, art)
    peers = pl.DataFrame(
        {"record_id": ["X1"], "id_keluarga": ["KX"], "nik": [make_nik("33.16.01", ADULT, 1, 1)],
         "nama": ["LAIN"], "tgl_lahir": [date(1980, 7, 31)], "nama_ibu": ["LAIN"]}
    )  # fmt: skip
    issues = check(kel, persons, reference=default_reference(TODAY), peers=peers).issues
    assert issues.select("record_id", "rule").rows() == [("A1", "nik_ganda")]


def test_typed_frames_from_a_snapshot_work_too() -> None:
    keluarga, art = village()
    _set(art, "A2", hub_kepala_keluarga="1")
    kel, persons = frames(keluarga, art)
    typed = persons.with_columns(
        pl.col("tgl_lahir").str.to_date(), pl.col("hub_kepala_keluarga").cast(pl.Int16)
    )
    issues = check(kel, typed, reference=default_reference(TODAY)).issues
    assert issues.select("record_id", "rule").rows() == [("K1", "kepala_ganda")]


def test_missing_key_column_is_a_clear_error() -> None:
    kel, persons = frames(*village())
    with pytest.raises(RulesInputError, match="id_art"):
        check(kel, persons.drop("id_art"), reference=default_reference(TODAY))


def test_catalogue_errors_name_the_rule() -> None:
    with pytest.raises(CatalogueError, match="aturan x: tingkat"):
        parse_catalogue("aturan:\n  x: {tingkat: parah, tabel: [art], pesan: a, saran: b}\n")
    with pytest.raises(CatalogueError, match="parameter"):
        parse_catalogue(
            "aturan:\n  x: {kelompok: a, tingkat: info, tabel: [art], pesan: '{n}', saran: b}\n"
        )


def test_issues_file_has_the_shared_format(tmp_path: Any) -> None:
    keluarga, art = village()
    _set(art, "A2", nik=None)
    issues = run(keluarga, art)
    write_issues(issues, tmp_path / "temuan.csv")
    written = pl.read_csv(tmp_path / "temuan.csv")
    assert written.columns == ISSUE_COLUMNS
    assert written.rows() == [("A2", "nik_kosong", "error", "nik", issues["message"][0])]


def test_every_rule_is_documented_with_an_example() -> None:
    from pathlib import Path

    text = (Path(__file__).resolve().parents[2] / "docs" / "aturan" / "README.md").read_text()
    sections = text.split("\n### ")[1:]
    documented = {s.split("`")[1]: s for s in sections}
    assert set(documented) == set(default_catalogue())
    assert all("- Contoh: " in s for s in documented.values())
