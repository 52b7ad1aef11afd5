"""How API callers are recognised: a personal token (``Authorization: Bearer padu_...``) or
the browser session of a logged-in user (with its CSRF check). Both end with
``request.user`` set, so the API uses the same selectors and access rules as the pages.

A token's owner is remembered for ``PADU_API_TOKEN_CACHE_SECONDS`` (default 10 s; 0 turns
it off) in Django's cache, so a client paging through a list does not look its token up on
every request. Only the owner is cached, never what they may see: roles and regions are read
by ``access.py`` on every request. Revoking a token, or changing or deleting its user, drops
the entry at once (signals below); a change that bypasses ``save()`` (a queryset ``update``)
or a cache that is per process (the default local-memory cache, one per server worker)
can leave the old answer standing for at most those seconds in other processes.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.http import HttpRequest
from ninja.security import HttpBearer, SessionAuth

from padu.accounts.models import ApiToken, User
from padu.accounts.services import api_token_user

_CACHE_PREFIX = "padu:api-token:"


def _cache_key(key_hash: str) -> str:
    return _CACHE_PREFIX + key_hash


def token_owner(key: str) -> Any:
    """The active owner of the unrevoked token ``key`` (``api_token_user``), remembered
    briefly; None (never cached) when the token is unknown, revoked or its user inactive."""
    seconds = settings.PADU_API_TOKEN_CACHE_SECONDS
    if seconds <= 0 or not key:
        return api_token_user(key)
    cache_key = _cache_key(hashlib.sha256(key.encode("utf-8")).hexdigest())
    user = cache.get(cache_key)  # a fresh copy each time: nothing leaks between requests
    if user is None:
        user = api_token_user(key)
        if user is not None:
            cache.set(cache_key, user, seconds)
    return user


@receiver(post_save, sender=ApiToken)
@receiver(post_delete, sender=ApiToken)
def _forget_token(sender: Any, instance: ApiToken, **kwargs: Any) -> None:
    cache.delete(_cache_key(instance.key_hash))


@receiver(post_save, sender=User)
@receiver(post_delete, sender=User)
def _forget_user_tokens(sender: Any, instance: User, **kwargs: Any) -> None:
    hashes = ApiToken.objects.filter(user_id=instance.pk).values_list("key_hash", flat=True)
    cache.delete_many([_cache_key(h) for h in hashes])


class TokenAuth(HttpBearer):
    openapi_description = "Token API pribadi, dibuat di /akun/token/ (Authorization: Bearer ...)"

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = token_owner(token)
        if user is None:
            return None
        request.user = user
        return user


class VerifiedSessionAuth(SessionAuth):
    """The logged-in session, if the user has passed the second factor where required."""

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        from padu.accounts import access

        user = super().authenticate(request, key)
        if user is None:
            return None
        if access.requires_2fa(user) and not getattr(user, "is_verified", lambda: False)():
            return None
        return user


api_auth = [TokenAuth(), VerifiedSessionAuth()]
