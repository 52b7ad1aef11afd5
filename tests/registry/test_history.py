from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse

from padu.core.models import AuditLog
from padu.registry import selectors, services
from padu.registry.models import Keluarga, Participation, Person, Program, Version

pytestmark = pytest.mark.django_db


@pytest.fixture
def family(admin_user: Any) -> Keluarga:
    keluarga = services.keluarga_create(
        actor=admin_user,
        data={"id_keluarga": "K-T1", "no_kk": "3316010101200001", "kode_desa": "33.16.01.2001"},
        reason="Data awal uji",
    )
    services.person_create(
        actor=admin_user,
        keluarga=keluarga,
        data={
            "id_art": "A-T1",
            "nama": "Sumarno",
            "nik": "3316011203750001",
            "hub_kepala_keluarga": 1,
            "jenis_kelamin": 1,
            "tgl_lahir": dt.date(1975, 3, 12),
        },
        reason="Data awal uji",
    )
    return keluarga


def test_person_change_creates_version_with_actor_reason_old_new(
    family: Keluarga, admin_user: Any
) -> None:
    person = family.members.get()
    version = services.person_update(
        actor=admin_user,
        person=person,
        changes={"nama": "Soemarno", "pendidikan": 2},
        reason="Koreksi ejaan sesuai KTP",
    )
    assert version is not None
    assert version.actor == admin_user
    assert version.reason == "Koreksi ejaan sesuai KTP"
    assert version.changes == {"nama": ["Sumarno", "Soemarno"], "pendidikan": [None, 2]}
    person.refresh_from_db()
    assert person.nama == "Soemarno"
    assert AuditLog.objects.filter(action="person.update", object_id=str(person.pk)).count() == 1


def test_no_change_writes_no_version(family: Keluarga, admin_user: Any) -> None:
    person = family.members.get()
    count = Version.objects.count()
    assert (
        services.person_update(
            actor=admin_user, person=person, changes={"nama": "Sumarno"}, reason="sama"
        )
        is None
    )
    assert Version.objects.count() == count


def test_change_needs_a_reason(family: Keluarga, admin_user: Any) -> None:
    person = family.members.get()
    with pytest.raises(services.RegistryError, match="Alasan perubahan wajib"):
        services.person_update(actor=admin_user, person=person, changes={"nama": "X"}, reason=" ")


def test_invalid_code_is_refused_in_bahasa(family: Keluarga, admin_user: Any) -> None:
    person = family.members.get()
    with pytest.raises(services.RegistryError, match="hub_kepala_keluarga"):
        services.person_update(
            actor=admin_user, person=person, changes={"hub_kepala_keluarga": 42}, reason="uji"
        )
    person.refresh_from_db()
    assert person.hub_kepala_keluarga == 1


def test_unknown_field_is_refused(family: Keluarga, admin_user: Any) -> None:
    with pytest.raises(services.RegistryError, match="Kolom tidak dikenal"):
        services.keluarga_update(
            actor=admin_user, keluarga=family, changes={"luas_rumah": 3}, reason="uji"
        )


def test_timeline_shows_every_change_newest_first(family: Keluarga, admin_user: Any) -> None:
    person = family.members.get()
    services.person_update(
        actor=admin_user, person=person, changes={"nama": "Soemarno"}, reason="r1"
    )
    services.keluarga_update(actor=admin_user, keluarga=family, changes={"rt": "003"}, reason="r2")
    services.person_set_status(
        actor=admin_user,
        person=person,
        status="meninggal",
        tgl_meninggal=dt.date(2025, 6, 1),
        reason="Akta kematian",
    )
    timeline = selectors.keluarga_timeline(family)
    assert [e.reason for e in timeline[:3]] == ["Akta kematian", "r2", "r1"]
    assert timeline[0].changes["status"] == ["aktif", "meninggal"]
    assert timeline[0].changes["status_hidup"] == [None, 2]
    assert timeline[0].subject == "Soemarno"
    assert timeline[-1].action == "Dibuat"
    assert all(e.actor == admin_user.username for e in timeline)


def test_nonaktif_needs_a_configured_reason(family: Keluarga, admin_user: Any) -> None:
    with pytest.raises(services.RegistryError, match="memerlukan alasan"):
        services.keluarga_set_status(
            actor=admin_user, keluarga=family, status="nonaktif", reason="uji"
        )
    with pytest.raises(services.RegistryError, match="tidak ada atau tidak dipakai"):
        services.keluarga_set_status(
            actor=admin_user, keluarga=family, status="nonaktif", reason="uji", reason_code="xx"
        )
    services.keluarga_set_status(
        actor=admin_user,
        keluarga=family,
        status="nonaktif",
        reason="Musdes",
        reason_code="sudah-mampu",
    )
    family.refresh_from_db()
    assert family.status == "nonaktif"
    assert family.status_reason is not None and family.status_reason.code == "sudah-mampu"


def test_soft_delete_hides_keeps_and_restores(family: Keluarga, admin_user: Any) -> None:
    services.keluarga_delete(actor=admin_user, keluarga=family, reason="Data ganda")
    assert not Keluarga.objects.filter(pk=family.pk).exists()
    assert Keluarga.all_objects.filter(pk=family.pk).exists()
    with pytest.raises(services.RegistryError, match="sudah dihapus"):
        services.keluarga_update(actor=admin_user, keluarga=family, changes={"rt": "1"}, reason="x")
    services.keluarga_restore(actor=admin_user, keluarga=family, reason="Bukan data ganda")
    assert Keluarga.objects.filter(pk=family.pk).exists()
    actions = list(
        Version.objects.filter(keluarga=family, entity="keluarga").values_list("action", flat=True)
    )
    assert actions[:2] == ["restore", "delete"]


def test_participation_has_a_period_and_keeps_flag_in_step(
    family: Keluarga, admin_user: Any
) -> None:
    pkh = Program.objects.get(code="pkh")
    participation = services.participation_start(
        actor=admin_user, keluarga=family, program=pkh, start=dt.date(2025, 1, 1), reason="SK"
    )
    family.refresh_from_db()
    assert family.penerima_pkh is True
    with pytest.raises(services.RegistryError, match="masih tercatat"):
        services.participation_start(
            actor=admin_user, keluarga=family, program=pkh, start=dt.date(2025, 2, 1), reason="SK"
        )
    with pytest.raises(services.RegistryError, match="sebelum tanggal mulai"):
        services.participation_end(
            actor=admin_user, participation=participation, end=dt.date(2024, 1, 1), reason="x"
        )
    services.participation_end(
        actor=admin_user, participation=participation, end=dt.date(2025, 12, 31), reason="Graduasi"
    )
    family.refresh_from_db()
    assert family.penerima_pkh is False
    assert Participation.objects.get().end == dt.date(2025, 12, 31)
    pip = Program.objects.get(code="pip")
    with pytest.raises(services.RegistryError, match="per orang"):
        services.participation_start(
            actor=admin_user, keluarga=family, program=pip, start=dt.date(2025, 1, 1), reason="SK"
        )


def test_family_page_shows_timeline(client: Any, family: Keluarga, admin_user: Any) -> None:
    person = family.members.get()
    services.person_update(
        actor=admin_user, person=person, changes={"nama": "Soemarno"}, reason="Koreksi ejaan"
    )
    client.force_login(admin_user)
    response = client.get(reverse("registry:keluarga", args=[family.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Riwayat perubahan" in html
    assert "Koreksi ejaan" in html
    assert "Sumarno → Soemarno" in html


def test_family_outside_assignment_is_not_found(
    client: Any, family: Keluarga, django_user_model: Any
) -> None:
    from padu.accounts.models import Role, RoleAssignment

    operator = django_user_model.objects.create_user("op-lain", password="x")
    RoleAssignment.objects.create(
        user=operator, role=Role.objects.get(code="operator-desa"), region_prefix="33.16.01.2002"
    )
    client.force_login(operator)
    assert client.get(reverse("registry:keluarga", args=[family.pk])).status_code == 404
    person = Person.objects.get(keluarga=family)
    assert person.nama == "Sumarno"
