from typing import Any

from django.contrib import admin, messages
from django.http import HttpRequest

from padu.core.admin import ReadOnlyAdmin
from padu.danadesa.models import (
    AturanTahun,
    Daftar,
    Impor,
    Musdesus,
    Pagu,
    Pembayaran,
    Perangkat,
)
from padu.danadesa.services import DanadesaError, DanadesaForbidden
from padu.danadesa.services.aturan import aturan_simpan


@admin.register(AturanTahun)
class AturanTahunAdmin(admin.ModelAdmin):
    """Yearly rules are data: saved through the service (checked, audited)."""

    list_display = ["tahun", "dasar_hukum", "updated_at"]
    fields = ["tahun", "dasar_hukum", "data"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return ["tahun", "dasar_hukum"] if obj is not None else ["dasar_hukum"]

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        try:
            data = dict(obj.data or {})
            data.setdefault("tahun", obj.tahun)
            aturan_simpan(actor=request.user, data=data)
        except (DanadesaError, DanadesaForbidden) as exc:
            messages.error(request, str(exc))

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Pagu)
class PaguAdmin(ReadOnlyAdmin):
    list_display = ["kode_desa", "tahun", "pagu", "persen_blt", "sumber"]
    list_filter = ["tahun", "sumber"]
    search_fields = ["kode_desa"]


@admin.register(Daftar)
class DaftarAdmin(ReadOnlyAdmin):
    list_display = ["kode_desa", "tahun", "versi", "jenis", "kuota", "created_at"]
    list_filter = ["tahun", "jenis"]
    search_fields = ["kode_desa"]


@admin.register(Musdesus)
class MusdesusAdmin(ReadOnlyAdmin):
    list_display = ["kode_desa", "tahun", "tanggal", "nomor", "nomor_perkades"]
    search_fields = ["kode_desa", "nomor_perkades"]


@admin.register(Pembayaran)
class PembayaranAdmin(ReadOnlyAdmin):
    list_display = ["kode_desa", "tahun", "bulan", "keluarga", "jumlah", "cara", "tanggal"]
    list_filter = ["tahun", "bulan", "cara"]
    raw_id_fields = ["keluarga"]


@admin.register(Perangkat)
class PerangkatAdmin(ReadOnlyAdmin):
    list_display = ["keluarga", "kode_desa", "jabatan"]
    raw_id_fields = ["keluarga"]


@admin.register(Impor)
class ImporAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "jenis", "nama_berkas", "status", "tahun", "wilayah"]
    list_filter = ["jenis", "status", "tahun"]
