"""Background work of linkage (django-tasks; ``padu worker`` runs it)."""

from __future__ import annotations

from django_tasks import task

from padu.linkage.models import LinkageRun
from padu.linkage.runs import linkage_run_execute


@task()
def run_linkage(run_id: int) -> dict[str, int]:
    """Carry out a queued run (the run records a failure; the page shows it)."""
    run = linkage_run_execute(run=LinkageRun.objects.get(pk=run_id))
    return dict(run.counts)
