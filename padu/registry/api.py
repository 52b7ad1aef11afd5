"""The register over the JSON API: families (list with filters, detail) and persons (search,
detail, reveal of the full NIK). Same selectors, access and audit as the pages."""

from __future__ import annotations

import hashlib
from typing import Any, Literal

from django.core.cache import cache
from django.db.models import Subquery
from django.http import HttpRequest
from ninja import Query, Router
from ninja.errors import HttpError

from padu.accounts import access
from padu.core.audit import audit_request
from padu.core.masking import mask_number
from padu.registry import selectors
from padu.registry.models import Keluarga, Person
from padu.registry.schemas import (
    KeluargaDetail,
    KeluargaItem,
    Nomor,
    Page,
    PersonDetail,
    PersonItem,
)

router = Router(tags=["register"])

KODE_WILAYAH = r"^\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?$"
HOUSING = [
    "status_bangunan", "status_lahan", "luas_lantai", "jenis_lantai", "jenis_dinding",
    "kondisi_dinding", "jenis_atap", "kondisi_atap", "jumlah_kamar", "sumber_air_minum",
    "sumber_penerangan", "daya_listrik", "bahan_bakar_memasak", "fasilitas_bab", "jenis_kloset",
    "pembuangan_tinja", "perkotaan",
]  # fmt: skip


LIST_FIELDS = ("id_keluarga", "no_kk", "kode_desa", "alamat", "rt", "rw", "status")


def _number(user: Any, code: str, value: str) -> str:
    return value if access.nik_access(user, code) == access.NIK_FULL else mask_number(value)


def _keluarga_item(
    user: Any, row: dict[str, Any], full: dict[str, bool] | None = None
) -> dict[str, Any]:
    """A list item from a row of ``id``, LIST_FIELDS, ``kepala`` and ``jumlah``. ``full``
    remembers access.py's answer per desa (a page holds few desa) within one request."""
    code = row["kode_desa"]
    if full is None or code not in full:
        full = {} if full is None else full
        full[code] = access.nik_access(user, code) == access.NIK_FULL
    return {
        **{f: row[f] for f in ("id", *LIST_FIELDS)},
        "no_kk": row["no_kk"] if full[code] else mask_number(row["no_kk"]),
        "kepala": row.get("kepala"),
        "jumlah_anggota": row.get("jumlah") or 0,
    }


def _person_item(user: Any, p: Person, code: str) -> dict[str, Any]:
    return {
        "id": p.pk,
        "nama": p.nama,
        "nik": _number(user, code, p.nik),
        "jenis_kelamin": p.jenis_kelamin,
        "tgl_lahir": p.tgl_lahir,
        "keluarga_id": p.keluarga_id,
        "kode_desa": code,
        "hub_kepala_keluarga": p.hub_kepala_keluarga,
        "status": p.status,
    }


@router.get("/keluarga", response=Page[KeluargaItem], summary="Daftar keluarga")
def keluarga_list(
    request: HttpRequest,
    desa: str = Query("", pattern=KODE_WILAYAH + "|^$", description="Kode desa atau awalan"),
    desil: int | None = Query(None, ge=1, le=10),
    program: str = Query("", max_length=40, description="Kode program, mis. pkh"),
    status: Literal["", "aktif", "nonaktif", "meninggal", "pindah"] = "",
    page: int = Query(1, ge=1, le=100_000),
    page_size: int = Query(50, ge=1, le=200),
):
    try:
        qs = selectors.keluarga_list(
            request.user, desa=desa, desil=desil, program=program, status=status
        )
    except selectors.FilterUnavailable as exc:
        raise HttpError(400, str(exc)) from exc
    start = (page - 1) * page_size
    # The page's ids first (a narrow scan of the sorted index), then only those families
    # with their head and member count: PostgreSQL would otherwise compute both subqueries
    # for every row that OFFSET skips. Both queries are the scoped selector's.
    ids = qs.values_list("pk", flat=True)[start : start + page_size]
    rows = qs.filter(pk__in=Subquery(ids)).values("id", *LIST_FIELDS, "kepala", "jumlah")
    full: dict[str, bool] = {}
    items = [_keluarga_item(request.user, row, full) for row in rows]
    scope = (access.region_prefixes(request.user), desa, desil, program, status)
    return {"count": _cached_count(qs, scope), "page": page, "page_size": page_size, "items": items}


COUNT_SECONDS = 60


def _cached_count(qs: Any, scope: tuple[Any, ...]) -> int:
    """The number of families in a list: a full count of a large region costs more than a
    page, so one count per scope and filters serves every page for a minute (it may lag an
    import by up to a minute)."""
    key = "padu:keluarga-count:" + hashlib.sha256(repr(scope).encode()).hexdigest()
    count = cache.get(key)
    if count is None:
        count = qs.count()
        cache.set(key, count, COUNT_SECONDS)
    return int(count)


def _keluarga_or_404(request: HttpRequest, pk: int) -> Keluarga:
    try:
        return selectors.keluarga_get(request.user, pk)
    except Keluarga.DoesNotExist as exc:
        raise HttpError(404, "Keluarga tidak ditemukan atau di luar wilayah Anda.") from exc


@router.get("/keluarga/{keluarga_id}", response=KeluargaDetail, summary="Rincian keluarga")
def keluarga_detail(request: HttpRequest, keluarga_id: int):
    k = _keluarga_or_404(request, keluarga_id)
    audit_request(request, "keluarga.view", k, region_code=k.kode_desa, detail={"via": "api"})
    members = list(selectors.keluarga_members(k))
    item = _keluarga_item(request.user, {f: getattr(k, f) for f in ("id", *LIST_FIELDS)})
    item["kepala"] = next((m.nama for m in members if m.hub_kepala_keluarga == 1), None)
    item["jumlah_anggota"] = len(members)
    return {
        **item,
        "rumah": {f: getattr(k, f) for f in HOUSING},
        "aset": {
            f.name: getattr(k, f.name)
            for f in Keluarga._meta.concrete_fields
            if f.name.startswith(("aset_", "ternak_")) or f.name == "luas_lahan"
        },
        "anggota": [_person_item(request.user, m, k.kode_desa) for m in members],
        "program": [
            {
                "program": p.program.code,
                "nama_program": p.program.nama,
                "mulai": p.start,
                "berakhir": p.end,
                "person_id": p.person_id,
            }
            for p in k.participations.select_related("program")
        ],
        "sumber": [
            {
                "sumber": s.source,
                "jenis": s.kind,
                "tabel": s.table,
                "kunci": s.key,
                "impor": s.import_run,
            }
            for s in selectors.keluarga_sources(k)
        ],
    }


@router.get("/orang", response=list[PersonItem], summary="Cari orang menurut NIK atau nama")
def person_search(request: HttpRequest, q: str = Query(..., min_length=3, max_length=100)):
    found = selectors.person_search(request.user, q)
    return [_person_item(request.user, p, p.keluarga.kode_desa) for p in found]


def _person_or_404(request: HttpRequest, pk: int) -> Person:
    try:
        return selectors.person_get(request.user, pk)
    except Person.DoesNotExist as exc:
        raise HttpError(404, "Orang ini tidak ditemukan atau di luar wilayah Anda.") from exc


@router.get("/orang/{person_id}", response=PersonDetail, summary="Rincian orang")
def person_detail(request: HttpRequest, person_id: int):
    p = _person_or_404(request, person_id)
    code = p.keluarga.kode_desa
    audit_request(request, "person.view", p, region_code=code, detail={"via": "api"})
    return {
        **_person_item(request.user, p, code),
        "no_kk": _number(request.user, code, p.no_kk),
        **{f: getattr(p, f) for f in ("tempat_lahir", "status_kawin", "nama_ibu", "pendidikan",
                                      "bekerja", "disabilitas", "penyakit_kronis")},
    }  # fmt: skip


@router.post("/orang/{person_id}/buka-nik", response=Nomor, summary="Buka NIK lengkap (diaudit)")
def person_reveal_nik(request: HttpRequest, person_id: int):
    p = _person_or_404(request, person_id)
    code = p.keluarga.kode_desa
    if access.nik_access(request.user, code) == access.NIK_MASKED:
        raise HttpError(403, "Peran Anda tidak boleh membuka NIK lengkap.")
    audit_request(request, "person.reveal_nik", p, region_code=code, detail={"via": "api"})
    return {"nomor": p.nik}
