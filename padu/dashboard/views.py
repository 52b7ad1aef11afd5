"""Region drill-down, Provinsi > Kabupaten/Kota > Kecamatan > Desa, with family and person
counts at each level (aggregates: every role sees the counts of its own regions only)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from padu.accounts import access
from padu.quality.selectors import quality_by_region
from padu.registry.selectors import region_counts
from padu.wilayah.models import Desa, Kabupaten, Kecamatan

PROVINSI = "33"
KEYS = ("keluarga", "orang", "pkh")


def _rows(
    regions: Any, counts: dict[str, dict[str, int]], quality: dict[str, Any] | None = None
) -> list[dict[str, Any]]:
    """Counts per region, and the quality score (share of families without an error)."""
    empty = dict.fromkeys(KEYS, 0)
    quality = quality or {}
    return [
        {
            "region": r,
            **counts.get(r.code, empty),
            "skor": getattr(quality.get(r.code), "skor", None),
        }
        for r in regions
    ]


def _totals(rows: list[dict[str, Any]]) -> dict[str, int]:
    return {key: sum(r[key] for r in rows) for key in KEYS}


@login_required
def home(request: HttpRequest) -> HttpResponse:
    counts = region_counts(request.user, prefix=f"{PROVINSI}.", level_length=5)
    kabupaten = Kabupaten.objects.filter(code__startswith=f"{PROVINSI}.")
    quality = quality_by_region(request.user, f"{PROVINSI}.", 5)
    rows = _rows(kabupaten, counts, quality)
    return render(request, "dashboard/home.html", {"rows": rows, "totals": _totals(rows)})


@login_required
def kabupaten(request: HttpRequest, code: str) -> HttpResponse:
    try:
        kab = Kabupaten.objects.get(code=code)
    except Kabupaten.DoesNotExist as exc:
        raise Http404(_("Kabupaten/kota tidak ditemukan. Periksa kodenya.")) from exc
    counts = region_counts(request.user, prefix=f"{code}.", level_length=8)
    quality = quality_by_region(request.user, f"{code}.", 8)
    rows = _rows(Kecamatan.objects.filter(kabupaten=kab), counts, quality)
    return render(
        request, "dashboard/kabupaten.html", {"kab": kab, "rows": rows, "totals": _totals(rows)}
    )


@login_required
def kecamatan(request: HttpRequest, code: str) -> HttpResponse:
    try:
        kec = Kecamatan.objects.select_related("kabupaten").get(code=code)
    except Kecamatan.DoesNotExist as exc:
        raise Http404(_("Kecamatan tidak ditemukan. Periksa kodenya.")) from exc
    counts = region_counts(request.user, prefix=f"{code}.", level_length=13)
    quality = quality_by_region(request.user, f"{code}.", 13)
    rows = _rows(Desa.objects.filter(kecamatan=kec), counts, quality)
    for row in rows:
        row["personal"] = access.can_see_region(request.user, row["region"].code)
    return render(
        request, "dashboard/kecamatan.html", {"kec": kec, "rows": rows, "totals": _totals(rows)}
    )
