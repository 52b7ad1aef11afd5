"""Berita Acara of a musyawarah desa / kelurahan on the verval DTKS usulan.

Contents, in order: letterhead, title and number, opening paragraph (day, date, place,
purpose, chair), attendees, summary counts, the numbered decision table, closing
paragraph, place-and-date line and the signature blocks. The PDF and the DOCX carry the
same words (both are drawn from ``dokumen_berita_acara``).
"""

from __future__ import annotations

from padu.verval.documents._blok import (
    Blok,
    Daftar,
    Dokumen,
    Judul,
    Kop,
    Paragraf,
    Rata,
    Tabel,
    TandaTangan,
)
from padu.verval.documents._docx import render_docx
from padu.verval.documents._pdf import render_pdf
from padu.verval.documents._teks import angka_terbilang, nama_hari, tanggal_panjang
from padu.verval.documents.model import KEPUTUSAN, Musdes, label_jenis

TIDAK_ADA_USULAN = "Tidak ada usulan yang dibahas."

KOLOM_KEPUTUSAN: list[tuple[str, float, Rata]] = [
    # header, relative width, alignment
    ("No", 5, "C"),
    ("Nama Kepala Keluarga", 16, "L"),
    ("NIK (tersamar)", 15, "L"),
    ("Alamat", 16, "L"),
    ("Jenis Usulan", 11, "L"),
    ("Uraian", 18, "L"),
    ("Keputusan", 10, "C"),
    ("Alasan", 15, "L"),
]


def berita_acara_pdf(m: Musdes) -> bytes:
    """The Berita Acara as an A4 portrait PDF."""
    return render_pdf(dokumen_berita_acara(m))


def berita_acara_docx(m: Musdes) -> bytes:
    """The Berita Acara as an editable Word document."""
    return render_docx(dokumen_berita_acara(m))


def tempat_tanggal(m: Musdes) -> str:
    """``"Doplang, 7 Desember 2026"``: the line above the signatures."""
    return f"{m.wilayah.desa}, {tanggal_panjang(m.tanggal)}"


def ringkasan_baris(m: Musdes) -> list[str]:
    """Summary lines: "Jumlah usulan dibahas: 5", "Diterima: 3", "Ditolak: 2", then one
    line per usulan kind, e.g. "Usulan baru: 2 (diterima 1, ditolak 1)"."""
    baris = [
        f"Jumlah usulan dibahas: {len(m.keputusan)}",
        f"Diterima: {m.jumlah_diterima}",
        f"Ditolak: {m.jumlah_ditolak}",
    ]
    for r in m.ringkasan():
        baris.append(f"{r.label}: {r.dibahas} (diterima {r.diterima}, ditolak {r.ditolak})")
    return baris


def dokumen_berita_acara(m: Musdes) -> Dokumen:
    """The Berita Acara as blocks (shared by the PDF and DOCX renderers)."""
    w = m.wilayah
    musyawarah = m.nama_musyawarah
    pembuka = (
        f"Pada hari {nama_hari(m.tanggal)} tanggal {tanggal_panjang(m.tanggal)} bertempat di "
        f"{m.tempat} telah dilaksanakan {musyawarah} {w.desa}, Kecamatan {w.kecamatan}, "
        f"{w.kabupaten}, Provinsi {w.provinsi}, dalam rangka verifikasi dan validasi Data "
        f"Terpadu Kesejahteraan Sosial (DTKS) periode {m.periode}, yang dipimpin oleh "
        f"{m.pimpinan}."
    )
    blok: list[Blok] = [
        Kop.dari(w),
        Judul(
            [
                f"BERITA ACARA {musyawarah.upper()}",
                "VERIFIKASI DAN VALIDASI DATA TERPADU KESEJAHTERAAN SOSIAL (DTKS)",
                m.periode.upper(),
            ],
            nomor=m.nomor,
        ),
        Paragraf(pembuka),
    ]
    if m.peserta:
        blok.append(
            Paragraf(
                f"{musyawarah} dihadiri oleh {angka_terbilang(len(m.peserta))} orang peserta "
                "sebagai berikut:"
            )
        )
        blok.append(Daftar([f"{p.nama} ({p.jabatan})" for p in m.peserta]))
    else:
        blok.append(
            Paragraf(f"Peserta {musyawarah.lower()} tercatat dalam daftar hadir terlampir.")
        )
    blok.append(Paragraf("A. Ringkasan hasil musyawarah", tebal=True, rata="L", spasi_atas=4))
    if m.keputusan:
        blok.append(
            Paragraf(
                f"Usulan yang dibahas sebanyak {angka_terbilang(len(m.keputusan))}, dengan "
                f"rincian {angka_terbilang(m.jumlah_diterima)} diterima dan "
                f"{angka_terbilang(m.jumlah_ditolak)} ditolak:"
            )
        )
    blok.append(Daftar(ringkasan_baris(m), bernomor=False))
    blok.append(Paragraf("B. Daftar keputusan", tebal=True, rata="L", spasi_atas=4))
    blok.append(tabel_keputusan(m))
    blok.append(Paragraf("C. Penutup", tebal=True, rata="L", spasi_atas=4))
    penutup = (
        "Karena tidak ada usulan yang dibahas, tidak ada perubahan data yang diteruskan dari "
        "musyawarah ini."
        if not m.keputusan
        else f"Usulan yang diterima dimasukkan ke dalam daftar akhir usulan {w.nama_desa} untuk "
        "diverifikasi lapangan dan diinput ke SIKS-NG; usulan yang ditolak tidak diteruskan "
        "dengan alasan sebagaimana tercantum di atas. Daftar Nama dan Alamat (BNBA) hasil "
        "musyawarah terlampir dan merupakan bagian yang tidak terpisahkan dari berita acara "
        "ini."
    )
    blok.append(Paragraf(penutup))
    if m.catatan:
        blok.append(Paragraf(f"Catatan: {m.catatan}"))
    blok.append(
        TandaTangan(
            m.penandatangan,
            tempat_tanggal=tempat_tanggal(m),
            penutup=(
                "Demikian berita acara ini dibuat dengan sebenarnya untuk dipergunakan "
                "sebagaimana mestinya."
            ),
        )
    )
    judul = f"Berita Acara {musyawarah} {w.desa} - {m.periode}"
    return Dokumen(
        judul=judul,
        blok=blok,
        kaki=f"Berita Acara {musyawarah} {w.desa} - Nomor {m.nomor}",
        subjek=f"Verval DTKS {w.lengkap}",
        kata_kunci=["DTKS", "verval", "berita acara", m.jenis, w.kode_desa],
    )


def tabel_keputusan(m: Musdes) -> Tabel:
    """The numbered decision table; "Tidak ada usulan yang dibahas." when empty."""
    baris = [
        [
            str(k.nomor),
            k.nama_kepala,
            k.nik_tersamar,
            k.alamat,
            label_jenis(k.jenis),
            k.uraian,
            KEPUTUSAN[k.keputusan],
            k.alasan or "-",
        ]
        for k in m.keputusan
    ]
    return Tabel(
        kepala=[h for h, _, _ in KOLOM_KEPUTUSAN],
        baris=baris,
        lebar=[w for _, w, _ in KOLOM_KEPUTUSAN],
        rata=[r for _, _, r in KOLOM_KEPUTUSAN],
        kosong=TIDAK_ADA_USULAN,
        ukuran_huruf=7.5,
    )
