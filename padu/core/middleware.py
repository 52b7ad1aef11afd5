"""Request middleware: chosen language, the client's address for audit rows, security headers
(content security policy) and the second factor for roles that require it."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.utils import translation

from padu.core.audit import client_ip, current_ip

Handler = Callable[[HttpRequest], HttpResponse]


class ChosenLanguageMiddleware:
    """The language is the one the user chose with the language switch (cookie), otherwise
    Indonesian, whatever the browser's Accept-Language says."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response
        self.supported = {code for code, _ in settings.LANGUAGES}

    def __call__(self, request: HttpRequest) -> HttpResponse:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        language = chosen if chosen in self.supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


class RequestAddressMiddleware:
    """Makes the client's address available to ``audit_write`` during the request."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = current_ip.set(client_ip(request))
        try:
            return self.get_response(request)
        finally:
            current_ip.reset(token)


class ContentSecurityPolicyMiddleware:
    """A strict content security policy (``PADU_CSP`` in settings): scripts only from this
    site, no inline scripts, no framing. Pages load nothing from other hosts (no CDN)."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response
        self.policy = "; ".join(f"{k} {v}" for k, v in settings.PADU_CSP.items())

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", self.policy)
        response.headers.setdefault(
            "Permissions-Policy", "camera=(), microphone=(), geolocation=()"
        )
        return response


# Paths a user who still owes the second factor may open.
_OPEN_PATHS = ("/masuk/", "/keluar/", "/akun/2fa/", "/i18n/", "/static/")


class RequireTwoFactorMiddleware:
    """Users whose role requires it (``access.requires_2fa``) must confirm a TOTP code after
    the password before any other page; until they have a device they are sent to set one up.
    Runs after django-otp's ``OTPMiddleware``."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from padu.accounts import access

        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not request.path.startswith(_OPEN_PATHS)
            and access.requires_2fa(user)
            and not user.is_verified()
        ):
            if request.path.startswith("/api/"):
                return JsonResponse(
                    {"detail": "Verifikasi dua langkah diperlukan. Masuk lewat /masuk/ dulu."},
                    status=403,
                )
            return redirect(
                f"{settings.PADU_2FA_URL}?{urlencode({'next': request.get_full_path()})}"
            )
        return self.get_response(request)
