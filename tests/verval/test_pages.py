"""The verval pages through the real URL configuration and a logged-in client: one cycle
from usulan to pengesahan by the roles that own each stage, the generated documents read back
(PDF by pypdf, DOCX by python-docx, XLSX by openpyxl), closed windows, and other regions
answering 404 on every verval URL."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from typing import Any

import openpyxl
import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.urls import reverse
from docx import Document
from pypdf import PdfReader

from padu.accounts.services import user_upsert
from padu.intake.models import ImportRun
from padu.registry.models import Keluarga, Version
from padu.verval.models import Musdes, Periode, Tugas, Usulan
from padu.verval.services.usulan import usulan_create
from tests.access_fixtures import OWN, logged_in
from tests.intake.samples import write_files
from tests.verval.fixtures import DAY, Cycle, open_cycle, pdf

pytestmark = pytest.mark.django_db

OTHER_KEC = "33.16.02.2001"
SAME_KEC = "33.16.01.2002"


@pytest.fixture
def cycle() -> Cycle:
    return open_cycle()


def _at(stage: str) -> Any:
    """Travel to a day inside the window of ``stage`` (noon, Jakarta time)."""
    return time_machine.travel(f"{DAY[stage].isoformat()} 12:00 +0700", tick=False)


def _messages(response: Any) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


def _pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def _propose(cycle: Cycle, client: Any) -> Usulan:
    family = cycle.world.families["own"]
    url = reverse("verval:usulan_new", args=[OWN]) + f"?keluarga={family.pk}"
    response = client.post(url, {"jenis": "nonaktif", "alasan_nonaktif": "pindah",
                                 "alasan": "Keluarga pindah ke Kudus sejak Oktober."})  # fmt: skip
    assert response.status_code == 302, _messages(response)
    made = Usulan.objects.get(kode_desa=OWN)
    assert response["Location"] == reverse("verval:usulan", args=[made.pk]), response["Location"]
    return made


def test_cycle_through_the_pages(cycle: Cycle) -> None:
    with _at("desa"):
        desa = logged_in(cycle.user("operator-desa"))
        usulan = _propose(cycle, desa)
        page = desa.get(reverse("verval:desa", args=[OWN]))
        assert page.status_code == 200
        assert f"#{usulan.pk}" in page.content.decode()
    with _at("musdes"):
        desa = logged_in(cycle.user("operator-desa"))
        kecamatan = logged_in(cycle.user("operator-kecamatan"))
        response = desa.post(reverse("verval:musdes", args=[OWN]), {
            "jenis": "musdes", "tanggal": DAY["musdes"].isoformat(), "tempat": "Balai Desa",
            "pimpinan": "Kepala Desa Uji",
            "peserta": "Kepala Desa Uji - Kepala Desa\nKetua BPD Uji - Ketua BPD\nWarga Uji - Tokoh",
            "penandatangan": "Kepala Desa Uji - Kepala Desa\nKetua BPD Uji - Ketua BPD",
            f"k{usulan.pk}": "diterima", f"a{usulan.pk}": "",
        })  # fmt: skip
        assert response.status_code == 302, _messages(response)
        files = {
            name: desa.get(reverse("verval:musdes_document", args=[OWN, name]))
            for name in ("berita-acara.pdf", "berita-acara.docx", "bnba.xlsx", "bnba.pdf")
        }
        assert all(r.status_code == 200 for r in files.values())
        ba = _pdf_text(files["berita-acara.pdf"].content)
        assert "BERITA ACARA" in ba.upper() and "Bangkleyan" in ba and "Sumarno Wiryo" in ba
        assert "diterima" in ba.lower()
        words = "\n".join(
            p.text for p in Document(io.BytesIO(files["berita-acara.docx"].content)).paragraphs
        )
        tables = Document(io.BytesIO(files["berita-acara.docx"].content)).tables
        cells = " ".join(c.text for t in tables for row in t.rows for c in row.cells)
        assert "Bangkleyan" in words + cells and "Sumarno Wiryo" in cells
        sheet = openpyxl.load_workbook(io.BytesIO(files["bnba.xlsx"].content)).active
        text = " ".join(str(c) for row in sheet.iter_rows(values_only=True) for c in row if c)
        assert (
            "Bangkleyan" in text
            and "Sumarno Wiryo" in text
            and "jumlah keluarga: 1" in text.lower()
        )
        assert "Sumarno Wiryo" in _pdf_text(files["bnba.pdf"].content)
        locked = kecamatan.post(reverse("verval:musdes", args=[OWN]), {"scan": pdf()})
        assert locked.status_code == 302
        assert Musdes.objects.get(kode_desa=OWN).terkunci
    with _at("kecamatan"):
        kecamatan = logged_in(cycle.user("operator-kecamatan"))
        page = kecamatan.get(reverse("verval:approvals", args=["kecamatan"]))
        assert f'value="{usulan.pk}"' in page.content.decode()
        kecamatan.post(reverse("verval:approvals", args=["kecamatan"]),
                       {"usulan": [usulan.pk], "keputusan": "setuju"})  # fmt: skip
    with _at("dinsos"):
        dinsos = logged_in(cycle.user("dinsos-kabupaten"))
        dinsos.post(reverse("verval:approvals", args=["dinsos"]),
                    {"usulan": [usulan.pk], "keputusan": "setuju"})  # fmt: skip
    with _at("pengesahan"):
        dinsos = logged_in(cycle.user("dinsos-kabupaten"))
        response = dinsos.post(reverse("verval:pengesahan", args=[cycle.periode.pk]), {
            "nomor_sk": "400.9/77/2026", "tanggal_sk": DAY["pengesahan"].isoformat(),
            "berkas": pdf("sk.pdf"),
        })  # fmt: skip
        assert response.status_code == 302, _messages(response)
        progress = dinsos.get(reverse("verval:progress")).content.decode()
        exported = dinsos.get(reverse("verval:ekspor", args=[cycle.periode.pk]), {"format": "csv"})
        archive = zipfile.ZipFile(io.BytesIO(exported.getvalue()))
        assert sorted(archive.namelist()) == ["art.csv", "keluarga.csv", "usulan.csv"]
        rows = archive.read("usulan.csv").decode().splitlines()
        assert len(rows) == 2 and "400.9/77/2026" in rows[1]
        # Another kecamatan's operator gets the file with none of these changes in it.
        outsider = user_upsert(actor=None, username="op-lain", password="x",
                               assignments=[("operator-desa", OTHER_KEC)])  # fmt: skip
        theirs = logged_in(outsider).get(reverse("verval:ekspor", args=[cycle.periode.pk]))
        archive = zipfile.ZipFile(io.BytesIO(theirs.getvalue()))
        assert len(archive.read("usulan.csv").decode().splitlines()) == 1
        assert len(archive.read("keluarga.csv").decode().splitlines()) == 1
    usulan.refresh_from_db()
    assert usulan.status == Usulan.Status.DITERAPKAN
    family = Keluarga.all_objects.get(pk=cycle.world.families["own"].pk)
    assert family.status != "aktif"
    reason = Version.objects.filter(reason__contains="400.9/77/2026").values_list(
        "reason", flat=True
    )
    assert any(f"usulan #{usulan.pk}" in r for r in reason)
    assert "Jati" in progress


def test_closed_window_refuses_new_usulan(cycle: Cycle) -> None:
    family = cycle.world.families["own"]
    with _at("kecamatan"):
        client = logged_in(cycle.user("operator-desa"))
        response = client.post(
            reverse("verval:usulan_new", args=[OWN]) + f"?keluarga={family.pk}",
            {"jenis": "nonaktif", "alasan_nonaktif": "pindah", "alasan": "Pindah."},
        )
    assert response.status_code == 200
    assert any("ditutup" in m or "lewat" in m for m in _messages(response)), _messages(response)
    assert not Usulan.objects.exists()


def _verval_urls(cycle: Cycle, code: str, usulan: Usulan) -> Iterator[str]:
    yield reverse("verval:desa", args=[code])
    yield reverse("verval:usulan_new", args=[code])
    yield reverse("verval:musdes", args=[code])
    yield reverse("verval:musdes_document", args=[code, "berita-acara.pdf"])
    yield reverse("verval:usulan", args=[usulan.pk])


@pytest.mark.parametrize("role", ["operator-kecamatan", "operator-desa", "opd-pendamping"])
def test_other_regions_are_not_found_on_every_verval_url(cycle: Cycle, role: str) -> None:
    with _at("desa"):
        other = usulan_create(
            actor=cycle.user("dinsos-kabupaten"), kode_desa=OTHER_KEC,
            keluarga=cycle.world.families["other_kec"], jenis=Usulan.Jenis.NONAKTIF,
            alasan_nonaktif="pindah", alasan="Pindah.",
        )  # fmt: skip
        client = logged_in(cycle.user(role))
        for url in _verval_urls(cycle, OTHER_KEC, other):
            assert client.get(url).status_code == 404, url
            assert client.post(url, {"jenis": "nonaktif"}).status_code == 404, url
        if role != "operator-kecamatan":
            for url in _verval_urls(cycle, SAME_KEC, other):
                if "usulan/" in url and str(other.pk) in url:
                    continue
                assert client.get(url).status_code == 404, url
        for tahap in ("kecamatan", "dinsos"):
            response = client.post(reverse("verval:approvals", args=[tahap]),
                                   {"usulan": [other.pk], "keputusan": "setuju"})  # fmt: skip
            assert response.status_code in (302, 404)
        assert client.get(reverse("verval:pengesahan", args=[cycle.periode.pk])).status_code == 404
    other.refresh_from_db()
    assert other.status == Usulan.Status.DIAJUKAN


def test_cli_opens_a_period_generates_the_worklist_and_exports(
    cycle: Cycle, tmp_path: Any, capsys: Any
) -> None:
    user = cycle.user("dinsos-kabupaten").username
    call_command("verval", "periode", "buat", "--kabupaten", "33.16", "--bulan", "2027-01",
                 "--as-user", user)  # fmt: skip
    made = Periode.objects.get(kode_kabupaten="33.16", mulai__year=2027)
    assert "Periode #" in capsys.readouterr().out
    call_command("verval", "periode", "daftar", "--as-user", user)
    assert "Verval Januari 2027" in capsys.readouterr().out
    with _at("desa"):
        call_command(
            "verval", "daftar-kerja", "--periode", str(cycle.periode.pk), "--as-user", user
        )
    out = capsys.readouterr().out
    assert "tugas baru" in out and Tugas.objects.filter(periode=cycle.periode).exists()
    call_command("verval", "ekspor", "--periode", str(made.pk), "--out", str(tmp_path),
                 "--as-user", user)  # fmt: skip
    assert (tmp_path / "usulan.csv").read_text().startswith("id_usulan,jenis")
    with pytest.raises(Exception, match="tidak berwenang"):
        call_command("verval", "periode", "buat", "--kabupaten", "33.17", "--bulan", "2027-01",
                     "--as-user", user)  # fmt: skip


def test_cli_imports_the_penetapan_as_its_own_source(
    cycle: Cycle, tmp_path: Any, capsys: Any
) -> None:
    keluarga, _ = write_files(tmp_path)
    call_command("verval", "impor-penetapan", str(keluarga), "--as-user",
                 cycle.user("dinsos-kabupaten").username)  # fmt: skip
    run = ImportRun.objects.get(source__name="PENETAPAN")
    assert run.status == ImportRun.Status.SELESAI and run.counts["baru"] >= 1
    assert "Impor penetapan #" in capsys.readouterr().out
    with pytest.raises(CommandError, match="tidak ada"):
        call_command("verval", "impor-penetapan", str(tmp_path / "hilang.csv"), "--as-user",
                     cycle.user("dinsos-kabupaten").username)  # fmt: skip
