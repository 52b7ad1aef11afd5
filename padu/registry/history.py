"""Change history of the register: field diffs and version rows."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import models

from padu.registry.models import Keluarga, Person, Version

# Bookkeeping fields that are not part of a record's content.
NOT_VERSIONED = {
    "id",
    "created_at",
    "updated_at",
    "source_record",
    "import_run",
    "deleted_at",
    "deleted_reason",
    "nama_kunci",  # derived from nama (search key), kept by Person.save()
}


def versioned_fields(model: type[models.Model]) -> list[str]:
    """Concrete content fields of a model, by attribute name (``keluarga_id`` for FKs)."""
    return [
        f.attname
        for f in model._meta.concrete_fields
        if f.name not in NOT_VERSIONED and f.attname not in NOT_VERSIONED
    ]


def jsonable(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def snapshot(obj: models.Model) -> dict[str, Any]:
    return {name: getattr(obj, name) for name in versioned_fields(type(obj))}


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """``{field: [old, new]}`` for every field whose value changed."""
    return {
        name: [jsonable(before.get(name)), jsonable(value)]
        for name, value in after.items()
        if before.get(name) != value
    }


def entity_name(obj: models.Model) -> str:
    return obj._meta.model_name or type(obj).__name__.lower()


def family_of(obj: models.Model) -> int:
    if isinstance(obj, Keluarga):
        return int(obj.pk)
    if isinstance(obj, Person):
        return int(obj.keluarga_id)
    return int(obj.keluarga_id)  # type: ignore[attr-defined]


def record_version(
    *,
    obj: models.Model,
    action: str,
    actor: Any,
    reason: str,
    changes: dict[str, list[Any]],
    source_record: Any = None,
    import_run: Any = None,
) -> Version:
    user = actor if actor is not None and getattr(actor, "is_authenticated", False) else None
    return Version.objects.create(
        entity=entity_name(obj),
        entity_id=obj.pk,
        keluarga_id=family_of(obj),
        action=action,
        actor=user,
        reason=reason[:500],
        source_record=source_record,
        import_run=import_run or getattr(source_record, "import_run", None),
        changes=changes,
    )
