"""The family list API: pages in a stable order, each family once, the head's name and the
live member count, masked numbers, a cached count; only families the caller may see."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from padu.accounts.services import api_token_create, user_upsert
from padu.registry.models import Keluarga, Person

pytestmark = pytest.mark.django_db

DESA = ["33.16.01.2002", "33.16.01.2001", "33.16.02.2001", "33.17.01.2001"]


def _register() -> dict[int, dict[str, Any]]:
    """Families in four desa (two in kecamatan 33.16.01), RT/RW out of insertion order,
    each with a head, members, and one deleted member that must not be counted."""
    expected = {}
    n = 0
    for code in DESA:
        for rt in ("003", "001", "002"):
            n += 1
            k = Keluarga.objects.create(
                id_keluarga=f"K{n}", no_kk=f"33160101{n:08d}", kode_desa=code,
                alamat=f"Jl. Uji {n}", rt=rt, rw="001",
            )  # fmt: skip
            members = n % 3 + 1
            for i in range(members):
                Person.objects.create(
                    keluarga=k, nama=f"Kepala {n}" if i == 0 else f"Anggota {n}-{i}",
                    nik=f"3316010101{n:03d}{i:03d}", hub_kepala_keluarga=1 if i == 0 else 3,
                )  # fmt: skip
            Person.objects.create(
                keluarga=k, nama=f"Terhapus {n}", nik=f"3316010101{n:03d}999",
                hub_kepala_keluarga=3, deleted_at=timezone.now(),
            )  # fmt: skip
            expected[k.pk] = {"k": k, "kepala": f"Kepala {n}", "jumlah": members}
    return expected


def _client(role: str, prefix: str) -> Client:
    user = user_upsert(actor=None, username=f"u-{role}", password="x", assignments=[(role, prefix)])
    token = api_token_create(actor=user, user=user, name="uji")[1]
    return Client(HTTP_AUTHORIZATION=f"Bearer {token}")


def _all_pages(client: Client, page_size: int, **filters: Any) -> tuple[list[Any], int]:
    items: list[Any] = []
    page = 1
    while True:
        body = client.get(
            "/api/v1/register/keluarga", {"page": page, "page_size": page_size, **filters}
        ).json()
        if not body["items"]:
            return items, body["count"]
        assert body["page"] == page and body["page_size"] == page_size
        assert len(body["items"]) <= page_size
        items += body["items"]
        page += 1


def test_pages_cover_the_visible_families_once_in_order_with_head_and_members() -> None:
    cache.clear()
    expected = _register()
    client = _client("operator-kecamatan", "33.16.01")
    items, count = _all_pages(client, page_size=2)
    visible = sorted(
        (e["k"] for e in expected.values() if e["k"].kode_desa.startswith("33.16.01.")),
        key=lambda k: (k.kode_desa, k.rt, k.rw, k.pk),
    )
    assert [i["id"] for i in items] == [k.pk for k in visible]
    assert count == len(visible) == 6
    for item in items:
        want = expected[item["id"]]
        assert item["kepala"] == want["kepala"]
        assert item["jumlah_anggota"] == want["jumlah"]
        assert item["kode_desa"] == want["k"].kode_desa and item["rt"] == want["k"].rt
        # Operators see No. KK masked (they may reveal it, which is audited).
        assert item["no_kk"] == want["k"].no_kk[:4] + "********" + want["k"].no_kk[-4:]


def test_filters_and_full_numbers_for_dinsos() -> None:
    cache.clear()
    expected = _register()
    client = _client("dinsos-kabupaten", "33.16")
    items, count = _all_pages(client, page_size=50, desa="33.16.01.2001")
    assert count == 3 and {i["kode_desa"] for i in items} == {"33.16.01.2001"}
    assert all(i["no_kk"] == expected[i["id"]]["k"].no_kk for i in items)
    # A desa of another kabupaten is filtered away by the scope, not only by the filter.
    assert _all_pages(client, page_size=50, desa="33.17.01.2001") == ([], 0)
    items, count = _all_pages(client, page_size=4)
    assert count == 9 and len({i["id"] for i in items}) == 9


def test_viewer_sees_no_family_and_a_page_past_the_end_is_empty() -> None:
    cache.clear()
    _register()
    assert _all_pages(_client("viewer", ""), page_size=50) == ([], 0)
    body = _client("tkpk-provinsi", "").get("/api/v1/register/keluarga", {"page": 99}).json()
    assert body["items"] == [] and body["count"] == 12
