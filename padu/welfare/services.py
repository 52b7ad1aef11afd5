"""Every write of the welfare app: model registry, activation, scores, eligibility rules."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import polars as pl
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from padu.core import bulk
from padu.core.audit import audit_write
from padu.engine.pmt import artifact, fit, score
from padu.welfare import snapshot
from padu.welfare.models import Activation, EligibilityRule, KeluargaScore, PmtModel


def models_dir() -> Path:
    return Path(settings.DATA_DIR) / "pmt"


def pmt_model_create(*, actor: Any, nama: str, survei: Path) -> PmtModel:
    """Register an uploaded survey for fitting; the fit runs as a background task."""
    if not survei.is_file():
        raise ValueError(f"Berkas survei {survei} tidak ditemukan. Unggah ulang survey.csv.")
    with transaction.atomic():
        model = PmtModel.objects.create(nama=nama, survei=str(survei), dibuat_oleh=actor)
        audit_write(
            actor=actor, action="pmt_model_create", obj=model, detail={"survei": survei.name}
        )
    from padu.welfare.tasks import fit_model

    transaction.on_commit(lambda: fit_model.enqueue(model.pk))
    return model


def pmt_model_fit(
    *, actor: Any, model: PmtModel, overrides: dict[str, Any] | None = None
) -> PmtModel:
    """Fit the survey of ``model`` (task body): write the artifact, record CV and version."""
    try:
        survey = fit.read_survey(Path(model.survei))
        fitted = fit.fit(survey, overrides)
        staging = models_dir() / f"model-{model.pk}"
        manifest = artifact.save(fitted, staging)
    except (ValueError, OSError) as exc:
        with transaction.atomic():
            model.status = PmtModel.Status.GAGAL
            model.pesan = str(exc)
            model.save(update_fields=["status", "pesan", "updated_at"])
            audit_write(
                actor=actor,
                action="pmt_model_fit_failed",
                obj=model,
                detail={"pesan": str(exc)[:500]},
            )
        raise
    with transaction.atomic():
        model.status = PmtModel.Status.SIAP
        model.versi = manifest["versi"]
        model.hash = manifest["hash"]
        model.folder = str(staging)
        model.kandidat = manifest["model"]
        model.cv = manifest["cv"]
        model.manifest = {k: v for k, v in manifest.items() if k not in ("cv",)}
        model.save()
        audit_write(
            actor=actor,
            action="pmt_model_fit",
            obj=model,
            detail={"versi": model.versi, "kandidat": model.kandidat},
        )
    return model


def load_artifact(model: PmtModel) -> artifact.Artifact:
    if model.status != PmtModel.Status.SIAP:
        raise ValueError(
            f"Model {model} belum siap dipakai (status: {model.get_status_display()})."
        )
    return artifact.load(Path(model.folder))


def pmt_model_activate(*, actor: Any, model: PmtModel, wilayah: str) -> Activation:
    """Put ``model`` in force for a region (replacing the one in force there), audited."""
    load_artifact(model)  # refuses a model that is not ready or whose files changed
    with transaction.atomic():
        previous = list(Activation.objects.select_for_update().filter(wilayah=wilayah, aktif=True))
        Activation.objects.filter(pk__in=[a.pk for a in previous]).update(aktif=False)
        activation = Activation.objects.create(model=model, wilayah=wilayah, oleh=actor)
        audit_write(
            actor=actor,
            action="pmt_model_activate",
            obj=activation,
            region_code=wilayah,
            detail={"versi": model.versi, "sebelumnya": [a.model.versi for a in previous]},
        )
    return activation


def score_region(model: PmtModel, wilayah: str, reference_date: date) -> pl.DataFrame:
    """Scores and desil of every live family in a region (engine on a register snapshot)."""
    frame = snapshot.population(wilayah, reference_date)
    if frame.height == 0:
        return frame.with_columns(score=pl.lit(None, pl.Float64), desil=pl.lit(None, pl.Int8))
    scored = score.score_frame(load_artifact(model), frame, "register")
    return scored.join(
        frame.select("id_keluarga", *[c for c in frame.columns if c.startswith("aset_")]),
        on="id_keluarga",
    )


def keluarga_scores_write(
    *, actor: Any, model: PmtModel, wilayah: str, reference_date: date | None = None
) -> int:
    """Score the register of a region with ``model`` and store score, desil and version per
    family, replacing that region's scores (bulk, one transaction, one audit row)."""
    scored = score_region(model, wilayah, reference_date or timezone.localdate())
    now = timezone.now()
    rows = scored.select(
        pl.col("id_keluarga").cast(pl.Int64).alias("keluarga_id"),
        pl.lit(model.pk).alias("model_id"),
        pl.lit(model.versi).alias("versi"),
        pl.col("score"),
        pl.col("desil").cast(pl.Int16),
        pl.col("desil_kabupaten").cast(pl.Int16),
        pl.lit(wilayah).alias("wilayah"),
        pl.lit(now).cast(pl.Datetime("us")).alias("dihitung"),
    )
    table = KeluargaScore._meta.db_table
    with transaction.atomic():
        bulk.lock_tables(table)
        KeluargaScore.objects.filter(keluarga__kode_desa__startswith=wilayah).delete()
        written = bulk.insert_frame(table, rows)
        bulk.reset_sequence(table)
        audit_write(
            actor=actor,
            action="keluarga_scores_write",
            object_type="welfare.keluargascore",
            region_code=wilayah,
            detail={"versi": model.versi, "keluarga": written},
        )
    return written


def eligibility_rule_save(*, actor: Any, rule: EligibilityRule) -> EligibilityRule:
    if rule.desil_min < 1 or rule.desil_maks > 10 or rule.desil_min > rule.desil_maks:
        raise ValueError(
            "Batas desil harus 1-10 dan desil terendah tidak boleh melebihi tertinggi."
        )
    with transaction.atomic():
        rule.save()
        audit_write(
            actor=actor,
            action="eligibility_rule_save",
            obj=rule,
            region_code=rule.wilayah,
            detail=rule.as_rule(),
        )
    return rule
