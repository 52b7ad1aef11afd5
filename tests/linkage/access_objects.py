"""Linkage objects for the access matrix (``tests/test_access_matrix.py``): per target desa
of ``tests/access_fixtures.py`` a finished run over that desa, a current cluster holding the
target's person, a reviewer's change of that cluster and a waiting review item."""

from __future__ import annotations

from padu.linkage.models import (
    ChangedCluster,
    Cluster,
    ClusterChange,
    LinkageRun,
    Member,
    ReviewItem,
)
from tests.access_fixtures import TARGETS, World

# placeholder in PAGES args -> target -> object pk
Objects = dict[str, dict[str, int]]


def build_linkage(world: World) -> Objects:
    out: Objects = {"linkrun": {}, "cluster": {}, "change": {}, "review": {}}
    for target, code in TARGETS.items():
        person = world.persons[target]
        run = LinkageRun.objects.create(region_prefix=code, status=LinkageRun.Status.SELESAI)
        cluster = Cluster.objects.create(run=run, kode_desa=code, size=1)
        Member.objects.create(cluster=cluster, person_id=person.pk, kode_desa=code)
        members = {str(cluster.pk): [person.pk]}
        change = ClusterChange.objects.create(
            kind=ClusterChange.Kind.GABUNG, reason="uji", before=members, after=members
        )
        ChangedCluster.objects.create(change=change, cluster=cluster)
        item = ReviewItem.objects.create(
            run=run, person_l=person.pk, person_r=person.pk, kode_desa_l=code,
            kode_desa_r=code, match_probability=0.7,
        )  # fmt: skip
        out["linkrun"][target] = run.pk
        out["cluster"][target] = cluster.pk
        out["change"][target] = change.pk
        out["review"][target] = item.pk
    return out
