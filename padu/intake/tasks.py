"""Background work of intake: large imports run in the worker (``padu worker``)."""

from __future__ import annotations

from django_tasks import task

from padu.accounts.models import User
from padu.intake.models import ImportRun
from padu.intake.services import import_execute


@task()
def run_import(run_id: int, actor_id: int | None) -> dict[str, int]:
    run = ImportRun.objects.get(pk=run_id)
    actor = User.objects.filter(pk=actor_id).first() if actor_id else None
    try:
        import_execute(actor=actor, run=run)
    except Exception as exc:  # the run records the failure; the page shows it
        ImportRun.objects.filter(pk=run_id).update(
            status=ImportRun.Status.GAGAL, error_message=str(exc)[:2000]
        )
        raise
    run.refresh_from_db()
    return dict(run.counts)
