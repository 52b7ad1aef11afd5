"""The documents of a BLT-DD musdesus (Berita Acara as PDF/DOCX, final KPM list as PDF/XLSX),
built from the blocks of the verval documents (``padu.verval.documents``): the same
renderers draw them, so PDF and Word carry the same words."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from padu.core.masking import mask_number
from padu.danadesa.models import Baris, Musdesus
from padu.engine.danadesa import dari_dict
from padu.registry.models import Person
from padu.verval import documents as doc
from padu.verval.documents._blok import (
    Blok,
    Daftar,
    Dokumen,
    Isian,
    Judul,
    Kop,
    Paragraf,
    Tabel,
    TandaTangan,
)
from padu.verval.documents._docx import render_docx
from padu.verval.documents._pdf import render_pdf
from padu.verval.documents._teks import angka_terbilang, nama_hari, tanggal_panjang
from padu.verval.dokumen import DOCX, XLSX, wilayah


def rupiah(n: int) -> str:
    return "Rp " + f"{n:,}".replace(",", ".")


def _people(rows: list[dict[str, Any]]) -> list[doc.Penandatangan]:
    return [doc.Penandatangan(jabatan=r.get("jabatan") or "-", nama=r["nama"]) for r in rows]


def _heads(ids: list[int]) -> dict[int, Person]:
    qs = Person.objects.filter(keluarga_id__in=ids, hub_kepala_keluarga=1).select_related(
        "keluarga"
    )
    return {p.keluarga_id: p for p in qs.order_by("keluarga_id", "-id")}


def berita_acara(m: Musdesus) -> Dokumen:
    """The Berita Acara of a musdesus as blocks."""
    w = wilayah(m.kode_desa)
    rule = dari_dict(m.hasil.aturan)
    decisions = list(m.keputusan.order_by("tindakan", "keluarga_id"))
    heads = _heads([k.keluarga_id for k in decisions])
    kpm = m.hasil.baris.filter(status=Baris.Status.KPM).count()
    blok: list[Blok] = [
        Kop.dari(w),
        Judul(
            [
                "BERITA ACARA MUSYAWARAH DESA KHUSUS (MUSDESUS)",
                f"PENETAPAN KELUARGA PENERIMA MANFAAT BLT DANA DESA TAHUN {m.tahun}",
            ],
            nomor=m.nomor,
        ),
        Paragraf(
            f"Pada hari {nama_hari(m.tanggal)} tanggal {tanggal_panjang(m.tanggal)} bertempat di "
            f"{m.tempat} telah dilaksanakan Musyawarah Desa Khusus {w.desa}, Kecamatan "
            f"{w.kecamatan}, {w.kabupaten}, Provinsi {w.provinsi}, untuk menetapkan Keluarga "
            f"Penerima Manfaat (KPM) Bantuan Langsung Tunai Dana Desa (BLT-DD) tahun {m.tahun}, "
            f"yang dipimpin oleh {m.pimpinan}."
        ),
        Paragraf(f"Musyawarah dihadiri oleh {angka_terbilang(len(m.peserta))} orang peserta:"),
        Daftar([f"{p['nama']} ({p['jabatan']})" for p in m.peserta]),
        Paragraf("A. Dasar perhitungan", tebal=True, rata="L", spasi_atas=4),
        Isian(
            [
                ("Dasar hukum", rule.dasar_hukum),
                ("Pagu Dana Desa", rupiah(m.hasil.pagu)),
                ("Porsi BLT-DD", f"{m.hasil.persen}% ({rule.uraian_batas()})"),
                (
                    "Bantuan per KPM",
                    f"{rupiah(rule.nilai_per_bulan)} per bulan, {rule.bulan} bulan",
                ),
                ("Kuota KPM", f"{m.hasil.kuota} keluarga"),
                ("Daftar calon", f"versi {m.daftar_asal.versi}"),
            ]
        ),
        Paragraf("B. Perubahan yang diputuskan", tebal=True, rata="L", spasi_atas=4),
        Tabel(
            kepala=["No", "Nama Kepala Keluarga", "No. KK (tersamar)", "Keputusan", "Alasan"],
            baris=[
                [
                    str(i),
                    heads[k.keluarga_id].nama if k.keluarga_id in heads else "-",
                    mask_number(heads[k.keluarga_id].keluarga.no_kk)
                    if k.keluarga_id in heads
                    else "-",
                    k.get_tindakan_display(),
                    k.alasan,
                ]
                for i, k in enumerate(decisions, start=1)
            ],
            lebar=[0.6, 3, 2.4, 1.6, 4],
            rata=["C", "L", "L", "L", "L"],
            kosong="Tidak ada perubahan: daftar calon dalam kuota ditetapkan seluruhnya.",
        ),
        Paragraf("C. Penetapan", tebal=True, rata="L", spasi_atas=4),
        Paragraf(
            f"Musyawarah menetapkan {angka_terbilang(kpm)} ({kpm}) KPM BLT-DD tahun {m.tahun} "
            f"sebagaimana Daftar KPM terlampir, yang ditetapkan dengan Peraturan/Keputusan Kepala "
            f"Desa Nomor {m.nomor_perkades}"
            + (f" tanggal {tanggal_panjang(m.tanggal_perkades)}" if m.tanggal_perkades else "")
            + "."
        ),
    ]
    if m.catatan:
        blok.append(Paragraf(f"Catatan: {m.catatan}"))
    blok.append(
        TandaTangan(
            _people(m.penandatangan),
            tempat_tanggal=f"{w.desa}, {tanggal_panjang(m.tanggal)}",
            penutup="Demikian berita acara ini dibuat dengan sebenarnya untuk dipergunakan "
            "sebagaimana mestinya.",
        )
    )
    return Dokumen(
        judul=f"Berita Acara Musdesus BLT-DD {w.desa} {m.tahun}",
        blok=blok,
        kaki=f"Berita Acara Musdesus BLT-DD {w.desa} - Nomor {m.nomor}",
        subjek=f"BLT Dana Desa {w.lengkap}",
        kata_kunci=["BLT-DD", "musdesus", "berita acara", w.kode_desa],
    )


KOLOM_KPM = [
    ("nama_kepala", "Nama Kepala Keluarga"),
    ("no_kk", "No. KK (tersamar)"),
    ("alamat", "Alamat"),
    ("desil", "Desil"),
    ("alasan", "Alasan masuk"),
]


def daftar_kpm(m: Musdesus) -> doc.DaftarBnba:
    """The final KPM list set by a musdesus (attachment of its Berita Acara)."""
    w = wilayah(m.kode_desa)
    rows = list(
        m.hasil.baris.filter(status=Baris.Status.KPM)
        .select_related("keluarga")
        .order_by("peringkat")
    )
    heads = _heads([b.keluarga_id for b in rows])
    baris: list[dict[str, object]] = [
        {
            "nama_kepala": heads[b.keluarga_id].nama if b.keluarga_id in heads else "-",
            "no_kk": mask_number(b.keluarga.no_kk) or "-",
            "alamat": f"{b.keluarga.alamat} RT {b.keluarga.rt or '-'}/RW {b.keluarga.rw or '-'}",
            "desil": b.desil if b.desil is not None else "-",
            "alasan": b.alasan,
        }
        for b in rows
    ]
    return doc.DaftarBnba(
        wilayah=w,
        judul=f"Daftar KPM BLT Dana Desa Tahun {m.tahun}",
        periode=f"Tahun {m.tahun}, Perkades {m.nomor_perkades}",
        kolom=KOLOM_KPM,
        baris=baris,
        penandatangan=_people(m.penandatangan),
        tempat_tanggal=f"{w.desa}, {tanggal_panjang(m.tanggal)}",
        kosong="Tidak ada KPM yang ditetapkan.",
    )


# name -> (content type, builder)
FILES: dict[str, tuple[str, Callable[[Musdesus], bytes]]] = {
    "berita-acara.pdf": ("application/pdf", lambda m: render_pdf(berita_acara(m))),
    "berita-acara.docx": (DOCX, lambda m: render_docx(berita_acara(m))),
    "kpm.pdf": ("application/pdf", lambda m: doc.bnba_pdf(daftar_kpm(m))),
    "kpm.xlsx": (XLSX, lambda m: doc.bnba_xlsx(daftar_kpm(m))),
}
