"""A document as a list of blocks, drawn the same way by the PDF and the DOCX renderer.

Each generator (berita acara, BNBA, SPTJM) says *what* the document contains once, as
blocks; ``_pdf.render_pdf`` and ``_docx.render_docx`` say *how* it is drawn. So the PDF
and the Word file of one document always carry the same words.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal, TypeAlias

from padu.verval.documents.model import Penandatangan, Wilayah

Rata = Literal["L", "C", "R", "J"]


@dataclass(frozen=True)
class Kop:
    """Letterhead: upper-case lines, a rule under them."""

    baris: list[str]

    @classmethod
    def dari(cls, wilayah: Wilayah) -> Kop:
        return cls(wilayah.kop())


@dataclass(frozen=True)
class Judul:
    """Centered bold title lines; the first larger; ``nomor`` under them."""

    baris: list[str]
    nomor: str = ""


@dataclass(frozen=True)
class Paragraf:
    teks: str
    tebal: bool = False
    rata: Rata = "J"
    spasi_atas: float = 2.0


@dataclass(frozen=True)
class Daftar:
    """A numbered (or dashed) list."""

    butir: list[str]
    bernomor: bool = True


@dataclass(frozen=True)
class Isian:
    """``Label : value`` lines, labels aligned."""

    pasangan: list[tuple[str, str]]


@dataclass(frozen=True)
class Tabel:
    """A table whose first row repeats on every page; ``kosong`` replaces an empty one.

    ``lebar`` are relative column widths; ``rata`` the alignment per column.
    """

    kepala: list[str]
    baris: list[list[str]]
    lebar: list[float]
    rata: list[Rata]
    kosong: str = ""
    ukuran_huruf: float = 8.0


@dataclass(frozen=True)
class TandaTangan:
    """Signature blocks in two columns under a place-and-date line.

    ``penutup`` (the closing "Demikian ..." paragraph) is kept on the same page as the
    signatures, so a signature never stands on a page of its own; ``pengantar`` (e.g.
    "Yang membuat pernyataan,") goes above the first role; ``meterai`` leaves a marked
    space for a duty stamp in the first block. A single signer signs on the right.
    """

    penandatangan: list[Penandatangan]
    tempat_tanggal: str = ""
    pengantar: str = ""
    meterai: bool = False
    penutup: str = ""


@dataclass(frozen=True)
class Gambar:
    """A picture drawn as SVG (a map or a chart), ``lebar`` mm wide, with its caption. Word
    files carry the caption only (python-docx embeds no SVG); the PDF draws the picture."""

    svg: str
    lebar: float
    keterangan: str = ""


Blok: TypeAlias = Kop | Judul | Paragraf | Daftar | Isian | Tabel | TandaTangan | Gambar


@dataclass(frozen=True)
class Dokumen:
    """What both renderers need: metadata, orientation, footer text and the blocks."""

    judul: str
    blok: list[Blok]
    lanskap: bool = False
    kaki: str = ""
    subjek: str = ""
    kata_kunci: list[str] = field(default_factory=list)


def pasangan_ttd(penandatangan: list[Penandatangan]) -> list[list[Penandatangan]]:
    """Signers two by two; a last odd one stands alone (drawn centered)."""
    return [penandatangan[i : i + 2] for i in range(0, len(penandatangan), 2)]
