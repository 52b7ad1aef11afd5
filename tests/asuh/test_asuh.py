"""The orphans programme on the register: detection stores findings for confirmation, only
roles with the child-protection permission open children's records (every read audited),
a confirmed finding becomes a child's record with its guardian, counts for TKPK name no
child."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.urls import reverse

from padu.asuh import services
from padu.asuh.models import Anak, Temuan
from padu.core.models import AuditLog
from padu.registry.models import Keluarga, Person
from tests.access_fixtures import OWN, build_world, logged_in

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 12, 7)
MAY_SEE = {"admin-provinsi", "dinsos-kabupaten", "operator-desa", "opd-pendamping"}


def orphan_family() -> Person:
    k = Keluarga.objects.create(
        id_keluarga="KY", no_kk="3316010101990001", kode_desa=OWN, alamat="Jl. Melati 4"
    )
    Person.objects.create(
        keluarga=k, nama="Sugeng Riyadi", nik="3316010101990002", hub_kepala_keluarga=1,
        jenis_kelamin=1, tgl_lahir=dt.date(1980, 1, 1), status_hidup=2,
        tgl_meninggal=dt.date(2025, 3, 2),
    )  # fmt: skip
    Person.objects.create(
        keluarga=k, nama="Tri Wahyuni", nik="3316010101990003", hub_kepala_keluarga=2,
        jenis_kelamin=2, tgl_lahir=dt.date(1984, 1, 1),
    )  # fmt: skip
    return Person.objects.create(
        keluarga=k, nama="Dwi Lestari", nik="3316010101990004", hub_kepala_keluarga=3,
        jenis_kelamin=2, tgl_lahir=dt.date(2016, 5, 5), nama_ayah="Sugeng Riyadi",
        nama_ibu="Tri Wahyuni",
    )  # fmt: skip


def test_detect_confirm_and_who_sees_children() -> None:
    world = build_world()
    child = orphan_family()
    dinsos = world.users["dinsos-kabupaten"]
    result = services.temuan_detect(actor=dinsos, wilayah="33.16", today=TODAY)
    assert result["baru"] == 1
    found = Temuan.objects.get()
    assert (found.person_id, found.jenis, found.jalur) == (child.pk, "yatim", "keluarga")
    assert "meninggal" in found.bukti
    with pytest.raises(services.AsuhForbidden):
        services.temuan_detect(actor=world.users["tkpk-provinsi"], wilayah="33.16", today=TODAY)

    url = reverse("asuh:desa", args=[OWN])
    for role, user in world.users.items():
        client = logged_in(user)
        page = client.get(url)
        assert page.status_code == (200 if role in MAY_SEE else 404), role
        if role in MAY_SEE:
            assert "Dwi Lestari" in page.content.decode()
        else:  # counts only
            summary = client.get(reverse("asuh:ringkasan_wilayah", args=["33.16.01"]))
            assert summary.status_code == 200 and "Dwi Lestari" not in summary.content.decode()
        denied = client.post(reverse("asuh:putuskan", args=[found.pk]), {"keputusan": "terima"})
        if role not in MAY_SEE:
            assert denied.status_code == 404, role
    assert AuditLog.objects.filter(action="asuh.lihat", region_code=OWN).count() == len(MAY_SEE)
    # The operator's confirmation (posted above, first of the allowed roles to reach it)
    child_record = Anak.objects.get()
    assert child_record.person_id == child.pk and child_record.jenis == "yatim"
    assert (child_record.wali_nama, child_record.wali_hubungan) == ("Tri Wahyuni", "orang tua")
    assert child_record.persetujuan_wali is None  # nothing shared before the guardian agrees
    # A second detection keeps the decision and makes no new finding.
    again = services.temuan_detect(actor=dinsos, wilayah="33.16", today=TODAY)
    assert again == {"baru": 0, "diperbarui": 0, "dihapus": 0, "ditemukan": 1}
    assert Temuan.objects.get().status == Temuan.Status.DIKONFIRMASI
    tkpk = logged_in(world.users["tkpk-provinsi"]).get(
        reverse("asuh:ringkasan_wilayah", args=["33.16"])
    )
    assert "33.16.01" in tkpk.content.decode()


def test_rejecting_needs_a_reason_and_updates_are_checked() -> None:
    world = build_world()
    orphan_family()
    services.temuan_detect(actor=None, wilayah="33.16.01.2001", today=TODAY)
    found = Temuan.objects.get()
    operator = world.users["operator-desa"]
    with pytest.raises(services.AsuhError, match="alasan"):
        services.temuan_decide(actor=operator, temuan=found, terima=False)
    services.temuan_decide(actor=operator, temuan=found, terima=False, catatan="Ayah masih hidup")
    assert Temuan.objects.get().status == Temuan.Status.DITOLAK and not Anak.objects.exists()
    with pytest.raises(services.AsuhError, match="sudah diputuskan"):
        services.temuan_decide(actor=operator, temuan=found, terima=True)
    with pytest.raises(services.AsuhForbidden):
        services.temuan_decide(actor=world.users["tkpk-kabupaten"], temuan=found, terima=True)


def test_command_with_death_records_and_the_dashboard_counts(tmp_path: Path) -> None:
    import io

    from django.core.management import CommandError, call_command

    from padu.dashboard.indicators import INDICATORS
    from padu.dashboard.models import Agregat
    from padu.dashboard.services import agregat_refresh

    world = build_world()
    orphan_family()
    # The head of the operator's own family lives in the register; Dukcapil says he died.
    head = world.persons["own"]
    kid = Person.objects.create(
        keluarga=world.families["own"], nama="Sari", nik="3316010101990009",
        hub_kepala_keluarga=3, jenis_kelamin=2, tgl_lahir=dt.date(2019, 1, 1),
        nama_ayah=head.nama, nama_ibu="",
    )  # fmt: skip
    bad = tmp_path / "kematian.csv"
    bad.write_text(f"nik,tgl_meninggal\n{head.nik},9 Juni 2026\n", encoding="utf-8")
    with pytest.raises(CommandError, match=r"kematian\.csv baris 2, kolom tgl_meninggal"):
        call_command("asuh", "deteksi", "--wilayah", "33.16", "--kematian", str(bad))
    good = tmp_path / "baik.csv"
    good.write_text(f"nik,tgl_meninggal\n{head.nik},2026-06-09\n", encoding="utf-8")
    out = io.StringIO()
    call_command("asuh", "deteksi", "--wilayah", "33.16", "--kematian", str(good), stdout=out)
    assert "2 anak yatim/piatu ditemukan: 2 temuan baru" in out.getvalue()
    assert Temuan.objects.get(person=kid).jalur == "kematian"
    services.temuan_decide(
        actor=world.users["operator-desa"], temuan=Temuan.objects.get(person=kid), terima=True
    )
    agregat_refresh(actor=None, today=TODAY)
    desa = Agregat.objects.get(kode=OWN).nilai
    assert desa["anak_yatim"] == 1 and desa["temuan_yatim"] == 1
    assert INDICATORS["anak_yatim"].value(Agregat.objects.get(kode="33").nilai) == 1


def test_roles_without_the_permission_get_404_on_every_childrens_url() -> None:
    world = build_world()
    orphan_family()
    services.temuan_detect(actor=None, wilayah="33.16", today=TODAY)
    found = Temuan.objects.get()
    anak = services.temuan_decide(actor=world.users["operator-desa"], temuan=found, terima=True)
    assert anak is not None
    urls = [
        ("get", reverse("asuh:desa", args=[OWN])),
        ("get", reverse("asuh:anak", args=[anak.pk])),
        ("post", reverse("asuh:putuskan", args=[found.pk])),
        ("post", reverse("asuh:pantau", args=[anak.pk])),
        ("post", reverse("asuh:tambah", args=[OWN])),
    ]
    for role in ("tkpk-provinsi", "tkpk-kabupaten", "operator-kecamatan", "viewer"):
        client = logged_in(world.users[role])
        for method, url in urls:
            assert getattr(client, method)(url).status_code == 404, (role, url)
        assert "Dwi Lestari" not in client.get(reverse("asuh:ringkasan")).content.decode()
    assert Anak.objects.count() == 1  # nothing added by the refused posts


def test_an_orphan_the_register_lacks_is_recorded_and_proposed() -> None:
    from padu.verval.models import Usulan
    from tests.verval.test_kunjungan_api import open_today

    world = build_world()
    operator = world.users["operator-desa"]
    anak, note = services.anak_add_missing(
        actor=operator, kode_desa=OWN, nama="Rara", tgl_lahir=dt.date(2018, 2, 2),
        jenis_kelamin=2, jenis="yatim_piatu", wali_nama="Mbah Sumi", wali_hubungan="nenek",
    )  # fmt: skip
    assert anak.person_id is None and "belum dibuat" in note  # no verval period open
    open_today(world)
    family = world.families["own"]
    _, note = services.anak_add_missing(
        actor=operator, kode_desa=OWN, nama="Bima", tgl_lahir=dt.date(2016, 3, 3),
        jenis_kelamin=1, jenis="yatim", wali_nama="Sumarno Wiryo", wali_hubungan="paman",
        keluarga=family,
    )  # fmt: skip
    assert "Usulan verval dibuat" in note
    usulan = Usulan.objects.get()
    assert usulan.jenis == "perbaikan" and usulan.keluarga_id == family.pk
    assert usulan.data["anggota_baru"][0]["nama"] == "Bima"
    with pytest.raises(services.AsuhError, match="bukan anak"):
        services.anak_add_missing(
            actor=operator, kode_desa=OWN, nama="Tua", tgl_lahir=dt.date(1990, 1, 1),
            jenis_kelamin=1, jenis="yatim", wali_nama="", wali_hubungan="",
        )  # fmt: skip
