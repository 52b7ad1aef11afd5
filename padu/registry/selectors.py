"""Reads of the register on behalf of a user: scoped first (access.py), then filtered."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Substr

from padu.accounts import access
from padu.registry.models import Keluarga, Person, Version


def keluarga_visible(user: Any) -> QuerySet[Keluarga]:
    return access.scope_by_region(Keluarga.objects.all(), user, "kode_desa")


def keluarga_get(user: Any, pk: int) -> Keluarga:
    """A family the user may see; ``Keluarga.DoesNotExist`` otherwise (no hint it exists)."""
    return keluarga_visible(user).get(pk=pk)


def keluarga_members(keluarga: Keluarga) -> QuerySet[Person]:
    return keluarga.members.order_by("hub_kepala_keluarga", "tgl_lahir", "id")


@dataclass(frozen=True)
class TimelineEntry:
    at: Any
    action: str
    entity: str
    subject: str
    actor: str
    reason: str
    source: str
    changes: dict[str, list[Any]]


def keluarga_timeline(keluarga: Keluarga) -> list[TimelineEntry]:
    """Every change to the family, its members and its programmes, newest first."""
    names = dict(Person.all_objects.filter(keluarga=keluarga).values_list("id", "nama"))
    versions = (
        Version.objects.filter(keluarga=keluarga)
        .select_related("actor", "import_run__source")
        .order_by("-at", "-id")
    )
    entries = []
    for v in versions:
        subject = names.get(v.entity_id, "") if v.entity == "person" else ""
        source = ""
        if v.import_run_id:
            source = f"{v.import_run.source.name} (impor #{v.import_run_id})"  # type: ignore[union-attr]
        entries.append(
            TimelineEntry(
                at=v.at,
                action=v.get_action_display(),
                entity=v.entity,
                subject=subject,
                actor=v.actor.get_username() if v.actor else "sistem",
                reason=v.reason,
                source=source,
                changes=v.changes,
            )
        )
    if keluarga.import_run_id and not any(
        e.action == "Dibuat" and e.entity == "keluarga" for e in entries
    ):
        run = keluarga.import_run
        entries.append(
            TimelineEntry(
                at=keluarga.created_at,
                action="Dibuat",
                entity="keluarga",
                subject="",
                actor=run.actor.get_username() if run and run.actor else "sistem",
                reason="Dimuat dari impor",
                source=f"{run.source.name} (impor #{run.pk})" if run else "",
                changes={},
            )
        )
    return entries


def region_counts(user: Any, *, prefix: str, level_length: int) -> dict[str, dict[str, int]]:
    """Family and person counts grouped by the first ``level_length`` characters of the desa
    code, within ``prefix``. Aggregates: visible to every role that has the region."""
    families = access.scope_by_region(
        Keluarga.objects.filter(kode_desa__startswith=prefix),
        user,
        "kode_desa",
        personal_data=False,
    )
    result: dict[str, dict[str, int]] = {}
    for row in families.values(code=Substr("kode_desa", 1, level_length)).annotate(
        n=Count("id"), miskin=Count("id", filter=Q(penerima_pkh=True))
    ):
        result[row["code"]] = {"keluarga": row["n"], "pkh": row["miskin"], "orang": 0}
    persons = access.scope_by_region(
        Person.objects.filter(
            keluarga__kode_desa__startswith=prefix, keluarga__deleted_at__isnull=True
        ),
        user,
        "keluarga__kode_desa",
        personal_data=False,
    )
    for row in persons.values(code=Substr("keluarga__kode_desa", 1, level_length)).annotate(
        n=Count("id")
    ):
        result.setdefault(row["code"], {"keluarga": 0, "pkh": 0, "orang": 0})["orang"] = row["n"]
    return result
