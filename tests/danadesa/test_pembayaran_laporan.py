from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
import xlsxwriter

from padu.danadesa.laporan import laporan, omspan_xlsx
from padu.danadesa.models import Pagu, Pembayaran
from padu.danadesa.services import DanadesaError
from padu.danadesa.services.daftar import daftar_hitung
from padu.danadesa.services.musdesus import musdesus_catat
from padu.danadesa.services.pagu import pagu_impor, pagu_simpan
from padu.danadesa.services.pembayaran import pembayaran_catat, pembayaran_impor
from tests.access_fixtures import OWN, logged_in
from tests.danadesa.fixtures import Register, build_register

pytestmark = pytest.mark.django_db
PEOPLE = [{"nama": "Slamet", "jabatan": "Kepala Desa"}]


def _xlsx(path: Path, rows: list[list[object]]) -> Path:
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet()
    for r, row in enumerate(rows):
        for c, v in enumerate(row):
            ws.write(r, c, v)
    wb.close()
    return path


def _decided(reg: Register) -> None:
    op = reg.user("operator-desa")
    pagu_simpan(actor=op, kode_desa=OWN, tahun=2025, pagu=120_000_000)
    daftar_hitung(actor=op, kode_desa=OWN, tahun=2025)
    musdesus_catat(
        actor=op,
        kode_desa=OWN,
        tahun=2025,
        tanggal=dt.date(2025, 1, 10),
        tempat="Balai desa",
        pimpinan="Slamet",
        peserta=PEOPLE,
        penandatangan=PEOPLE,
        nomor_perkades="141/07/2025",
        hapus={reg.pk("Karto"): "Pindah"},
    )


def test_pagu_import_names_file_row_and_column(tmp_path: Path) -> None:
    reg = build_register()
    op = reg.user("operator-kecamatan")
    bad = _xlsx(
        tmp_path / "pagu.xlsx",
        [
            ["Kode Desa", "Pagu Dana Desa", "Porsi BLT-DD"],
            ["3316012001", "1.250.000.000", "15"],
            ["33.16.01.2002", "satu milyar", ""],
            ["3316012003", "", "10"],
        ],
    )
    with pytest.raises(DanadesaError) as raised:
        pagu_impor(actor=op, path=bad, nama="pagu.xlsx", tahun=2025)
    text = str(raised.value)
    assert "pagu.xlsx baris 3, kolom 'Pagu Dana Desa': 'satu milyar' tidak dapat dibaca" in text
    assert "pagu.xlsx baris 4, kolom 'Pagu Dana Desa': kosong; isi nilainya." in text
    foreign = _xlsx(
        tmp_path / "lain.xlsx",
        [["Kode Desa", "Pagu Dana Desa"], ["3316012001", 800000000], ["33.16.02.2001", 900000000]],
    )
    with pytest.raises(
        DanadesaError,
        match=re.escape(
            "lain.xlsx baris 3, kolom 'kode desa': Anda tidak berwenang atas desa 33.16.02.2001"
        ),
    ):
        pagu_impor(actor=op, path=foreign, nama="lain.xlsx", tahun=2025)
    assert not Pagu.objects.exists()  # all rows or none
    good = _xlsx(
        tmp_path / "ok.xlsx",
        [
            ["Kode Desa", "Pagu Dana Desa", "Porsi BLT-DD"],
            ["3316012001", "1.250.000.000", "15"],
            ["33.16.01.2002", 987654321, ""],
        ],
    )
    assert pagu_impor(actor=op, path=good, nama="ok.xlsx", tahun=2025) == 2
    row = Pagu.objects.get(kode_desa=OWN, tahun=2025)
    assert (row.pagu, row.persen_blt, row.sumber) == (1_250_000_000, Decimal("15.00"), "impor")
    missing = _xlsx(tmp_path / "x.xlsx", [["Kode Desa", "Jumlah"], ["3316012001", 1]])
    with pytest.raises(
        DanadesaError, match=re.escape("x.xlsx: kolom 'pagu dana desa' tidak ada di baris judul")
    ):
        pagu_impor(actor=op, path=missing, nama="x.xlsx", tahun=2025)


def test_payments_only_for_kpm_within_the_monthly_amount(tmp_path: Path) -> None:
    reg = build_register()
    op = reg.user("operator-desa")
    _decided(reg)
    day = dt.date(2025, 2, 5)
    n = pembayaran_catat(
        actor=op,
        kode_desa=OWN,
        tahun=2025,
        bulan=2,
        baris=[
            {"keluarga_id": reg.pk("Sarmi"), "tanggal": day, "cara": "tunai", "jumlah": 300_000}
        ],
    )
    assert n == 1
    with pytest.raises(DanadesaError, match="bukan KPM"):
        pembayaran_catat(
            actor=op,
            kode_desa=OWN,
            tahun=2025,
            bulan=2,
            baris=[
                {"keluarga_id": reg.pk("Karto"), "tanggal": day, "cara": "tunai", "jumlah": 300_000}
            ],
        )
    with pytest.raises(DanadesaError, match="harus di antara 1 dan Rp 300000"):
        pembayaran_catat(
            actor=op,
            kode_desa=OWN,
            tahun=2025,
            bulan=2,
            baris=[
                {"keluarga_id": reg.pk("Sarmi"), "tanggal": day, "cara": "tunai", "jumlah": 900_000}
            ],
        )
    kk = reg.families["Painem"].no_kk
    bank = _xlsx(
        tmp_path / "bank.xlsx",
        [
            ["No. KK", "Bulan", "Tanggal Salur", "Cara Salur", "Jumlah"],
            [kk, 2, "06/02/2025", "transfer", 300000],
            ["3316019999999999", 2, "2025-02-06", "transfer", 300000],
        ],
    )
    with pytest.raises(DanadesaError, match=re.escape("bank.xlsx baris 3, kolom 'No. KK'")):
        pembayaran_impor(actor=op, kode_desa=OWN, tahun=2025, path=bank, nama="bank.xlsx")
    assert Pembayaran.objects.count() == 1
    ok = _xlsx(
        tmp_path / "ok.xlsx",
        [
            ["No. KK", "Bulan", "Tanggal Salur", "Cara Salur", "Jumlah"],
            [kk, 2, "06/02/2025", "transfer", 300000],
        ],
    )
    assert pembayaran_impor(actor=op, kode_desa=OWN, tahun=2025, path=ok, nama="ok.xlsx") == 1
    assert Pembayaran.objects.get(keluarga=reg.families["Painem"]).tanggal == dt.date(2025, 2, 6)


def test_reports_flags_what_if_and_omspan_export() -> None:
    reg = build_register()
    _decided(reg)
    op = reg.user("operator-desa")
    pembayaran_catat(
        actor=op,
        kode_desa=OWN,
        tahun=2025,
        bulan=2,
        baris=[
            {
                "keluarga_id": reg.pk(n),
                "tanggal": dt.date(2025, 2, 5),
                "cara": "tunai",
                "jumlah": 300_000,
            }
            for n in ("Sarmi", "Painem")
        ],
    )
    (row,) = laporan(reg.user("tkpk-kabupaten"), "33.16", 2025, Decimal("30"))
    assert (row.kode, row.pagu, row.kuota, row.kpm, row.ditetapkan) == (
        OWN,
        120_000_000,
        5,
        4,
        True,
    )
    assert (row.rencana, row.dibayar, row.batas_rp) == (4 * 3_600_000, 600_000, 18_000_000)
    assert round(row.porsi_terpakai, 1) == 80.0 and not row.di_atas_batas
    assert row.desil == {1: 2, 2: 1, 3: 1} and not row.desil1_tertinggal
    # At 30% the budget pays 10 families: all 6 qualifying (Karto was removed), 2 more than
    # the 4 KPM now; no desil-1 family was left out, so none more of those.
    andai = row.andai
    assert (andai["kuota_andai"], andai["tercakup_andai"], andai["tambahan"]) == (10, 6, 2)
    assert (andai["desil1_tercakup"], andai["tambahan_desil1"]) == (2, 0)
    Pagu.objects.filter(kode_desa=OWN).update(pagu=40_000_000)  # 15% = 6 M < 4 x 3.6 M planned
    (row,) = laporan(reg.user("tkpk-kabupaten"), "33.16", 2025)
    assert row.di_atas_batas and row.desil1_tertinggal is False
    assert laporan(reg.user("operator-desa"), "33.17", 2025) == []
    book = zipfile.ZipFile(io.BytesIO(omspan_xlsx(reg.user("tkpk-kabupaten"), "33.16", 2025, 2)))
    strings = book.read("xl/sharedStrings.xml").decode()
    sheet = book.read("xl/worksheets/sheet1.xml").decode()
    assert "Realisasi Bulan Ini (Rp)" in strings and "141/07/2025" in strings and OWN in strings
    assert "<v>600000</v>" in sheet
    page = (
        logged_in(reg.user("tkpk-kabupaten")).get("/danadesa/laporan/33.16/2025/").content.decode()
    )
    assert 'id="total-kpm">4<' in page and 'id="total-dibayar">Rp 600' in page


def test_desil_one_left_out_while_others_are_in_is_flagged() -> None:
    reg = build_register()
    op = reg.user("operator-desa")
    pagu_simpan(actor=op, kode_desa=OWN, tahun=2025, pagu=120_000_000)
    daftar_hitung(actor=op, kode_desa=OWN, tahun=2025)
    musdesus_catat(
        actor=op,
        kode_desa=OWN,
        tahun=2025,
        tanggal=dt.date(2025, 1, 10),
        tempat="Balai desa",
        pimpinan="Slamet",
        peserta=PEOPLE,
        penandatangan=PEOPLE,
        nomor_perkades="1/2025",
        hapus={reg.pk("Sarmi"): "Tidak hadir"},
        tambah={reg.pk("Mbah Rejo"): "Lansia tunggal"},
    )
    (row,) = laporan(reg.user("operator-desa"), OWN, 2025)
    assert row.desil1_di_luar == 1 and row.desil1_tertinggal


def test_every_imported_file_is_kept_with_its_rows_accepted_or_refused(tmp_path: Path) -> None:
    from padu.danadesa.models import Impor

    reg = build_register()
    op = reg.user("operator-kecamatan")
    bad = _xlsx(tmp_path / "salah.xlsx", [["Kode Desa", "Pagu Dana Desa"], ["3316012001", "x"]])
    with pytest.raises(DanadesaError):
        pagu_impor(actor=op, path=bad, nama="salah.xlsx", tahun=2025)
    good = _xlsx(tmp_path / "benar.xlsx", [["Kode Desa", "Pagu Dana Desa"], ["3316012001", 5]])
    pagu_impor(actor=op, path=good, nama="benar.xlsx", tahun=2025)
    refused, accepted = Impor.objects.order_by("id")
    assert (refused.status, refused.baris) == (
        "ditolak",
        [{"baris": 2, "Kode Desa": "3316012001", "Pagu Dana Desa": "x"}],
    )
    assert "salah.xlsx baris 2, kolom 'Pagu Dana Desa'" in refused.pesan
    assert accepted.status == "diterima" and len(accepted.sha256) == 64
    assert Pagu.objects.get(kode_desa=OWN).impor == accepted


def test_the_dashboard_counts_blt_dd_use_of_the_limit() -> None:
    from padu.dashboard.indicators import INDICATORS
    from padu.dashboard.models import Agregat
    from padu.dashboard.services import agregat_refresh

    reg = build_register()
    _decided(reg)
    agregat_refresh(actor=None, today=dt.date(2025, 6, 1))
    desa = Agregat.objects.get(kode=OWN).nilai
    assert (desa["blt_kpm"], desa["blt_rencana"], desa["blt_batas"]) == (
        4,
        4 * 3_600_000,
        18_000_000,
    )
    kab = Agregat.objects.get(kode="33.16").nilai
    assert INDICATORS["blt_batas_terpakai"].value(kab) == pytest.approx(80.0)
    assert INDICATORS["blt_di_atas_batas"].value(kab) == 0
