"""Every write of the quality app: the stored catalogue and the check runs (DESIGN.md rule 1).

A check reads the register in bulk (:mod:`padu.quality.snapshot`), runs the engine
(:mod:`padu.engine.rules`), and replaces the findings of the families it checked in bulk:
COPY on PostgreSQL, executemany on SQLite. An incremental check takes the families that
changed (by key, or since a moment) plus the families their duplicates touch.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import polars as pl
from django.db import connection, transaction
from django.utils import timezone

from padu.core.audit import audit_write
from padu.core.bulk import insert_frame, lock_tables, next_ids, reset_sequence
from padu.engine.rules import check, default_catalogue
from padu.engine.rules.catalogue import SEVERITIES
from padu.quality import snapshot
from padu.quality.catalogue import default_rows, stored_catalogue
from padu.quality.models import CheckRun, Finding, Rule
from padu.registry.models import Keluarga, Person

DUPLICATE_RULES = ("nik_ganda", "orang_dua_keluarga")


class QualityError(ValueError):
    """A request the quality app cannot carry out; the message says why, in Indonesian."""


@transaction.atomic
def rules_sync(*, actor: Any) -> int:
    """Add the packaged rules missing from the database (never overwriting changes)."""
    existing = set(Rule.objects.values_list("code", flat=True))
    new = [Rule(**row) for row in default_rows() if row["code"] not in existing]
    Rule.objects.bulk_create(new)
    if new:
        audit_write(
            actor=actor, action="quality.rules_sync", detail={"baru": [r.code for r in new]}
        )
    return len(new)


@transaction.atomic
def rule_update(
    *,
    actor: Any,
    code: str,
    active: bool | None = None,
    severity: str | None = None,
    params: dict[str, Any] | None = None,
) -> Rule:
    """Switch a rule on or off, change its severity or parameters (merged over defaults)."""
    try:
        rule = Rule.objects.select_for_update().get(code=code)
    except Rule.DoesNotExist as exc:
        raise QualityError(f"Aturan '{code}' tidak ada di katalog.") from exc
    if severity is not None and severity not in SEVERITIES:
        raise QualityError(f"Tingkat '{severity}' tidak dikenal; pilih error, warning atau info.")
    defaults = default_catalogue()[code].params if code in default_catalogue() else {}
    unknown = sorted(set(params or {}) - set(defaults))
    if unknown:
        raise QualityError(
            f"Aturan '{code}' tidak punya parameter {', '.join(unknown)}; "
            f"yang ada: {', '.join(defaults) or 'tidak ada'}."
        )
    before = {"active": rule.active, "severity": rule.severity, "params": rule.params}
    if active is not None:
        rule.active = active
    if severity is not None:
        rule.severity = severity
    if params is not None:
        rule.params = {**rule.params, **params}
    rule.save()
    after = {"active": rule.active, "severity": rule.severity, "params": rule.params}
    audit_write(
        actor=actor,
        action="quality.rule_update",
        obj=rule,
        detail={"sebelum": before, "sesudah": after},
    )
    return rule


def _changed_keluarga(since: dt.datetime) -> list[int]:
    families = Keluarga.objects.filter(updated_at__gt=since).values_list("id", flat=True)
    members = Person.all_objects.filter(updated_at__gt=since).values_list("keluarga_id", flat=True)
    return sorted(set(families) | set(members))


def _affected(changed: Sequence[int]) -> list[int]:
    """The changed families, the families sharing a NIK or a name and birth date with
    their members, and the families holding a duplicate finding now."""
    art = snapshot.read_art(changed)
    peers = snapshot.read_peers(art, changed)
    holding = Finding.objects.filter(rule__in=DUPLICATE_RULES).values_list("keluarga_id", flat=True)
    return sorted(set(changed) | {int(i) for i in peers["id_keluarga"]} | set(holding))


def _findings_frame(issues: pl.DataFrame, keluarga: pl.DataFrame, run: CheckRun) -> pl.DataFrame:
    desa = keluarga.select("id_keluarga", kode_desa=pl.col("kode_desa").fill_null(""))
    frame = issues.join(desa, on="id_keluarga", how="left")
    first = next_ids(Finding._meta.db_table, frame.height)
    return frame.select(
        id=pl.int_range(first, first + frame.height, dtype=pl.Int64),
        run_id=pl.lit(run.pk, dtype=pl.Int64),
        keluarga_id=pl.col("id_keluarga").cast(pl.Int64),
        person_id=pl.when(pl.col("table") == "art").then(pl.col("record_id").cast(pl.Int64)),
        kode_desa=pl.col("kode_desa").fill_null(""),
        rule="rule",
        severity="severity",
        field=pl.col("field").fill_null(""),
        # Personal numbers are masked in stored messages (pages reveal them only on request).
        message=pl.col("message").str.replace_all(
            r"([0-9]{6})[0-9]{6}([0-9]{4})", "${1}******${2}"
        ),
    )


def _delete_findings(keluarga_ids: Sequence[int] | None) -> None:
    table = connection.ops.quote_name(Finding._meta.db_table)
    with connection.cursor() as cursor:
        if keluarga_ids is None:
            cursor.execute(f"DELETE FROM {table}")
            return
        ids = list(keluarga_ids)
        for start in range(0, len(ids), snapshot.CHUNK):
            chunk = ids[start : start + snapshot.CHUNK]
            marks = ", ".join(["%s"] * len(chunk))
            cursor.execute(f"DELETE FROM {table} WHERE keluarga_id IN ({marks})", chunk)


@transaction.atomic
def quality_check(
    *,
    actor: Any,
    keluarga_ids: Sequence[int] | None = None,
    since: dt.datetime | None = None,
    today: dt.date | None = None,
) -> CheckRun:
    """Check the whole register (no ``keluarga_ids`` and no ``since``), or incrementally
    the families with these keys or changed after ``since``; replace their findings."""
    if keluarga_ids is not None and since is not None:
        raise QualityError(
            "Pilih salah satu: daftar keluarga atau waktu perubahan, bukan keduanya."
        )
    incremental = keluarga_ids is not None or since is not None
    today = today or timezone.localdate()
    run = CheckRun.objects.create(
        kind=CheckRun.Kind.INCREMENTAL if incremental else CheckRun.Kind.FULL,
        reference_date=today,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
    )
    lock_tables(Finding._meta.db_table)
    scope: list[int] | None = None
    peers = None
    if incremental:
        changed = list(keluarga_ids) if keluarga_ids is not None else _changed_keluarga(since)  # type: ignore[arg-type]
        scope = _affected(changed) if changed else []
    keluarga = snapshot.read_keluarga(scope)
    art = snapshot.read_art(scope)
    if scope is not None:
        peers = snapshot.read_peers(art, scope)
    result = check(
        keluarga,
        art,
        reference=snapshot.register_reference(today),
        catalogue=stored_catalogue(),
        peers=peers,
    )
    _delete_findings(scope)
    insert_frame(Finding._meta.db_table, _findings_frame(result.issues, keluarga, run))
    reset_sequence(Finding._meta.db_table)
    counts = {s: result.issues.filter(pl.col("severity") == s).height for s in SEVERITIES}
    run.counts = {"keluarga": keluarga.height, "anggota": art.height, **counts}
    run.skipped = result.skipped
    run.status = CheckRun.Status.DONE
    run.finished_at = timezone.now()
    run.save(update_fields=["counts", "skipped", "status", "finished_at"])
    audit_write(actor=actor, action="quality.check", obj=run, detail=run.counts)
    return run


def changed_since_last_run() -> dt.datetime | None:
    """When the last finished check started: the ``since`` of the next incremental check."""
    last = CheckRun.objects.filter(status=CheckRun.Status.DONE).order_by("-started_at").first()
    return last.started_at if last else None
