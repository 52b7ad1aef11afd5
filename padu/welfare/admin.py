from django.contrib import admin

from padu.core.admin import ReadOnlyAdmin
from padu.welfare.models import (
    Activation,
    AngkaKemiskinanBps,
    EligibilityRule,
    EstimasiKemiskinan,
    KeluargaScore,
    PmtModel,
)


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


@admin.register(EstimasiKemiskinan)
class EstimasiKemiskinanAdmin(ReadOnlyAdmin):
    list_display = ["kode", "tingkat", "p0", "p0_bawah", "p0_atas", "versi_model", "dihitung"]
    list_filter = ["tingkat"]


@admin.register(AngkaKemiskinanBps)
class AngkaKemiskinanBpsAdmin(ReadOnlyAdmin):
    """Recorded through ``padu kemiskinan bps`` (the service keeps the versions)."""

    list_display = ["kode", "periode", "versi", "p0", "sumber"]
