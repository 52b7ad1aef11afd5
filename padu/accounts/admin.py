from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from padu.accounts.models import Role, RoleAssignment, User


class RoleAssignmentInline(admin.TabularInline):
    model = RoleAssignment
    extra = 0


@admin.register(User)
class PaduUserAdmin(UserAdmin):
    inlines = [RoleAssignmentInline]


@admin.register(Role)
class RoleAdmin(admin.ModelAdmin):
    list_display = ["code", "nama", "province_wide", "sees_personal_data", "can_write", "order"]
    list_editable = ["order"]


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "region_prefix"]
    list_filter = ["role"]
    search_fields = ["user__username", "region_prefix"]
