"""BNBA (Daftar Nama dan Alamat): a name-by-address list, as XLSX and landscape PDF.

Columns are generic (``DaftarBnba.kolom``), so other workflows (BLT-DD musdesus, OPD
dampingan) print their own lists; ``bnba_dari_musdes`` builds the list of the usulan a
musdes decided. A "No" column comes first; a "Jumlah keluarga: N" line closes the table.
"""

from __future__ import annotations

import io
from datetime import date
from typing import Any

import xlsxwriter

from padu.verval.documents._blok import (
    Blok,
    Dokumen,
    Isian,
    Judul,
    Kop,
    Paragraf,
    Rata,
    Tabel,
    TandaTangan,
)
from padu.verval.documents._pdf import render_pdf
from padu.verval.documents._teks import bersihkan, tanggal_panjang
from padu.verval.documents.berita_acara import TIDAK_ADA_USULAN, tempat_tanggal
from padu.verval.documents.model import (
    KEPUTUSAN,
    DaftarBnba,
    Musdes,
    Penandatangan,
    label_jenis,
)

KOLOM_MUSDES: list[tuple[str, str]] = [
    ("nama_kepala", "Nama Kepala Keluarga"),
    ("nik_tersamar", "NIK (tersamar)"),
    ("alamat", "Alamat"),
    ("jumlah_art", "Jumlah ART"),
    ("jenis", "Jenis Usulan"),
    ("keputusan", "Keputusan"),
    ("alasan", "Alasan"),
]


def bnba_dari_musdes(m: Musdes) -> DaftarBnba:
    """The BNBA of the usulan decided at a musdes (attachment of its Berita Acara)."""
    baris: list[dict[str, object]] = [
        {
            "nama_kepala": k.nama_kepala,
            "nik_tersamar": k.nik_tersamar,
            "alamat": k.alamat,
            "jumlah_art": k.jumlah_art,
            "jenis": label_jenis(k.jenis),
            "keputusan": KEPUTUSAN[k.keputusan],
            "alasan": k.alasan,
        }
        for k in m.keputusan
    ]
    return DaftarBnba(
        wilayah=m.wilayah,
        judul=f"Daftar Nama dan Alamat (BNBA) Hasil {m.nama_musyawarah}",
        periode=m.periode,
        kolom=list(KOLOM_MUSDES),
        baris=baris,
        penandatangan=list(m.penandatangan),
        catatan=(
            f"Lampiran Berita Acara {m.nama_musyawarah} Nomor {m.nomor} tanggal "
            f"{tanggal_panjang(m.tanggal)}."
        ),
        tempat_tanggal=tempat_tanggal(m),
        kosong=TIDAK_ADA_USULAN,
    )


def teks_sel(nilai: object) -> str:
    """A cell value as printed text: blanks for None, Indonesian dates, "Ya"/"Tidak"."""
    if nilai is None:
        return ""
    if isinstance(nilai, bool):
        return "Ya" if nilai else "Tidak"
    if isinstance(nilai, date):
        return tanggal_panjang(nilai)
    if isinstance(nilai, float) and nilai.is_integer():
        return str(int(nilai))
    return bersihkan(nilai)


def _angka(nilai: object) -> bool:
    return isinstance(nilai, int | float) and not isinstance(nilai, bool)


def _isian_wilayah(d: DaftarBnba) -> list[tuple[str, str]]:
    w = d.wilayah
    return [
        ("Provinsi", w.provinsi),
        ("Kabupaten/Kota", w.kabupaten),
        ("Kecamatan", w.kecamatan),
        (w.jenis_desa, f"{w.desa} ({w.kode_desa})"),
        ("Periode", d.periode),
    ]


def _lebar_relatif(d: DaftarBnba) -> list[float]:
    """Relative column widths from header words and content length (sampled)."""
    contoh = d.baris[:300]
    lebar: list[float] = [4.0]
    for kunci, label in d.kolom:
        isi = [len(teks_sel(b.get(kunci))) for b in contoh]
        isian = (sum(isi) / len(isi) + max(isi)) / 2 if isi else 0.0
        kata = max((len(k) for k in label.split()), default=4)
        lebar.append(min(40.0, max(6.0, kata + 1.0, isian)))
    return lebar


def _rata(d: DaftarBnba) -> list[Rata]:
    rata: list[Rata] = ["C"]
    for kunci, _ in d.kolom:
        nilai = [b.get(kunci) for b in d.baris if b.get(kunci) is not None]
        rata.append("C" if nilai and all(_angka(v) for v in nilai) else "L")
    return rata


def dokumen_bnba(d: DaftarBnba) -> Dokumen:
    """The BNBA as blocks for the PDF renderer (landscape)."""
    blok: list[Blok] = [
        Kop.dari(d.wilayah),
        Judul([d.judul.upper()]),
        Isian(_isian_wilayah(d)),
        Tabel(
            kepala=["No"] + [label for _, label in d.kolom],
            baris=[
                [str(i)] + [teks_sel(b.get(k)) for k, _ in d.kolom]
                for i, b in enumerate(d.baris, start=1)
            ],
            lebar=_lebar_relatif(d),
            rata=_rata(d),
            kosong=d.kosong,
            ukuran_huruf=8.0,
        ),
        Paragraf(f"Jumlah keluarga: {d.jumlah_keluarga}", tebal=True, rata="L"),
    ]
    if d.catatan:
        blok.append(Paragraf(d.catatan, rata="L"))
    blok.append(TandaTangan(d.penandatangan, tempat_tanggal=d.tempat_tanggal))
    return Dokumen(
        judul=f"{d.judul} - {d.wilayah.nama_desa} - {d.periode}",
        blok=blok,
        lanskap=True,
        kaki=f"BNBA {d.wilayah.nama_desa} - {d.periode}",
        subjek=d.wilayah.lengkap,
        kata_kunci=["DTKS", "BNBA", d.wilayah.kode_desa],
    )


def bnba_pdf(d: DaftarBnba) -> bytes:
    """The BNBA as an A4 landscape PDF; the table header repeats on every page."""
    return render_pdf(dokumen_bnba(d))


def bnba_xlsx(d: DaftarBnba) -> bytes:
    """The BNBA as an Excel workbook, ready to print (A4 landscape, fit to width)."""
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(
        buf, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
    )
    wb.set_properties(
        {
            "title": bersihkan(f"{d.judul} - {d.wilayah.nama_desa} - {d.periode}"),
            "subject": bersihkan(d.wilayah.lengkap),
            "author": "Padu",
            "keywords": bersihkan(f"DTKS, BNBA, {d.wilayah.kode_desa}"),
        }
    )
    ws = wb.add_worksheet("BNBA")
    f = _format(wb)
    n = len(d.kolom) + 1
    akhir = n - 1

    def baris_gabung(r: int, teks: str, fmt: Any, c0: int = 0, c1: int = akhir) -> None:
        if c1 > c0:
            ws.merge_range(r, c0, r, c1, bersihkan(teks), fmt)
        else:
            ws.write_string(r, c0, bersihkan(teks), fmt)

    kop = d.wilayah.kop()
    for r, teks in enumerate(kop):
        baris_gabung(r, teks, f["kop_akhir"] if r == len(kop) - 1 else f["kop"])
    r = len(kop) + 1
    baris_gabung(r, d.judul.upper(), f["judul"])
    r += 2
    for label_wilayah, isi_wilayah in _isian_wilayah(d):
        ws.write_string(r, 0, bersihkan(f"{label_wilayah}: {isi_wilayah}"), f["biasa"])
        r += 1
    kepala = r + 1
    for c, label in enumerate(["No"] + [label for _, label in d.kolom]):
        ws.write_string(kepala, c, bersihkan(label), f["kepala"])
    r = kepala + 1
    for i, b in enumerate(d.baris, start=1):
        ws.write_number(r, 0, i, f["no"])
        for c, (kunci, _) in enumerate(d.kolom, start=1):
            nilai = b.get(kunci)
            if _angka(nilai):
                ws.write_number(r, c, nilai, f["angka"])
            else:
                ws.write_string(r, c, teks_sel(nilai), f["sel"])
        r += 1
    if not d.baris:
        baris_gabung(r, d.kosong, f["sel"])
        r += 1
    ws.autofilter(kepala, 0, max(kepala, kepala + len(d.baris)), akhir)
    baris_gabung(r, f"Jumlah keluarga: {d.jumlah_keluarga}", f["jumlah"])
    r += 2
    if d.catatan:
        ws.write_string(r, 0, bersihkan(d.catatan), f["biasa"])
        r += 2
    r = _ttd_xlsx(d, r, n, baris_gabung, f["tengah"], f["nama"])
    _lebar_xlsx(ws, d)
    ws.freeze_panes(kepala + 1, 0)
    ws.set_landscape()
    ws.set_paper(9)  # A4
    ws.fit_to_pages(1, 0)
    ws.repeat_rows(kepala)
    ws.center_horizontally()
    ws.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.7)
    ws.set_footer(f"&L{_aman_kaki(d)}&RHalaman &P dari &N")
    ws.print_area(0, 0, r, akhir)
    wb.close()
    return buf.getvalue()


def _aman_kaki(d: DaftarBnba) -> str:
    # "&" starts a control code in Excel headers and footers.
    return bersihkan(f"BNBA {d.wilayah.nama_desa} - {d.periode}").replace("&", "&&")[:200]


def _format(wb: Any) -> dict[str, Any]:
    dasar = {"font_name": "Arial", "font_size": 10, "valign": "top"}
    sel = {**dasar, "border": 1, "text_wrap": True}
    return {
        "kop": wb.add_format({**dasar, "bold": True, "font_size": 12, "align": "center"}),
        "kop_akhir": wb.add_format(
            {**dasar, "bold": True, "font_size": 13, "align": "center", "bottom": 6}
        ),
        "judul": wb.add_format({**dasar, "bold": True, "font_size": 12, "align": "center"}),
        "biasa": wb.add_format(dasar),
        "tengah": wb.add_format({**dasar, "align": "center", "text_wrap": True}),
        "nama": wb.add_format({**dasar, "align": "center", "bold": True, "underline": 1}),
        "kepala": wb.add_format(
            {**sel, "bold": True, "align": "center", "valign": "vcenter", "bg_color": "#E1E1E1"}
        ),
        "no": wb.add_format({**sel, "align": "center"}),
        "angka": wb.add_format({**sel, "align": "center"}),
        "sel": wb.add_format(sel),
        "jumlah": wb.add_format({**sel, "bold": True}),
    }


def _lebar_xlsx(ws: Any, d: DaftarBnba) -> None:
    ws.set_column(0, 0, 5)
    for c, (kunci, label) in enumerate(d.kolom, start=1):
        isi = max((len(teks_sel(b.get(kunci))) for b in d.baris), default=0)
        ws.set_column(c, c, min(45, max(10, len(label) + 2, isi + 2)))


def _ttd_xlsx(d: DaftarBnba, r: int, n: int, gabung: Any, tengah: Any, nama: Any) -> int:
    """Signature blocks two by two under the table (a single signer on the right, as in
    the PDF); returns the next free row."""
    separuh = n // 2
    semua, kiri, kanan = (0, n - 1), (0, max(0, separuh - 1)), (separuh, n - 1)
    orang = d.penandatangan
    baris: list[list[tuple[Penandatangan, tuple[int, int]]]]
    if n < 2:  # no room for two columns: one block under the other
        baris = [[(o, semua)] for o in orang]
    elif len(orang) == 1:
        baris = [[(orang[0], kanan)]]
    else:
        baris = [
            [(orang[i], kiri), (orang[i + 1], kanan)] if i + 1 < len(orang) else [(orang[i], semua)]
            for i in range(0, len(orang), 2)
        ]
    if d.tempat_tanggal and orang:
        gabung(r, d.tempat_tanggal, tengah, *(kanan if n >= 2 else semua))
        r += 1
    for blok in baris:
        for o, (c0, c1) in blok:
            gabung(r, o.jabatan, tengah, c0, c1)
            gabung(r + 4, o.nama, nama, c0, c1)
            if o.nip:
                gabung(r + 5, f"NIP. {o.nip}", tengah, c0, c1)
        r += 7
    return r
