"""Browser tests run against a live server, so they are transactional: Django empties every
table after each one. Put the default roles and the regions back afterwards, so that tests
running later in the session find what the session set up."""

from __future__ import annotations

from collections.abc import Generator
from typing import Any

import pytest
from pytest_django.plugin import blocking_manager_key


def restore_reference_data() -> None:
    from padu.accounts.defaults import seed_roles
    from padu.accounts.models import Role
    from padu.wilayah.models import Kabupaten
    from padu.wilayah.services import wilayah_load

    seed_roles(Role)
    if not Kabupaten.objects.exists():
        wilayah_load(actor=None)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item: Any, nextitem: Any) -> Generator[None, None, None]:
    yield
    if nextitem is None:  # the session is over and the test database is gone
        return
    with item.config.stash[blocking_manager_key].unblock():
        restore_reference_data()
