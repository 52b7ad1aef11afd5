from django.contrib import admin

from padu.dampingan.models import (
    AnggotaTim,
    Intervensi,
    JenisIntervensi,
    LaporanBulanan,
    Mitra,
    Penugasan,
    SumberDana,
)

admin.site.register(JenisIntervensi)
admin.site.register(SumberDana)


@admin.register(Mitra)
class MitraAdmin(admin.ModelAdmin):
    list_display = ("nama", "jenis", "wilayah", "aktif")
    search_fields = ("nama", "kode")


@admin.register(AnggotaTim)
class AnggotaAdmin(admin.ModelAdmin):
    list_display = ("user", "mitra", "jabatan")


@admin.register(Penugasan)
class PenugasanAdmin(admin.ModelAdmin):
    list_display = ("mitra", "kode_desa", "tahun", "zona", "aktif")
    list_filter = ("tahun", "zona", "aktif")
    readonly_fields = ("baseline", "baseline_bulan")


@admin.register(Intervensi)
class IntervensiAdmin(admin.ModelAdmin):
    list_display = ("jenis", "kode_desa", "status", "jumlah", "mulai")
    list_filter = ("status", "jenis", "sumber_dana")
    raw_id_fields = ("keluarga", "versi")


@admin.register(LaporanBulanan)
class LaporanAdmin(admin.ModelAdmin):
    list_display = ("penugasan", "bulan", "dikirim_pada")
