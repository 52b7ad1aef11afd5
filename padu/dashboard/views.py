"""Home pages and the region drill-down, Provinsi > Kabupaten/Kota > Kecamatan > Desa.

The home page (``/``) follows the user's scope (``access.home_regions``): the province for
province-wide roles, the kabupaten, kecamatan or desa of a user assigned one region, a
chooser for a user with several. Region pages list only the regions whose aggregates the
user may see and say so when some are left out (never a row of zeros for a region outside
the scope)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from padu.accounts import access
from padu.dashboard import selectors
from padu.dashboard.selectors import KEYS
from padu.quality.selectors import quality_by_region
from padu.registry.selectors import region_counts
from padu.verval import selectors as verval_selectors
from padu.wilayah.models import Desa, Kabupaten, Kecamatan

PROVINSI = "33"


def _rows(
    regions: Any, counts: dict[str, dict[str, int]], quality: dict[str, Any] | None = None
) -> list[dict[str, Any]]:
    """Counts per region, and the quality score (share of families without an error)."""
    empty = dict.fromkeys(KEYS, 0)
    quality = quality or {}
    rows = []
    for r in regions:
        q = quality.get(r.code)
        rows.append(
            {
                "region": r,
                **counts.get(r.code, empty),
                "skor": getattr(q, "skor", None),
                "galat": getattr(q, "galat", 0),
            }
        )
    return rows


def _totals(rows: list[dict[str, Any]]) -> dict[str, int]:
    return {key: sum(r[key] for r in rows) for key in KEYS}


def _scoped(request: HttpRequest, regions: Any) -> tuple[list[Any], dict[str, int] | None]:
    """The regions the user may see, and (shown, all) when some were left out."""
    every = list(regions)
    shown = selectors.visible_regions(request.user, every)
    note = {"shown": len(shown), "all": len(every)} if len(shown) < len(every) else None
    return shown, note


def _crumbs(request: HttpRequest, *trail: tuple[str, str]) -> list[tuple[str, str]]:
    """Links back to the user's home page, then the wider regions of this page."""
    home = access.home_regions(request.user)
    label = "Jawa Tengah" if home is access.ALL else _("Beranda")
    return [(label, reverse("dashboard:home")), *trail]


@login_required
def home(request: HttpRequest) -> HttpResponse:
    regions = access.home_regions(request.user)
    if regions is access.ALL:
        return _provinsi(request)
    if not regions:
        return render(request, "dashboard/no_region.html")
    if len(regions) > 1:
        summaries = selectors.home_summaries(request.user, regions)
        return render(request, "dashboard/chooser.html", {"summaries": summaries})
    code = regions[0].rstrip(".")
    if len(code) == 2:
        return _provinsi(request)
    if len(code) == 5:
        return _kabupaten(request, code, is_home=True)
    if len(code) == 8:
        return _kecamatan(request, code, is_home=True)
    return _desa(request, code, is_home=True)


def _provinsi(request: HttpRequest) -> HttpResponse:
    counts = region_counts(request.user, prefix=f"{PROVINSI}.", level_length=5)
    shown, note = _scoped(request, Kabupaten.objects.filter(code__startswith=f"{PROVINSI}."))
    quality = quality_by_region(request.user, f"{PROVINSI}.", 5)
    rows = _rows(shown, counts, quality)
    context = {"rows": rows, "totals": _totals(rows), "note": note}
    return render(request, "dashboard/home.html", context)


@login_required
def kabupaten(request: HttpRequest, code: str) -> HttpResponse:
    return _kabupaten(request, code)


def _kabupaten(request: HttpRequest, code: str, *, is_home: bool = False) -> HttpResponse:
    try:
        kab = Kabupaten.objects.get(code=code)
    except Kabupaten.DoesNotExist as exc:
        raise Http404(_("Kabupaten/kota tidak ditemukan. Periksa kodenya.")) from exc
    counts = region_counts(request.user, prefix=f"{code}.", level_length=8)
    quality = quality_by_region(request.user, f"{code}.", 8)
    shown, note = _scoped(request, Kecamatan.objects.filter(kabupaten=kab))
    rows = _rows(shown, counts, quality)
    context = {
        "kab": kab,
        "rows": rows,
        "totals": _totals(rows),
        "note": note,
        "crumbs": [] if is_home else _crumbs(request),
        "in_scope": access.can_see_region(request.user, code, personal_data=False),
    }
    return render(request, "dashboard/kabupaten.html", context)


@login_required
def kecamatan(request: HttpRequest, code: str) -> HttpResponse:
    return _kecamatan(request, code)


def _kecamatan(request: HttpRequest, code: str, *, is_home: bool = False) -> HttpResponse:
    try:
        kec = Kecamatan.objects.select_related("kabupaten").get(code=code)
    except Kecamatan.DoesNotExist as exc:
        raise Http404(_("Kecamatan tidak ditemukan. Periksa kodenya.")) from exc
    counts = region_counts(request.user, prefix=f"{code}.", level_length=13)
    quality = quality_by_region(request.user, f"{code}.", 13)
    shown, note = _scoped(request, Desa.objects.filter(kecamatan=kec))
    rows = _rows(shown, counts, quality)
    for row in rows:
        row["personal"] = access.can_see_region(request.user, row["region"].code)
    kab = kec.kabupaten
    context = {
        "kec": kec,
        "rows": rows,
        "totals": _totals(rows),
        "note": note,
        "crumbs": []
        if is_home
        else _crumbs(request, (kab.name, reverse("dashboard:kabupaten", args=[kab.code]))),
        "in_scope": access.can_see_region(request.user, code, personal_data=False),
        "summary": selectors.region_summary(request.user, code, own_runs=is_home),
    }
    return render(request, "dashboard/kecamatan.html", context)


@login_required
def desa(request: HttpRequest, code: str) -> HttpResponse:
    return _desa(request, code)


def _desa(request: HttpRequest, code: str, *, is_home: bool = False) -> HttpResponse:
    """A desa's own page: its families, and what needs doing there today."""
    place = Desa.objects.select_related("kecamatan__kabupaten").filter(code=code).first()
    if place is None:
        raise Http404(_("Desa/kelurahan tidak ditemukan. Periksa kodenya."))
    summary = selectors.region_summary(request.user, code, own_runs=is_home)
    todo = verval_selectors.desa_todo(request.user, code)
    kec = place.kecamatan
    kab = kec.kabupaten
    crumbs = (
        []
        if is_home
        else _crumbs(
            request,
            (kab.name, reverse("dashboard:kabupaten", args=[kab.code])),
            (kec.name, reverse("dashboard:kecamatan", args=[kec.code])),
        )
    )
    context = {
        "desa": place,
        "summary": summary,
        "totals": summary.counts,
        "crumbs": crumbs,
        "in_scope": access.can_see_region(request.user, code, personal_data=False),
        "may_import": selectors.may_import_into(request.user, code),
        "verval": todo,
        "tugas_ada": bool(
            summary.personal and (summary.galat or summary.imports or (todo and todo["ada"]))
        ),
    }
    return render(request, "dashboard/desa.html", context)
