from __future__ import annotations

import pytest
from django.test import Client

from padu.danadesa.services.daftar import daftar_hitung
from padu.danadesa.services.pagu import pagu_simpan
from tests.access_fixtures import OWN
from tests.danadesa.fixtures import build_register

pytestmark = pytest.mark.django_db


def test_list_and_report_over_the_api_follow_access() -> None:
    reg = build_register()
    op = reg.user("operator-desa")
    pagu_simpan(actor=op, kode_desa=OWN, tahun=2025, pagu=120_000_000)
    daftar_hitung(actor=op, kode_desa=OWN, tahun=2025)

    def api(role: str) -> Client:
        return Client(HTTP_AUTHORIZATION=f"Bearer {reg.world.tokens[role]}")

    body = (
        api("operator-desa").get("/api/v1/danadesa/daftar", {"desa": OWN, "tahun": "2025"}).json()
    )
    assert (body["versi"], body["kuota"], len(body["baris"])) == (1, 5, 7)
    assert body["baris"][0]["kepala"] == "Sarmi" and body["baris"][0]["status"] == "kpm"
    for role in ("viewer", "operator-kecamatan"):
        r = api(role).get("/api/v1/danadesa/daftar", {"desa": "33.16.02.2001", "tahun": "2025"})
        assert r.status_code == 404
    assert (
        api("viewer").get("/api/v1/danadesa/daftar", {"desa": OWN, "tahun": "2025"}).status_code
        == 404
    )
    rows = (
        api("tkpk-kabupaten")
        .get("/api/v1/danadesa/laporan", {"wilayah": "33.16", "tahun": "2025"})
        .json()
    )
    assert [(r["kode_desa"], r["kuota"], r["kpm"]) for r in rows] == [(OWN, 5, 5)]
    # The viewer sees province-wide counts (no names): the same figures, never the list.
    seen = api("viewer").get("/api/v1/danadesa/laporan", {"wilayah": "33.16", "tahun": "2025"})
    assert [r["kpm"] for r in seen.json()] == [5] and "kepala" not in seen.json()[0]
    other = api("operator-desa").get(
        "/api/v1/danadesa/laporan", {"wilayah": "33.17", "tahun": "2025"}
    )
    assert other.json() == []
