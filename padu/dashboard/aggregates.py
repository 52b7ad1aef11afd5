"""Computing the dashboard aggregates: counts per desa from the register, the scores, the
programmes, quality findings, linkage review and the verval, summed up to kecamatan,
kabupaten and province (``services.agregat_refresh`` writes them). Aggregates only: no
count names a person or a family."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable

from django.db.models import Count, Q

from padu.linkage.models import ReviewItem
from padu.quality.models import Finding
from padu.registry.models import Keluarga, Participation, Person, Status
from padu.verval.models import Periode, Tugas, Usulan

PROVINSI = "33"
# Programmes whose coverage by desil the dashboards show (codes of registry Program).
PROGRAMS = ("pkh", "bpnt", "pbi-jk", "blt-dd", "pip")
Counts = dict[str, dict[str, float]]


def _add(counts: Counts, rows: Iterable[tuple[str, str, float]]) -> None:
    for code, key, n in rows:
        if code:
            counts[code][key] = counts[code].get(key, 0) + n


def _register(counts: Counts) -> None:
    families = Keluarga.objects.filter(status=Status.AKTIF, deleted_at__isnull=True)
    _add(
        counts,
        (
            (r["kode_desa"], "keluarga", r["n"])
            for r in families.values("kode_desa").annotate(n=Count("id"))
        ),
    )
    by_desil = families.values("kode_desa", "skor_pmt__desil").annotate(n=Count("id"))
    _add(
        counts,
        ((r["kode_desa"], f"kel_desil_{r['skor_pmt__desil'] or 0}", r["n"]) for r in by_desil),
    )
    persons = Person.objects.filter(
        status=Status.AKTIF,
        deleted_at__isnull=True,
        keluarga__status=Status.AKTIF,
        keluarga__deleted_at__isnull=True,
    )
    rows = persons.values("keluarga__kode_desa", "keluarga__skor_pmt__desil").annotate(
        n=Count("id")
    )
    for r in rows:
        code, desil = r["keluarga__kode_desa"], r["keluarga__skor_pmt__desil"] or 0
        _add(counts, [(code, "orang", r["n"]), (code, f"orang_desil_{desil}", r["n"])])


def _programs(counts: Counts, today: dt.date) -> None:
    active = Participation.objects.filter(
        Q(end__isnull=True) | Q(end__gte=today),
        start__lte=today,
        program__code__in=PROGRAMS,
        keluarga__status=Status.AKTIF,
        keluarga__deleted_at__isnull=True,
    )
    rows = active.values("keluarga__kode_desa", "program__code", "keluarga__skor_pmt__desil")
    for r in rows.annotate(n=Count("keluarga_id", distinct=True)):
        code, program = r["keluarga__kode_desa"], r["program__code"]
        desil = r["keluarga__skor_pmt__desil"]
        keys = [f"{program}_penerima"]
        if desil:
            keys.append(f"{program}_berskor")
            keys.append(
                f"{program}_d14"
                if desil <= 4
                else f"{program}_d5"
                if desil == 5
                else f"{program}_luar"
            )
        _add(counts, ((code, key, r["n"]) for key in keys))


def _quality_linkage(counts: Counts) -> None:
    errors = Finding.objects.filter(severity="error", keluarga__deleted_at__isnull=True)
    rows = errors.values("keluarga__kode_desa").annotate(n=Count("keluarga_id", distinct=True))
    _add(counts, ((r["keluarga__kode_desa"], "keluarga_bergalat", r["n"]) for r in rows))
    pending = ReviewItem.objects.filter(status=ReviewItem.Status.MENUNGGU)
    _add(
        counts,
        (
            (r["kode_desa_l"], "tinjauan_menunggu", r["n"])
            for r in pending.values("kode_desa_l").annotate(n=Count("id"))
        ),
    )


def _verval(counts: Counts, today: dt.date) -> None:
    running = Periode.objects.filter(mulai__lte=today, batas_pengesahan__gte=today)
    tasks = Tugas.objects.filter(periode__in=running, status=Tugas.Status.TERBUKA)
    rows = tasks.values("kode_desa").annotate(
        n=Count("id"), late=Count("id", filter=Q(batas__lt=today))
    )
    for r in rows:
        _add(
            counts,
            [
                (r["kode_desa"], "tugas_terbuka", r["n"]),
                (r["kode_desa"], "tugas_terlambat", r["late"]),
            ],
        )
    applied = Usulan.objects.filter(periode__in=running, status=Usulan.Status.DITERAPKAN)
    _add(
        counts,
        (
            (r["kode_desa"], "usulan_diterapkan", r["n"])
            for r in applied.values("kode_desa").annotate(n=Count("id"))
        ),
    )


# Deprivation counts of the dampingan measurement the dashboards map (as shares).
DEPRIVATION = ("rtlh", "tanpa_jamban", "air_tidak_layak", "tanpa_listrik", "anak_tidak_sekolah")


def _dampingan(counts: Counts, today: dt.date) -> None:
    """Assisted desa (and red-zone ones), their interventions, and the newest monthly
    measurement of every desa (padu/dampingan)."""
    from django.db.models import Max, Sum

    from padu.dampingan.models import IndikatorDesa, Intervensi, Penugasan

    active = Penugasan.objects.filter(aktif=True)
    for r in active.values("kode_desa").annotate(
        n=Count("id"), merah=Count("id", filter=Q(zona="merah"))
    ):
        _add(counts, [(r["kode_desa"], "desa_dampingan", 1)])
        if r["merah"]:
            _add(counts, [(r["kode_desa"], "desa_dampingan_merah", 1)])
    work = Intervensi.objects.filter(penugasan__aktif=True).exclude(status="batal")
    for w in work.values("kode_desa").annotate(
        rp=Sum("jumlah"),
        selesai=Count("id", filter=Q(status="selesai")),
        kel=Count("keluarga_id", distinct=True),
    ):
        code = w["kode_desa"]
        _add(
            counts,
            [
                (code, "intervensi_rupiah", float(w["rp"] or 0)),
                (code, "intervensi_selesai", w["selesai"]),
                (code, "keluarga_intervensi", w["kel"]),
            ],
        )
    newest = IndikatorDesa.objects.aggregate(m=Max("bulan"))["m"]
    if newest is None:
        return
    for kode, nilai in IndikatorDesa.objects.filter(bulan=newest).values_list("kode_desa", "nilai"):
        _add(counts, [(kode, "kel_diukur", nilai.get("keluarga", 0))])
        _add(counts, ((kode, key, nilai.get(key, 0)) for key in DEPRIVATION))
        _add(counts, [(kode, "orang_diukur", nilai.get("orang", 0))])


def _asuh(counts: Counts, today: dt.date) -> None:
    """Orphans confirmed in the field by kind, and findings waiting (counts only)."""
    from padu.asuh.models import Anak, Temuan

    for r in Anak.objects.filter(aktif=True).values("kode_desa", "jenis").annotate(n=Count("id")):
        _add(counts, [(r["kode_desa"], f"anak_{r['jenis']}", r["n"])])
    waiting = Temuan.objects.filter(status=Temuan.Status.MENUNGGU)
    _add(
        counts,
        (
            (r["kode_desa"], "temuan_yatim", r["n"])
            for r in waiting.values("kode_desa").annotate(n=Count("id"))
        ),
    )


def _danadesa(counts: Counts, today: dt.date) -> None:
    """BLT-DD of the current year per desa: the limit, planned, paid, KPM, desa above the
    limit and desa leaving desil-1 families out while others are in (padu/danadesa)."""
    from padu.danadesa.laporan import laporan

    for row in laporan(None, "33", today.year):
        if not (row.batas_rp or row.kpm or row.dibayar):
            continue
        _add(
            counts,
            [
                (row.kode, "blt_batas", row.batas_rp),
                (row.kode, "blt_rencana", row.rencana),
                (row.kode, "blt_dibayar", row.dibayar),
                (row.kode, "blt_kpm", row.kpm),
                (row.kode, "blt_di_atas_batas", int(row.di_atas_batas)),
                (row.kode, "blt_desil1_tertinggal", int(row.desil1_tertinggal)),
            ],
        )


# Each source adds its counts per desa; programmes built later add theirs here.
SOURCES: list[Callable[[Counts, dt.date], None]] = [
    lambda c, _t: _register(c),
    _programs,
    lambda c, _t: _quality_linkage(c),
    _verval,
    _dampingan,
    _asuh,
    _danadesa,
]


def desa_counts(today: dt.date) -> Counts:
    """Every count of every desa that has any (keyed by the desa code)."""
    counts: Counts = defaultdict(dict)
    for source in SOURCES:
        source(counts, today)
    return {code: values for code, values in counts.items() if len(code) == 13}


def roll_up(desa: Counts) -> dict[str, dict[str, float]]:
    """The desa counts summed to kecamatan (8), kabupaten (5) and province (2)."""
    regions: dict[str, dict[str, float]] = dict(desa)
    for length in (8, 5, 2):
        for code, values in desa.items():
            target = regions.setdefault(code[:length], {})
            for key, n in values.items():
                target[key] = target.get(key, 0) + n
    return regions


def parent(code: str) -> str:
    return {13: code[:8], 8: code[:5], 5: code[:2]}.get(len(code), "")
