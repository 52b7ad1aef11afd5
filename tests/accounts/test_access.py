from __future__ import annotations

from typing import Any

import pytest

from padu.accounts import access
from padu.accounts.models import Role, RoleAssignment
from padu.accounts.services import AccountError, user_upsert
from padu.registry.models import Keluarga

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("33", "33."),
        ("33.16", "33.16."),
        ("33.16.", "33.16."),
        ("3316", "33.16."),
        ("33.16.01", "33.16.01."),
        ("33.16.01.2001", "33.16.01.2001"),
        ("3316012001", "33.16.01.2001"),
        (" 33.16.01.2001. ", "33.16.01.2001"),
    ],
)
def test_prefixes_are_whole_code_segments(text: str, expected: str) -> None:
    assert access.normalise_prefix(text) == expected


@pytest.mark.parametrize("text", ["33.1", "3", "33.16.1", "33.16.01.200", "abc", "", "33..16"])
def test_partial_codes_are_refused(text: str) -> None:
    with pytest.raises(access.RegionCodeError, match="tidak valid"):
        access.normalise_prefix(text)


def _user(name: str, *pairs: tuple[str, str]) -> Any:
    return user_upsert(actor=None, username=name, password="x", assignments=list(pairs))


def test_kabupaten_prefix_does_not_leak_into_neighbours() -> None:
    user = _user("blora", ("dinsos-kabupaten", "33.16"))
    assert access.can_see_region(user, "33.16.01.2001")
    assert not access.can_see_region(user, "33.17.01.2001")
    # A legacy row written before normalisation: "33.1" must grant nothing, not 33.10-33.19.
    RoleAssignment.objects.filter(user=user).update(region_prefix="33.1")
    access.forget(user)
    assert access.region_prefixes(user) == []
    assert not access.can_see_region(user, "33.16.01.2001")


def test_scope_by_region_filters_querysets() -> None:
    for code in ("33.16.01.2001", "33.16.01.2002", "33.17.01.2001", ""):
        Keluarga.objects.create(kode_desa=code)
    op = _user("op", ("operator-desa", "33.16.01.2001"))
    kec = _user("kec", ("operator-kecamatan", "33.16.01"))
    prov = _user("prov", ("tkpk-provinsi", ""))
    viewer = _user("viewer", ("viewer", ""))
    qs = Keluarga.objects.all()

    def codes(user: Any) -> list[str]:
        return sorted(
            access.scope_by_region(qs, user, "kode_desa").values_list("kode_desa", flat=True)
        )

    assert codes(op) == ["33.16.01.2001"]
    assert codes(kec) == ["33.16.01.2001", "33.16.01.2002"]
    assert codes(prov) == ["", "33.16.01.2001", "33.16.01.2002", "33.17.01.2001"]
    assert codes(viewer) == []  # aggregates only
    assert access.scope_by_region(qs, viewer, "kode_desa", personal_data=False).count() == 4
    assert codes(None) == []


def test_write_rights_follow_the_role() -> None:
    reader = _user("tkpk", ("tkpk-kabupaten", "33.16"))
    writer = _user("dinsos", ("dinsos-kabupaten", "33.16"))
    assert access.can_see_region(reader, "33.16.01.2001")
    assert not access.can_write_region(reader, "33.16.01.2001")
    assert access.can_write_region(writer, "33.16.01.2001")
    assert not access.can_write_region(writer, "33.17.01.2001")
    assert not access.can_write_region(writer, "")  # fails closed on a record without region
    qs = Keluarga.objects.all()
    Keluarga.objects.create(kode_desa="33.16.01.2001")
    assert access.scope_for_write(qs, reader, "kode_desa").count() == 0
    assert access.scope_for_write(qs, writer, "kode_desa").count() == 1


def test_nik_access_by_role_and_region() -> None:
    dinsos = _user("dinsos", ("dinsos-kabupaten", "33.16"))
    op = _user("op", ("operator-desa", "33.16.01.2001"))
    opd = _user("opd", ("opd-pendamping", "33.16.01.2001"))
    assert access.nik_access(dinsos, "33.16.01.2001") == access.NIK_FULL
    assert access.nik_access(dinsos, "33.17.01.2001") == access.NIK_MASKED
    assert access.nik_access(op, "33.16.01.2001") == access.NIK_REVEAL
    assert access.nik_access(opd, "33.16.01.2001") == access.NIK_MASKED


def test_inactive_user_and_unknown_role_fail_closed() -> None:
    user = _user("op", ("operator-desa", "33.16.01.2001"))
    user.is_active = False
    user.save()
    assert access.region_prefixes(user) == []
    with pytest.raises(AccountError, match="Peran tidak dikenal"):
        _user("x", ("kepala-dunia", ""))
    with pytest.raises(AccountError, match="tidak valid"):
        _user("y", ("operator-desa", "33.1"))


def test_roles_are_data_with_defaults() -> None:
    roles = {r.code: r for r in Role.objects.all()}
    assert len(roles) == 8
    assert roles["admin-provinsi"].manages_users and roles["admin-provinsi"].requires_2fa
    assert roles["tkpk-provinsi"].requires_2fa and not roles["tkpk-provinsi"].can_write
    assert not roles["viewer"].sees_personal_data and not roles["viewer"].requires_2fa
    assert roles["operator-desa"].nik_access == "buka"
    # Editing a role changes access without code.
    roles["operator-desa"].nik_access = "penuh"
    roles["operator-desa"].save()
    op = _user("op", ("operator-desa", "33.16.01.2001"))
    assert access.nik_access(op, "33.16.01.2001") == access.NIK_FULL
