"""SPTJM (Surat Pernyataan Tanggung Jawab Mutlak): used where no musdes is held.

The village head states, under full personal responsibility, that the usulan of the
period are true, why no musdes was held, and what is attached; the counts per usulan
kind are in a table. Signed over a duty stamp (meterai).
"""

from __future__ import annotations

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
from padu.verval.documents._teks import angka_terbilang, tanggal_panjang
from padu.verval.documents.model import Penandatangan, Sptjm

JUDUL_SPTJM = "SURAT PERNYATAAN TANGGUNG JAWAB MUTLAK"


def sptjm_pdf(s: Sptjm) -> bytes:
    """The SPTJM as an A4 portrait PDF."""
    return render_pdf(dokumen_sptjm(s))


def sptjm_docx(s: Sptjm) -> bytes:
    """The SPTJM as an editable Word document."""
    return render_docx(dokumen_sptjm(s))


def dokumen_sptjm(s: Sptjm) -> Dokumen:
    """The SPTJM as blocks (shared by the PDF and DOCX renderers)."""
    w = s.wilayah
    pj = s.penanggung_jawab
    jabatan = pj.jabatan if w.desa.lower() in pj.jabatan.lower() else f"{pj.jabatan} {w.desa}"
    isian = [("Nama", pj.nama)]
    if pj.nip:
        isian.append(("NIP", pj.nip))
    isian += [("Jabatan", jabatan), ("Wilayah", w.lengkap)]
    lampiran = s.lampiran or [
        "Daftar Nama dan Alamat (BNBA) usulan, yang merupakan bagian tidak terpisahkan "
        "dari surat pernyataan ini."
    ]
    pernyataan = [
        (
            f"Usulan hasil verifikasi dan validasi Data Terpadu Kesejahteraan Sosial (DTKS) "
            f"{w.nama_desa} periode {s.periode} sebanyak {angka_terbilang(s.jumlah_usulan)} "
            "usulan, dengan rincian sebagaimana tabel di bawah ini, disusun berdasarkan data "
            "dan keadaan yang sebenarnya."
        ),
        f"Musyawarah desa/kelurahan tidak dilaksanakan karena {s.alasan_tanpa_musdes.rstrip('.')}.",
        "Lampiran: " + "; ".join(x.rstrip(".") for x in lampiran) + ".",
        (
            "Apabila di kemudian hari terdapat ketidaksesuaian atau kesalahan data, saya "
            "bertanggung jawab penuh secara hukum dan bersedia menerima sanksi sesuai "
            "ketentuan peraturan perundang-undangan, tanpa melibatkan pihak mana pun."
        ),
    ]
    blok: list[Blok] = [
        Kop.dari(w),
        Judul([JUDUL_SPTJM, f"VERIFIKASI DAN VALIDASI DTKS {s.periode.upper()}"], nomor=s.nomor),
        Paragraf("Yang bertanda tangan di bawah ini:"),
        Isian(isian),
        Paragraf("dengan ini menyatakan dengan sesungguhnya bahwa:"),
        Daftar(pernyataan),
        Tabel(
            kepala=["No", "Jenis Usulan", "Jumlah"],
            baris=[[str(i), label, str(n)] for i, (label, n) in enumerate(s.ringkasan, 1)],
            lebar=[8, 60, 20],
            rata=["C", "L", "C"],
            kosong="Rincian per jenis usulan tidak tersedia.",
            ukuran_huruf=10,
        ),
        Paragraf(f"Jumlah usulan: {s.jumlah_usulan}", tebal=True, rata="L"),
        TandaTangan(
            [Penandatangan(jabatan, pj.nama, pj.nip)],
            tempat_tanggal=f"{w.desa}, {tanggal_panjang(s.tanggal)}",
            pengantar="Yang membuat pernyataan,",
            meterai=True,
            penutup=(
                "Demikian surat pernyataan ini saya buat dengan sebenar-benarnya, dalam "
                "keadaan sadar dan tanpa paksaan dari pihak mana pun, untuk dipergunakan "
                "sebagaimana mestinya."
            ),
        ),
    ]
    return Dokumen(
        judul=f"SPTJM Verval DTKS {w.nama_desa} - {s.periode}",
        blok=blok,
        kaki=f"SPTJM {w.nama_desa} - Nomor {s.nomor}",
        subjek=f"Verval DTKS {w.lengkap}",
        kata_kunci=["DTKS", "verval", "SPTJM", w.kode_desa],
    )
