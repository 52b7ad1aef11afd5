from django.contrib import admin

from padu.intake.models import ImportRun, Source, SourceRecord


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "owner_region", "trusted_for_identity"]
    list_filter = ["kind"]


@admin.register(ImportRun)
class ImportRunAdmin(admin.ModelAdmin):
    list_display = ["id", "source", "file_name", "status", "started_at", "finished_at"]
    list_filter = ["status", "source"]


@admin.register(SourceRecord)
class SourceRecordAdmin(admin.ModelAdmin):
    list_display = ["id", "import_run", "table", "row_number", "source_key"]
    list_filter = ["table"]
    search_fields = ["source_key"]
    raw_id_fields = ["import_run"]
    readonly_fields = ["values_as_read"]

    @admin.display(description="isi baris seperti terbaca")
    def values_as_read(self, obj: SourceRecord) -> str:
        return "; ".join(f"{k}: {v if v is not None else ''}" for k, v in obj.values.items())
