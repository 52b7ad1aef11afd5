"""Reads of linkage on behalf of a user, scoped through access.py first.

Clusters are visible when at least one member is in a region the user sees; only the
visible members are shown. Review items need both records visible. Runs are visible to
who started them and to users who see the run's region (counts only)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from padu.accounts import access
from padu.linkage.models import Cluster, ClusterChange, LinkageRun, Member, ReviewItem
from padu.registry.models import Person


def runs_visible(user: Any) -> QuerySet[LinkageRun]:
    runs = LinkageRun.objects.select_related("actor", "import_run")
    prefixes = access.region_prefixes(user)
    if prefixes is access.ALL:
        return runs
    if not getattr(user, "is_authenticated", False) or not prefixes:
        return runs.none()
    ids = [
        r.pk
        for r in LinkageRun.objects.only("pk", "region_prefix", "actor_id")
        if r.actor_id == user.pk
        or (r.region_prefix and access.can_see_region(user, r.region_prefix))
    ]
    return runs.filter(pk__in=ids)


def run_get(user: Any, pk: int) -> LinkageRun:
    return runs_visible(user).get(pk=pk)


def members_visible(user: Any) -> QuerySet[Member]:
    members = Member.objects.filter(cluster__active=True)
    return access.scope_by_region(members, user, "kode_desa")


def clusters_visible(user: Any, *, region: str = "", multi_only: bool = True) -> QuerySet[Cluster]:
    members = members_visible(user)
    if region:
        members = members.filter(kode_desa__startswith=region)
    clusters = Cluster.objects.filter(active=True, pk__in=members.values("cluster_id"))
    if multi_only:
        clusters = clusters.filter(size__gt=1)
    return clusters.order_by("-size", "pk")


def cluster_get(user: Any, pk: int) -> Cluster:
    return clusters_visible(user, multi_only=False).get(pk=pk)


@dataclass
class MemberRow:
    member: Member
    person: Person | None


def cluster_members(user: Any, cluster: Cluster) -> tuple[list[MemberRow], int]:
    """Visible members with their register person, and how many are hidden."""
    visible = list(
        members_visible(user).filter(cluster=cluster).order_by("-match_probability", "person_id")
    )
    total = Member.objects.filter(cluster=cluster).count()
    persons = Person.all_objects.select_related("keluarga").in_bulk([m.person_id for m in visible])
    return [MemberRow(m, persons.get(m.person_id)) for m in visible], total - len(visible)


def review_queue(user: Any, *, region: str = "") -> QuerySet[ReviewItem]:
    """Undecided pairs the user may decide (both records in the user's write scope):
    waiting ones first, strongest first; skipped ones after."""
    items = ReviewItem.objects.filter(
        status__in=[ReviewItem.Status.MENUNGGU, ReviewItem.Status.LEWATI]
    )
    items = access.scope_for_write(items, user, "kode_desa_l")
    items = access.scope_for_write(items, user, "kode_desa_r")
    if region:
        items = items.filter(kode_desa_l__startswith=region)
    return items.order_by("-status", "-match_probability", "pk")


def review_visible(user: Any) -> QuerySet[ReviewItem]:
    items = access.scope_by_region(ReviewItem.objects.all(), user, "kode_desa_l")
    return access.scope_by_region(items, user, "kode_desa_r")


def changes_visible(user: Any, cluster: Cluster) -> QuerySet[ClusterChange]:
    key = str(cluster.pk)
    candidates = ClusterChange.objects.select_related("actor").order_by("-at", "-id")[:500]
    ids = [c.pk for c in candidates if key in c.before or key in c.after]
    return ClusterChange.objects.filter(pk__in=ids).select_related("actor").order_by("-at", "-id")


def may_review(user: Any) -> bool:
    return access.write_prefixes(user) != []
