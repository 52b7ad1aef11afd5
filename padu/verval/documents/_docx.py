"""Draws a ``Dokumen`` as an editable Word file (python-docx), A4, real Word tables.

Tables mark their first row as a header row (Word repeats it on each page); the footer
carries "Halaman X dari Y" as PAGE/NUMPAGES fields, which Word fills in.
"""

from __future__ import annotations

import io

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt, RGBColor
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

from padu.verval.documents._blok import (
    Blok,
    Daftar,
    Dokumen,
    Gambar,
    Isian,
    Judul,
    Kop,
    Paragraf,
    Rata,
    Tabel,
    TandaTangan,
    pasangan_ttd,
)
from padu.verval.documents._teks import bersihkan
from padu.verval.documents.model import Penandatangan

_RATA = {
    "L": WD_ALIGN_PARAGRAPH.LEFT,
    "C": WD_ALIGN_PARAGRAPH.CENTER,
    "R": WD_ALIGN_PARAGRAPH.RIGHT,
    "J": WD_ALIGN_PARAGRAPH.JUSTIFY,
}

_SESUDAH_PBDR = (
    "w:shd",
    "w:tabs",
    "w:suppressAutoHyphens",
    "w:kinsoku",
    "w:wordWrap",
    "w:overflowPunct",
    "w:topLinePunct",
    "w:autoSpaceDE",
    "w:autoSpaceDN",
    "w:bidi",
    "w:adjustRightInd",
    "w:snapToGrid",
    "w:spacing",
    "w:ind",
    "w:contextualSpacing",
    "w:mirrorIndents",
    "w:suppressOverlap",
    "w:jc",
    "w:textDirection",
    "w:textAlignment",
    "w:textboxTightWrap",
    "w:outlineLvl",
    "w:divId",
    "w:cnfStyle",
    "w:rPr",
    "w:sectPr",
    "w:pPrChange",
)


def render_docx(dok: Dokumen) -> bytes:
    """The document as DOCX bytes."""
    doc = Document()
    lebar = _halaman(doc, dok.lanskap)
    normal = doc.styles["Normal"]
    normal.font.name = "Arial"
    normal.font.size = Pt(10)
    normal.paragraph_format.space_after = Pt(2)
    props = doc.core_properties
    props.title = bersihkan(dok.judul)
    props.subject = bersihkan(dok.subjek or dok.judul)
    props.keywords = bersihkan(", ".join(dok.kata_kunci))
    props.author = "Padu"
    props.language = "id-ID"
    _kaki(doc, dok.kaki)
    for blok in dok.blok:
        _gambar(doc, blok, lebar)
    keluar = io.BytesIO()
    doc.save(keluar)
    return keluar.getvalue()


def _halaman(doc: DocxDocument, lanskap: bool) -> int:
    """Set A4 and margins; return the usable width in EMU."""
    s = doc.sections[0]
    if lanskap:
        s.orientation = WD_ORIENT.LANDSCAPE
        s.page_width, s.page_height = Mm(297), Mm(210)
        s.left_margin = s.right_margin = Mm(12)
    else:
        s.page_width, s.page_height = Mm(210), Mm(297)
        s.left_margin = s.right_margin = Mm(20)
    s.top_margin, s.bottom_margin = Mm(15), Mm(18)
    return int(s.page_width - s.left_margin - s.right_margin)


def _kaki(doc: DocxDocument, teks: str) -> None:
    p = doc.sections[0].footer.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    if teks:
        _run(p, bersihkan(teks) + "    ", ukuran=8)
    _run(p, "Halaman ", ukuran=8)
    _field(p, "PAGE")
    _run(p, " dari ", ukuran=8)
    _field(p, "NUMPAGES")


def _field(p: Paragraph, instr: str) -> None:
    fld = OxmlElement("w:fldSimple")
    fld.set(qn("w:instr"), instr)
    r = OxmlElement("w:r")
    t = OxmlElement("w:t")
    t.text = "1"
    r.append(t)
    fld.append(r)
    p._p.append(fld)


def _run(
    p: Paragraph, teks: str, *, tebal: bool = False, garis: bool = False, ukuran: float = 0
) -> None:
    r = p.add_run(bersihkan(teks))
    r.bold = tebal or None
    r.underline = garis or None
    if ukuran:
        r.font.size = Pt(ukuran)


def _para(
    doc: DocxDocument | _Cell, teks: str = "", rata: Rata = "L", **gaya: bool | float
) -> Paragraph:
    p = doc.add_paragraph()
    p.alignment = _RATA[rata]
    if teks:
        _run(p, teks, **gaya)  # type: ignore[arg-type]
    return p


def _gambar(doc: DocxDocument, blok: Blok, lebar: int) -> None:
    if isinstance(blok, Kop):
        for i, baris in enumerate(blok.baris):
            p = _para(doc, baris, "C", tebal=True, ukuran=13 if i == len(blok.baris) - 1 else 12)
            p.paragraph_format.space_after = Pt(0)
        _garis_bawah(p)
    elif isinstance(blok, Judul):
        for i, baris in enumerate(blok.baris):
            _para(doc, baris, "C", tebal=True, garis=i == 0, ukuran=12 if i == 0 else 11)
        if blok.nomor:
            _para(doc, f"Nomor: {blok.nomor}", "C")
    elif isinstance(blok, Paragraf):
        p = _para(doc, blok.teks, blok.rata, tebal=blok.tebal)
        p.paragraph_format.space_before = Pt(blok.spasi_atas * 2)
    elif isinstance(blok, Daftar):
        for i, butir in enumerate(blok.butir, start=1):
            p = _para(doc, f"{i}.\t{butir}" if blok.bernomor else f"-\t{butir}")
            p.paragraph_format.left_indent = Cm(1.0)
            p.paragraph_format.first_line_indent = Cm(-0.8)
            p.paragraph_format.tab_stops.add_tab_stop(Cm(1.0))
    elif isinstance(blok, Isian):
        t = doc.add_table(rows=0, cols=3)
        for label, nilai in blok.pasangan:
            cells = t.add_row().cells
            for cell, teks in zip(cells, (label, ":", nilai), strict=True):
                cell.paragraphs[0].add_run(bersihkan(teks))
        _lebar_kolom(t, [3.5, 0.4, 12.0], lebar)
    elif isinstance(blok, Tabel):
        _tabel(doc, blok, lebar)
    elif isinstance(blok, TandaTangan):
        _tanda_tangan(doc, blok)
    elif isinstance(blok, Gambar):  # no SVG in Word files: the caption says where it is
        _para(doc, f"[Gambar di berkas PDF] {blok.keterangan}".strip(), "L")


def _garis_bawah(p: Paragraph) -> None:
    """The double rule under a letterhead."""
    pPr = p._p.get_or_add_pPr()
    bdr = OxmlElement("w:pBdr")
    bawah = OxmlElement("w:bottom")
    for k, v in (("w:val", "thickThinSmallGap"), ("w:sz", "18"), ("w:space", "1")):
        bawah.set(qn(k), v)
    bawah.set(qn("w:color"), "000000")
    bdr.append(bawah)
    # OOXML fixes the order of paragraph properties: pBdr comes before these.
    pPr.insert_element_before(bdr, *_SESUDAH_PBDR)


def _lebar_kolom(t: Table, relatif: list[float], lebar: int) -> None:
    t.autofit = False
    total = sum(relatif) or 1.0
    for kolom, r in zip(t.columns, relatif, strict=True):
        kolom.width = int(lebar * r / total)


def _tabel(doc: DocxDocument, tabel: Tabel, lebar: int) -> None:
    if not tabel.baris and tabel.kosong:
        p = _para(doc, tabel.kosong)
        p.runs[0].italic = True
        return
    t = doc.add_table(rows=1, cols=len(tabel.kepala))
    t.style = doc.styles["Table Grid"]
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    ukuran = Pt(tabel.ukuran_huruf)
    kepala = t.rows[0]
    trPr = kepala._tr.get_or_add_trPr()
    ulang = OxmlElement("w:tblHeader")
    ulang.set(qn("w:val"), "true")
    trPr.append(ulang)
    for cell, teks in zip(kepala.cells, tabel.kepala, strict=True):
        p = cell.paragraphs[0]
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        r = p.add_run(bersihkan(teks))
        r.bold = True
        r.font.size = ukuran
        _arsir(cell)
    rata = [_RATA["L" if x == "J" else x] for x in tabel.rata]
    for baris in tabel.baris:
        for i, (cell, teks) in enumerate(zip(t.add_row().cells, baris, strict=True)):
            p = cell.paragraphs[0]
            p.alignment = rata[i]
            p.add_run(bersihkan(teks)).font.size = ukuran
    _lebar_kolom(t, tabel.lebar, lebar)


def _arsir(cell: _Cell) -> None:
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), "E1E1E1")
    cell._tc.get_or_add_tcPr().insert_element_before(
        shd, "w:noWrap", "w:tcMar", "w:textDirection", "w:tcFitText", "w:vAlign", "w:hideMark"
    )


def _tanda_tangan(doc: DocxDocument, ttd: TandaTangan) -> None:
    if ttd.penutup:
        p = _para(doc, ttd.penutup, "J")
        p.paragraph_format.space_before = Pt(4)
        p.paragraph_format.keep_with_next = True
    if not ttd.penandatangan:
        return
    tunggal = len(ttd.penandatangan) == 1
    for teks, ikut in ((ttd.tempat_tanggal, True), (ttd.pengantar, tunggal)):
        if teks:
            p = _para(doc, teks, "C")
            if ikut:
                p.paragraph_format.left_indent = Cm(8.5)
            p.paragraph_format.keep_with_next = True
    kelompok = pasangan_ttd(ttd.penandatangan)
    t = doc.add_table(rows=len(kelompok), cols=2)
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    for n, (row, pasangan) in enumerate(zip(t.rows, kelompok, strict=True)):
        row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
        cells = row.cells
        if tunggal:
            cells = [cells[1]]
        elif len(pasangan) == 1:
            cells = [cells[0].merge(cells[1])]
        for i, (cell, orang) in enumerate(zip(cells, pasangan, strict=True)):
            _satu_ttd(cell, orang, meterai=ttd.meterai and n == 0 and i == 0)


def _satu_ttd(cell: _Cell, orang: Penandatangan, *, meterai: bool) -> None:
    cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(cell.paragraphs[0], orang.jabatan)
    for k in range(3):
        p = _para(cell, "", "C")
        if meterai and k == 1:
            r = p.add_run("[Meterai Rp10.000]")
            r.font.size = Pt(7)
            r.font.color.rgb = RGBColor(0x80, 0x80, 0x80)
    _para(cell, orang.nama, "C", tebal=True, garis=True)
    if orang.nip:
        _para(cell, f"NIP. {orang.nip}", "C")
    _para(cell, "", "C")
