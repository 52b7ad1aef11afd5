from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse

from padu.accounts.services import user_upsert
from tests.intake.samples import load_small

pytestmark = pytest.mark.django_db


def test_login_required(client: Any) -> None:
    response = client.get(reverse("dashboard:home"))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]
    page = client.get(reverse("login")).content.decode()
    assert "Masuk ke Padu" in page and "Kata sandi" in page


def test_province_page_lists_kabupaten_with_counts(client: Any, tmp_path: Path) -> None:
    load_small(tmp_path)
    user = user_upsert(actor=None, username="pemantau", password="x", assignments=[("viewer", "")])
    client.force_login(user)
    html = client.get(reverse("dashboard:home")).content.decode()
    assert "Kabupaten Blora" in html
    assert html.count("<tr>") >= 36  # header + 35 kabupaten/kota
    response = client.get(reverse("dashboard:kabupaten", args=["33.16"]))
    page = response.content.decode()
    assert response.context["totals"] == {"keluarga": 2, "orang": 3, "pkh": 1}
    assert "Kecamatan" in page
    # A viewer sees aggregates only: no links to family lists.
    assert reverse("registry:desa", args=["33.16.01.2001"]) not in page


def test_operator_sees_only_own_desa_counts(client: Any, tmp_path: Path) -> None:
    load_small(tmp_path)
    user = user_upsert(
        actor=None, username="op", password="x", assignments=[("operator-desa", "33.16.01.2001")]
    )
    client.force_login(user)
    response = client.get(reverse("dashboard:kabupaten", args=["33.16"]))
    assert response.context["totals"] == {"keluarga": 1, "orang": 2, "pkh": 1}
    own = client.get(reverse("registry:desa", args=["33.16.01.2001"])).content.decode()
    other = client.get(reverse("registry:desa", args=["33.16.01.2002"])).content.decode()
    assert "Sumarno" in own
    assert "Wagiman" not in other


def test_page_weight_is_small(client: Any, admin_user: Any) -> None:
    client.force_login(admin_user)
    html = client.get(reverse("dashboard:kabupaten", args=["33.16"])).content
    assert len(html) < 300_000


def test_api_lists_regions(client: Any) -> None:
    # Every API operation needs a token or a session (fails closed); the document is public.
    assert client.get("/api/v1/wilayah/kabupaten").status_code == 401
    user = user_upsert(actor=None, username="pemantau", password="x", assignments=[("viewer", "")])
    client.force_login(user)
    data = client.get("/api/v1/wilayah/kabupaten").json()
    assert len(data) == 35
    assert {"code": "33.16", "name": "Kabupaten Blora", "active": True} in data
    assert client.get("/api/v1/openapi.json").status_code == 200


def test_indonesian_first_whatever_the_browser_says(client: Any, admin_user: Any) -> None:
    client.force_login(admin_user)
    response = client.get(reverse("dashboard:home"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response["Content-Language"] == "id"
    assert '<html lang="id">' in response.content.decode()
    client.cookies["django_language"] = "en"
    assert client.get(reverse("dashboard:home"))["Content-Language"] == "en"


def test_region_pages_show_the_quality_score(client: Any, admin_user: Any, tmp_path: Path) -> None:
    from padu.quality.services import quality_check

    load_small(tmp_path)
    quality_check(actor=None)
    client.force_login(admin_user)
    response = client.get(reverse("dashboard:kecamatan", args=["33.16.01"]))
    rows = {r["region"].code: r for r in response.context["rows"]}
    assert rows["33.16.01.2001"]["skor"] is not None
    assert rows["33.16.01.2003"]["skor"] is None  # no families there
    assert "Kualitas" in response.content.decode()
