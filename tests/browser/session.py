"""Signing in from the browser tests: the login form of Padu, as a user would fill it."""

from __future__ import annotations

from typing import Any


def sign_in(page: Any, base_url: str, username: str, password: str, *, home: bool = True) -> None:
    """Fill and send the login form; with ``home``, wait for the home page (roles asked for
    a second factor pass ``home=False`` and confirm their code first)."""
    page.goto(f"{base_url}/masuk/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button.primary")
    if home:
        page.wait_for_url(f"{base_url}/")
