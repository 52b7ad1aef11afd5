from __future__ import annotations

import io
from pathlib import Path

import pytest
import xlsxwriter
from django.core.management import call_command
from django.core.management.base import CommandError

from padu.danadesa.models import AturanTahun, Daftar
from tests.access_fixtures import OWN
from tests.danadesa.fixtures import build_register

pytestmark = pytest.mark.django_db


def test_commands_import_pagu_compute_lists_and_export(tmp_path: Path) -> None:
    reg = build_register()
    path = tmp_path / "pagu.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet()
    for r, row in enumerate([["Kode Desa", "Pagu Dana Desa"], [OWN, 120000000]]):
        ws.write_row(r, 0, row)
    wb.close()
    out = io.StringIO()
    op = reg.user("operator-desa").username
    call_command(
        "danadesa", "pagu-impor", str(path), "--tahun", "2025", "--as-user", op, stdout=out
    )
    call_command(
        "danadesa", "hitung", "--wilayah", "33.16", "--tahun", "2025", "--as-user", op, stdout=out
    )
    assert f"{OWN}: versi 1, kuota 5, calon 7" in out.getvalue()
    assert Daftar.objects.filter(kode_desa=OWN).count() == 1
    target = tmp_path / "omspan.xlsx"
    call_command(
        "danadesa",
        "omspan",
        "--wilayah",
        "33.16",
        "--tahun",
        "2025",
        "--bulan",
        "2",
        "--out",
        str(target),
        "--as-user",
        op,
        stdout=out,
    )
    assert target.read_bytes().startswith(b"PK")
    with pytest.raises(CommandError, match="hanya dapat dimuat oleh admin provinsi"):
        call_command("danadesa", "aturan", "--as-user", op)
    AturanTahun.objects.filter(tahun=2026).delete()
    admin = reg.user("admin-provinsi").username
    call_command("danadesa", "aturan", "--as-user", admin, stdout=out)
    assert "Aturan dimuat: 2026." in out.getvalue()
