from django.contrib import admin

from padu.core.admin import ReadOnlyAdmin
from padu.linkage.models import Cluster, ClusterChange, Decision, LinkageRun, ReviewItem


@admin.register(LinkageRun)
class LinkageRunAdmin(ReadOnlyAdmin):
    list_display = ["id", "kind", "status", "region_prefix", "actor", "started_at", "finished_at"]
    list_filter = ["kind", "status"]


@admin.register(Cluster)
class ClusterAdmin(ReadOnlyAdmin):
    list_display = ["id", "run", "active", "kode_desa", "size"]
    list_filter = ["active"]
    search_fields = ["kode_desa"]


@admin.register(ClusterChange)
class ClusterChangeAdmin(ReadOnlyAdmin):
    list_display = ["id", "kind", "actor", "at", "reason"]
    list_filter = ["kind"]


@admin.register(Decision)
class DecisionAdmin(ReadOnlyAdmin):
    list_display = ["id", "person_a", "person_b", "verdict", "active", "actor", "at"]
    list_filter = ["verdict", "active"]


@admin.register(ReviewItem)
class ReviewItemAdmin(ReadOnlyAdmin):
    list_display = ["id", "run", "person_l", "person_r", "match_probability", "status"]
    list_filter = ["status"]
