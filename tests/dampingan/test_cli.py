"""``padu dampingan``: measuring every desa, listing assignments, adding an intervention and
importing a list from XLSX, where a bad cell is named by file, row and column and nothing is
written."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pytest
from django.core.management import CommandError, call_command

from padu.dampingan.models import IndikatorDesa, Intervensi
from tests.access_fixtures import OWN, TARGETS
from tests.dampingan.fixtures import assisted

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("dampingan", *args, stdout=out)
    return out.getvalue()


def sheet(path: Path, rows: list[list[object]]) -> Path:
    book = openpyxl.Workbook()
    ws = book.active
    assert ws is not None
    ws.append(["No KK", "Jenis", "Sumber Dana", "Jumlah", "Status", "Tanggal", "Uraian"])
    for row in rows:
        ws.append(row)
    book.save(path)
    return path


def test_measure_list_add_and_import(tmp_path: Path) -> None:
    d = assisted()
    assert "4 desa diukur" in run("indikator", "--bulan", "2026-12")
    assert set(IndikatorDesa.objects.values_list("kode_desa", flat=True)) == set(TARGETS.values())
    member = d.anggota.username
    listed = run("penugasan", "--as-user", member)
    assert OWN in listed and "Dinas PU Bina Marga" in listed and TARGETS["same_kec"] not in listed

    kk = d.world.families["own"].no_kk
    added = run(
        "intervensi", "tambah", "--as-user", member, "--penugasan", str(d.penugasan.pk),
        "--jenis", "beasiswa", "--sumber", "baznas", "--jumlah", "1500000", "--no-kk", kk,
        "--tanggal", "2026-12-03",
    )  # fmt: skip
    assert "Beasiswa" in added and Intervensi.objects.count() == 1

    bad = sheet(
        tmp_path / "intervensi.xlsx",
        [
            [kk, "jamban", "dana-desa", 3500000, "selesai", "2026-12-01", ""],
            [kk, "helikopter", "dana-desa", "tiga juta", "selesai", "2026-12-01", ""],
            ["", "sembako", "apbn", 100000, "", "01/12/2026", ""],
        ],
    )
    with pytest.raises(CommandError) as refused:
        run("intervensi", "impor", "--as-user", member, "--penugasan", str(d.penugasan.pk),
            "--berkas", str(bad))  # fmt: skip
    message = str(refused.value)
    assert "intervensi.xlsx baris 3, kolom jenis: 'helikopter'" in message
    assert "baris 3, kolom jumlah: 'tiga juta'" in message
    assert "baris 4, kolom no_kk" in message and "isi No. KK" in message
    assert "tidak ada intervensi yang dicatat" in message
    assert Intervensi.objects.count() == 1  # nothing of the bad file

    good = sheet(
        tmp_path / "baik.xlsx",
        [
            [kk, "Jamban keluarga", "Dana Desa", "3.500.000", "selesai", "2026-12-01", ""],
            ["", "infrastruktur", "csr", 25000000, "berjalan", "02/12/2026", "Jalan 200 m"],
        ],
    )
    out = run("intervensi", "impor", "--as-user", member, "--penugasan", str(d.penugasan.pk),
              "--berkas", str(good))  # fmt: skip
    assert "2 intervensi dicatat" in out
    toilet = Intervensi.objects.get(jenis__kode="jamban")
    assert toilet.jumlah == 3_500_000 and toilet.status == "selesai" and toilet.versi_id
    with pytest.raises(CommandError, match="bukan anggota tim"):
        run("intervensi", "impor", "--as-user", d.world.users["operator-desa"].username,
            "--penugasan", str(d.penugasan.pk), "--berkas", str(good))  # fmt: skip
