from __future__ import annotations

from typing import Any

import pytest
from hypothesis import settings as hypothesis_settings

# Property tests are deterministic: the same examples on every run and every machine.
hypothesis_settings.register_profile("padu", derandomize=True, deadline=None, print_blob=True)
hypothesis_settings.load_profile("padu")


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: Any, django_db_blocker: Any) -> None:
    """Every database test starts with the Jawa Tengah regions loaded (once per session)."""
    from padu.wilayah.services import wilayah_load

    with django_db_blocker.unblock():
        wilayah_load(actor=None)


@pytest.fixture
def admin_user(django_user_model: Any) -> Any:
    return django_user_model.objects.create_superuser("admin-test", "admin@padu.invalid", "x")
