"""The current poverty level of a desa, measured from the register, the PMT desil and the
month's field visits (never typed): families and persons in desil 1-4, the extreme poor
(desil 1, an estimate), and deprivation counts. One grouped query per source for every desa
at once, so the whole province is measured in one pass. The register codes behind each
indicator are settings (``pengaturan.yaml``)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import Case, Count, IntegerField, Q, QuerySet, Sum, Value, When

from padu.dampingan.config import settings
from padu.engine.dates import last_of_month, next_month, years_before
from padu.registry.models import Keluarga, Person, Status
from padu.verval.models import Kunjungan

Nilai = dict[str, float]


@dataclass(frozen=True)
class Indikator:
    key: str
    label: str
    satuan: str  # "keluarga" or "orang" or "kunjungan"
    keterangan: str


INDIKATOR: dict[str, Indikator] = {
    i.key: i
    for i in [
        Indikator("keluarga", "Keluarga di register", "keluarga", "Keluarga aktif."),
        Indikator("orang", "Orang di register", "orang", "Anggota keluarga aktif yang hidup."),
        Indikator("kel_desil14", "Keluarga desil 1-4", "keluarga", "Desil PMT 1-4."),
        Indikator("orang_desil14", "Orang desil 1-4", "orang", "Anggota keluarga desil 1-4."),
        Indikator(
            "kel_desil1",
            "Keluarga miskin ekstrem (perkiraan: desil 1)",
            "keluarga",
            "Desil PMT 1; perkiraan, bukan angka kemiskinan ekstrem BPS.",
        ),
        Indikator(
            "rtlh",
            "Rumah tidak layak huni (RTLH)",
            "keluarga",
            "Sedikitnya dua dari lantai, dinding dan atap di bawah standar.",
        ),
        Indikator(
            "tanpa_jamban", "Tanpa jamban sendiri", "keluarga", "Fasilitas BAB bukan milik sendiri."
        ),
        Indikator(
            "air_tidak_layak",
            "Tanpa air minum layak",
            "keluarga",
            "Sumur/mata air tak terlindung, sungai, hujan.",
        ),
        Indikator("tanpa_listrik", "Tanpa listrik", "keluarga", "Penerangan bukan listrik."),
        Indikator(
            "anak_tidak_sekolah",
            "Anak 7-18 tahun tidak sekolah",
            "orang",
            "Tidak/belum pernah sekolah atau tidak bersekolah lagi.",
        ),
        Indikator(
            "lansia_sendiri",
            "Lansia tinggal sendiri",
            "keluarga",
            "Satu-satunya anggota, 60 tahun ke atas.",
        ),
        Indikator("disabilitas", "Anggota penyandang disabilitas", "orang", "Orang."),
        Indikator(
            "kk_perempuan_miskin",
            "Keluarga miskin dikepalai perempuan",
            "keluarga",
            "Kepala keluarga perempuan, desil 1-4.",
        ),
        Indikator(
            "kunjungan", "Kunjungan lapangan bulan ini", "kunjungan", "Formulir kunjungan verval."
        ),
    ]
}
# Indicators where fewer is better (the progress ranking reads their change).
DEPRIVATION = (
    "kel_desil14",
    "kel_desil1",
    "rtlh",
    "tanpa_jamban",
    "air_tidak_layak",
    "tanpa_listrik",
    "anak_tidak_sekolah",
    "kk_perempuan_miskin",
)


def _one(condition: Q) -> Case:
    return Case(When(condition, then=Value(1)), default=Value(0), output_field=IntegerField())


def _families(desa: list[str] | None) -> QuerySet[Keluarga]:
    qs = Keluarga.objects.filter(status=Status.AKTIF, deleted_at__isnull=True)
    return qs.filter(kode_desa__in=desa) if desa is not None else qs


def _persons(desa: list[str] | None) -> QuerySet[Person]:
    qs = Person.objects.filter(
        status=Status.AKTIF,
        deleted_at__isnull=True,
        keluarga__status=Status.AKTIF,
        keluarga__deleted_at__isnull=True,
    ).exclude(status_hidup=2)
    return qs.filter(keluarga__kode_desa__in=desa) if desa is not None else qs


def _family_counts(out: dict[str, Nilai], desa: list[str] | None) -> None:
    s = settings()
    house = s["rumah_tidak_layak"]
    poor_parts = (
        _one(Q(jenis_lantai__in=house["lantai"]))
        + _one(Q(jenis_dinding__in=house["dinding"]) | Q(kondisi_dinding=house["dinding_rusak"]))
        + _one(Q(jenis_atap__in=house["atap"]) | Q(kondisi_atap=house["atap_rusak"]))
    )
    rows = (
        _families(desa)
        .annotate(buruk=poor_parts)
        .values("kode_desa")
        .annotate(
            keluarga=Count("id"),
            kel_desil14=Sum(_one(Q(skor_pmt__desil__lte=4))),
            kel_desil1=Sum(_one(Q(skor_pmt__desil=1))),
            kel_berskor=Sum(_one(Q(skor_pmt__desil__isnull=False))),
            rtlh=Sum(_one(Q(buruk__gte=house["minimal"]))),
            tanpa_jamban=Sum(_one(Q(fasilitas_bab__in=s["tanpa_jamban_sendiri"]))),
            air_tidak_layak=Sum(_one(Q(sumber_air_minum__in=s["air_tidak_layak"]))),
            tanpa_listrik=Sum(_one(Q(sumber_penerangan__in=s["tanpa_listrik"]))),
        )
    )
    for r in rows:
        values: dict[str, Any] = dict(r)
        code = values.pop("kode_desa")
        out[code].update({k: float(v or 0) for k, v in values.items()})


def _person_counts(out: dict[str, Nilai], desa: list[str] | None, day: dt.date) -> None:
    s = settings()
    young, old = s["usia_sekolah"]
    born_after = years_before(day, old + 1)  # still `old` years old
    born_by = years_before(day, young)
    rows = (
        _persons(desa)
        .values("keluarga__kode_desa")
        .annotate(
            orang=Count("id"),
            orang_desil14=Sum(_one(Q(keluarga__skor_pmt__desil__lte=4))),
            anak_tidak_sekolah=Sum(
                _one(
                    Q(tgl_lahir__gt=born_after, tgl_lahir__lte=born_by)
                    & Q(partisipasi_sekolah__in=[0, 2])
                )
            ),
            disabilitas=Sum(_one(Q(disabilitas=True))),
            kk_perempuan_miskin=Sum(
                _one(Q(hub_kepala_keluarga=1, jenis_kelamin=2, keluarga__skor_pmt__desil__lte=4))
            ),
        )
    )
    for r in rows:
        values: dict[str, Any] = dict(r)
        code = values.pop("keluarga__kode_desa")
        out[code].update({k: float(v or 0) for k, v in values.items()})
    elderly = years_before(day, s["usia_lansia"])
    alone = (
        _persons(desa)
        .values("keluarga_id", "keluarga__kode_desa")
        .annotate(n=Count("id"), tua=Sum(_one(Q(tgl_lahir__lte=elderly))))
        .filter(n=1, tua=1)
    )
    for one in alone:
        row = out[one["keluarga__kode_desa"]]
        row["lansia_sendiri"] = row.get("lansia_sendiri", 0) + 1


def _visits(out: dict[str, Nilai], desa: list[str] | None, month: dt.date) -> None:
    end = next_month(month)
    qs = Kunjungan.objects.filter(dikunjungi_pada__date__gte=month, dikunjungi_pada__date__lt=end)
    if desa is not None:
        qs = qs.filter(kode_desa__in=desa)
    for r in qs.values("kode_desa").annotate(n=Count("id")):
        out[r["kode_desa"]]["kunjungan"] = float(r["n"])


def measure(
    month: dt.date, desa: list[str] | None = None, today: dt.date | None = None
) -> dict[str, Nilai]:
    """Indicators of every desa with a family (or of ``desa``) for ``month`` (its first day);
    ages are counted at ``today`` (default the month's last day)."""
    month = month.replace(day=1)
    last = last_of_month(month)
    day = today or last
    out: dict[str, Nilai] = defaultdict(dict)
    _family_counts(out, desa)
    _person_counts(out, desa, day)
    _visits(out, desa, month)
    keys = [*INDIKATOR, "kel_berskor"]
    return {code: {k: row.get(k, 0.0) for k in keys} for code, row in out.items() if code}


def share_desil14(nilai: Nilai) -> float | None:
    """Percent of scored families in desil 1-4 (None when none is scored)."""
    scored = nilai.get("kel_berskor", 0)
    return 100.0 * nilai.get("kel_desil14", 0) / scored if scored else None
