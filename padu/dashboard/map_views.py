"""The TKPK dashboard: Provinsi > Kabupaten/Kota > Kecamatan > Desa, each level a
choropleth map of the chosen indicator, a ranking table, the desil distribution and the
trend of the region, read only from the precomputed aggregates (``Agregat``). Every
table downloads as CSV or XLSX. A role sees the figures of its own region and of the regions
inside it; a region's totals only when it sees all of that region."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from padu.accounts import access
from padu.core.audit import audit_request
from padu.dashboard import charts, maps, selectors
from padu.dashboard.indicators import DEFAULT, INDICATORS, desil_distribution, shown
from padu.dashboard.selectors import region_named
from padu.welfare.selectors import poverty_panel

PROVINSI = "33"
LEVEL_NAMES = {2: "Provinsi", 5: "Kabupaten/kota", 8: "Kecamatan", 13: "Desa/kelurahan"}


def _crumbs(code: str) -> list[tuple[str, str]]:
    out = []
    for length in (2, 5, 8):
        if len(code) > length:
            region = region_named(code[:length])
            out.append(
                (
                    getattr(region, "name", code[:length]),
                    reverse("dashboard:dasbor_wilayah", args=[code[:length]]),
                )
            )
    return out


def title(code: str, name: str) -> str:
    """The region's name as headings write it: Provinsi Jawa Tengah, Kabupaten Blora (the
    name carries it), Kecamatan Jati, Desa Bangkleyan or Kelurahan ... (codes 1xxx)."""
    if len(code) == 2:
        return f"Provinsi {name}"
    if len(code) == 8:
        return f"Kecamatan {name}"
    if len(code) == 13:
        return f"{'Kelurahan' if code[9] == '1' else 'Desa'} {name}"
    return name


def _download(rows: list[dict[str, Any]], kind: str, code: str, month: Any) -> HttpResponse:
    header = ["kode", "wilayah", *[i.label for i in INDICATORS.values()]]
    table = [
        [r["kode"], r["nama"], *[i.value(r["nilai"]) for i in INDICATORS.values()]] for r in rows
    ]
    name = f"dasbor-{code}-{month:%Y-%m}"
    if kind == "xlsx":
        from openpyxl import Workbook

        book = Workbook(write_only=True)
        sheet = book.create_sheet("Indikator")
        sheet.append(header)
        for row in table:
            sheet.append(row)
        buffer = io.BytesIO()
        book.save(buffer)
        response = HttpResponse(
            buffer.getvalue(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
        return response
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(header)
    writer.writerows(table)
    response = HttpResponse(text.getvalue().encode("utf-8-sig"), content_type="text/csv")
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return response


def _poverty(user: Any, code: str) -> dict[str, Any] | None:
    """The estimate panel, formatted: values with their 90% interval, and BPS's figure."""
    panel = poverty_panel(user, code)
    if panel is None:
        return None

    def pct(v: float) -> str:
        return f"{v:.2f}".replace(".", ",")

    out: dict[str, Any] = {"bps": panel.bps}
    e = panel.estimasi
    if e is not None:
        out["estimasi"] = e
        out["baris"] = [
            ("P0", "persentase penduduk miskin", f"{pct(e.p0)}%", pct(e.p0_bawah), pct(e.p0_atas)),
            ("P1", "indeks kedalaman kemiskinan", pct(e.p1), pct(e.p1_bawah), pct(e.p1_atas)),
            ("P2", "indeks keparahan kemiskinan", pct(e.p2), pct(e.p2_bawah), pct(e.p2_atas)),
        ]
        out["garis"] = shown(e.garis_kemiskinan, "orang")
        out["ekstrem"] = f"{pct(e.p0_ekstrem)}%"
        out["garis_ekstrem"] = shown(e.garis_ekstrem, "orang")
    if panel.bps is not None:
        out["bps_p0"] = f"{pct(panel.bps.p0)}%"
    return out


@login_required
def dasbor(request: HttpRequest, code: str = PROVINSI) -> HttpResponse:
    code = code.rstrip(".")
    region = region_named(code)
    if region is None:
        raise Http404("Wilayah tidak ditemukan. Periksa kodenya.")
    user = request.user
    if not access.sees_whole_region(user, code):
        homes = access.home_regions(user) or []
        if code == PROVINSI and homes:
            return redirect("dashboard:dasbor_wilayah", homes[0].rstrip("."))
        raise Http404("Wilayah ini di luar wilayah Anda.")
    chosen = INDICATORS.get(request.GET.get("indikator", ""), INDICATORS[DEFAULT])
    latest = selectors.aggregate_latest(user, code)
    context: dict[str, Any] = {
        "judul": title(code, region.name),
        "region": region,
        "kode": code,
        "level": LEVEL_NAMES[len(code)],
        "crumbs": _crumbs(code),
        "indikator": chosen,
        "pilihan": INDICATORS.values(),
        "agregat": latest,
        "kemiskinan": _poverty(user, code),
    }
    if latest is None:
        return render(request, "dashboard/dasbor.html", context)
    rows = selectors.aggregate_children(user, code, latest.bulan)
    child = {2: 5, 5: 8, 8: 13}.get(len(code))
    if request.GET.get("format") in ("csv", "xlsx"):
        return _download(rows, request.GET["format"], code, latest.bulan)
    values = {r["kode"]: chosen.value(r["nilai"]) for r in rows}
    bounds = maps.classes([v for v in values.values() if v is not None])
    view_box, shapes = maps.children_map(code)
    query = f"?indikator={chosen.key}"
    drawn = [
        {
            "kode": s.kode,
            "nama": s.nama,
            "d": s.d,
            "fill": maps.colour(values.get(s.kode), bounds, chosen.worse_high),
            "nilai": shown(values.get(s.kode), chosen.unit),
            "href": reverse("dashboard:dasbor_wilayah", args=[s.kode]) + query,
        }
        for s in shapes
        if s.kode in values
    ]
    ranked = sorted(
        rows,
        key=lambda r: (
            values[r["kode"]] is None,
            -(values[r["kode"]] or 0) if chosen.worse_high else (values[r["kode"]] or 0),
        ),
    )
    history = selectors.aggregate_history(user, code, latest.bulan, months=12)
    desil = desil_distribution(latest.nilai)
    legend = []
    low = None
    for bound in bounds:
        legend.append(
            {
                "fill": maps.colour(bound, bounds, chosen.worse_high),
                "text": f"{shown(low, chosen.unit) if low is not None else '≤'} "
                f"{'–' if low is not None else ''} {shown(bound, chosen.unit)}",
            }
        )
        low = bound
    context.update(
        peta={"viewbox": view_box, "shapes": drawn},
        legenda=legend,
        peringkat=[
            {
                **r,
                "tampil": shown(values[r["kode"]], chosen.unit),
                "href": reverse("dashboard:dasbor_wilayah", args=[r["kode"]]) + query,
            }
            for r in ranked
        ],
        ringkas=[(i.label, shown(i.value(latest.nilai), i.unit)) for i in INDICATORS.values()],
        nilai_ini=shown(chosen.value(latest.nilai), chosen.unit),
        desil=charts.bars([("?" if d == 0 else str(d), n) for d, n in desil]),
        tren=charts.trend([(a.bulan, chosen.value(a.nilai)) for a in history]),
        bulan=latest.bulan,
        anak=LEVEL_NAMES.get(child or 0, ""),
    )
    return render(request, "dashboard/dasbor.html", context)


@login_required
def laporan(request: HttpRequest, code: str) -> HttpResponse:
    """The monthly TKPK report of a region (``?bulan=YYYY-MM``, default the latest month),
    as PDF or, with ``format=xlsx``, as a workbook of the same figures."""
    from padu.dashboard.report import Laporan, month_name, report_pdf, report_xlsx

    code = code.rstrip(".")
    region = region_named(code)
    if region is None or not access.sees_whole_region(request.user, code):
        raise Http404("Wilayah tidak ditemukan atau di luar wilayah Anda.")
    month = None
    wanted = request.GET.get("bulan", "")
    if wanted:
        try:
            year, number = (int(x) for x in wanted.split("-"))
            month = dt.date(year, number, 1)
        except ValueError:
            raise Http404("Bulan ditulis TAHUN-BULAN, mis. 2026-12.") from None
    now = selectors.aggregate_latest(request.user, code, month)
    if now is None:
        raise Http404("Belum ada agregat untuk bulan ini; jalankan padu dasbor refresh.")
    history = selectors.aggregate_history(request.user, code, now.bulan)
    before = history[-2] if len(history) > 1 else None
    rows = selectors.aggregate_children(request.user, code, now.bulan)
    report = Laporan(code, title(code, region.name), now.bulan, now, before, rows, history)
    name = f"laporan-tkpk-{code}-{now.bulan:%Y-%m}"
    if request.GET.get("format") == "xlsx":
        response = HttpResponse(
            report_xlsx(report),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    else:
        response = HttpResponse(report_pdf(report), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{name}.pdf"'
    audit_request(
        request,
        "dasbor.laporan",
        region_code=code,
        detail={"bulan": month_name(now.bulan), "format": request.GET.get("format") or "pdf"},
    )
    return response
