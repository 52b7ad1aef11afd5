"""The monthly TKPK report of a region, as PDF (map, figures, generated text) and XLSX (the
same figures): built from the stored aggregates of the month and of the month before, with
the document blocks of padu/verval/documents (written once, shared by every programme)."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field
from typing import Any

from padu.core.formatting import bulan_tahun as month_name
from padu.dashboard import maps
from padu.dashboard.indicators import INDICATORS, Indicator, desil_distribution, shown
from padu.dashboard.models import Agregat
from padu.verval.documents._blok import Dokumen, Gambar, Judul, Kop, Paragraf, Rata, Tabel
from padu.verval.documents._pdf import render_pdf

# The columns of the report's table, and the indicators its text speaks of.
COLUMNS = ("keluarga", "orang", "desil14", "cakupan_pkh", "inklusi_pkh", "kualitas", "terlambat")
LAGGING = 5
ALIGN: list[Rata] = ["L", *(["R"] * len(COLUMNS))]  # type: ignore[list-item]


@dataclass
class Laporan:
    kode: str
    judul_wilayah: str
    bulan: dt.date
    now: Agregat
    before: Agregat | None
    children: list[dict[str, Any]]  # {kode, nama, nilai}
    history: list[Agregat] = field(default_factory=list)  # the region's months, oldest first


def _change(ind: Indicator, now: dict[str, float], before: dict[str, float] | None) -> str:
    """One sentence on an indicator's value and its change since the month before."""
    value = ind.value(now)
    text = f"{ind.label}: {shown(value, ind.unit)}"
    old = ind.value(before) if before is not None else None
    if value is None or old is None:
        return text + "."
    diff = value - old
    if abs(diff) < 0.05:
        return text + " (tetap dibanding bulan sebelumnya)."
    better = (diff < 0) if ind.worse_high else (diff > 0)
    unit = " poin" if ind.unit == "persen" else ""
    amount = shown(abs(diff), "jumlah" if ind.unit == "jumlah" else "persen").rstrip("%")
    return (
        f"{text} ({'naik' if diff > 0 else 'turun'} {amount}{unit}; "
        f"{'membaik' if better else 'memburuk'})."
    )


def narrative(report: Laporan) -> list[str]:
    """Short Indonesian text generated from the figures: what moved, which regions lag."""
    now, before = report.now.nilai, report.before.nilai if report.before else None
    lines = [
        f"Register mencatat {shown(now.get('keluarga', 0), 'jumlah')} keluarga dan "
        f"{shown(now.get('orang', 0), 'jumlah')} orang di {report.judul_wilayah}."
    ]
    if before is None:
        lines.append("Belum ada angka bulan sebelumnya untuk dibandingkan.")
    for key in ("desil14", "cakupan_pkh", "inklusi_pkh", "kualitas", "diterapkan", "terlambat"):
        lines.append(_change(INDICATORS[key], now, before))
    lag = INDICATORS["cakupan_pkh"]
    scored = [(c, lag.value(c["nilai"])) for c in report.children]
    low = sorted([(c, v) for c, v in scored if v is not None], key=lambda cv: cv[1])[:LAGGING]
    if low:
        names = ", ".join(f"{c['nama']} ({shown(v, 'persen')})" for c, v in low)
        lines.append(f"Cakupan PKH desil 1-4 terendah: {names}.")
    late = sorted(
        [c for c in report.children if c["nilai"].get("tugas_terlambat")],
        key=lambda c: -c["nilai"]["tugas_terlambat"],
    )[:LAGGING]
    if late:
        names = ", ".join(f"{c['nama']} ({int(c['nilai']['tugas_terlambat'])})" for c in late)
        lines.append(f"Tugas verval terlambat terbanyak: {names}.")
    lines.append(
        "Desil adalah peringkat PMT register, bukan angka kemiskinan (P0) BPS; angka "
        "kemiskinan resmi tetap dari BPS."
    )
    return lines


def map_svg(code: str, key: str, children: list[dict[str, Any]]) -> str:
    """The children's choropleth as a standalone SVG (no links) for the PDF."""
    ind = INDICATORS[key]
    view_box, shapes = maps.children_map(code)
    values = {c["kode"]: ind.value(c["nilai"]) for c in children}
    bounds = maps.classes([v for v in values.values() if v is not None])
    paths = "".join(
        f'<path d="{s.d}" fill="{maps.colour(values.get(s.kode), bounds, ind.worse_high)}" '
        'stroke="#ffffff" stroke-width="0.6"/>'
        for s in shapes
        if s.kode in values
    )
    return f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="{view_box}">{paths}</svg>'


def document(report: Laporan) -> Dokumen:
    blocks: list[Any] = [
        Kop(["PEMERINTAH PROVINSI JAWA TENGAH", "TIM KOORDINASI PENANGGULANGAN KEMISKINAN (TKPK)"]),
        Judul(
            [
                "LAPORAN BULANAN TKPK",
                f"{report.judul_wilayah.upper()}",
                month_name(report.bulan).upper(),
            ]
        ),
        Paragraf(
            f"Angka dihitung {report.now.dihitung:%d-%m-%Y %H.%M} dari register Padu "
            "(agregat dasbor)."
        ),
    ]
    blocks += [Paragraf(line) for line in narrative(report)]
    if report.children and maps.children_map(report.kode)[1]:
        blocks.append(
            Gambar(
                map_svg(report.kode, "desil14", report.children),
                120,
                "Peta: orang di desil 1-4 (makin gelap makin tinggi). Batas wilayah: "
                "cahyadsn/wilayah_boundaries (MIT).",
            )
        )
    if report.children:
        heads = ["Wilayah", *[INDICATORS[k].label for k in COLUMNS]]
        rows = [
            [
                c["nama"],
                *[shown(INDICATORS[k].value(c["nilai"]), INDICATORS[k].unit) for k in COLUMNS],
            ]
            for c in report.children
        ]
        blocks.append(
            Tabel(
                heads,
                rows,
                [3.0] + [1.4] * len(COLUMNS),
                ALIGN,
                ukuran_huruf=7.0,
            )
        )
    return Dokumen(
        judul=f"Laporan bulanan TKPK {report.judul_wilayah} {month_name(report.bulan)}",
        blok=blocks,
        lanskap=True,
        kaki=f"Padu · TKPK {report.judul_wilayah}",
    )


def report_pdf(report: Laporan) -> bytes:
    return render_pdf(document(report))


def report_xlsx(report: Laporan) -> bytes:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    summary = book.create_sheet("Ringkasan")
    summary.append(["Laporan bulanan TKPK", report.judul_wilayah, month_name(report.bulan)])
    summary.append(["indikator", "nilai", "bulan sebelumnya"])
    before = report.before.nilai if report.before else None
    for ind in INDICATORS.values():
        summary.append(
            [
                ind.label,
                ind.value(report.now.nilai),
                ind.value(before) if before is not None else None,
            ]
        )
    for line in narrative(report):
        summary.append([line])
    sheet = book.create_sheet("Wilayah")
    sheet.append(["kode", "wilayah", *[i.label for i in INDICATORS.values()]])
    for child in report.children:
        sheet.append(
            [child["kode"], child["nama"], *[i.value(child["nilai"]) for i in INDICATORS.values()]]
        )
    desil = book.create_sheet("Desil")  # the numbers of the dashboard's desil chart
    desil.append(["desil (0 = belum berskor)", "orang", "keluarga"])
    for d, persons in desil_distribution(report.now.nilai):
        desil.append([d, persons, report.now.nilai.get(f"kel_desil_{d}", 0)])
    trend = book.create_sheet("Tren")  # and of its trend chart, every indicator by month
    trend.append(["bulan", *[i.label for i in INDICATORS.values()]])
    for month in report.history or [report.now]:
        trend.append([month.bulan, *[i.value(month.nilai) for i in INDICATORS.values()]])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
