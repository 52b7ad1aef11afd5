"""Reads of linkage on behalf of a user, scoped through access.py first.

Clusters are visible when at least one member is in a region the user sees; only the
visible members are shown. Review items need both records visible. Runs are visible to
who started them and to users who see the run's region (counts only)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from padu.accounts import access
from padu.linkage.models import (
    ChangedCluster,
    Cluster,
    ClusterChange,
    LinkageRun,
    Member,
    ReviewItem,
)
from padu.registry.models import Person


def _ancestors(prefix: str) -> list[str]:
    """``33.16.01.`` -> ``33.``, ``33.16.``, ``33.16.01.`` (a desa code adds itself)."""
    parts = prefix.rstrip(".").split(".")
    out = [".".join(parts[: i + 1]) + "." for i in range(min(len(parts), 3))]
    return out + ([prefix] if len(prefix) == 13 else [])


def runs_visible(user: Any) -> QuerySet[LinkageRun]:
    """Runs the user started, and runs over a region the user sees at least part of (as
    ``access.can_see_region``), filtered in SQL."""
    runs = LinkageRun.objects.select_related("actor", "import_run")
    prefixes = access.region_prefixes(user)
    if prefixes is access.ALL:
        return runs
    if not getattr(user, "is_authenticated", False):
        return runs.none()
    inside = access.scope_by_region(
        LinkageRun.objects.exclude(region_prefix=""), user, "region_prefix"
    )
    wider = {a for p in prefixes or [] for a in _ancestors(p)}
    return runs.filter(
        Q(actor_id=user.pk) | Q(pk__in=inside.values("pk")) | Q(region_prefix__in=sorted(wider))
    )


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
    return items.select_related("run").order_by("-status", "-match_probability", "pk")


def review_visible(user: Any) -> QuerySet[ReviewItem]:
    items = access.scope_by_region(ReviewItem.objects.all(), user, "kode_desa_l")
    return access.scope_by_region(items, user, "kode_desa_r")


def changes_visible(user: Any, cluster: Cluster) -> QuerySet[ClusterChange]:
    """The changes that touched a cluster (the page shows its visible members only)."""
    touched = ChangedCluster.objects.filter(cluster_id=cluster.pk).values("change_id")
    return (
        ClusterChange.objects.filter(pk__in=touched)
        .select_related("actor", "undone_by")
        .order_by("-at", "-id")
    )


def change_clusters(change: ClusterChange) -> list[int]:
    return [int(c) for c in set(change.before) | set(change.after)]


def change_get(user: Any, pk: int) -> ClusterChange | None:
    """A change that touched a member the user sees (in any of its clusters, current or
    not); ``None`` otherwise."""
    change = ClusterChange.objects.filter(pk=pk).first()
    if change is None:
        return None
    members = Member.objects.filter(cluster_id__in=change_clusters(change))
    return change if access.scope_by_region(members, user, "kode_desa").exists() else None


def may_change(cluster_ids: list[int], user: Any) -> bool:
    """May the user change these clusters: every member in the user's write scope."""
    if access.write_prefixes(user) == []:
        return False
    desa = set(
        Member.objects.filter(cluster_id__in=cluster_ids).values_list("kode_desa", flat=True)
    )
    return all(access.can_write_region(user, d) for d in desa)


def may_review(user: Any) -> bool:
    return access.write_prefixes(user) != []
