"""The monthly report of a partner on one assisted desa (PDF, DOCX and XLSX): visits, verval
done, interventions by kind and fund with rupiah, families reached, and each indicator now
against the baseline. Built with the document blocks of padu/verval/documents, so the PDF
and the Word file carry the same words. A month without activity says so."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import asdict, dataclass, field
from typing import Any

from django.db.models import Count, Q, Sum

from padu.core.formatting import angka
from padu.core.formatting import bulan_tahun as month_name
from padu.dampingan.indicators import DEPRIVATION, INDIKATOR, Nilai, measure
from padu.dampingan.models import IndikatorDesa, Intervensi, Penugasan
from padu.engine.dates import next_month
from padu.verval.documents._blok import Dokumen, Isian, Judul, Kop, Paragraf, Rata, Tabel
from padu.verval.documents._docx import render_docx
from padu.verval.documents._pdf import render_pdf
from padu.verval.models import Kunjungan, Usulan
from padu.wilayah.models import Desa

TANPA_KEGIATAN = "Tidak ada kegiatan yang tercatat pada bulan ini."


@dataclass
class Laporan:
    mitra: str
    kode_desa: str
    nama_desa: str
    bulan: dt.date
    dasar_hukum: str
    zona: str
    kunjungan: int
    usulan_diajukan: int
    usulan_diterapkan: int
    # [jenis, sumber dana, banyak, rupiah, selesai]
    intervensi: list[list[Any]] = field(default_factory=list)
    keluarga_terjangkau: int = 0
    rupiah_bulan_ini: int = 0
    rupiah_kumulatif: int = 0
    # [label, baseline, sekarang, perubahan]
    indikator: list[list[Any]] = field(default_factory=list)

    @property
    def ada_kegiatan(self) -> bool:
        return bool(self.kunjungan or self.usulan_diajukan or self.intervensi)

    def as_json(self) -> dict[str, Any]:
        out = asdict(self)
        out["bulan"] = f"{self.bulan:%Y-%m}"
        return out


def _now_values(penugasan: Penugasan, month: dt.date) -> Nilai:
    stored = IndikatorDesa.objects.filter(kode_desa=penugasan.kode_desa, bulan=month).first()
    if stored is not None:
        return dict(stored.nilai)
    return measure(month, [penugasan.kode_desa]).get(penugasan.kode_desa, {})


def build(penugasan: Penugasan, month: dt.date) -> Laporan:
    month = month.replace(day=1)
    end = next_month(month)
    desa = penugasan.kode_desa
    in_month = Q(created_at__date__gte=month, created_at__date__lt=end)
    visits = Kunjungan.objects.filter(
        kode_desa=desa, dikunjungi_pada__date__gte=month, dikunjungi_pada__date__lt=end
    ).count()
    usulan = Usulan.objects.filter(kode_desa=desa)
    items = Intervensi.objects.filter(penugasan=penugasan).exclude(status=Intervensi.Status.BATAL)
    month_items = items.filter(
        in_month | Q(selesai__gte=month, selesai__lt=end) | Q(mulai__gte=month, mulai__lt=end)
    )
    table: list[list[Any]] = []
    for r in (
        month_items.values("jenis__nama", "sumber_dana__nama")
        .annotate(
            n=Count("id"),
            rp=Sum("jumlah"),
            done=Count("id", filter=Q(status=Intervensi.Status.SELESAI)),
        )
        .order_by("jenis__nama", "sumber_dana__nama")
    ):
        table.append([r["jenis__nama"], r["sumber_dana__nama"], r["n"], r["rp"] or 0, r["done"]])
    up_to = items.filter(mulai__lt=end)
    reached = up_to.exclude(keluarga=None).values("keluarga").distinct().count()
    now = _now_values(penugasan, month)
    rows = []
    for key in DEPRIVATION:
        base, cur = penugasan.baseline.get(key), now.get(key)
        change = None if base is None or cur is None else cur - base
        rows.append([INDIKATOR[key].label, base, cur, change])
    name = Desa.objects.filter(code=desa).values_list("name", flat=True).first() or desa
    return Laporan(
        mitra=penugasan.mitra.nama,
        kode_desa=desa,
        nama_desa=name,
        bulan=month,
        dasar_hukum=penugasan.dasar_hukum,
        zona=penugasan.get_zona_display(),
        kunjungan=visits,
        usulan_diajukan=usulan.filter(in_month).count(),
        usulan_diterapkan=usulan.filter(
            status=Usulan.Status.DITERAPKAN, updated_at__date__gte=month, updated_at__date__lt=end
        ).count(),
        intervensi=table,
        keluarga_terjangkau=reached,
        rupiah_bulan_ini=sum(int(r[3]) for r in table),
        rupiah_kumulatif=int(up_to.aggregate(s=Sum("jumlah"))["s"] or 0),
        indikator=rows,
    )


def _n(value: Any) -> str:
    if value is None:
        return "-"
    return angka(value)


def _signed(value: Any) -> str:
    if value is None:
        return "-"
    return ("+" if value > 0 else "") + angka(value)


def summary(report: Laporan) -> list[str]:
    """The report's sentences, generated from its figures."""
    lines = [
        f"{report.mitra} mendampingi Desa {report.nama_desa} ({report.kode_desa}) berdasarkan "
        f"{report.dasar_hukum}; zona {report.zona.lower()} saat penugasan."
    ]
    if not report.ada_kegiatan:
        lines.append(TANPA_KEGIATAN)
    else:
        lines.append(
            f"Bulan ini: {report.kunjungan} kunjungan lapangan, {report.usulan_diajukan} usulan "
            f"verval diajukan, {report.usulan_diterapkan} usulan disahkan dan diterapkan, "
            f"{sum(r[2] for r in report.intervensi)} intervensi senilai "
            f"Rp {angka(report.rupiah_bulan_ini)}."
        )
    lines.append(
        f"Sejak penugasan {report.keluarga_terjangkau} keluarga terjangkau intervensi, "
        f"seluruhnya Rp {angka(report.rupiah_kumulatif)}."
    )
    better = [r for r in report.indikator if r[3] is not None and r[3] < 0]
    if better:
        lines.append(
            "Berkurang sejak baseline: "
            + ", ".join(f"{r[0].lower()} ({_signed(r[3])})" for r in better)
            + "."
        )
    lines.append(
        "Desil adalah peringkat PMT register, bukan angka kemiskinan (P0) BPS; keluarga "
        "miskin ekstrem desil 1 adalah perkiraan."
    )
    return lines


ALIGN_INTERVENSI: list[Rata] = ["L", "L", "R", "R", "R"]
ALIGN_INDIKATOR: list[Rata] = ["L", "R", "R", "R"]


def document(report: Laporan) -> Dokumen:
    blocks: list[Any] = [
        Kop(["PEMERINTAH PROVINSI JAWA TENGAH", "SATU OPD SATU DESA DAMPINGAN"]),
        Judul(
            [
                "LAPORAN BULANAN DESA DAMPINGAN",
                f"DESA {report.nama_desa.upper()}",
                month_name(report.bulan).upper(),
            ]
        ),
        Isian(
            [
                ("Mitra pendamping", report.mitra),
                ("Desa", f"{report.nama_desa} ({report.kode_desa})"),
                ("Dasar penugasan", report.dasar_hukum),
                ("Bulan", month_name(report.bulan)),
            ]
        ),
    ]
    blocks += [Paragraf(line) for line in summary(report)]
    blocks.append(Paragraf("Intervensi bulan ini", tebal=True))
    blocks.append(
        Tabel(
            ["Jenis", "Sumber dana", "Banyak", "Rupiah", "Selesai"],
            [[r[0], r[1], _n(r[2]), _n(r[3]), _n(r[4])] for r in report.intervensi],
            [3.0, 2.2, 1.0, 1.6, 1.0],
            ALIGN_INTERVENSI,
            kosong="Tidak ada intervensi pada bulan ini.",
        )
    )
    blocks.append(Paragraf("Indikator desa: baseline dan sekarang", tebal=True))
    blocks.append(
        Tabel(
            ["Indikator", "Baseline", "Sekarang", "Perubahan"],
            [[r[0], _n(r[1]), _n(r[2]), _signed(r[3])] for r in report.indikator],
            [4.0, 1.2, 1.2, 1.2],
            ALIGN_INDIKATOR,
        )
    )
    return Dokumen(
        judul=f"Laporan dampingan {report.nama_desa} {month_name(report.bulan)}",
        blok=blocks,
        kaki=f"Padu · {report.mitra} · Desa {report.nama_desa}",
    )


def report_pdf(report: Laporan) -> bytes:
    return render_pdf(document(report))


def report_docx(report: Laporan) -> bytes:
    return render_docx(document(report))


def report_xlsx(report: Laporan) -> bytes:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("Ringkasan")
    sheet.append(["Laporan bulanan desa dampingan", report.nama_desa, month_name(report.bulan)])
    for label, value in [
        ("mitra", report.mitra),
        ("kode desa", report.kode_desa),
        ("dasar penugasan", report.dasar_hukum),
        ("kunjungan", report.kunjungan),
        ("usulan diajukan", report.usulan_diajukan),
        ("usulan diterapkan", report.usulan_diterapkan),
        ("keluarga terjangkau (kumulatif)", report.keluarga_terjangkau),
        ("rupiah bulan ini", report.rupiah_bulan_ini),
        ("rupiah kumulatif", report.rupiah_kumulatif),
    ]:
        sheet.append([label, value])
    for line in summary(report):
        sheet.append([line])
    items = book.create_sheet("Intervensi")
    items.append(["jenis", "sumber dana", "banyak", "rupiah", "selesai"])
    for row in report.intervensi:
        items.append(row)
    ind = book.create_sheet("Indikator")
    ind.append(["indikator", "baseline", "sekarang", "perubahan"])
    for row in report.indikator:
        ind.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
