from django.contrib import admin

from padu.wilayah.models import Desa, Kabupaten, Kecamatan, Provinsi


class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "active", "vanished_at"]
    list_filter = ["active"]
    search_fields = ["code", "name"]


admin.site.register(Provinsi, RegionAdmin)
admin.site.register(Kabupaten, RegionAdmin)
admin.site.register(Kecamatan, RegionAdmin)


@admin.register(Desa)
class DesaAdmin(RegionAdmin):
    list_display = ["code", "name", "jenis", "active", "vanished_at"]
    list_filter = ["active", "jenis"]
