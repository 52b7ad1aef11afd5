"""Reads of the register on behalf of a user: scoped first (access.py), then filtered."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Substr
from django.utils import timezone
from rapidfuzz import fuzz

from padu.accounts import access
from padu.core.names import alias_keys, name_tokens
from padu.registry.models import Keluarga, Participation, Person, Version


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


def person_visible(user: Any) -> QuerySet[Person]:
    """Live persons of live families in the user's regions."""
    return access.scope_by_region(
        Person.objects.filter(keluarga__deleted_at__isnull=True), user, "keluarga__kode_desa"
    )


def person_get(user: Any, pk: int) -> Person:
    """A person the user may see; ``Person.DoesNotExist`` otherwise (no hint it exists)."""
    return person_visible(user).select_related("keluarga").get(pk=pk)


_NIK_QUERY = re.compile(r"^[\d\s.\-]+$")


def person_search(user: Any, query: str, *, limit: int = 20) -> list[Person]:
    """Persons by NIK (at least 6 digits: prefix; 16: exact) or by name, tolerant of
    spelling variants (see ``padu.core.names``); best matches first."""
    query = query.strip()
    base = person_visible(user).select_related("keluarga")
    if _NIK_QUERY.match(query):
        digits = re.sub(r"\D", "", query)
        if len(digits) < 6:
            return []
        qs = base.filter(nik=digits) if len(digits) >= 16 else base.filter(nik__startswith=digits)
        return list(qs.order_by("nik", "id")[:limit])
    tokens = [t for t in name_tokens(query) if t]
    if len(query) < 3 or not tokens:
        return []
    aliases = alias_keys() & set(tokens)
    plain = [t for t in tokens if t not in aliases]
    qs = base
    for token in plain:
        qs = qs.filter(nama_kunci__contains=token)
    if not plain:
        condition = Q()
        for key in aliases:
            condition |= Q(nama_kunci__contains=key)
        qs = qs.filter(condition)
    wanted = " ".join(tokens)
    ranked = []
    for person in qs.order_by("id")[:SEARCH_CANDIDATES]:
        found = name_tokens(person.nama)
        if not aliases.issubset(found):
            continue
        score = fuzz.token_set_ratio(wanted, " ".join(found))
        ranked.append((-score, person.nama, person.pk, person))
    ranked.sort(key=lambda row: row[:3])
    return [row[3] for row in ranked[:limit]]


SEARCH_CANDIDATES = 500


def _desil_model() -> Any:
    """The welfare app's score model, if it has one with ``keluarga`` and ``desil`` fields."""
    try:
        models = apps.get_app_config("welfare").get_models()
    except LookupError:
        return None
    for model in models:
        names = {f.name for f in model._meta.get_fields()}
        if {"keluarga", "desil"} <= names:
            return model
    return None


class FilterUnavailable(ValueError):
    """A filter asked for data that does not exist yet (message in Bahasa Indonesia)."""


def keluarga_list(
    user: Any,
    *,
    desa: str = "",
    desil: int | None = None,
    program: str = "",
    status: str = "",
) -> QuerySet[Keluarga]:
    """Families the user may see, filtered by desa (or wider code prefix), desil, programme
    code and status; each with its head's name and member count."""
    qs = keluarga_visible(user)
    if desa:
        qs = qs.filter(kode_desa=desa) if len(desa) == 13 else qs.filter(kode_desa__startswith=desa)
    if status:
        qs = qs.filter(status=status)
    if program:
        today = timezone.localdate()
        running = Participation.objects.filter(program__code=program, start__lte=today).filter(
            Q(end__isnull=True) | Q(end__gte=today)
        )
        qs = qs.filter(pk__in=running.values("keluarga_id"))
    if desil is not None:
        model = _desil_model()
        if model is None:
            raise FilterUnavailable(
                "Saringan desil belum bisa dipakai: skor kesejahteraan belum dihitung."
            )
        qs = qs.filter(pk__in=model.objects.filter(desil=desil).values("keluarga_id"))
    heads = Person.objects.filter(keluarga=OuterRef("pk"), hub_kepala_keluarga=1).order_by("id")
    members = (
        Person.objects.filter(keluarga=OuterRef("pk"))
        .order_by()
        .values("keluarga")
        .annotate(n=Count("id"))
        .values("n")
    )
    return qs.annotate(
        kepala=Subquery(heads.values("nama")[:1]), jumlah=Subquery(members[:1])
    ).order_by("kode_desa", "rt", "rw", "id")


@dataclass(frozen=True)
class SourceEntry:
    source: str
    kind: str
    table: str
    key: str
    import_run: int | None
    file_name: str
    at: Any


def keluarga_sources(keluarga: Keluarga) -> list[SourceEntry]:
    """Where the family and its members came from: each source's own id for them, and the
    import run that created the family."""
    member_ids = list(Person.all_objects.filter(keluarga=keluarga).values_list("id", flat=True))
    links: list[Any] = []
    try:
        entity_link = apps.get_model("intake", "EntityLink")
    except LookupError:  # an intake app without source-id links: only the import run
        entity_link = None
    if entity_link is not None:
        links = list(
            entity_link.objects.filter(
                Q(table="keluarga", entity_id=keluarga.pk)
                | Q(table="art", entity_id__in=member_ids)
            )
            .select_related("source")
            .order_by("source__name", "table", "source_key")
        )
    entries = [
        SourceEntry(
            source=link.source.name,
            kind=link.source.get_kind_display(),
            table=link.table,
            key=link.source_key,
            import_run=None,
            file_name="",
            at=None,
        )
        for link in links
    ]
    run = keluarga.import_run
    if run is not None:
        entries.insert(
            0,
            SourceEntry(
                source=run.source.name,
                kind=run.source.get_kind_display(),
                table="keluarga",
                key=keluarga.id_keluarga,
                import_run=run.pk,
                file_name=run.file_name,
                at=run.started_at,
            ),
        )
    return entries
