from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: Any, django_db_blocker: Any) -> None:
    """Every database test starts with the Jawa Tengah regions loaded (once per session)."""
    from padu.wilayah.services import wilayah_load

    with django_db_blocker.unblock():
        wilayah_load(actor=None)


@pytest.fixture
def admin_user(django_user_model: Any) -> Any:
    return django_user_model.objects.create_superuser("admin-test", "admin@padu.invalid", "x")
