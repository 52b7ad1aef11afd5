"""Draws a ``Dokumen`` as PDF with fpdf2 core fonts (Helvetica), A4.

Every text goes through ``latin1`` first (via ``normalize_text``), so a name with "ā" or
an emoji prints cleanly instead of raising. The footer says "Halaman 1 dari N"; tables
repeat their header row on each page.
"""

from __future__ import annotations

import io

from fpdf import FPDF, FontFace
from fpdf.enums import XPos, YPos

from padu.verval.documents._blok import (
    Blok,
    Daftar,
    Dokumen,
    Gambar,
    Isian,
    Judul,
    Kop,
    Paragraf,
    Tabel,
    TandaTangan,
    pasangan_ttd,
)
from padu.verval.documents._teks import latin1
from padu.verval.documents.model import Penandatangan

HURUF = "Helvetica"
BARIS = 5.0  # line height (mm) of body text
RUANG_TTD = 20.0  # blank height (mm) left for a signature


class _Pdf(FPDF):
    def __init__(self, dok: Dokumen) -> None:
        super().__init__(orientation="L" if dok.lanskap else "P", unit="mm", format="A4")
        self._kaki = dok.kaki
        tepi = 12.0 if dok.lanskap else 20.0
        self.set_margins(tepi, 15.0, tepi)
        self.set_auto_page_break(True, margin=18.0)
        self.set_title(latin1(dok.judul))
        self.set_subject(latin1(dok.subjek or dok.judul))
        if dok.kata_kunci:
            self.set_keywords([latin1(k) for k in dok.kata_kunci])
        self.set_author("Padu")
        self.set_creator("Padu")
        self.set_lang("id")

    def normalize_text(self, text: str) -> str:
        return super().normalize_text(latin1(text))

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(HURUF, "", 8)
        self.set_text_color(90)
        lebar = self.epw / 2
        self.cell(lebar, 5, self._kaki, align="L")
        self.cell(lebar, 5, f"Halaman {self.page_no()} dari {{nb}}", align="R")
        self.set_text_color(0)


def render_pdf(dok: Dokumen) -> bytes:
    """The document as PDF bytes."""
    pdf = _Pdf(dok)
    pdf.add_page()
    for blok in dok.blok:
        _gambar(pdf, blok)
    return bytes(pdf.output())


def _picture(pdf: _Pdf, gambar: Gambar) -> None:
    pdf.ln(2)
    pdf.image(io.BytesIO(gambar.svg.encode("utf-8")), x=pdf.l_margin, w=gambar.lebar)
    if gambar.keterangan:
        pdf.set_font(HURUF, "I", 8)
        pdf.multi_cell(0, 4, gambar.keterangan, new_x=XPos.LMARGIN)


def _gambar(pdf: _Pdf, blok: Blok) -> None:
    if isinstance(blok, Gambar):
        _picture(pdf, blok)
    elif isinstance(blok, Kop):
        _kop(pdf, blok)
    elif isinstance(blok, Judul):
        _judul(pdf, blok)
    elif isinstance(blok, Paragraf):
        pdf.ln(blok.spasi_atas)
        pdf.set_font(HURUF, "B" if blok.tebal else "", 10)
        pdf.multi_cell(0, BARIS, blok.teks, align=blok.rata, new_x=XPos.LMARGIN)
    elif isinstance(blok, Daftar):
        _daftar(pdf, blok)
    elif isinstance(blok, Isian):
        _isian(pdf, blok)
    elif isinstance(blok, Tabel):
        _tabel(pdf, blok)
    elif isinstance(blok, TandaTangan):
        _tanda_tangan(pdf, blok)


def _kop(pdf: _Pdf, kop: Kop) -> None:
    for i, baris in enumerate(kop.baris):
        pdf.set_font(HURUF, "B", 13 if i == len(kop.baris) - 1 else 12)
        pdf.cell(0, 6, baris, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    y = pdf.get_y() + 1.5
    pdf.set_line_width(0.8)
    pdf.line(pdf.l_margin, y, pdf.w - pdf.r_margin, y)
    pdf.set_line_width(0.2)
    pdf.line(pdf.l_margin, y + 1.2, pdf.w - pdf.r_margin, y + 1.2)
    pdf.set_y(y + 4)


def _judul(pdf: _Pdf, judul: Judul) -> None:
    pdf.ln(2)
    for i, baris in enumerate(judul.baris):
        pdf.set_font(HURUF, "BU" if i == 0 else "B", 12 if i == 0 else 11)
        pdf.multi_cell(0, 6, baris, align="C", new_x=XPos.LMARGIN)
    if judul.nomor:
        pdf.set_font(HURUF, "", 10)
        pdf.cell(0, 6, f"Nomor: {judul.nomor}", align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(2)


def _daftar(pdf: _Pdf, daftar: Daftar) -> None:
    pdf.set_font(HURUF, "", 10)
    inden = 8.0
    for i, butir in enumerate(daftar.butir, start=1):
        pdf.set_x(pdf.l_margin + 2)
        pdf.cell(inden, BARIS, f"{i}." if daftar.bernomor else "-")
        pdf.multi_cell(pdf.epw - inden - 2, BARIS, butir, align="L", new_x=XPos.LMARGIN)


def _isian(pdf: _Pdf, isian: Isian) -> None:
    pdf.set_font(HURUF, "", 10)
    lebar = max((pdf.get_string_width(label) for label, _ in isian.pasangan), default=0) + 4
    for label, nilai in isian.pasangan:
        pdf.set_x(pdf.l_margin + 2)
        pdf.cell(lebar, BARIS, label)
        pdf.cell(4, BARIS, ":")
        pdf.multi_cell(pdf.epw - lebar - 6, BARIS, nilai, align="L", new_x=XPos.LMARGIN)


def _tabel(pdf: _Pdf, tabel: Tabel) -> None:
    pdf.ln(2)
    if not tabel.baris and tabel.kosong:
        pdf.set_font(HURUF, "I", 10)
        pdf.multi_cell(0, BARIS, tabel.kosong, align="L", new_x=XPos.LMARGIN)
        return
    pdf.set_font(HURUF, "", tabel.ukuran_huruf)
    kepala = FontFace(emphasis="BOLD", fill_color=(225, 225, 225))
    with pdf.table(
        col_widths=tabel.lebar,
        text_align=tuple(tabel.rata),
        line_height=tabel.ukuran_huruf * 0.5,
        padding=0.8,
        headings_style=kepala,
        repeat_headings=1,
        first_row_as_headings=True,
    ) as t:
        baris_kepala = t.row()
        for teks in tabel.kepala:
            baris_kepala.cell(teks, align="C")
        for baris in tabel.baris:
            r = t.row()
            for teks in baris:
                r.cell(teks)


def _tanda_tangan(pdf: _Pdf, ttd: TandaTangan) -> None:
    kelompok = pasangan_ttd(ttd.penandatangan)
    tinggi_kelompok = RUANG_TTD + 4 * BARIS + 4
    pdf.set_font(HURUF, "", 10)
    tinggi_penutup = 0.0
    if ttd.penutup:
        baris = pdf.multi_cell(0, BARIS, ttd.penutup, dry_run=True, output="LINES")
        tinggi_penutup = len(baris) * BARIS + 2  # type: ignore[arg-type]
    # Keep the closing paragraph, the date line and the first signatures on one page.
    perlu = tinggi_penutup + (tinggi_kelompok + 2 * BARIS if kelompok else 0)
    if pdf.will_page_break(perlu):
        pdf.add_page()
    if ttd.penutup:
        pdf.ln(2)
        pdf.multi_cell(0, BARIS, ttd.penutup, align="J", new_x=XPos.LMARGIN)
    if not kelompok:
        return
    pdf.ln(4)
    kolom = pdf.epw / 2
    tunggal = len(ttd.penandatangan) == 1
    if ttd.tempat_tanggal:
        pdf.set_x(pdf.l_margin + kolom)
        pdf.cell(kolom, BARIS, ttd.tempat_tanggal, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    if ttd.pengantar:
        pdf.set_x(pdf.l_margin + (kolom if tunggal else 0))
        pdf.cell(kolom, BARIS, ttd.pengantar, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    for n, pasangan in enumerate(kelompok):
        if n and pdf.will_page_break(tinggi_kelompok):
            pdf.add_page()
        y0 = pdf.get_y()
        y_akhir = y0
        for i, orang in enumerate(pasangan):
            if tunggal:
                x = pdf.l_margin + kolom
            elif len(pasangan) == 2:
                x = pdf.l_margin + i * kolom
            else:
                x = pdf.l_margin + kolom / 2
            meterai = ttd.meterai and n == 0 and i == 0
            y_akhir = max(y_akhir, _satu_ttd(pdf, orang, x, y0, kolom, meterai))
        pdf.set_y(y_akhir + 4)


def _satu_ttd(
    pdf: _Pdf, orang: Penandatangan, x: float, y: float, lebar: float, meterai: bool
) -> float:
    pdf.set_xy(x, y)
    pdf.set_font(HURUF, "", 10)
    pdf.multi_cell(lebar, BARIS, orang.jabatan, align="C", new_x=XPos.LEFT)
    y_ruang = pdf.get_y()
    if meterai:
        pdf.set_draw_color(150)
        pdf.set_text_color(120)
        pdf.set_font(HURUF, "", 7)
        kotak_x = x + lebar / 2 - 30
        pdf.rect(kotak_x, y_ruang + 3, 22, 14)
        pdf.set_xy(kotak_x, y_ruang + 6)
        pdf.multi_cell(22, 3.5, "Meterai\nRp10.000", align="C")
        pdf.set_draw_color(0)
        pdf.set_text_color(0)
    pdf.set_xy(x, y_ruang + RUANG_TTD)
    pdf.set_font(HURUF, "BU", 10)
    pdf.multi_cell(lebar, BARIS, orang.nama, align="C", new_x=XPos.LEFT)
    if orang.nip:
        pdf.set_font(HURUF, "", 10)
        pdf.multi_cell(lebar, BARIS, f"NIP. {orang.nip}", align="C", new_x=XPos.LEFT)
    return pdf.get_y()
