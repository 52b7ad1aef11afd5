from __future__ import annotations

from collections.abc import Generator
from typing import Any

import pytest
from hypothesis import settings as hypothesis_settings
from pytest_django.plugin import blocking_manager_key

# Property tests are deterministic: the same examples on every run and every machine.
hypothesis_settings.register_profile("padu", derandomize=True, deadline=None, print_blob=True)
hypothesis_settings.load_profile("padu")


def restore_reference_data() -> None:
    """What migrations and the session set up: default roles, programmes, removal reasons,
    eligibility rules, quality rules, the Jawa Tengah regions and the BLT-DD rules (only
    what is missing)."""
    from padu.accounts.defaults import seed_roles
    from padu.accounts.models import Role
    from padu.quality.catalogue import default_rows
    from padu.quality.models import Rule
    from padu.registry.defaults import seed_defaults
    from padu.registry.models import NonaktifReason, Program
    from padu.welfare.defaults import seed_eligibility
    from padu.welfare.models import EligibilityRule
    from padu.wilayah.models import Kabupaten
    from padu.wilayah.services import wilayah_load

    if not Role.objects.exists():
        seed_roles(Role)
        from padu.accounts.defaults import seed_role_fields

        seed_role_fields(Role, ["nik_access", "manages_users", "requires_2fa", "sees_children"])
    seed_defaults(Program, NonaktifReason)
    from padu.dampingan.defaults import seed_catalogues
    from padu.dampingan.models import JenisIntervensi, SumberDana

    seed_catalogues(JenisIntervensi, SumberDana)
    seed_eligibility(EligibilityRule, Program)
    if not Rule.objects.exists():
        Rule.objects.bulk_create(Rule(**row) for row in default_rows())
    if not Kabupaten.objects.exists():
        wilayah_load(actor=None)
    from padu.danadesa.defaults import seed_aturan
    from padu.danadesa.models import AturanTahun

    seed_aturan(AturanTahun)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: Any, django_db_blocker: Any) -> None:
    """Every database test starts with the Jawa Tengah regions loaded (once per session)."""
    with django_db_blocker.unblock():
        restore_reference_data()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: Any, call: Any) -> Generator[None, Any, None]:
    """Remember whether a test was skipped at setup (its fixtures never ran)."""
    outcome = yield
    report = outcome.get_result()
    if report.when == "setup":
        item._padu_setup_skipped = report.skipped


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item: Any, nextitem: Any) -> Generator[None, None, None]:
    """Transactional tests (live server, browser) end with every table emptied: put the
    reference data back for the tests that follow."""
    yield
    marker = item.get_closest_marker("django_db")
    if nextitem is None or marker is None or not marker.kwargs.get("transaction"):
        return
    if getattr(item, "_padu_setup_skipped", False):
        return  # skipped before its database was set up: nothing was emptied
    with item.config.stash[blocking_manager_key].unblock():
        restore_reference_data()


@pytest.fixture
def admin_user(django_user_model: Any) -> Any:
    return django_user_model.objects.create_superuser("admin-test", "admin@padu.invalid", "x")


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    """Cached figures (such as list counts) never leak from one test into the next."""
    from django.core.cache import cache

    cache.clear()
