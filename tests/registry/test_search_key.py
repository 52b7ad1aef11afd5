"""The stored search key of names (``Person.nama_kunci``): kept by every writer, used by
person search, served by a trigram index on PostgreSQL."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from padu.core.names import name_key
from padu.intake.models import Source
from padu.intake.services import import_file, source_get_or_create
from padu.registry import services
from padu.registry.models import Keluarga, Person, Version
from padu.registry.selectors import person_search
from tests.intake.samples import ART, load_small, write_files

pytestmark = pytest.mark.django_db


def _family(actor: Any) -> Keluarga:
    return services.keluarga_create(
        actor=actor,
        data={"id_keluarga": "K-S1", "no_kk": "3316010101200001", "kode_desa": "33.16.01.2001"},
        reason="Data awal uji",
    )


def test_services_keep_the_key_and_versions_show_only_the_name(admin_user: Any) -> None:
    person = services.person_create(
        actor=admin_user,
        keluarga=_family(admin_user),
        data={"id_art": "A-S1", "nama": "Moch. Djoko Soesilo"},
        reason="Data awal uji",
    )
    stored = Person.objects.get(pk=person.pk)
    assert stored.nama_kunci == name_key("Muhammad Joko Susilo") == "muhamad yoko susilo"
    services.person_update(
        actor=admin_user, person=stored, changes={"nama": "Siti Aminah"}, reason="Koreksi"
    )
    assert Person.objects.get(pk=person.pk).nama_kunci == "siti aminah"
    last = Version.objects.filter(entity="person", entity_id=person.pk).order_by("-id").first()
    assert last is not None and set(last.changes) == {"nama"}
    assert [p.pk for p in person_search(admin_user, "St. Aminah")] == [person.pk]
    assert person_search(admin_user, "Joko Susilo") == []


def test_save_with_update_fields_keeps_the_key(admin_user: Any) -> None:
    family = _family(admin_user)
    person = Person.objects.create(keluarga=family, nama="Soekarno")
    person.nama = "Jusuf Tjahjono"
    person.save(update_fields=["nama"])
    assert Person.objects.get(pk=person.pk).nama_kunci == "yusuf cahyono"


def test_import_fills_the_key_for_new_and_changed_persons(tmp_path: Path) -> None:
    source = load_small(tmp_path)
    keys = dict(Person.objects.values_list("id_art", "nama_kunci"))
    assert keys == {"A1": "sumarno", "A2": "suparmi", "A3": "wagiman"}
    changed = tmp_path / "changed"
    changed.mkdir()
    _, art = write_files(changed, art=ART.replace(";Suparmi;", ";Soeparmi Djojo;"))
    source = source_get_or_create(actor=None, name=source.name, kind=Source.Kind.SINTETIS)
    run = import_file(actor=None, path=art, source=source, table="art")
    assert run.status == "selesai", run.status
    assert Person.objects.get(id_art="A2").nama_kunci == "suparmi yoyo"
    assert Person.objects.get(id_art="A1").nama_kunci == "sumarno"


def test_trigram_index_serves_the_name_search() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("trigram index: PostgreSQL only (SQLite scans)")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE tablename = 'registry_person' "
            "AND indexname = 'registry_person_nama_kunci_trgm'"
        )
        rows = cursor.fetchall()
    assert len(rows) == 1 and "gin_trgm_ops" in rows[0][0]
