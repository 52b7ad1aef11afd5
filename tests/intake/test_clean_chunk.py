"""Repair and validation of one messy chunk gives exactly these errors, repairs and typed
values: the wording (row, the user's own header, value, fix), the order of the problems and
the originals of repairs are what users and the quarantine file see, so a faster engine must
not change them. The expected rows were produced by the engine before it became one lazy
query (a filter and an error frame per rule) and checked by hand."""

from __future__ import annotations

import datetime
import datetime as dt

import polars as pl

from padu.engine.intake import clean

TODAY = dt.date(2026, 11, 29)
ART_HEADERS = [
    "ID ART",
    "ID KEL",
    "NIK",
    "NO KK",
    "NAMA LENGKAP",
    "TGL LAHIR",
    "JK",
    "HUB KK",
    "BEKERJA",
]
ART_MAPPING = {
    "id_art": "ID ART",
    "id_keluarga": "ID KEL",
    "nik": "NIK",
    "no_kk": "NO KK",
    "nama": "NAMA LENGKAP",
    "tgl_lahir": "TGL LAHIR",
    "jenis_kelamin": "JK",
    "hub_kepala_keluarga": "HUB KK",
    "bekerja": "BEKERJA",
}
ART_ROWS = [
    [
        "A1",
        "K1",
        "3316014508800001",
        "3316010101010001",
        "Siti  Aminah ",
        "1980-08-05",
        "P",
        "1",
        "ya",
    ],
    ["A2", "K1", "3.31601E+15", "3316010101010001", "budi", "29470", "L", "2", "0"],
    [
        "A3",
        "K1",
        "'3316 0105 0880 0002",
        "3316010101010001",
        "Ani",
        "31-02-1990",
        "X",
        "",
        "mungkin",
    ],
    ["A2", "", "33160145088A0001", "12", "Dewi", "", "", "", ""],
    ["", "", "", "", "", "", "", "", ""],
    [
        "A5",
        "K2",
        "9999014508800001",
        "9999010101010001",
        "Rina",
        "05/08/1980",
        "perempuan",
        "01",
        "Tidak",
    ],
    ["A6", "K2", "3316019908800001", "3316010101010002", "Joko", "1980-08-05T00:00", "1", "3", "1"],
    ["A7", "K2", "3316014508800000", "3316010101010002", "Tono", "1980-08-05", "2", "9", "1"],
]
KEL_HEADERS = ["ID KELUARGA", "NOMOR KK", "DESA", "ALAMAT", "LUAS LANTAI", "JUMLAH KAMAR"]
KEL_MAPPING = {
    "id_keluarga": "ID KELUARGA",
    "no_kk": "NOMOR KK",
    "kode_desa": "DESA",
    "alamat": "ALAMAT",
    "luas_lantai": "LUAS LANTAI",
    "jumlah_kamar": "JUMLAH KAMAR",
}
KEL_ROWS = [
    ["K1", "3316010101010001", "33.16.01.2001", "Jl.  Mawar 1", "36", "3"],
    ["K2", "3316010101010002", "3316012001", "Dusun II", "12,5", "2.0"],
    ["K3", "3316010101010003", "33.16.01.200", "", "-4", "2,5"],
    ["K4", "3,31601E+15", "33 16 01 2001", "RT 1", "luas", "dua"],
]


def _chunk(headers: list[str], rows: list[list[str]], first: int = 2) -> pl.DataFrame:
    frame = pl.DataFrame(rows, schema=headers, orient="row")
    return frame.with_columns(
        pl.int_range(first, first + frame.height, dtype=pl.Int64).alias("_baris")
    ).select("_baris", *headers)


def _clean(table: str, headers: list[str], rows: list[list[str]], mapping: dict[str, str]):
    opts = clean.CleanOptions(
        table=table,  # type: ignore[arg-type]
        mapping=mapping,
        known_kecamatan=frozenset({"33.16.01"}),
        today=TODAY,
    )
    tracker = clean.DuplicateTracker()
    if table == "art":
        tracker.add(["A7"])  # staged in an earlier chunk of the same file
    return clean.clean_chunk(_chunk(headers, rows), opts, tracker)


ART_ERRORS = [
    (
        3,
        "nik",
        "3.31601E+15",
        "nik_float_rusak",
        "error",
        "Baris 3, kolom NIK: NIK tersimpan sebagai angka di lembar kerja (mis. 3,31601E+15), sehingga digit terakhirnya bisa sudah berubah dan tidak dapat dipulihkan. Ketik ulang NIK dari KTP atau Kartu Keluarga di kolom yang diformat sebagai Teks.",
    ),
    (
        5,
        "nik",
        "33160145088A0001",
        "nik_bukan_angka",
        "error",
        "Baris 5, kolom NIK: NIK hanya boleh berisi angka 0-9; yang tertulis memuat karakter lain ('A'). Periksa kembali pada KTP atau Kartu Keluarga dan ketik ulang 16 digit angkanya.",
    ),
    (
        7,
        "nik",
        "9999014508800001",
        "nik_wilayah_tidak_dikenal",
        "warning",
        "Baris 7, kolom NIK: Enam digit awal NIK (999901, kecamatan 99.99.01) bukan kode kecamatan yang dikenal; enam digit ini adalah kode kecamatan tempat NIK diterbitkan. Periksa kembali pada KTP atau Kartu Keluarga.",
    ),
    (
        8,
        "nik",
        "3316019908800001",
        "nik_tanggal_tidak_valid",
        "error",
        "Baris 8, kolom NIK: Digit ke-7 sampai ke-12 NIK (990880) bukan tanggal lahir yang mungkin. Bagian ini berisi tanggal, bulan dan tahun lahir (DDMMYY). Pada NIK perempuan tanggal lahir ditambah 40 (lahir tanggal 5 ditulis 45), pada NIK laki-laki tidak. Periksa kembali pada KTP atau Kartu Keluarga.",
    ),
    (
        9,
        "nik",
        "3316014508800000",
        "nik_nomor_urut_nol",
        "error",
        "Baris 9, kolom NIK: Empat digit terakhir NIK (nomor urut) tidak boleh 0000. Periksa kembali pada KTP atau Kartu Keluarga.",
    ),
    (
        5,
        "no_kk",
        "12",
        "kk_panjang",
        "error",
        "Baris 5, kolom NO KK: Nomor KK harus 16 digit angka; yang tertulis 2 digit. Periksa kembali pada Kartu Keluarga dan ketik ulang sebagai teks.",
    ),
    (
        7,
        "no_kk",
        "9999010101010001",
        "kk_wilayah_tidak_dikenal",
        "warning",
        "Baris 7, kolom NO KK: Enam digit awal Nomor KK (999901, kecamatan 99.99.01) bukan kode kecamatan yang dikenal; enam digit ini adalah kode kecamatan tempat Nomor KK diterbitkan. Periksa kembali pada Kartu Keluarga.",
    ),
    (
        4,
        "tgl_lahir",
        "31-02-1990",
        "tanggal_tidak_valid",
        "error",
        "Baris 4, kolom TGL LAHIR: '31-02-1990' bukan tanggal yang sah. Tulis sebagai TTTT-BB-HH (mis. 1980-07-31) atau HH-BB-TTTT.",
    ),
    (
        4,
        "jenis_kelamin",
        "X",
        "kode_tidak_dikenal",
        "error",
        "Baris 4, kolom JK: 'X' tidak dikenal. Isi salah satu: 1 (Laki-laki), 2 (Perempuan).",
    ),
    (
        4,
        "bekerja",
        "mungkin",
        "kode_tidak_dikenal",
        "error",
        "Baris 4, kolom BEKERJA: 'mungkin' tidak dikenal. Isi salah satu: 1/ya atau 0/tidak.",
    ),
    (5, "id_keluarga", None, "wajib_kosong", "error", "Baris 5, kolom ID KEL: wajib diisi."),
    (
        5,
        "id_art",
        "A2",
        "id_ganda",
        "error",
        "Baris 5, kolom ID ART: 'A2' ganda di berkas ini; setiap baris harus punya ID sendiri.",
    ),
    (
        9,
        "id_art",
        "A7",
        "id_ganda",
        "error",
        "Baris 9, kolom ID ART: 'A7' ganda di berkas ini; setiap baris harus punya ID sendiri.",
    ),
]
ART_REPAIRS = [
    (4, "nik", "'3316 0105 0880 0002", "3316010508800002", "nomor_identitas"),
    (2, "nama", "Siti  Aminah ", "Siti Aminah", "spasi"),
    (3, "tgl_lahir", "29470", "1980-09-06", "serial_excel"),
]
KEL_ERRORS = [
    (
        5,
        "no_kk",
        "3,31601E+15",
        "kk_float_rusak",
        "error",
        "Baris 5, kolom NOMOR KK: Nomor KK tersimpan sebagai angka di lembar kerja (mis. 3,31601E+15), sehingga digit terakhirnya bisa sudah berubah dan tidak dapat dipulihkan. Ketik ulang Nomor KK dari Kartu Keluarga di kolom yang diformat sebagai Teks.",
    ),
    (
        4,
        "kode_desa",
        "33.16.01.200",
        "kode_desa_tidak_valid",
        "error",
        "Baris 4, kolom DESA: '33.16.01.200' bukan kode desa/kelurahan 10 digit. Tulis seperti 33.16.01.2001 atau 3316012001.",
    ),
    (
        4,
        "luas_lantai",
        "-4",
        "angka_tidak_valid",
        "error",
        "Baris 4, kolom LUAS LANTAI: '-4' bukan angka yang sah. Isi angka tidak negatif, tanpa satuan.",
    ),
    (
        5,
        "luas_lantai",
        "luas",
        "angka_tidak_valid",
        "error",
        "Baris 5, kolom LUAS LANTAI: 'luas' bukan angka yang sah. Isi angka tidak negatif, tanpa satuan.",
    ),
    (
        4,
        "jumlah_kamar",
        "2,5",
        "angka_tidak_valid",
        "error",
        "Baris 4, kolom JUMLAH KAMAR: '2,5' bukan bilangan bulat yang sah. Isi bilangan bulat tidak negatif, tanpa satuan.",
    ),
    (
        5,
        "jumlah_kamar",
        "dua",
        "angka_tidak_valid",
        "error",
        "Baris 5, kolom JUMLAH KAMAR: 'dua' bukan bilangan bulat yang sah. Isi bilangan bulat tidak negatif, tanpa satuan.",
    ),
]
KEL_REPAIRS = [
    (2, "alamat", "Jl.  Mawar 1", "Jl. Mawar 1", "spasi"),
    (3, "luas_lantai", "12,5", "12.5", "koma_desimal"),
]


def _typed(result: clean.CleanChunk, mapping: dict[str, str]) -> list[tuple]:
    return result.typed.select("_baris", *mapping).rows()


def test_messy_art_chunk_gives_exactly_these_problems_and_repairs() -> None:
    result = _clean("art", ART_HEADERS, ART_ROWS, ART_MAPPING)
    assert result.errors.rows() == ART_ERRORS
    assert result.repairs.rows() == ART_REPAIRS
    assert result.blank.to_list() == [False, False, False, False, True, False, False, False]
    assert _typed(result, ART_MAPPING) == [
        (
            2,
            "A1",
            "K1",
            "3316014508800001",
            "3316010101010001",
            "Siti Aminah",
            datetime.date(1980, 8, 5),
            2,
            1,
            True,
        ),
        (3, "A2", "K1", None, "3316010101010001", "budi", datetime.date(1980, 9, 6), 1, 2, False),
        (4, "A3", "K1", "3316010508800002", "3316010101010001", "Ani", None, None, None, None),
        (5, "A2", None, "33160145088A0001", "12", "Dewi", None, None, None, None),
        (6, None, None, None, None, None, None, None, None, None),
        (
            7,
            "A5",
            "K2",
            "9999014508800001",
            "9999010101010001",
            "Rina",
            datetime.date(1980, 8, 5),
            2,
            1,
            False,
        ),
        (
            8,
            "A6",
            "K2",
            "3316019908800001",
            "3316010101010002",
            "Joko",
            datetime.date(1980, 8, 5),
            1,
            3,
            True,
        ),
        (
            9,
            "A7",
            "K2",
            "3316014508800000",
            "3316010101010002",
            "Tono",
            datetime.date(1980, 8, 5),
            2,
            9,
            True,
        ),
    ]
    assert sorted(result.quarantined_rows().to_list()) == [3, 4, 5, 8, 9]


def test_messy_keluarga_chunk_gives_exactly_these_problems_and_repairs() -> None:
    result = _clean("keluarga", KEL_HEADERS, KEL_ROWS, KEL_MAPPING)
    assert result.errors.rows() == KEL_ERRORS
    assert result.repairs.rows() == KEL_REPAIRS
    assert result.blank.to_list() == [False, False, False, False]
    assert _typed(result, KEL_MAPPING) == [
        (2, "K1", "3316010101010001", "33.16.01.2001", "Jl. Mawar 1", 36.0, 3),
        (3, "K2", "3316010101010002", "33.16.01.2001", "Dusun II", 12.5, 2),
        (4, "K3", "3316010101010003", None, None, -4.0, None),
        (5, "K4", None, "33.16.01.2001", "RT 1", None, None),
    ]


def test_identity_messages_are_worded_per_value_not_per_problem_code() -> None:
    rows = [
        ["B1", "K1", "9999014508800001", "", "", "", "", "", ""],
        ["B2", "K1", "8888014508800001", "", "", "", "", "", ""],
        ["B3", "K1", "9999014508800002", "", "", "", "", "", ""],
        ["B4", "K1", "123", "", "", "", "", "", ""],
        ["B5", "K1", "1234", "", "", "", "", "", ""],
    ]
    errors = _clean("art", ART_HEADERS, rows, ART_MAPPING).errors
    messages = dict(zip(errors["_baris"].to_list(), errors["pesan"].to_list(), strict=True))
    assert "(999901, kecamatan 99.99.01)" in messages[2]
    assert "(888801, kecamatan 88.88.01)" in messages[3]
    assert "(999901, kecamatan 99.99.01)" in messages[4]
    assert "yang tertulis 3 digit" in messages[5]
    assert "yang tertulis 4 digit" in messages[6]
    assert errors["tingkat"].to_list() == ["warning", "warning", "warning", "error", "error"]


def test_a_repeated_no_kk_is_checked_once_and_reported_on_every_row() -> None:
    kk = ["3.31601E+15", "'3316010101010001", "", "3316010101010001"]
    rows = [[f"C{i}", "K1", "", kk[i % 4], "", "", "", "", ""] for i in range(12)]
    result = _clean("art", ART_HEADERS, rows, ART_MAPPING)
    errors = result.errors.filter(pl.col("kolom") == "no_kk")
    assert errors["_baris"].to_list() == [2, 6, 10]
    assert set(errors["kode"]) == {"kk_float_rusak"}
    assert errors["pesan"][0].startswith("Baris 2, kolom NO KK: Nomor KK tersimpan sebagai angka")
    repairs = result.repairs.filter(pl.col("kolom") == "no_kk")
    assert repairs.rows() == [
        (row, "no_kk", "'3316010101010001", "3316010101010001", "nomor_identitas")
        for row in (3, 7, 11)
    ]
    assert result.typed["no_kk"].to_list() == [None, "3316010101010001"] * 6
