"""Linkage over the JSON API: runs, the clusters of a region (visible members only), the
review queue. Same selectors and access as the pages."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router
from ninja.errors import HttpError

from padu.accounts import access
from padu.core.audit import audit_request
from padu.core.masking import mask_number
from padu.linkage import explain, selectors
from padu.linkage.models import Cluster, Member
from padu.linkage.schemas import ClusterItem, ReviewItemOut, RunItem
from padu.registry.models import Person

router = Router(tags=["linkage"])
KODE_WILAYAH = r"^\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?$"


@router.get("/proses", response=list[RunItem], summary="Daftar proses linkage")
def run_list(request: HttpRequest, limit: int = Query(50, ge=1, le=200)):
    return list(selectors.runs_visible(request.user)[:limit])


def _members(user: Any, cluster_ids: list[int]) -> tuple[dict[int, list[dict[str, Any]]], set[int]]:
    rows = list(selectors.members_visible(user).filter(cluster_id__in=cluster_ids))
    persons = Person.all_objects.in_bulk([m.person_id for m in rows])
    out: dict[int, list[dict[str, Any]]] = {}
    for m in rows:
        p = persons.get(m.person_id)
        nik = (p.nik if p else "") or ""
        if access.nik_access(user, m.kode_desa) != access.NIK_FULL:
            nik = mask_number(nik)
        out.setdefault(m.cluster_id, []).append(
            {
                "person_id": m.person_id,
                "kode_desa": m.kode_desa,
                "sumber": m.source_name,
                "nama": p.nama if p else "",
                "nik": nik,
                "peluang": m.match_probability,
                "alasan": explain.agreed(m.gammas),
            }
        )
    return out, {m.person_id for m in rows}


def _golden(cluster: Cluster, visible: set[int], user: Any) -> dict[str, Any]:
    out = {}
    full = access.nik_access(user, cluster.kode_desa) == access.NIK_FULL
    for field, entry in (cluster.golden or {}).items():
        if not entry or entry.get("orang") not in visible:
            continue
        value = entry.get("nilai")
        if field in ("nik", "no_kk") and not full:
            value = mask_number(value)
        out[field] = {"nilai": value, "orang": entry.get("orang"), "sumber": entry.get("sumber")}
    return out


@router.get("/klaster", response=list[ClusterItem], summary="Klaster orang di suatu wilayah")
def cluster_list(
    request: HttpRequest,
    wilayah: str = Query(..., pattern=KODE_WILAYAH, description="Kode wilayah, mis. 33.16.01"),
    semua: bool = Query(False, description="Termasuk klaster berisi satu rekaman"),
    limit: int = Query(100, ge=1, le=500),
    offset: int = Query(0, ge=0),
):
    try:
        prefix = access.normalise_prefix(wilayah)
    except access.RegionCodeError as exc:
        raise HttpError(400, str(exc)) from exc
    clusters = list(
        selectors.clusters_visible(request.user, region=prefix, multi_only=not semua)[
            offset : offset + limit
        ]
    )
    ids = [c.pk for c in clusters]
    members, visible = _members(request.user, ids)
    totals: dict[int, int] = {}
    for cluster_id in Member.objects.filter(cluster_id__in=ids).values_list(
        "cluster_id", flat=True
    ):
        totals[cluster_id] = totals.get(cluster_id, 0) + 1
    if clusters:
        audit_request(
            request, "linkage.api_klaster", region_code=prefix, detail={"jumlah": len(ids)}
        )
    return [
        {
            "id": c.pk,
            "kode_desa": c.kode_desa,
            "jumlah_rekaman": c.size,
            "rekaman_emas": _golden(c, visible, request.user),
            "anggota": members.get(c.pk, []),
            "anggota_tersembunyi": totals.get(c.pk, 0) - len(members.get(c.pk, [])),
        }
        for c in clusters
    ]


@router.get("/tinjauan", response=list[ReviewItemOut], summary="Antrean tinjauan pasangan")
def review_list(request: HttpRequest, limit: int = Query(50, ge=1, le=200)):
    items = selectors.review_queue(request.user)[:limit]
    return [
        {
            "id": i.pk,
            "person_l": i.person_l,
            "person_r": i.person_r,
            "kode_desa_l": i.kode_desa_l,
            "kode_desa_r": i.kode_desa_r,
            "peluang": i.match_probability,
            "status": i.status,
            "alasan": [r.label for r in explain.explain(i.gammas)],
        }
        for i in items
    ]
