"""Background jobs (django-tasks): fitting a PMT model, scoring the register, estimating
poverty per area."""

from __future__ import annotations

from django_tasks import task

from padu.welfare import services
from padu.welfare.models import PmtModel


@task()
def fit_model(model_id: int) -> str:
    model = services.pmt_model_fit(actor=None, model=PmtModel.objects.get(pk=model_id))
    return model.versi


@task()
def score_register(model_id: int, wilayah: str) -> int:
    from padu.dampingan.tasks import refresh_indicators
    from padu.dashboard.tasks import refresh_aggregates

    model = PmtModel.objects.get(pk=model_id)
    written = services.keluarga_scores_write(actor=None, model=model, wilayah=wilayah)
    refresh_aggregates.enqueue()  # new desil: the dashboards follow
    refresh_indicators.enqueue()  # and the measured poverty level of every desa
    return written


@task()
def estimate_poverty(model_id: int, wilayah: str, kalibrasi: bool = False) -> int:
    """Small-area P0/P1/P2 of a region on the register (the dashboards read the rows)."""
    model = PmtModel.objects.get(pk=model_id)
    return services.kemiskinan_estimate_write(
        actor=None, model=model, wilayah=wilayah, kalibrasi=kalibrasi
    )
