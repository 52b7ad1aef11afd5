"""Verval documents rendered for real and read back with pypdf, python-docx and openpyxl."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import date

import pytest
from docx import Document
from openpyxl import load_workbook
from pypdf import PdfReader

from padu.verval.documents import (
    DaftarBnba,
    Keputusan,
    Musdes,
    Penandatangan,
    Sptjm,
    Wilayah,
    berita_acara_docx,
    berita_acara_pdf,
    bnba_dari_musdes,
    bnba_pdf,
    bnba_xlsx,
    hari_tanggal,
    sptjm_docx,
    sptjm_pdf,
    tanggal_panjang,
    terbilang,
)
from padu.verval.documents._teks import latin1

WILAYAH = Wilayah("Jawa Tengah", "Kabupaten Blora", "Jati", "Doplang", "33.16.01.2001")
KADES = Penandatangan("Kepala Desa Doplang", "Sutrisno")
BPD = Penandatangan("Ketua BPD", "Warsito")
SAKSI = Penandatangan("Saksi", "Siti Aminah", nip="198001012005012001")
TANGGAL = date(2026, 12, 7)  # a Monday


def _keputusan(nomor: int, nama: str, jenis: str, hasil: str, alasan: str = "") -> Keputusan:
    return Keputusan(
        nomor=nomor,
        nama_kepala=nama,
        nik_tersamar=f"3316********{nomor:04d}",
        alamat="Dusun Krajan RT 001/RW 002",
        jenis=jenis,
        uraian="Pekerjaan kepala diperbarui",
        keputusan=hasil,
        alasan=alasan,
        jumlah_art=nomor + 1,
    )


KEPUTUSAN_LIMA = [
    _keputusan(1, "Sutarmi", "baru", "diterima"),
    _keputusan(2, "Karsono", "baru", "ditolak", "Sudah mampu"),
    _keputusan(3, "Wagiman", "perbaikan", "diterima"),
    _keputusan(4, "Painem", "nonaktif", "diterima"),
    _keputusan(5, "Darmaji", "aktif_kembali", "ditolak", "Pindah domisili"),
]
LABEL = {"diterima": "Diterima", "ditolak": "Ditolak"}


def _musdes(keputusan: list[Keputusan] | None = None, **ubah: object) -> Musdes:
    m = Musdes(
        wilayah=WILAYAH,
        periode="Verval Desember 2026",
        jenis="musdes",
        nomor="BA/12/2026/33.16.01.2001",
        tanggal=TANGGAL,
        tempat="Balai Desa Doplang",
        pimpinan="Sutrisno, Kepala Desa",
        peserta=[KADES, BPD, SAKSI, Penandatangan("Pendamping PKH", "Rina Wulandari")],
        keputusan=KEPUTUSAN_LIMA if keputusan is None else keputusan,
        penandatangan=[KADES, BPD, SAKSI],
    )
    return replace(m, **ubah)  # type: ignore[arg-type]


def _sptjm(**ubah: object) -> Sptjm:
    s = Sptjm(
        wilayah=WILAYAH,
        periode="Verval Desember 2026",
        nomor="SPTJM/12/2026/33.16.01.2001",
        tanggal=TANGGAL,
        penanggung_jawab=Penandatangan("Kepala Desa", "Sutrisno"),
        jumlah_usulan=3,
        ringkasan=[("Usulan baru", 2), ("Penonaktifan", 1)],
        alasan_tanpa_musdes="wilayah terdampak banjir sehingga warga tidak dapat berkumpul",
    )
    return replace(s, **ubah)  # type: ignore[arg-type]


def _pdf_halaman(data: bytes) -> list[str]:
    assert data.startswith(b"%PDF")
    return [p.extract_text() for p in PdfReader(io.BytesIO(data)).pages]


def _docx_teks(data: bytes) -> tuple[str, list[list[list[str]]]]:
    """All paragraph text (body and table cells) and the tables as rows of cell texts."""
    doc = Document(io.BytesIO(data))
    teks = [p.text for p in doc.paragraphs]
    tabel = [[[c.text for c in r.cells] for r in t.rows] for t in doc.tables]
    teks += [c for t in tabel for r in t for c in r]
    return "\n".join(teks), tabel


def _xlsx_sel(data: bytes) -> list[list[object]]:
    ws = load_workbook(io.BytesIO(data)).active
    assert ws is not None
    return [list(r) for r in ws.iter_rows(values_only=True)]


def _cek_wilayah(teks: str) -> None:
    for nama in ("PEMERINTAH KABUPATEN BLORA", "KECAMATAN JATI", "DESA DOPLANG"):
        assert nama in teks


def test_tanggal_dan_angka_indonesia() -> None:
    assert hari_tanggal(TANGGAL) == "Senin, 7 Desember 2026"
    assert hari_tanggal(date(2024, 2, 29)) == "Kamis, 29 Februari 2024"
    assert hari_tanggal(date(2025, 8, 17)) == "Minggu, 17 Agustus 2025"
    assert tanggal_panjang(date(2026, 1, 1)) == "1 Januari 2026"
    assert terbilang(0) == "nol"
    assert terbilang(11) == "sebelas"
    assert terbilang(12) == "dua belas"
    assert terbilang(111) == "seratus sebelas"
    assert terbilang(1000) == "seribu"
    assert terbilang(2026) == "dua ribu dua puluh enam"
    assert terbilang(1_250_000) == "satu juta dua ratus lima puluh ribu"


def test_berita_acara_pdf() -> None:
    halaman = _pdf_halaman(berita_acara_pdf(_musdes()))
    teks = "\n".join(halaman)
    _cek_wilayah(teks)
    assert "BERITA ACARA MUSYAWARAH DESA" in teks
    assert "Nomor: BA/12/2026/33.16.01.2001" in teks
    assert "Pada hari Senin tanggal 7 Desember 2026 bertempat di Balai Desa Doplang" in teks
    assert "Data Terpadu Kesejahteraan Sosial (DTKS)" in teks
    assert "Rina Wulandari (Pendamping PKH)" in teks
    for ringkas in (
        "Jumlah usulan dibahas: 5",
        "Diterima: 3",
        "Ditolak: 2",
        "Usulan baru: 2 (diterima 1, ditolak 1)",
        "Pengaktifan kembali: 1 (diterima 0, ditolak 1)",
    ):
        assert ringkas in teks
    baris = teks.splitlines()
    for k in KEPUTUSAN_LIMA:
        cocok = [b for b in baris if b.startswith(f"{k.nomor} {k.nama_kepala} ")]
        assert len(cocok) == 1 and LABEL[k.keputusan] in cocok[0]
        if k.alasan:
            assert k.alasan in cocok[0]
    assert "Doplang, 7 Desember 2026" in teks
    for nama in ("Sutrisno", "Warsito", "Siti Aminah", "NIP. 198001012005012001"):
        assert nama in teks
    n = len(halaman)
    assert f"Halaman 1 dari {n}" in halaman[0] and f"Halaman {n} dari {n}" in halaman[-1]
    # The closing sentence stays on the page of the signatures.
    assert "Demikian berita acara ini" in halaman[-1] and "Warsito" in halaman[-1]
    meta = PdfReader(io.BytesIO(berita_acara_pdf(_musdes()))).metadata
    assert meta is not None and meta.title is not None and "Berita Acara" in meta.title


def test_berita_acara_docx() -> None:
    data = berita_acara_docx(_musdes())
    teks, tabel = _docx_teks(data)
    _cek_wilayah(teks)
    assert "Pada hari Senin tanggal 7 Desember 2026" in teks
    for ringkas in ("Jumlah usulan dibahas: 5", "Diterima: 3", "Ditolak: 2"):
        assert ringkas in teks
    keputusan = next(t for t in tabel if t[0][1] == "Nama Kepala Keluarga")
    assert len(keputusan) == 1 + len(KEPUTUSAN_LIMA)
    for k, baris in zip(KEPUTUSAN_LIMA, keputusan[1:], strict=True):
        assert baris[0] == str(k.nomor) and baris[1] == k.nama_kepala
        assert baris[6] == LABEL[k.keputusan] and baris[7] == (k.alasan or "-")
    for nama in ("Sutrisno", "Warsito", "Siti Aminah", "NIP. 198001012005012001"):
        assert nama in teks
    doc = Document(io.BytesIO(data))
    assert doc.core_properties.title.startswith("Berita Acara Musyawarah Desa")
    kepala = next(t for t in doc.tables if t.rows[0].cells[1].text == "Nama Kepala Keluarga")
    assert kepala.rows[0]._tr.xml.count("w:tblHeader") == 1  # header repeats on each page
    kaki = doc.sections[0].footer.paragraphs[0]._p.xml
    assert 'w:instr="PAGE"' in kaki and 'w:instr="NUMPAGES"' in kaki


def test_muskel_di_kelurahan() -> None:
    kelurahan = replace(WILAYAH, desa="Mlangsen", kode_desa="33.16.05.1001", jenis_desa="Kelurahan")
    m = _musdes(wilayah=kelurahan, jenis="muskel")
    teks = " ".join(" ".join(_pdf_halaman(berita_acara_pdf(m))).split())
    assert "BERITA ACARA MUSYAWARAH KELURAHAN" in teks
    assert "KELURAHAN MLANGSEN" in teks
    assert "telah dilaksanakan Musyawarah Kelurahan Mlangsen" in teks


def test_tanpa_usulan() -> None:
    m = _musdes(keputusan=[])
    teks_pdf = "\n".join(_pdf_halaman(berita_acara_pdf(m)))
    teks_docx, _ = _docx_teks(berita_acara_docx(m))
    for teks in (teks_pdf, teks_docx):
        assert "Tidak ada usulan yang dibahas" in teks
        assert "Jumlah usulan dibahas: 0" in teks
        assert "Sutrisno" in teks
    d = bnba_dari_musdes(m)
    assert "Jumlah keluarga: 0" in "\n".join(_pdf_halaman(bnba_pdf(d)))
    sel = [str(v) for r in _xlsx_sel(bnba_xlsx(d)) for v in r if v is not None]
    assert "Jumlah keluarga: 0" in sel and "Tidak ada usulan yang dibahas." in sel


def test_bnba_xlsx() -> None:
    d = bnba_dari_musdes(_musdes())
    wb = load_workbook(io.BytesIO(bnba_xlsx(d)))
    ws = wb.active
    assert ws is not None
    sel = [list(r) for r in ws.iter_rows(values_only=True)]
    semua = [str(v) for r in sel for v in r if v is not None]
    for teks in ("PEMERINTAH KABUPATEN BLORA", "KECAMATAN JATI", "DESA DOPLANG"):
        assert teks in semua
    kepala = next(i for i, r in enumerate(sel) if r[0] == "No")
    assert sel[kepala] == [
        "No",
        "Nama Kepala Keluarga",
        "NIK (tersamar)",
        "Alamat",
        "Jumlah ART",
        "Jenis Usulan",
        "Keputusan",
        "Alasan",
    ]
    for k, r in zip(KEPUTUSAN_LIMA, sel[kepala + 1 :], strict=False):
        assert r[0] == k.nomor and r[1] == k.nama_kepala and r[4] == k.jumlah_art
        assert r[6] == LABEL[k.keputusan] and (r[7] or "") == k.alasan
    assert sel[kepala + 6][0] == "Jumlah keluarga: 5"
    for nama in ("Sutrisno", "Warsito", "Siti Aminah", "Doplang, 7 Desember 2026"):
        assert nama in semua
    assert ws.freeze_panes == f"A{kepala + 2}"
    assert ws.auto_filter.ref == f"A{kepala + 1}:H{kepala + 6}"
    assert ws.page_setup.orientation == "landscape" and str(ws.page_setup.paperSize) == "9"
    assert ws.sheet_properties.pageSetUpPr is not None
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    # Fit to one page wide (1 is the OOXML default, so it may be left out), any number tall.
    assert ws.page_setup.fitToWidth in (None, 1) and ws.page_setup.fitToHeight == 0
    assert ws.print_title_rows == f"${kepala + 1}:${kepala + 1}"
    assert ws.column_dimensions["B"].width >= 20
    assert ws.cell(kepala + 2, 2).border.left.style == "thin"
    assert wb.properties.title is not None and "BNBA" in wb.properties.title


def test_bnba_generik_dan_rumus_tidak_dijalankan() -> None:
    d = DaftarBnba(
        wilayah=WILAYAH,
        judul="Daftar Calon Penerima BLT Dana Desa",
        periode="Tahun 2026",
        kolom=[("nama", "Nama"), ("desil", "Desil"), ("nominal", "Nominal"), ("tgl", "Tanggal")],
        baris=[
            {"nama": '=HYPERLINK("http://x")', "desil": 1, "nominal": 300000.0, "tgl": TANGGAL},
            {"nama": "Suparti", "desil": None, "nominal": 300000, "tgl": None},
        ],
        penandatangan=[KADES],
    )
    sel = _xlsx_sel(bnba_xlsx(d))
    kepala = next(i for i, r in enumerate(sel) if r[0] == "No")
    assert sel[kepala + 1] == [1, '=HYPERLINK("http://x")', 1, 300000, "7 Desember 2026"]
    assert sel[kepala + 3][0] == "Jumlah keluarga: 2"
    teks = "\n".join(_pdf_halaman(bnba_pdf(d)))
    assert "DAFTAR CALON PENERIMA BLT DANA DESA" in teks and "Jumlah keluarga: 2" in teks


def test_bnba_pdf_600_baris() -> None:
    keputusan = [
        _keputusan(i, f"Kepala Keluarga {i}", "baru", "diterima" if i % 4 else "ditolak", "Mampu")
        for i in range(1, 601)
    ]
    data = bnba_pdf(bnba_dari_musdes(_musdes(keputusan=keputusan)))
    reader = PdfReader(io.BytesIO(data))
    halaman = [p.extract_text() for p in reader.pages]
    n = len(halaman)
    assert n > 1
    assert reader.pages[0].mediabox.width > reader.pages[0].mediabox.height  # landscape
    for teks in halaman:
        assert "Nama Kepala Keluarga" in teks and "NIK (tersamar)" in teks
    assert "Kepala Keluarga 600" in halaman[-1] and "Jumlah keluarga: 600" in halaman[-1]
    assert f"Halaman {n} dari {n}" in halaman[-1]
    _cek_wilayah(halaman[0])


def test_sptjm_pdf_dan_docx() -> None:
    s = _sptjm()
    teks_pdf = "\n".join(_pdf_halaman(sptjm_pdf(s)))
    teks_docx, tabel = _docx_teks(sptjm_docx(s))
    for teks in (teks_pdf, teks_docx):
        _cek_wilayah(teks)
        assert "SURAT PERNYATAAN TANGGUNG JAWAB MUTLAK" in teks
        assert "Nomor: SPTJM/12/2026/33.16.01.2001" in teks
        assert "sebanyak 3 (tiga) usulan" in teks
        assert "Jumlah usulan: 3" in teks
        assert "wilayah terdampak banjir" in teks
        assert "Kepala Desa Doplang" in teks and "Sutrisno" in teks
        assert "Doplang, 7 Desember 2026" in teks
        assert "Meterai" in teks
    rincian = next(t for t in tabel if t[0] == ["No", "Jenis Usulan", "Jumlah"])
    assert rincian[1:] == [["1", "Usulan baru", "2"], ["2", "Penonaktifan", "1"]]


def test_teks_di_luar_latin1_tidak_merusak() -> None:
    aneh = "Sukārna 😀 “Pak” Lǐ – 李\x07"
    m = _musdes(
        keputusan=[_keputusan(1, aneh, "baru", "ditolak", "Alasan → pindah ✓")],
        tempat="Balai Desa 🏠 Doplang",
        catatan="Catatan dengan emoji 🙏",
    )
    teks_pdf = "\n".join(_pdf_halaman(berita_acara_pdf(m)))
    assert 'Sukarna "Pak" Li - ?' in teks_pdf and "Alasan -> pindah" in teks_pdf
    teks_docx, _ = _docx_teks(berita_acara_docx(m))
    assert "Sukārna 😀 “Pak” Lǐ – 李" in teks_docx  # Word keeps Unicode
    d = bnba_dari_musdes(m)
    assert "Sukarna" in "\n".join(_pdf_halaman(bnba_pdf(d)))
    assert any(str(v).startswith("Sukārna") for r in _xlsx_sel(bnba_xlsx(d)) for v in r)
    s = _sptjm(
        alasan_tanpa_musdes="banjir 🌊 ā", penanggung_jawab=Penandatangan("Kepala Desa", "Ā😀")
    )
    assert "banjir" in "\n".join(_pdf_halaman(sptjm_pdf(s)))
    assert "banjir 🌊 ā" in _docx_teks(sptjm_docx(s))[0]
    assert latin1("“x” – y… é") == '"x" - y... é'


def test_data_yang_salah_ditolak_dengan_pesan() -> None:
    with pytest.raises(ValueError, match="wajib disertai alasan"):
        _keputusan(1, "Karsono", "baru", "ditolak")
    with pytest.raises(ValueError, match="'diterima' atau 'ditolak'"):
        _keputusan(1, "Karsono", "baru", "ditunda")
    with pytest.raises(ValueError, match="musdes"):
        _musdes(jenis="rapat")
    with pytest.raises(ValueError, match="tidak sama dengan jumlah usulan 4"):
        _sptjm(jumlah_usulan=4)
    with pytest.raises(ValueError, match="alasan"):
        _sptjm(alasan_tanpa_musdes=" ")
