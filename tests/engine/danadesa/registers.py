"""Fixed small registers of family columns for the BLT-DD engine tests."""

from __future__ import annotations

from typing import Any

import polars as pl

DEFAULTS: dict[str, Any] = {
    "desil": 5,
    "score": 12.0,
    "jumlah_art": 3,
    "ada_asn": False,
    "ada_sakit_kronis_disabilitas": False,
    "lansia_tunggal": False,
    "kepala_perempuan": False,
    "tanpa_pekerjaan": False,
    "penerima_pkh": False,
    "penerima_bpnt": False,
    "penerima_pbi": False,
    "perangkat_desa": False,
}
DESA_A = "33.16.01.2001"
DESA_B = "33.16.01.2002"


def families(rows: list[dict[str, Any]]) -> pl.DataFrame:
    """Rows with ``id_keluarga``, ``kode_desa`` and any columns that differ from DEFAULTS."""
    full = [{**DEFAULTS, **row} for row in rows]
    return pl.DataFrame(full, schema_overrides={"score": pl.Float64, "desil": pl.Int8})


def pagu(**per_desa: int) -> pl.DataFrame:
    """``pagu(A=..., B=...)``: budgets of DESA_A / DESA_B in rupiah."""
    codes = {"A": DESA_A, "B": DESA_B}
    return pl.DataFrame(
        {"kode_desa": [codes[k] for k in per_desa], "pagu": list(per_desa.values())}
    )


# Desa A: two desil-1 families (one ASN, excluded), desil 2-4 families, a desil-5 widow
# living alone without work (criteria only), a PKH desil-6 family with a sick member.
REGISTER_A = [
    {"id_keluarga": "A01", "kode_desa": DESA_A, "desil": 1, "score": 11.2},
    {"id_keluarga": "A02", "kode_desa": DESA_A, "desil": 1, "score": 11.1, "ada_asn": True},
    {"id_keluarga": "A03", "kode_desa": DESA_A, "desil": 1, "score": 11.4, "tanpa_pekerjaan": True},
    {"id_keluarga": "A04", "kode_desa": DESA_A, "desil": 2, "score": 11.6},
    {
        "id_keluarga": "A05",
        "kode_desa": DESA_A,
        "desil": 3,
        "score": 11.8,
        "kepala_perempuan": True,
    },
    {"id_keluarga": "A06", "kode_desa": DESA_A, "desil": 4, "score": 11.9},
    {"id_keluarga": "A07", "kode_desa": DESA_A, "desil": 5, "score": 12.1, "lansia_tunggal": True},
    {
        "id_keluarga": "A08",
        "kode_desa": DESA_A,
        "desil": 6,
        "score": 12.3,
        "penerima_pkh": True,
        "ada_sakit_kronis_disabilitas": True,
    },
    {"id_keluarga": "A09", "kode_desa": DESA_A, "desil": 9, "score": 13.5},
    {"id_keluarga": "A10", "kode_desa": DESA_A, "desil": 2, "score": 11.5, "penerima_pkh": True},
]
