"""Small native files (and a loader) shared by tests that need a few families in the register."""

from __future__ import annotations

from pathlib import Path

from padu.intake.models import Source
from padu.intake.services import import_file, source_get_or_create

KELUARGA = """id_keluarga,no_kk,kode_desa,alamat,rt,rw,luas_lantai,jenis_lantai,aset_tv,penerima_pkh,penerima_bpnt,penerima_pip
K1,3316010101200001,33.16.01.2001,Dukuh Krajan,001,002,36.5,9,0,1,1,0
K2,3316010202200002,3316012002,"Jl. Pemuda, Gg. 3",004,001,,2,1,0,0,1
"""
ART = """id_art;id_keluarga;nik;nama;tgl_lahir;jenis_kelamin;hub_kepala_keluarga;status_hidup;tgl_meninggal
A1;K1;3316011203750001;Sumarno;1975-03-12;1;1;1;
A2;K1;3316015507800002;Suparmi;15-07-1980;2;2;1;
A3;K2;3316010101600003;Wagiman;01/01/1960;1;1;2;2024-05-01
"""


def write_files(folder: Path, keluarga: str = KELUARGA, art: str = ART) -> tuple[Path, Path]:
    k = folder / "keluarga.csv"
    a = folder / "art.csv"
    k.write_text(keluarga, encoding="utf-8")
    a.write_text("\ufeff" + art, encoding="utf-8")
    return k, a


def load_small(folder: Path, source_name: str = "Uji") -> Source:
    """Two families (K1 in 33.16.01.2001, K2 in 33.16.01.2002), three persons."""
    k, a = write_files(folder)
    source = source_get_or_create(actor=None, name=source_name, kind=Source.Kind.SINTETIS)
    import_file(actor=None, path=k, source=source, table="keluarga")
    import_file(actor=None, path=a, source=source, table="art")
    return source
