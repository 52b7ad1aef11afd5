from __future__ import annotations

from datetime import date

import polars as pl

from padu.engine.danadesa import keluarga_ciri, tandai
from tests.engine.danadesa.registers import DESA_A, DESA_B

KELUARGA = pl.DataFrame(
    {
        "id_keluarga": ["1", "2", "3"],
        "kode_desa": [DESA_A, DESA_A, DESA_B],
        "penerima_pkh": [1, None, 0],
        "desil": [1, 2, 3],
    }
)
ART = pl.DataFrame(
    {
        "id_keluarga": ["1", "1", "2", "3"],
        "tgl_lahir": [date(1950, 12, 8), date(1980, 1, 1), date(1960, 12, 7), date(1990, 5, 5)],
        "jenis_kelamin": [2, 1, 2, 1],
        "hub_kepala_keluarga": [1, 2, 1, 1],
        "bekerja": [0, 0, 0, 1],
        "disabilitas": [None, 1, 0, 0],
        "penyakit_kronis": [0, 0, 0, 0],
        "lapangan_usaha": [None, None, None, 9],
        "status_hidup": [1, 1, 1, 1],
    }
)


def test_family_columns_from_members() -> None:
    out = keluarga_ciri(KELUARGA, ART, tanggal=date(2026, 12, 7), perangkat=pl.Series(["2"]))
    rows = {r["id_keluarga"]: r for r in out.iter_rows(named=True)}
    assert rows["1"]["kepala_perempuan"] and rows["1"]["ada_sakit_kronis_disabilitas"]
    assert rows["1"]["tanpa_pekerjaan"] and not rows["1"]["lansia_tunggal"]
    assert rows["1"]["penerima_pkh"] and not rows["2"]["penerima_pkh"]  # unknown = no
    # Born 7 Dec 1960: 66 on 7 Dec 2026, alone: an elderly person living alone.
    assert rows["2"]["lansia_tunggal"] and rows["2"]["perangkat_desa"]
    assert rows["3"]["ada_asn"] and not rows["3"]["tanpa_pekerjaan"]
    assert [rows[k]["jumlah_art"] for k in "123"] == [2, 1, 1]


def test_same_person_in_two_desa_lists_and_in_another_programme_are_flagged() -> None:
    daftar = pl.DataFrame({"id_keluarga": ["1", "2", "3"], "kode_desa": [DESA_A, DESA_A, DESA_B]})
    anggota = pl.DataFrame(
        {
            "id_keluarga": ["1", "2", "3", "9"],
            "kunci_orang": ["c-7", "c-8", "c-7", "c-8"],  # 9 is not on any list
            "kode_desa": [DESA_A, DESA_A, DESA_B, DESA_B],
        }
    )
    program = pl.DataFrame({"kunci_orang": ["c-8"], "program": ["PKH"]})
    out = tandai(daftar, anggota, program)
    assert out["id_keluarga"].to_list() == ["1", "2", "3"]
    konflik = dict(zip(out["id_keluarga"], out["konflik"].to_list(), strict=True))
    assert konflik["1"] == [f"Orang yang sama ada di daftar {DESA_B} (keluarga 3)"]
    assert konflik["3"] == [f"Orang yang sama ada di daftar {DESA_A} (keluarga 1)"]
    assert konflik["2"] == ["Anggota juga penerima PKH"]
