from django.contrib import admin
from django.http import HttpRequest

from padu.accounts.access import can_view_audit
from padu.core.models import AuditLog


class ReadOnlyAdmin(admin.ModelAdmin):
    """For rows written only by services (audit, versions, scores): never by hand."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(AuditLog)
class AuditLogAdmin(ReadOnlyAdmin):
    """Read-only: audit rows are never added, changed or deleted by hand."""

    list_display = [
        "at",
        "actor",
        "action",
        "object_type",
        "object_id",
        "region_code",
        "ip_address",
    ]
    list_filter = ["action", "object_type"]
    search_fields = ["object_id", "region_code", "actor__username"]
    date_hierarchy = "at"

    def has_module_permission(self, request: HttpRequest) -> bool:
        return can_view_audit(request.user)

    def has_view_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return can_view_audit(request.user)
