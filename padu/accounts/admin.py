"""Admin pages for users, roles and region assignments.

Who may use them is decided by ``access.can_manage_users`` (admin provinsi or a superuser);
every change of an assignment goes through the services, so it is audited.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.http import HttpRequest

from padu.accounts import access, services
from padu.accounts.models import ApiToken, Role, RoleAssignment, User
from padu.core.audit import audit_write, client_ip


class ManagedByAdminProvinsi:
    """Admin permissions from access.py, not from Django's per-model permissions."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return access.can_manage_users(request.user)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return access.can_manage_users(request.user)

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return access.can_manage_users(request.user)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return access.can_manage_users(request.user)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return access.can_manage_users(request.user)


class RoleAssignmentInline(ManagedByAdminProvinsi, admin.TabularInline):
    model = RoleAssignment
    extra = 0


@admin.register(User)
class PaduUserAdmin(ManagedByAdminProvinsi, UserAdmin):
    inlines = [RoleAssignmentInline]
    list_display = ["username", "first_name", "is_active", "peran", "last_login"]
    list_filter = ["is_active", "assignments__role"]
    search_fields = ["username", "first_name", "last_name", "email", "assignments__region_prefix"]

    @admin.display(description="peran dan wilayah")
    def peran(self, obj: User) -> str:
        return ", ".join(
            f"{a.role.nama} {a.region_prefix}".strip()
            for a in obj.assignments.select_related("role")
        )

    def save_model(self, request: HttpRequest, obj: User, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        audit_write(
            actor=request.user,
            action="user.update" if change else "user.create",
            obj=obj,
            ip_address=client_ip(request),
            detail={"kolom": sorted(form.changed_data)},
        )

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        if formset.model is not RoleAssignment:
            super().save_formset(request, form, formset, change)
            return
        instances = formset.save(commit=False)
        for removed in formset.deleted_objects:
            services.assignment_remove(
                actor=request.user, assignment=removed, ip_address=client_ip(request)
            )
        for assignment in instances:
            services.assignment_save(
                actor=request.user, assignment=assignment, ip_address=client_ip(request)
            )


@admin.register(Role)
class RoleAdmin(ManagedByAdminProvinsi, admin.ModelAdmin):
    list_display = [
        "code",
        "nama",
        "province_wide",
        "sees_personal_data",
        "can_write",
        "nik_access",
        "requires_2fa",
        "order",
    ]
    list_editable = ["order"]


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(ManagedByAdminProvinsi, admin.ModelAdmin):
    list_display = ["user", "role", "region_prefix"]
    list_filter = ["role"]
    search_fields = ["user__username", "region_prefix"]

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        services.assignment_save(actor=request.user, assignment=obj, ip_address=client_ip(request))

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        services.assignment_remove(
            actor=request.user, assignment=obj, ip_address=client_ip(request)
        )

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        for obj in queryset:
            self.delete_model(request, obj)


@admin.register(ApiToken)
class ApiTokenAdmin(ManagedByAdminProvinsi, admin.ModelAdmin):
    list_display = ["name", "user", "prefix", "created_at", "last_used_at", "revoked_at"]
    list_filter = ["revoked_at"]
    search_fields = ["name", "user__username", "prefix"]
    readonly_fields = ["user", "name", "prefix", "key_hash", "created_at", "last_used_at"]
    actions = ["revoke"]

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    @admin.action(description="Cabut token terpilih")
    def revoke(self, request: HttpRequest, queryset: Any) -> None:
        for token in queryset:
            services.api_token_revoke(
                actor=request.user, token=token, ip_address=client_ip(request)
            )
