"""Quality pages and selectors: scores by region, the desa worklist (scoped, filtered,
ordered, XLSX, printable), the rule catalogue, the snippet for the region pages."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from padu.accounts.services import user_upsert
from padu.core.models import AuditLog
from padu.engine import synth
from padu.quality import selectors, services
from padu.quality.models import Finding
from padu.wilayah.models import Kecamatan
from tests.access_fixtures import logged_in
from tests.intake.samples import load_small

pytestmark = pytest.mark.django_db
DESA1, DESA2 = "33.16.01.2001", "33.16.01.2002"


@pytest.fixture
def checked(tmp_path: Path) -> None:
    """K1 (desa 2001, PKH, housing fields missing: warnings only) and K2 (desa 2002, its only
    member deceased, still receiving PIP: an error)."""
    load_small(tmp_path)
    services.quality_check(actor=None, today=synth.REFERENCE_DATE)


def _user(username: str, role: str, region: str) -> Any:
    return user_upsert(actor=None, username=username, password="x", assignments=[(role, region)])


def test_scores_by_region(checked: None, admin_user: Any) -> None:
    by_kecamatan = selectors.quality_by_region(admin_user, "33.16.", 8)
    kec = by_kecamatan["33.16.01"]
    assert (kec.keluarga, kec.bersih, kec.skor) == (2, 1, 50.0)
    assert kec.galat_per_aturan == {"semua_meninggal_terima_bantuan": 1}
    assert kec.peringatan >= 1
    by_desa = selectors.quality_by_region(admin_user, "33.16.01.", 13)
    assert by_desa[DESA1].skor == 100.0 and by_desa[DESA2].skor == 0.0


def test_scores_are_scoped_by_access(checked: None) -> None:
    operator = _user("op1", "operator-desa", DESA1)
    scores = selectors.quality_by_region(operator, "33.16.", 13)
    assert set(scores) == {DESA1}
    assert selectors.quality_by_region(None, "33.", 5) == {}


def test_worklist_is_ordered_filtered_and_scoped(checked: None, client: Any) -> None:
    operator = _user("op2", "operator-desa", DESA2)
    client.force_login(operator)
    page = client.get(reverse("quality:desa", args=[DESA2]))
    assert page.status_code == 200
    items = list(page.context["page"])
    assert items[0].severity == "error" and items[0].rule == "semua_meninggal_terima_bantuan"
    assert [i.severity for i in items] == sorted(
        (i.severity for i in items), key=["error", "warning", "info"].index
    )
    html = page.content.decode()
    assert "Daftar perbaikan" in html and "@media print" in html and len(page.content) < 300_000
    only_warnings = client.get(reverse("quality:desa", args=[DESA2]), {"tingkat": "warning"})
    assert all(i.severity == "warning" for i in only_warnings.context["page"])
    assert client.get(reverse("quality:desa", args=[DESA1])).status_code == 404


def test_worklist_exports_xlsx_and_audits_it(checked: None, client: Any, admin_user: Any) -> None:
    client.force_login(admin_user)
    response = client.get(reverse("quality:desa_xlsx", args=[DESA2]))
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    rows = list(sheet.iter_rows(min_row=4, values_only=True))
    assert len(rows) == Finding.objects.filter(kode_desa=DESA2).count()
    assert rows[0][1] == "Galat" and rows[0][2] == "semua_meninggal_terima_bantuan"
    assert "******" in str(rows[0][4])  # No. KK masked
    assert AuditLog.objects.filter(action="quality.worklist_export", object_id=DESA2).exists()


def test_region_pages_and_snippet(checked: None, client: Any, admin_user: Any) -> None:
    client.force_login(admin_user)
    home = client.get(reverse("quality:index")).content.decode()
    assert "Kabupaten Blora" in home and "50,0%" in home
    kab = client.get(reverse("quality:region", args=["33.16"]))
    assert kab.status_code == 200 and len(kab.content) < 300_000
    kec = client.get(reverse("quality:region", args=["33.16.01"])).content.decode()
    assert reverse("quality:desa", args=[DESA2]) in kec
    rules = client.get(reverse("quality:rules")).content.decode()
    assert "nik_ganda" in rules and "Cara memperbaiki" in rules
    region = Kecamatan.objects.get(code="33.16.01")
    snippet = render_to_string(
        "quality/_region_scores.html",
        {
            "rows": [
                {
                    "region": region,
                    "q": selectors.quality_by_region(admin_user, "33.16.", 8)["33.16.01"],
                }
            ]
        },
    )
    assert "50,0%" in snippet and "semua_meninggal_terima_bantuan (1)" in snippet


def test_only_province_admins_start_a_check(checked: None, client: Any, admin_user: Any) -> None:
    client.force_login(_user("op3", "operator-desa", DESA1))
    assert client.post(reverse("quality:run_check")).status_code == 403
    tkpk = logged_in(_user("tkpk3", "tkpk-provinsi", ""))
    assert tkpk.post(reverse("quality:run_check")).status_code == 403
    province_admin = logged_in(_user("adm3", "admin-provinsi", ""))
    response = province_admin.post(reverse("quality:run_check"))
    assert response.status_code == 302 and response["Location"] == reverse("quality:index")
    client.force_login(admin_user)
    response = client.post(reverse("quality:run_check"), {"jenis": "perubahan"})
    assert response.status_code == 302
    assert selectors.last_run() is not None


def test_api_scores_for_the_users_regions(checked: None, client: Any) -> None:
    assert client.get("/api/v1/kualitas/skor").status_code == 401
    client.force_login(_user("op4", "operator-desa", DESA2))
    data = client.get("/api/v1/kualitas/skor", {"prefix": "33.16.", "tingkat": "desa"}).json()
    assert [(d["code"], d["skor"], d["galat"]) for d in data] == [(DESA2, 0.0, 1)]
