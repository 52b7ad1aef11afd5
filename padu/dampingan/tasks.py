"""Background jobs: measuring every desa for the month (after the register is re-scored)."""

from __future__ import annotations

from django_tasks import task

from padu.dampingan import services


@task()
def refresh_indicators() -> int:
    return services.indikator_refresh(actor=None)
