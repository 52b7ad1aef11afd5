from django.contrib import admin

from padu.quality.models import CheckRun, Rule


@admin.register(Rule)
class RuleAdmin(admin.ModelAdmin):
    list_display = ["code", "group", "severity", "active"]
    list_filter = ["group", "severity", "active"]
    list_editable = ["severity", "active"]
    search_fields = ["code", "message"]
    readonly_fields = ["code", "group", "tables", "fields", "updated_at"]


@admin.register(CheckRun)
class CheckRunAdmin(admin.ModelAdmin):
    list_display = ["started_at", "kind", "status", "reference_date", "finished_at"]
    readonly_fields = [f.name for f in CheckRun._meta.fields]
