"""Every write to the register: versioned, audited, transactional (DESIGN.md rule 1)."""

from __future__ import annotations

import datetime as dt
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from padu.core.audit import audit_write
from padu.registry.history import diff, record_version, snapshot, versioned_fields
from padu.registry.models import (
    Keluarga,
    NonaktifReason,
    Participation,
    Person,
    Program,
    RegisterRecord,
    Status,
    Version,
)

R = TypeVar("R", bound=RegisterRecord)


class RegistryError(ValueError):
    """A register change that cannot be made; the message (Bahasa Indonesia) says why."""


def _check_fields(model: type[RegisterRecord], data: dict[str, Any]) -> None:
    allowed = set(versioned_fields(model)) - {"status", "status_reason_id"}
    unknown = sorted(set(data) - allowed)
    if unknown:
        raise RegistryError(
            f"Kolom tidak dikenal untuk {model._meta.verbose_name}: {', '.join(unknown)}. "
            "Periksa ejaan nama kolom (lihat format DTKS-CSV v1)."
        )


def _validate(obj: RegisterRecord) -> None:
    try:
        obj.full_clean(exclude=["keluarga", "source_record", "import_run", "status_reason"])
    except ValidationError as exc:
        problems = "; ".join(
            f"{field}: {' '.join(msgs)}" for field, msgs in exc.message_dict.items()
        )
        raise RegistryError(f"Data tidak valid: {problems}") from exc


def _create(obj: R, *, actor: Any, reason: str, source_record: Any, region_code: str) -> R:
    _validate(obj)
    obj.source_record = source_record
    obj.import_run = getattr(source_record, "import_run", None)
    obj.save()
    changes = {
        name: [None, value]
        for name, value in diff({}, snapshot(obj)).items()
        if value[1] not in (None, "")
    }
    record_version(
        obj=obj,
        action=Version.Action.CREATE,
        actor=actor,
        reason=reason,
        changes=changes,
        source_record=source_record,
    )
    audit_write(
        actor=actor, action=f"{obj._meta.model_name}.create", obj=obj, region_code=region_code
    )
    return obj


@transaction.atomic
def keluarga_create(
    *, actor: Any, data: dict[str, Any], reason: str = "", source_record: Any = None
) -> Keluarga:
    _check_fields(Keluarga, data)
    keluarga = Keluarga(**data)
    return _create(
        keluarga,
        actor=actor,
        reason=reason,
        source_record=source_record,
        region_code=keluarga.kode_desa,
    )


@transaction.atomic
def person_create(
    *,
    actor: Any,
    keluarga: Keluarga,
    data: dict[str, Any],
    reason: str = "",
    source_record: Any = None,
) -> Person:
    _check_fields(Person, {k: v for k, v in data.items() if k != "keluarga_id"})
    person = Person(keluarga=keluarga, **data)
    return _create(
        person,
        actor=actor,
        reason=reason,
        source_record=source_record,
        region_code=keluarga.kode_desa,
    )


def _locked(obj: R) -> R:
    model = type(obj)
    fresh = model.all_objects.select_for_update().get(pk=obj.pk)  # type: ignore[attr-defined]
    if fresh.deleted_at is not None:
        raise RegistryError(
            f"{str(model._meta.verbose_name).capitalize()} ini sudah dihapus; "
            "pulihkan dulu sebelum mengubah."
        )
    return fresh


def _region(obj: RegisterRecord) -> str:
    if isinstance(obj, Keluarga):
        return obj.kode_desa
    return Keluarga.all_objects.only("kode_desa").get(pk=obj.keluarga_id).kode_desa  # type: ignore[attr-defined]


def _update(
    obj: R,
    *,
    actor: Any,
    changes: dict[str, Any],
    reason: str,
    source_record: Any,
    action: str = Version.Action.UPDATE,
) -> Version | None:
    if not reason.strip() and source_record is None:
        raise RegistryError("Alasan perubahan wajib diisi (mis. hasil verval, koreksi data).")
    current = _locked(obj)
    before = snapshot(current)
    for name, value in changes.items():
        setattr(current, name, value)
    _validate(current)
    changed = diff(before, snapshot(current))
    if not changed:
        return None
    # Only what changed (and the auto_now stamps) is written: a row of ~60 columns costs
    # most of an update otherwise (profile of applying 10,000 usulan).
    stamps = [
        f.attname for f in type(current)._meta.concrete_fields if getattr(f, "auto_now", False)
    ]
    current.save(update_fields=[*changed, *stamps])
    for name in changes:
        setattr(obj, name, getattr(current, name))
    version = record_version(
        obj=current,
        action=action,
        actor=actor,
        reason=reason,
        changes=changed,
        source_record=source_record,
    )
    audit_write(
        actor=actor,
        action=f"{current._meta.model_name}.{action}",
        obj=current,
        region_code=_region(current),
        detail={"fields": sorted(changed)},
    )
    return version


@transaction.atomic
def keluarga_update(
    *,
    actor: Any,
    keluarga: Keluarga,
    changes: dict[str, Any],
    reason: str,
    source_record: Any = None,
) -> Version | None:
    """Change family attributes; returns the version written, or None when nothing changed."""
    _check_fields(Keluarga, changes)
    return _update(
        keluarga, actor=actor, changes=changes, reason=reason, source_record=source_record
    )


@transaction.atomic
def person_update(
    *,
    actor: Any,
    person: Person,
    changes: dict[str, Any],
    reason: str,
    source_record: Any = None,
) -> Version | None:
    """Change a person's attributes (moving to another family: ``keluarga_id``)."""
    _check_fields(Person, changes)
    return _update(person, actor=actor, changes=changes, reason=reason, source_record=source_record)


def _status_changes(status: str, reason_code: str | None) -> dict[str, Any]:
    if status not in Status.values:
        raise RegistryError(
            f"Status '{status}' tidak dikenal; pilih salah satu: {', '.join(Status.values)}."
        )
    reason_id = None
    if status == Status.NONAKTIF:
        if not reason_code:
            raise RegistryError("Status nonaktif memerlukan alasan dari daftar alasan nonaktif.")
        reason = NonaktifReason.objects.filter(code=reason_code, active=True).first()
        if reason is None:
            raise RegistryError(
                f"Alasan nonaktif '{reason_code}' tidak ada atau tidak dipakai lagi; "
                "pilih alasan dari daftar (menu Register keluarga > Alasan nonaktif)."
            )
        reason_id = reason.pk
    return {"status": status, "status_reason_id": reason_id}


@transaction.atomic
def person_set_status(
    *,
    actor: Any,
    person: Person,
    status: str,
    reason: str,
    reason_code: str | None = None,
    tgl_meninggal: dt.date | None = None,
    source_record: Any = None,
) -> Version | None:
    """Aktif, nonaktif (with a configured reason), meninggal (with date of death) or pindah."""
    changes = _status_changes(status, reason_code)
    if status == Status.MENINGGAL:
        changes.update(status_hidup=2, tgl_meninggal=tgl_meninggal or person.tgl_meninggal)
    return _update(
        person,
        actor=actor,
        changes=changes,
        reason=reason,
        source_record=source_record,
        action=Version.Action.STATUS,
    )


@transaction.atomic
def keluarga_set_status(
    *,
    actor: Any,
    keluarga: Keluarga,
    status: str,
    reason: str,
    reason_code: str | None = None,
    source_record: Any = None,
) -> Version | None:
    if status == Status.MENINGGAL:
        raise RegistryError("Status meninggal berlaku untuk anggota keluarga, bukan keluarga.")
    return _update(
        keluarga,
        actor=actor,
        changes=_status_changes(status, reason_code),
        reason=reason,
        source_record=source_record,
        action=Version.Action.STATUS,
    )


def _soft_delete(obj: R, *, actor: Any, reason: str, restore: bool) -> Version:
    if not reason.strip():
        raise RegistryError("Alasan penghapusan atau pemulihan wajib diisi.")
    model = type(obj)
    current = model.all_objects.select_for_update().get(pk=obj.pk)  # type: ignore[attr-defined]
    if (current.deleted_at is None) == restore:
        state = "belum dihapus" if restore else "sudah dihapus"
        raise RegistryError(f"{str(model._meta.verbose_name).capitalize()} ini {state}.")
    old = current.deleted_at
    current.deleted_at = None if restore else timezone.now()
    current.deleted_reason = "" if restore else reason[:255]
    current.save(update_fields=["deleted_at", "deleted_reason", "updated_at"])
    obj.deleted_at = current.deleted_at
    action = Version.Action.RESTORE if restore else Version.Action.DELETE
    version = record_version(
        obj=current,
        action=action,
        actor=actor,
        reason=reason,
        changes={
            "deleted_at": [
                old and old.isoformat(),
                current.deleted_at and current.deleted_at.isoformat(),
            ]
        },
    )
    audit_write(
        actor=actor,
        action=f"{model._meta.model_name}.{action}",
        obj=current,
        region_code=_region(current),
    )
    return version


@transaction.atomic
def keluarga_delete(*, actor: Any, keluarga: Keluarga, reason: str) -> Version:
    """Soft delete: the family and its history stay, hidden from lists, restorable."""
    return _soft_delete(keluarga, actor=actor, reason=reason, restore=False)


@transaction.atomic
def keluarga_restore(*, actor: Any, keluarga: Keluarga, reason: str) -> Version:
    return _soft_delete(keluarga, actor=actor, reason=reason, restore=True)


@transaction.atomic
def person_delete(*, actor: Any, person: Person, reason: str) -> Version:
    return _soft_delete(person, actor=actor, reason=reason, restore=False)


@transaction.atomic
def person_restore(*, actor: Any, person: Person, reason: str) -> Version:
    return _soft_delete(person, actor=actor, reason=reason, restore=True)


@transaction.atomic
def participation_start(
    *,
    actor: Any,
    keluarga: Keluarga,
    program: Program,
    start: dt.date,
    reason: str,
    person: Person | None = None,
    source_record: Any = None,
) -> Participation:
    """Enrol a family (or a person, for per-person programmes) from ``start``."""
    if program.per_person and person is None:
        raise RegistryError(f"{program.nama} adalah bantuan per orang: pilih anggota keluarganya.")
    open_ = Participation.objects.filter(
        keluarga=keluarga, program=program, person=person, end__isnull=True
    )
    if open_.exists():
        raise RegistryError(f"Keluarga ini masih tercatat sebagai peserta {program.nama}.")
    participation = Participation.objects.create(
        keluarga=keluarga, person=person, program=program, start=start, source_record=source_record
    )
    record_version(
        obj=participation,
        action=Version.Action.CREATE,
        actor=actor,
        reason=reason,
        changes={"program": [None, program.code], "start": [None, start.isoformat()]},
        source_record=source_record,
    )
    if program.flag_column and not getattr(keluarga, program.flag_column):
        keluarga_update(
            actor=actor,
            keluarga=keluarga,
            changes={program.flag_column: True},
            reason=reason,
            source_record=source_record,
        )
    audit_write(
        actor=actor, action="participation.start", obj=participation, region_code=keluarga.kode_desa
    )
    return participation


@transaction.atomic
def participation_end(
    *, actor: Any, participation: Participation, end: dt.date, reason: str
) -> Participation:
    if participation.end is not None:
        raise RegistryError("Kepesertaan ini sudah berakhir.")
    if end < participation.start:
        raise RegistryError("Tanggal berakhir tidak boleh sebelum tanggal mulai.")
    participation.end = end
    participation.save(update_fields=["end", "updated_at"])
    record_version(
        obj=participation,
        action=Version.Action.UPDATE,
        actor=actor,
        reason=reason,
        changes={"end": [None, end.isoformat()]},
    )
    program = participation.program
    still_open = Participation.objects.filter(
        keluarga_id=participation.keluarga_id, program=program, end__isnull=True
    ).exists()
    keluarga = participation.keluarga
    if program.flag_column and not still_open and getattr(keluarga, program.flag_column):
        keluarga_update(
            actor=actor, keluarga=keluarga, changes={program.flag_column: False}, reason=reason
        )
    audit_write(
        actor=actor, action="participation.end", obj=participation, region_code=keluarga.kode_desa
    )
    return participation
