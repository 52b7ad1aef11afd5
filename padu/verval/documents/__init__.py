"""Documents of the verval cycle: Berita Acara musdes/muskel, BNBA and SPTJM (no Django).

Fill the dataclasses of :mod:`padu.verval.documents.model` and call a generator; each
returns the file as ``bytes`` (PDF with fpdf2 core fonts, DOCX with python-docx, XLSX with
xlsxwriter). Every word printed is Bahasa Indonesia; dates are written without a locale.
Other workflows (OPD dampingan reports, BLT-DD musdesus lists) reuse the same pieces.
"""

from padu.verval.documents._teks import hari_tanggal, tanggal_panjang, terbilang
from padu.verval.documents.berita_acara import berita_acara_docx, berita_acara_pdf
from padu.verval.documents.bnba import bnba_dari_musdes, bnba_pdf, bnba_xlsx
from padu.verval.documents.model import (
    DaftarBnba,
    Keputusan,
    Musdes,
    Penandatangan,
    Sptjm,
    Wilayah,
)
from padu.verval.documents.sptjm import sptjm_docx, sptjm_pdf

__all__ = [
    "DaftarBnba",
    "Keputusan",
    "Musdes",
    "Penandatangan",
    "Sptjm",
    "Wilayah",
    "berita_acara_docx",
    "berita_acara_pdf",
    "bnba_dari_musdes",
    "bnba_pdf",
    "bnba_xlsx",
    "hari_tanggal",
    "sptjm_docx",
    "sptjm_pdf",
    "tanggal_panjang",
    "terbilang",
]
