"""Background jobs: measuring every desa for the month (after the register is re-scored)."""

from __future__ import annotations

from django_tasks import task

from padu.dampingan import services


@task()
def refresh_indicators(desa: list[str] | None = None) -> int:
    """Measure every desa (or ``desa``) for the current month."""
    return services.indikator_refresh(actor=None, desa=desa)
