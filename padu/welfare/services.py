"""Every write of the welfare app: model registry, activation, scores, eligibility rules,
small-area poverty estimates and the published BPS figures."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import polars as pl
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from padu.accounts import access
from padu.core import bulk
from padu.core.audit import audit_write
from padu.engine.kemiskinan import calibrate, lines, run
from padu.engine.pmt import artifact, fit, score
from padu.welfare import snapshot
from padu.welfare.models import (
    Activation,
    AngkaKemiskinanBps,
    EligibilityRule,
    EstimasiKemiskinan,
    KeluargaScore,
    PmtModel,
)


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


def _inside(code: str, prefix: str) -> bool:
    """Is area ``code`` (kabupaten, kecamatan or desa) wholly inside region ``prefix``?"""
    return not prefix or code == prefix or (code + ".").startswith(prefix)


def angka_bps_latest(kode: str) -> AngkaKemiskinanBps | None:
    """The latest published figure of a kabupaten/kota or the province (latest period,
    then latest version)."""
    return AngkaKemiskinanBps.objects.filter(kode=kode).order_by("-periode", "-versi").first()


def kemiskinan_estimate_write(
    *,
    actor: Any,
    model: PmtModel,
    wilayah: str,
    n_draws: int = 100,
    seed: int = 1,
    kalibrasi: bool = False,
    reference_date: date | None = None,
) -> int:
    """Estimate P0/P1/P2 of every area of a region from ``model``, its survey and the register
    snapshot, and store them, replacing the region's earlier estimates (one transaction,
    one audit row). ``kalibrasi``: shift each kabupaten to its latest published BPS P0."""
    prefix = access.normalise_prefix(wilayah) if wilayah else ""
    if prefix == "33.":
        prefix = ""
    if actor is not None and not access.sees_whole_region(actor, prefix.rstrip(".") or "33"):
        raise PermissionError("Anda tidak berwenang menghitung estimasi untuk seluruh wilayah ini.")
    loaded = load_artifact(model)
    survey = fit.read_survey(Path(model.survei))
    population = snapshot.population(prefix, reference_date or timezone.localdate())
    if population.height == 0:
        raise ValueError(f"Belum ada keluarga di register untuk wilayah '{wilayah or '33'}'.")
    published: list[calibrate.PublishedP0] = []
    if kalibrasi:
        kabupaten = sorted({c[:5] for c in population["kode_desa"].to_list() if c})
        for code in kabupaten:
            figure = angka_bps_latest(code)
            if figure is not None:
                published.append(
                    calibrate.PublishedP0(code, figure.periode, figure.p0, figure.sumber)
                )
    line = lines.line()
    result = run.estimate(
        loaded, survey, population, line, n_draws=n_draws, seed=seed, published=published
    )
    now = timezone.now()
    notes = {
        "pergeseran": result.shifts,
        "angka_bps": [p.__dict__ for p in published],
    }
    rows = [
        EstimasiKemiskinan(
            **{k: v for k, v in area.items() if k not in ("kode_wilayah",)},
            kode=area["kode_wilayah"],
            model=model,
            versi_model=model.versi,
            survei=Path(model.survei).name,
            garis_kemiskinan=line.garis,
            garis_ekstrem=line.ekstrem,
            garis_periode=line.periode,
            garis_sumber=line.sumber,
            jumlah_simulasi=n_draws,
            kalibrasi=notes if published else {},
            dihitung=now,
        )
        for area in result.areas.drop("p0_ekstrem_bawah", "p0_ekstrem_atas").iter_rows(named=True)
        if _inside(area["kode_wilayah"], prefix)
    ]
    with transaction.atomic():
        old = EstimasiKemiskinan.objects.all()
        if prefix:
            old = old.filter(kode__startswith=prefix.rstrip("."))
        old.delete()
        EstimasiKemiskinan.objects.bulk_create(rows, batch_size=2000)
        audit_write(
            actor=actor,
            action="kemiskinan_estimate_write",
            object_type="welfare.estimasikemiskinan",
            region_code=prefix,
            detail={
                "versi": model.versi,
                "wilayah": len(rows),
                "simulasi": n_draws,
                "garis": line.kode,
                "kalibrasi": sorted(result.shifts),
                "residu": result.residuals.summary(),
            },
        )
    return len(rows)


def angka_bps_record(
    *,
    actor: Any,
    kode: str,
    periode: str,
    p0: float,
    sumber: str,
    p1: float | None = None,
    p2: float | None = None,
    garis_kemiskinan: float | None = None,
) -> AngkaKemiskinanBps:
    """Record a published BPS figure as the next version of its (kode, periode) series."""
    code = access.normalise_prefix(kode).rstrip(".")
    if len(code) not in (2, 5):
        raise ValueError("Angka BPS dicatat untuk provinsi (33) atau kabupaten/kota (33.16).")
    if actor is not None and not access.can_write_region(actor, code + "."):
        raise PermissionError("Anda tidak berwenang mencatat angka BPS untuk wilayah ini.")
    if len(periode) != 7 or periode[4] != "-" or not (periode[:4] + periode[5:]).isdigit():
        raise ValueError(f"Periode '{periode}' tidak valid; tulis TTTT-BB, mis. 2025-03.")
    if not 0.0 < p0 < 100.0:
        raise ValueError("P0 BPS harus persen di antara 0 dan 100, mis. 11,28.")
    if not sumber.strip():
        raise ValueError("Sumber angka BPS wajib diisi (mis. BRS BPS Jawa Tengah, Juli 2025).")
    with transaction.atomic():
        last = (
            AngkaKemiskinanBps.objects.select_for_update()
            .filter(kode=code, periode=periode)
            .order_by("-versi")
            .first()
        )
        figure = AngkaKemiskinanBps.objects.create(
            kode=code,
            periode=periode,
            versi=(last.versi + 1) if last else 1,
            p0=p0,
            p1=p1,
            p2=p2,
            garis_kemiskinan=garis_kemiskinan,
            sumber=sumber.strip(),
            dicatat_oleh=actor,
        )
        audit_write(
            actor=actor,
            action="angka_bps_record",
            obj=figure,
            region_code=code,
            detail={"periode": periode, "versi": figure.versi, "p0": p0, "sumber": figure.sumber},
        )
    return figure
