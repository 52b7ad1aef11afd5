"""Plain data describing the documents of the verval cycle (no Django).

The Django side (or any other workflow: OPD dampingan reports, BLT-DD musdesus lists)
fills these dataclasses from its own records and hands them to the generators in this
package. Values are checked when a dataclass is built, with messages in Bahasa Indonesia,
so a wrong document is refused before it is printed and signed.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

JENIS_USULAN: dict[str, str] = {
    "baru": "Usulan baru",
    "perbaikan": "Perbaikan data",
    "nonaktif": "Penonaktifan",
    "aktif_kembali": "Pengaktifan kembali",
}
"""Label of each kind of usulan; an unknown key is shown as written (see ``label_jenis``)."""

KEPUTUSAN: dict[str, str] = {"diterima": "Diterima", "ditolak": "Ditolak"}
JENIS_MUSYAWARAH: dict[str, str] = {"musdes": "Musyawarah Desa", "muskel": "Musyawarah Kelurahan"}


def label_jenis(jenis: str) -> str:
    """Label of an usulan kind, e.g. ``"aktif_kembali"`` -> ``"Pengaktifan kembali"``."""
    return JENIS_USULAN.get(jenis, jenis.replace("_", " ").strip().capitalize())


@dataclass(frozen=True)
class Wilayah:
    """Region in the header of every document."""

    provinsi: str
    kabupaten: str
    kecamatan: str
    desa: str
    kode_desa: str
    jenis_desa: str = "Desa"

    @property
    def nama_desa(self) -> str:
        """``"Desa Doplang"`` or ``"Kelurahan ..."``."""
        return f"{self.jenis_desa} {self.desa}"

    @property
    def lengkap(self) -> str:
        """``"Desa Doplang, Kecamatan Jati, Kabupaten Blora, Provinsi Jawa Tengah"``."""
        return (
            f"{self.nama_desa}, Kecamatan {self.kecamatan}, {self.kabupaten}, "
            f"Provinsi {self.provinsi}"
        )

    def kop(self) -> list[str]:
        """The letterhead lines, upper-case."""
        return [
            f"PEMERINTAH {self.kabupaten}".upper(),
            f"KECAMATAN {self.kecamatan}".upper(),
            self.nama_desa.upper(),
        ]


@dataclass(frozen=True)
class Penandatangan:
    """A person who attends or signs, with the role they sign in."""

    jabatan: str
    nama: str
    nip: str | None = None


@dataclass(frozen=True)
class Keputusan:
    """One usulan decided at the musdes."""

    nomor: int
    nama_kepala: str
    nik_tersamar: str
    alamat: str
    jenis: str
    uraian: str
    keputusan: str
    alasan: str = ""
    jumlah_art: int | None = None

    def __post_init__(self) -> None:
        if self.keputusan not in KEPUTUSAN:
            raise ValueError(
                f"Keputusan nomor {self.nomor} ({self.nama_kepala}): keputusan "
                f"{self.keputusan!r} tidak dikenal; isi 'diterima' atau 'ditolak'."
            )
        if self.keputusan == "ditolak" and not self.alasan.strip():
            raise ValueError(
                f"Keputusan nomor {self.nomor} ({self.nama_kepala}): usulan yang ditolak "
                "wajib disertai alasan; isi alasan penolakannya."
            )


@dataclass(frozen=True)
class RingkasanJenis:
    """Counts of one usulan kind (computed, see ``Musdes.ringkasan``)."""

    jenis: str
    dibahas: int
    diterima: int
    ditolak: int

    @property
    def label(self) -> str:
        return label_jenis(self.jenis)


@dataclass(frozen=True)
class Musdes:
    """A village deliberation (musdes / muskel) and the usulan it decided."""

    wilayah: Wilayah
    periode: str
    jenis: str
    nomor: str
    tanggal: date
    tempat: str
    pimpinan: str
    peserta: list[Penandatangan]
    keputusan: list[Keputusan]
    penandatangan: list[Penandatangan]
    catatan: str = ""

    def __post_init__(self) -> None:
        if self.jenis not in JENIS_MUSYAWARAH:
            raise ValueError(
                f"Jenis musyawarah {self.jenis!r} tidak dikenal; isi 'musdes' (musyawarah "
                "desa) atau 'muskel' (musyawarah kelurahan)."
            )

    @property
    def nama_musyawarah(self) -> str:
        """``"Musyawarah Desa"`` or ``"Musyawarah Kelurahan"``."""
        return JENIS_MUSYAWARAH[self.jenis]

    @property
    def jumlah_diterima(self) -> int:
        return sum(1 for k in self.keputusan if k.keputusan == "diterima")

    @property
    def jumlah_ditolak(self) -> int:
        return sum(1 for k in self.keputusan if k.keputusan == "ditolak")

    def ringkasan(self) -> list[RingkasanJenis]:
        """Counts per usulan kind: known kinds first in their usual order, then others."""
        dibahas = Counter(k.jenis for k in self.keputusan)
        diterima = Counter(k.jenis for k in self.keputusan if k.keputusan == "diterima")
        urutan = [j for j in JENIS_USULAN if j in dibahas]
        urutan += sorted(j for j in dibahas if j not in JENIS_USULAN)
        return [
            RingkasanJenis(j, dibahas[j], diterima[j], dibahas[j] - diterima[j]) for j in urutan
        ]


@dataclass(frozen=True)
class DaftarBnba:
    """A name-by-address list (BNBA) with generic columns; "No" is added automatically.

    ``tempat_tanggal`` (e.g. ``"Doplang, 7 Desember 2026"``) heads the signature blocks
    when given; ``kosong`` is printed when there are no rows.
    """

    wilayah: Wilayah
    judul: str
    periode: str
    kolom: list[tuple[str, str]]
    baris: list[dict[str, object]]
    penandatangan: list[Penandatangan]
    catatan: str = ""
    tempat_tanggal: str = ""
    kosong: str = "Tidak ada keluarga dalam daftar."

    @property
    def jumlah_keluarga(self) -> int:
        return len(self.baris)


@dataclass(frozen=True)
class Sptjm:
    """Surat Pernyataan Tanggung Jawab Mutlak, used where no musdes is held."""

    wilayah: Wilayah
    periode: str
    nomor: str
    tanggal: date
    penanggung_jawab: Penandatangan
    jumlah_usulan: int
    ringkasan: list[tuple[str, int]]
    alasan_tanpa_musdes: str
    lampiran: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        if self.jumlah_usulan < 0:
            raise ValueError("Jumlah usulan tidak boleh negatif.")
        total = sum(n for _, n in self.ringkasan)
        if self.ringkasan and total != self.jumlah_usulan:
            raise ValueError(
                f"Rincian usulan berjumlah {total}, tidak sama dengan jumlah usulan "
                f"{self.jumlah_usulan}; perbaiki rincian atau jumlahnya."
            )
        if not self.alasan_tanpa_musdes.strip():
            raise ValueError(
                "SPTJM wajib menyebut alasan musyawarah tidak dilaksanakan; isi alasannya."
            )
