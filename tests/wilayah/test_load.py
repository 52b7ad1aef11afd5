from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from django.core.management import call_command

from padu.core.models import AuditLog
from padu.wilayah.loader import WilayahFileError, packaged_dir
from padu.wilayah.models import Desa, Kabupaten, Kecamatan, Provinsi
from padu.wilayah.services import wilayah_load

pytestmark = pytest.mark.django_db


def test_jawa_tengah_counts() -> None:
    assert Provinsi.objects.count() == 1
    assert Kabupaten.objects.count() == 35
    assert Kabupaten.objects.filter(code__gte="33.71").count() == 6
    assert Kecamatan.objects.count() == 576
    assert Desa.objects.count() == 8563


def test_desa_or_kelurahan_read_from_code() -> None:
    blora = Desa.objects.filter(code__startswith="33.16.")
    assert blora.count() == 295
    assert blora.filter(jenis="kelurahan").count() == 24
    for desa in blora:
        expected = "kelurahan" if desa.code[9] == "1" else "desa"
        assert desa.jenis == expected


def test_second_load_changes_nothing() -> None:
    before = {d.code: (d.name, d.updated_at) for d in Desa.objects.filter(code__startswith="33.16")}
    report = wilayah_load(actor=None)
    assert not report.changed
    assert report.levels["desa"].unchanged == 8563
    after = {d.code: (d.name, d.updated_at) for d in Desa.objects.filter(code__startswith="33.16")}
    assert before == after


def test_command_reports_in_bahasa(capsys: pytest.CaptureFixture[str]) -> None:
    call_command("wilayah", "load")
    out = capsys.readouterr().out
    assert "Desa/kelurahan" in out
    assert "Tidak ada perubahan." in out


def _copy(tmp_path: Path) -> Path:
    folder = tmp_path / "wilayah"
    shutil.copytree(packaged_dir(), folder)
    return folder


def _rewrite(path: Path, old: str, new: str | None) -> None:
    lines = path.read_text(encoding="utf-8").splitlines()
    out = []
    for line in lines:
        if line.startswith(old + ","):
            if new is None:
                continue
            line = new
        out.append(line)
    path.write_text("\n".join(out) + "\n", encoding="utf-8")


def test_newer_file_renames_adds_and_flags_vanished(tmp_path: Path) -> None:
    from padu.registry.models import Keluarga

    folder = _copy(tmp_path)
    villages = folder / "villages.csv"
    _rewrite(villages, "33.16.01.2001", "33.16.01.2001,33.16.01,Nama Baru Sekali")
    _rewrite(villages, "33.16.01.2002", None)  # vanishes
    with villages.open("a", encoding="utf-8") as handle:
        handle.write("33.16.01.2099,33.16.01,Desa Pemekaran\n")
    family = Keluarga.objects.create(id_keluarga="K1", kode_desa="33.16.01.2002")

    report = wilayah_load(actor=None, directory=folder)

    desa = report.levels["desa"]
    assert desa.renamed == ["33.16.01.2001"]
    assert desa.vanished == ["33.16.01.2002"]
    assert desa.added == ["33.16.01.2099"]
    assert Desa.objects.get(code="33.16.01.2001").name == "Nama Baru Sekali"
    gone = Desa.objects.get(code="33.16.01.2002")  # flagged, never deleted
    assert not gone.active and gone.vanished_at is not None
    assert Desa.objects.get(code="33.16.01.2099").jenis == "desa"
    family.refresh_from_db()
    assert family.kode_desa == "33.16.01.2002"
    assert AuditLog.objects.filter(action="wilayah.load").exists()

    # The older list again: the vanished code comes back, the new one is flagged.
    report = wilayah_load(actor=None)
    assert report.levels["desa"].reappeared == ["33.16.01.2002"]
    assert report.levels["desa"].vanished == ["33.16.01.2099"]
    assert Desa.objects.get(code="33.16.01.2002").active


def test_other_provinces_are_not_flagged(tmp_path: Path) -> None:
    folder = tmp_path / "jatim"
    folder.mkdir()
    (folder / "provinces.csv").write_text("code,name\n35,Jawa Timur\n", encoding="utf-8")
    (folder / "regencies.csv").write_text(
        "code,province_code,name\n35.01,35,Kabupaten Pacitan\n", encoding="utf-8"
    )
    (folder / "districts.csv").write_text(
        "code,regency_code,name\n35.01.01,35.01,Donorojo\n", encoding="utf-8"
    )
    (folder / "villages.csv").write_text(
        'code,district_code,name\n35.01.01.2001,35.01.01,"Sendang, Lor"\n', encoding="utf-8"
    )
    report = wilayah_load(actor=None, directory=folder)
    assert report.levels["desa"].added == ["35.01.01.2001"]
    assert report.levels["desa"].vanished == []
    assert Desa.objects.get(code="35.01.01.2001").name == "Sendang, Lor"
    assert Desa.objects.filter(code__startswith="33.", active=True).count() == 8563


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("33.16.01.201,33.16.01,Salah", "bukan kode desa yang sah"),
        ("33.16.01.2999,33.16.02,Salah", "tidak sesuai dengan awalan kode"),
        ("33.16.01.2001,33.16.01,Ganda", "ganda"),
        ("33.16.01.2998,33.16.01,", "nama wilayah kosong"),
    ],
)
def test_bad_rows_name_file_row_and_fix(tmp_path: Path, line: str, message: str) -> None:
    folder = _copy(tmp_path)
    with (folder / "villages.csv").open("a", encoding="utf-8") as handle:
        handle.write(line + "\n")
    with pytest.raises(WilayahFileError) as exc:
        wilayah_load(actor=None, directory=folder)
    text = str(exc.value)
    assert "villages.csv: baris 8565" in text
    assert message in text
    assert Desa.objects.filter(code__in=["33.16.01.2999", "33.16.01.2998"]).count() == 0


def test_missing_file_is_explained(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    (folder / "districts.csv").unlink()
    with pytest.raises(WilayahFileError, match=r"districts\.csv tidak ditemukan"):
        wilayah_load(actor=None, directory=folder)


def test_whole_indonesia_loads_from_a_folder() -> None:
    shared = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "wilayah"
    if not shared.is_dir():
        pytest.skip("shared/data/wilayah is not beside the checkout")
    report = wilayah_load(actor=None, directory=shared)
    assert report.levels["provinsi"].total_in_file == 38
    assert Desa.objects.count() == report.levels["desa"].total_in_file
    assert report.levels["desa"].vanished == []
