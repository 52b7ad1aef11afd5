"""API tokens: a token works until it is revoked or its user is deactivated, also while its
owner is remembered between requests (padu/api/auth.py), and the regions a token reaches
follow the user's current assignments, not those of the first request."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import Client, override_settings

from padu.accounts.models import ApiToken, RoleAssignment, User
from padu.accounts.services import api_token_create, api_token_revoke, user_upsert
from padu.registry.models import Keluarga

pytestmark = pytest.mark.django_db
LIST = "/api/v1/register/keluarga"


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    cache.clear()


def _user_and_client(prefix: str = "33.16.01.2001") -> tuple[User, Client]:
    user = user_upsert(
        actor=None, username="op", password="x", assignments=[("operator-desa", prefix)]
    )
    key = api_token_create(actor=user, user=user, name="uji")[1]
    return user, Client(HTTP_AUTHORIZATION=f"Bearer {key}")


def test_revoked_token_is_refused_at_once() -> None:
    user, client = _user_and_client()
    assert client.get(LIST).status_code == 200  # owner now remembered
    token = ApiToken.objects.get(user=user)
    api_token_revoke(actor=user, token=token)
    response = client.get(LIST)
    assert response.status_code == 401
    assert "Authorization: Bearer" in response.json()["detail"]


def test_revoking_over_the_api_refuses_the_token_at_once() -> None:
    user, client = _user_and_client()
    token = ApiToken.objects.get(user=user)
    assert client.delete(f"/api/v1/akun/token/{token.pk}").status_code == 200
    assert client.get(LIST).status_code == 401


def test_deactivated_user_or_deleted_token_is_refused_at_once() -> None:
    user, client = _user_and_client()
    assert client.get(LIST).status_code == 200
    user.is_active = False
    user.save()
    assert client.get(LIST).status_code == 401
    user.is_active = True
    user.save()
    assert client.get(LIST).status_code == 200
    ApiToken.objects.get(user=user).delete()  # users stay (audit rows); tokens may go
    assert client.get(LIST).status_code == 401


def test_unknown_token_is_refused_and_not_remembered() -> None:
    assert Client(HTTP_AUTHORIZATION="Bearer padu_bukan-token").get(LIST).status_code == 401
    assert not [k for k in cache._cache if "api-token" in k]  # type: ignore[attr-defined]


@pytest.mark.parametrize("seconds", [10, 0])
def test_regions_follow_current_assignments(seconds: int) -> None:
    own = Keluarga.objects.create(id_keluarga="A", kode_desa="33.16.01.2001", no_kk="1" * 16)
    other = Keluarga.objects.create(id_keluarga="B", kode_desa="33.16.02.2001", no_kk="2" * 16)
    with override_settings(PADU_API_TOKEN_CACHE_SECONDS=seconds):
        user, client = _user_and_client()
        assert [k["id"] for k in client.get(LIST).json()["items"]] == [own.pk]
        # The assignment changes, the user row does not: the remembered owner stays cached,
        # yet access.py reads the new region on the next request.
        RoleAssignment.objects.filter(user=user).update(region_prefix="33.16.02.2001")
        assert [k["id"] for k in client.get(LIST, {"page": 1}).json()["items"]] == [other.pk]
