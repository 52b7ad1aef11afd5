from __future__ import annotations

import datetime as dt
import io
import zipfile
from typing import Any

import pytest

from padu.danadesa import dokumen
from padu.danadesa.models import Baris, Daftar
from padu.danadesa.services import DanadesaError
from padu.danadesa.services.daftar import daftar_hitung
from padu.danadesa.services.musdesus import musdesus_catat
from padu.danadesa.services.pagu import pagu_simpan
from tests.access_fixtures import OWN, logged_in
from tests.danadesa.fixtures import Register, build_register

pytestmark = pytest.mark.django_db
PEOPLE = [{"nama": "Slamet", "jabatan": "Kepala Desa"}, {"nama": "Sri", "jabatan": "Ketua BPD"}]


def _ready() -> Register:
    reg = build_register()
    op = reg.user("operator-desa")
    pagu_simpan(actor=op, kode_desa=OWN, tahun=2025, pagu=120_000_000)
    daftar_hitung(actor=op, kode_desa=OWN, tahun=2025)
    return reg


def _musdesus(reg: Register, **changes: Any) -> Any:
    fields: dict[str, Any] = {"nomor_perkades": "141/07/2025", **changes}
    return musdesus_catat(
        actor=reg.user("operator-desa"),
        kode_desa=OWN,
        tahun=2025,
        tanggal=dt.date(2025, 1, 10),
        tempat="Balai desa",
        pimpinan="Slamet",
        peserta=PEOPLE,
        penandatangan=PEOPLE,
        **fields,
    )


def kpm(d: Daftar) -> set[int]:
    return set(d.baris.filter(status=Baris.Status.KPM).values_list("keluarga_id", flat=True))


def test_a_musdesus_change_is_versioned_and_the_earlier_list_can_still_be_shown() -> None:
    reg = _ready()
    first = _musdesus(
        reg,
        hapus={reg.pk("Karto"): "Pindah ke luar desa"},
        tambah={reg.pk("Mbah Rejo"): "Lansia tunggal tanpa penghasilan"},
    )
    v1 = Daftar.objects.get(kode_desa=OWN, tahun=2025, versi=1)
    v2 = first.hasil
    assert (v2.versi, v2.jenis, v2.dasar) == (2, Daftar.Jenis.PENETAPAN, v1)
    assert reg.pk("Karto") in kpm(v1) and reg.pk("Karto") not in kpm(v2)
    assert reg.pk("Mbah Rejo") in kpm(v2) and reg.pk("Mbah Rejo") not in kpm(v1)
    assert (
        v2.baris.get(keluarga=reg.families["Karto"]).keterangan
        == "Dihapus musdesus: Pindah ke luar desa"
    )
    # A later musdesus decides on version 2 and makes version 3; 1 and 2 stay as they were.
    second = _musdesus(reg, hapus={reg.pk("Sumini"): "Meninggal dunia, keluarga pindah"})
    assert second.hasil.versi == 3 and second.daftar_asal == v2
    assert len(kpm(v2)) == 5 and len(kpm(second.hasil)) == 4
    client = logged_in(reg.user("operator-desa"))
    page = client.get(f"/danadesa/desa/{OWN}/2025/?versi=1").content.decode()
    assert "Daftar versi 1" in page and "Karto" in page and 'id="jumlah-kpm">5<' in page
    later = client.get(f"/danadesa/desa/{OWN}/2025/?versi=3").content.decode()
    assert "Dihapus musdesus: Meninggal dunia" in later and 'id="jumlah-kpm">4<' in later


def test_musdesus_cannot_exceed_the_cap_nor_decide_without_reasons() -> None:
    reg = _ready()
    with pytest.raises(DanadesaError, match="melebihi kuota anggaran 5 keluarga"):
        _musdesus(reg, tambah={reg.pk("Mbah Rejo"): "Lansia"})
    with pytest.raises(DanadesaError, match="tanpa alasan"):
        _musdesus(reg, hapus={reg.pk("Karto"): " "})
    with pytest.raises(DanadesaError, match="nomor Perkades"):
        _musdesus(reg, nomor_perkades="")
    assert Daftar.objects.filter(kode_desa=OWN, tahun=2025).count() == 1  # nothing half-written


def test_berita_acara_and_kpm_list_documents() -> None:
    reg = _ready()
    m = _musdesus(reg, hapus={reg.pk("Karto"): "Pindah ke luar desa"})
    pdf = dokumen.FILES["berita-acara.pdf"][1](m)
    assert pdf.startswith(b"%PDF")
    docx = zipfile.ZipFile(io.BytesIO(dokumen.FILES["berita-acara.docx"][1](m)))
    text = docx.read("word/document.xml").decode()
    assert "141/07/2025" in text and "Pindah ke luar desa" in text and "MUSDESUS" in text
    assert "Permendesa PDT 2 Tahun 2024" in text
    xlsx = zipfile.ZipFile(io.BytesIO(dokumen.FILES["kpm.xlsx"][1](m)))
    strings = xlsx.read("xl/sharedStrings.xml").decode()
    assert "Sarmi" in strings and "Karto" not in strings and "Jumlah keluarga: 4" in strings
    client = logged_in(reg.user("operator-desa"))
    r = client.get(f"/danadesa/desa/{OWN}/2025/dokumen/kpm.pdf")
    assert r.status_code == 200 and r.content.startswith(b"%PDF")
    assert (
        logged_in(reg.user("viewer")).get(f"/danadesa/desa/{OWN}/2025/dokumen/kpm.pdf").status_code
        == 404
    )


def test_a_form_sent_twice_records_one_musdesus_and_one_list_version() -> None:
    reg = _ready()
    client = logged_in(reg.user("operator-desa"))
    form = {
        "kunci": "k-uji-1", "tanggal": "2025-01-10", "tempat": "Balai desa", "pimpinan": "Slamet",
        "peserta": "Slamet - Kepala Desa", "penandatangan": "Slamet - Kepala Desa",
        "nomor_perkades": "141/07/2025", f"h{reg.pk('Karto')}": "Pindah",
    }  # fmt: skip
    for _ in range(2):
        assert client.post(f"/danadesa/desa/{OWN}/2025/musdesus/", form).status_code == 302
    assert Daftar.objects.filter(kode_desa=OWN, tahun=2025).count() == 2  # v1 + one result
    for _ in range(2):
        client.post(f"/danadesa/desa/{OWN}/2025/hitung/", {"kunci": "k-uji-2"})
    assert Daftar.objects.filter(kode_desa=OWN, tahun=2025).count() == 3
