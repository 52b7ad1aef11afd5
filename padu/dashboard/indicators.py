"""The indicators of the TKPK dashboards, each computed from a region's stored counts
(``Agregat.nilai``). Shares are of the families (or persons) the register scored; a region
with nothing to divide by has no value (None), never a zero."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from padu.dashboard.aggregates import PROGRAMS

Values = dict[str, float]
PROGRAM_NAMES = {
    "pkh": "PKH",
    "bpnt": "BPNT/Sembako",
    "pbi-jk": "PBI-JK",
    "blt-dd": "BLT-DD",
    "pip": "PIP",
}


def _sum(v: Values, prefix: str, desil: range) -> float:
    return sum(v.get(f"{prefix}_{d}", 0) for d in desil)


def _share(top: float, bottom: float) -> float | None:
    return 100.0 * top / bottom if bottom else None


@dataclass(frozen=True)
class Indicator:
    key: str
    label: str
    unit: str  # "jumlah" or "persen"
    compute: Callable[[Values], float | None]
    worse_high: bool  # colour darker for higher values when higher is worse
    source: str  # what the figure is made of (shown under the map)

    def value(self, values: Values) -> float | None:
        return self.compute(values)


def _coverage(code: str) -> Indicator:
    name = PROGRAM_NAMES[code]
    return Indicator(
        f"cakupan_{code}",
        f"Cakupan {name} pada desil 1-4",
        "persen",
        lambda v: _share(v.get(f"{code}_d14", 0), _sum(v, "kel_desil", range(1, 5))),
        False,
        f"Keluarga desil 1-4 yang menerima {name} dibagi seluruh keluarga desil 1-4 (register).",
    )


def _inclusion(code: str) -> Indicator:
    name = PROGRAM_NAMES[code]
    return Indicator(
        f"inklusi_{code}",
        f"Penerima {name} di luar desil 1-5",
        "persen",
        lambda v: _share(v.get(f"{code}_luar", 0), v.get(f"{code}_berskor", 0)),
        True,
        f"Penerima {name} berdesil 6-10 dibagi penerima {name} yang punya desil (perkiraan "
        "salah sasaran inklusi dari PMT, bukan hasil survei).",
    )


DEPRIVATION_LABELS = {
    "rtlh": "Rumah tidak layak huni",
    "tanpa_jamban": "Keluarga tanpa jamban sendiri",
    "air_tidak_layak": "Keluarga tanpa air minum layak",
    "tanpa_listrik": "Keluarga tanpa listrik",
}


def _deprivation(key: str, label: str) -> Indicator:
    return Indicator(
        key,
        label,
        "persen",
        lambda v: _share(v.get(key, 0), v.get("kel_diukur", 0)),
        True,
        f"{label} dibagi keluarga yang diukur pada pengukuran bulanan desa terbaru (register).",
    )


INDICATORS: dict[str, Indicator] = {
    i.key: i
    for i in [
        Indicator(
            "keluarga",
            "Keluarga",
            "jumlah",
            lambda v: v.get("keluarga", 0),
            True,
            "Keluarga aktif di register.",
        ),
        Indicator(
            "orang",
            "Orang",
            "jumlah",
            lambda v: v.get("orang", 0),
            True,
            "Anggota keluarga aktif di register.",
        ),
        Indicator(
            "desil14",
            "Orang di desil 1-4",
            "persen",
            lambda v: _share(
                _sum(v, "orang_desil", range(1, 5)), _sum(v, "orang_desil", range(1, 11))
            ),
            True,
            "Orang dalam keluarga desil 1-4 dibagi orang yang keluarganya berdesil "
            "(desil PMT register; bukan angka kemiskinan P0 BPS).",
        ),
        *[_coverage(code) for code in PROGRAMS],
        *[_inclusion(code) for code in PROGRAMS],
        Indicator(
            "kualitas",
            "Skor kualitas data",
            "persen",
            lambda v: _share(
                v.get("keluarga", 0) - v.get("keluarga_bergalat", 0), v.get("keluarga", 0)
            ),
            False,
            "Keluarga tanpa temuan galat dibagi seluruh keluarga.",
        ),
        Indicator(
            "tinjauan",
            "Pasangan menunggu tinjauan",
            "jumlah",
            lambda v: v.get("tinjauan_menunggu", 0),
            True,
            "Pasangan data yang mungkin orang yang sama, menunggu keputusan peninjau.",
        ),
        Indicator(
            "terlambat",
            "Tugas verval terlambat",
            "jumlah",
            lambda v: v.get("tugas_terlambat", 0),
            True,
            "Tugas daftar kerja periode berjalan yang lewat batasnya.",
        ),
        Indicator(
            "diterapkan",
            "Usulan verval disahkan",
            "jumlah",
            lambda v: v.get("usulan_diterapkan", 0),
            False,
            "Usulan periode berjalan yang sudah disahkan dan diterapkan ke register.",
        ),
        Indicator(
            "desa_dampingan",
            "Desa dampingan OPD",
            "jumlah",
            lambda v: v.get("desa_dampingan", 0),
            False,
            "Desa yang sedang didampingi OPD/mitra (Satu OPD Satu Desa Dampingan).",
        ),
        Indicator(
            "intervensi_rupiah",
            "Intervensi dampingan (Rp)",
            "jumlah",
            lambda v: v.get("intervensi_rupiah", 0),
            False,
            "Rupiah intervensi OPD/mitra yang direncanakan, berjalan atau selesai.",
        ),
        *[_deprivation(key, label) for key, label in DEPRIVATION_LABELS.items()],
        Indicator(
            "blt_batas_terpakai",
            "BLT-DD: batas terpakai",
            "persen",
            lambda v: _share(v.get("blt_rencana", 0), v.get("blt_batas", 0)),
            False,
            "Rencana BLT-DD tahun ini (KPM x nilai setahun) dibagi batas aturan tahun itu "
            "(persen Dana Desa); di atas 100% melampaui batas.",
        ),
        Indicator(
            "blt_di_atas_batas",
            "BLT-DD: desa di atas batas",
            "jumlah",
            lambda v: v.get("blt_di_atas_batas", 0),
            True,
            "Desa yang rencana BLT-DD-nya melampaui batas aturan tahun ini.",
        ),
        Indicator(
            "blt_desil1_tertinggal",
            "BLT-DD: desa meninggalkan desil 1",
            "jumlah",
            lambda v: v.get("blt_desil1_tertinggal", 0),
            True,
            "Desa yang keluarga desil 1-nya di luar daftar KPM sementara keluarga desil lebih "
            "tinggi masuk.",
        ),
        Indicator(
            "anak_yatim",
            "Anak yatim/piatu tercatat",
            "jumlah",
            lambda v: sum(v.get(f"anak_{j}", 0) for j in ("yatim", "piatu", "yatim_piatu")),
            True,
            "Anak yatim, piatu dan yatim piatu yang dikonfirmasi di lapangan (jumlah saja).",
        ),
    ]
}
DEFAULT = "desil14"


def shown(value: float | None, unit: str) -> str:
    """A value as pages and reports print it (Indonesian separators): 12.345, 40,1%, -."""
    if value is None:
        return "-"
    if unit == "persen":
        return f"{value:.1f}".replace(".", ",") + "%"
    return f"{value:,.0f}".replace(",", ".")


def desil_distribution(values: Values) -> list[tuple[int, float]]:
    """Persons per desil 1-10 (person-weighted), and 0 for families without a score."""
    return [(d, values.get(f"orang_desil_{d}", 0)) for d in range(0, 11)]
