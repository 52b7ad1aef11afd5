"""Admin pages for the register. Changes made here go through the services, so they are
versioned and audited like any other change."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.http import HttpRequest

from padu.core.admin import ReadOnlyAdmin
from padu.registry import services
from padu.registry.models import (
    Keluarga,
    NonaktifReason,
    Participation,
    Person,
    Program,
    Version,
)


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class PersonInline(ReadOnlyInline):
    model = Person
    fields = ["nama", "nik", "hub_kepala_keluarga", "jenis_kelamin", "tgl_lahir", "status"]


class ParticipationInline(ReadOnlyInline):
    model = Participation
    fields = ["program", "person", "start", "end"]


class VersionedAdmin(admin.ModelAdmin):
    """Saves through the register services; deletion is soft (a service with a reason)."""

    readonly_fields = [
        "status",
        "status_reason",
        "source_record",
        "import_run",
        "deleted_at",
        "deleted_reason",
        "created_at",
        "updated_at",
    ]

    def get_queryset(self, request: HttpRequest) -> Any:
        return self.model.all_objects.all()

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        reason = "Diubah melalui halaman admin"
        data = {name: form.cleaned_data[name] for name in form.changed_data}
        data = {
            (f"{k}_id" if k == "keluarga" else k): (v.pk if k == "keluarga" else v)
            for k, v in data.items()
        }
        try:
            if change:
                target = self.model.all_objects.get(pk=obj.pk)
                update = (
                    services.keluarga_update
                    if isinstance(obj, Keluarga)
                    else services.person_update
                )
                kwargs = {"keluarga" if isinstance(obj, Keluarga) else "person": target}
                update(actor=request.user, changes=data, reason=reason, **kwargs)
            elif isinstance(obj, Keluarga):
                created = services.keluarga_create(actor=request.user, data=data, reason=reason)
                obj.pk = created.pk
            else:
                data.pop("keluarga_id", None)
                created_person = services.person_create(
                    actor=request.user, keluarga=obj.keluarga, data=data, reason=reason
                )
                obj.pk = created_person.pk
        except services.RegistryError as exc:
            self.message_user(request, str(exc), level=messages.ERROR)


@admin.register(Keluarga)
class KeluargaAdmin(VersionedAdmin):
    list_display = ["id", "id_keluarga", "no_kk", "kode_desa", "status", "deleted_at"]
    list_filter = ["status", "perkotaan", "penerima_pkh", "penerima_blt_dd"]
    search_fields = ["id_keluarga", "no_kk", "kode_desa"]
    inlines = [PersonInline, ParticipationInline]


@admin.register(Person)
class PersonAdmin(VersionedAdmin):
    list_display = ["id", "nama", "nik", "hub_kepala_keluarga", "tgl_lahir", "status"]
    list_filter = ["status", "jenis_kelamin", "hub_kepala_keluarga"]
    search_fields = ["nama", "nik", "id_art"]
    raw_id_fields = ["keluarga"]


@admin.register(Program)
class ProgramAdmin(admin.ModelAdmin):
    list_display = ["code", "nama", "per_person", "flag_column", "active"]


@admin.register(NonaktifReason)
class NonaktifReasonAdmin(admin.ModelAdmin):
    list_display = ["code", "label", "active", "order"]
    list_editable = ["active", "order"]


@admin.register(Participation)
class ParticipationAdmin(admin.ModelAdmin):
    list_display = ["id", "keluarga", "person", "program", "start", "end"]
    list_filter = ["program"]
    raw_id_fields = ["keluarga", "person", "source_record"]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Version)
class VersionAdmin(ReadOnlyAdmin):
    list_display = ["at", "entity", "entity_id", "action", "actor", "reason"]
    list_filter = ["entity", "action"]
    search_fields = ["entity_id", "reason"]
    raw_id_fields = ["keluarga", "source_record", "import_run"]
