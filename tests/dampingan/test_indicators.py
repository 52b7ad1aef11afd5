"""The measured poverty level of a desa: exact counts on a fixed small register."""

from __future__ import annotations

import datetime as dt

import pytest

from padu.dampingan.indicators import measure, share_desil14
from padu.registry.models import Keluarga, Person
from padu.welfare.models import KeluargaScore, PmtModel

pytestmark = pytest.mark.django_db
DESA = "33.16.01.2001"
OTHER = "33.16.01.2002"
DAY = dt.date(2026, 12, 31)  # ages are counted on the month's last day


def born(age: int) -> dt.date:
    return DAY.replace(year=DAY.year - age)


def family(code: str, n: int, desil: int | None, model: PmtModel, **house: object) -> Keluarga:
    k = Keluarga.objects.create(
        id_keluarga=f"F{code[-4:]}{n}", no_kk=f"3316010101{n:06d}", kode_desa=code, **house
    )
    if desil is not None:
        KeluargaScore.objects.create(
            keluarga=k, model=model, versi="v", score=10.0, desil=desil, desil_kabupaten=desil,
            dihitung=dt.datetime(2026, 12, 1, tzinfo=dt.UTC),
        )  # fmt: skip
    return k


def member(k: Keluarga, n: int, age: int, **fields: object) -> Person:
    values: dict[str, object] = {"hub_kepala_keluarga": 3, "jenis_kelamin": 1}
    values.update(fields)
    return Person.objects.create(
        keluarga=k, nama=f"Anggota {n}", nik=f"33160101{n:08d}", tgl_lahir=born(age), **values
    )


GOOD = {
    "jenis_lantai": 2, "jenis_dinding": 1, "kondisi_dinding": 1, "jenis_atap": 4,
    "kondisi_atap": 1, "fasilitas_bab": 1, "sumber_air_minum": 3, "sumber_penerangan": 1,
}  # fmt: skip


def test_exact_counts_of_a_fixed_register() -> None:
    model = PmtModel.objects.create(nama="uji", survei="-")
    # K1: earth floor and bamboo wall (2 of 3 poor: RTLH), no toilet, river water, no
    # electricity; desil 1; a woman heads it; a child of 10 out of school; a child of 19
    # out of school (too old to count); a disabled member who died (not counted).
    k1 = family(
        DESA, 1, 1, model,
        **{**GOOD, "jenis_lantai": 9, "jenis_dinding": 6, "fasilitas_bab": 4,
           "sumber_air_minum": 10, "sumber_penerangan": 3},
    )  # fmt: skip
    member(k1, 1, 40, hub_kepala_keluarga=1, jenis_kelamin=2)
    member(k1, 2, 10, partisipasi_sekolah=2)
    member(k1, 3, 19, partisipasi_sekolah=2)
    member(k1, 4, 50, disabilitas=True, status_hidup=2)
    # K2: only the roof is poor (not RTLH); desil 3; a man of 70 alone, disabled.
    k2 = family(DESA, 2, 3, model, **{**GOOD, "kondisi_atap": 2})
    member(k2, 5, 70, hub_kepala_keluarga=1, disabilitas=True)
    # K3: earth floor and straw roof (RTLH), shared toilet; desil 7 with a woman at the head
    # (not poor); a child of exactly 7 who never went to school; one of 6 (too young).
    k3 = family(
        DESA, 3, 7, model, **{**GOOD, "jenis_lantai": 9, "jenis_atap": 9, "fasilitas_bab": 2}
    )
    member(k3, 6, 35, hub_kepala_keluarga=1, jenis_kelamin=2)
    member(k3, 7, 7, partisipasi_sekolah=0)
    member(k3, 8, 6, partisipasi_sekolah=0)
    # K4: no longer active; K5: not scored, in another desa.
    k4 = family(DESA, 4, 1, model, **{**GOOD, "jenis_lantai": 9, "jenis_dinding": 6})
    k4.status = "nonaktif"
    k4.save()
    member(k4, 9, 80, hub_kepala_keluarga=1)
    k5 = family(OTHER, 5, None, model, **GOOD)
    member(k5, 10, 30, hub_kepala_keluarga=1)

    found = measure(dt.date(2026, 12, 1))
    assert set(found) == {DESA, OTHER}
    assert found[DESA] == {
        "keluarga": 3, "orang": 7, "kel_desil14": 2, "orang_desil14": 4, "kel_desil1": 1,
        "rtlh": 2, "tanpa_jamban": 2, "air_tidak_layak": 1, "tanpa_listrik": 1,
        "anak_tidak_sekolah": 2, "lansia_sendiri": 1, "disabilitas": 1,
        "kk_perempuan_miskin": 1, "kunjungan": 0, "kel_berskor": 3,
    }  # fmt: skip
    assert found[OTHER]["keluarga"] == 1 and found[OTHER]["kel_berskor"] == 0
    assert share_desil14(found[DESA]) == pytest.approx(200 / 3)
    assert share_desil14(found[OTHER]) is None
    assert measure(dt.date(2026, 12, 1), [OTHER]).keys() == {OTHER}
