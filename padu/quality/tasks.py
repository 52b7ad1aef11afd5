"""Background jobs (django-tasks): checking the register, all of it or what changed."""

from __future__ import annotations

import datetime as dt

from django_tasks import task

from padu.quality import services


@task()
def check_register(keluarga_ids: list[int] | None = None, since: str | None = None) -> int:
    """Run :func:`services.quality_check`; ``since`` is an ISO date-time. Returns the run id."""
    moment = dt.datetime.fromisoformat(since) if since else None
    return services.quality_check(actor=None, keluarga_ids=keluarga_ids, since=moment).pk


@task()
def check_changes() -> int:
    """Re-check the families changed since the last finished check (all when none ran)."""
    since = services.changed_since_last_run()
    return (
        services.quality_check(actor=None, since=since).pk
        if since
        else services.quality_check(actor=None).pk
    )
