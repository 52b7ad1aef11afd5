"""Background job (django-tasks): recompute the dashboard aggregates after imports and
pengesahan, so pages never count the register themselves."""

from __future__ import annotations

from django.db import transaction
from django_tasks import task

from padu.dashboard.services import agregat_refresh


@task()
def refresh_aggregates() -> int:
    return int(agregat_refresh(actor=None)["wilayah"])


def refresh_after_commit() -> None:
    """Queue a refresh once the current transaction commits (imports, pengesahan)."""
    transaction.on_commit(lambda: refresh_aggregates.enqueue())
