"""How API callers are recognised: a personal token (``Authorization: Bearer padu_...``) or
the browser session of a logged-in user (with its CSRF check). Both end with
``request.user`` set, so the API uses the same selectors and access rules as the pages."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer, SessionAuth

from padu.accounts.services import api_token_user


class TokenAuth(HttpBearer):
    openapi_description = "Token API pribadi, dibuat di /akun/token/ (Authorization: Bearer ...)"

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = api_token_user(token)
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
