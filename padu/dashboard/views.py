"""Region drill-down with family and person counts (aggregates only)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from padu.accounts import access
from padu.registry.selectors import region_counts
from padu.wilayah.models import Desa, Kabupaten, Kecamatan

PROVINSI = "33"


def _rows(regions: Any, counts: dict[str, dict[str, int]]) -> list[dict[str, Any]]:
    empty = {"keluarga": 0, "orang": 0, "pkh": 0}
    return [{"region": r, **counts.get(r.code, empty)} for r in regions]


def _totals(rows: list[dict[str, Any]]) -> dict[str, int]:
    return {key: sum(r[key] for r in rows) for key in ("keluarga", "orang", "pkh")}


@login_required
def home(request: HttpRequest) -> HttpResponse:
    counts = region_counts(request.user, prefix=f"{PROVINSI}.", level_length=5)
    kabupaten = Kabupaten.objects.filter(code__startswith=f"{PROVINSI}.")
    rows = _rows(kabupaten, counts)
    return render(request, "dashboard/home.html", {"rows": rows, "totals": _totals(rows)})


@login_required
def kabupaten(request: HttpRequest, code: str) -> HttpResponse:
    try:
        kab = Kabupaten.objects.get(code=code)
    except Kabupaten.DoesNotExist as exc:
        raise Http404("Kabupaten/kota tidak ditemukan") from exc
    counts = region_counts(request.user, prefix=f"{code}.", level_length=13)
    desa = Desa.objects.filter(code__startswith=f"{code}.").select_related("kecamatan")
    rows = _rows(desa, counts)
    kecamatan = []
    for kec in Kecamatan.objects.filter(kabupaten=kab):
        kec_rows = [r for r in rows if r["region"].kecamatan_id == kec.code]
        kecamatan.append({"kecamatan": kec, "rows": kec_rows, "totals": _totals(kec_rows)})
    return render(
        request,
        "dashboard/kabupaten.html",
        {
            "kab": kab,
            "kecamatan": kecamatan,
            "totals": _totals(rows),
            "personal": access.can_see_region(request.user, f"{code}."),
        },
    )
