"""Authentication backends."""

from __future__ import annotations

from typing import Any

from axes.backends import AxesStandaloneBackend
from django.http import HttpRequest


class LockoutBackend(AxesStandaloneBackend):
    """django-axes' lockout check for logins that come with a request (the login page).

    Logins without a request (tests' ``client.login``, scripts) cannot be counted per
    address or user agent; they pass to the next backend instead of failing, and the login
    page, the only place a password is typed, is always checked.
    """

    def authenticate(
        self, request: HttpRequest | None, username: str | None = None, password: str | None = None,
        **kwargs: Any,
    ) -> Any:  # fmt: skip
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
