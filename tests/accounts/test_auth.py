from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from padu.accounts.services import user_upsert
from padu.core.models import AuditLog

pytestmark = pytest.mark.django_db
PASSWORD = "sandi-yang-panjang-1"


def _login(client: Client, username: str, password: str) -> Any:
    return client.post(reverse("login"), {"username": username, "password": password})


def test_lockout_after_configured_failures(client: Client, settings: Any) -> None:
    user_upsert(
        actor=None,
        username="op",
        password=PASSWORD,
        assignments=[("operator-desa", "33.16.01.2001")],
    )
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = _login(client, "op", "salah")
        assert response.status_code == 200
        assert "kata sandi salah" in response.content.decode()
    locked = _login(client, "op", "salah")
    assert locked.status_code == 429
    assert "dikunci sementara" in locked.content.decode()
    # Even the right password is refused while locked.
    again = _login(client, "op", PASSWORD)
    assert again.status_code == 429
    assert "_auth_user_id" not in client.session


def test_successful_login_resets_the_count(client: Client, settings: Any) -> None:
    user_upsert(
        actor=None,
        username="op",
        password=PASSWORD,
        assignments=[("operator-desa", "33.16.01.2001")],
    )
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        _login(client, "op", "salah")
    assert _login(client, "op", PASSWORD).status_code == 302
    client.logout()
    assert _login(client, "op", "salah").status_code == 200  # counting from zero again


def _code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def test_totp_enforced_for_province_wide_roles(client: Client) -> None:
    user_upsert(actor=None, username="tkpk", password=PASSWORD, assignments=[("tkpk-provinsi", "")])
    assert _login(client, "tkpk", PASSWORD).status_code == 302
    home = client.get(reverse("dashboard:home"))
    assert home.status_code == 302 and home["Location"].startswith("/akun/2fa/")
    assert client.get("/api/v1/wilayah/kabupaten").status_code in (401, 403)
    setup = client.get("/akun/2fa/")
    page = setup.content.decode()
    assert "Pindai kode QR" in page and "data:image/svg+xml;base64," in page
    device = TOTPDevice.objects.get(user__username="tkpk")
    assert not device.confirmed
    wrong = client.post("/akun/2fa/", {"kode": "000000" if _code(device) != "000000" else "111111"})
    assert "Kode tidak cocok" in wrong.content.decode()
    device.refresh_from_db()
    assert device.throttling_failure_count == 1  # django-otp slows down guessing
    device.throttle_reset()
    ok = client.post("/akun/2fa/", {"kode": _code(device), "next": "/"})
    assert ok.status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    assert client.get(reverse("dashboard:home")).status_code == 200
    assert AuditLog.objects.filter(action="login.2fa", actor__username="tkpk").count() == 1
    # A new session asks for the code again, without a new QR code.
    other = Client()
    _login(other, "tkpk", PASSWORD)
    assert other.get(reverse("dashboard:home")).status_code == 302
    assert "Pindai kode QR" not in other.get("/akun/2fa/").content.decode()


def test_operator_needs_no_second_factor(client: Client) -> None:
    user_upsert(
        actor=None,
        username="op",
        password=PASSWORD,
        assignments=[("operator-desa", "33.16.01.2001")],
    )
    _login(client, "op", PASSWORD)
    assert client.get(reverse("dashboard:home")).status_code == 200


def test_security_headers_and_csrf(client: Client, admin_user: Any) -> None:
    response = client.get(reverse("login"))
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    strict = Client(enforce_csrf_checks=True)
    assert strict.post(reverse("login"), {"username": "x", "password": "y"}).status_code == 403


def test_session_expires_when_idle(settings: Any) -> None:
    assert settings.SESSION_SAVE_EVERY_REQUEST is True
    assert 0 < settings.SESSION_COOKIE_AGE <= 8 * 3600
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True
