from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from padu.welfare.models import Activation, EligibilityRule, KeluargaScore, PmtModel


class ReadOnlyAdmin(admin.ModelAdmin):
    """Written by the services (fit, activate, score) with audit rows: read-only here."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(PmtModel)
class PmtModelAdmin(ReadOnlyAdmin):
    list_display = ["id", "__str__", "created_at"]


@admin.register(Activation)
class ActivationAdmin(ReadOnlyAdmin):
    list_display = ["id", "__str__", "created_at"]


@admin.register(KeluargaScore)
class KeluargaScoreAdmin(ReadOnlyAdmin):
    list_display = ["keluarga", "desil", "model"]
    raw_id_fields = ["keluarga"]


@admin.register(EligibilityRule)
class EligibilityRuleAdmin(admin.ModelAdmin):
    list_display = ["program", "wilayah", "desil_min", "desil_maks", "kuota", "aktif"]
    list_filter = ["program", "aktif"]
