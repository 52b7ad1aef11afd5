"""The field visit form of the verval cycle (offline first) and its service worker.

The page carries everything the form needs as JSON (``json_script``): the family's address,
housing and assets and its members as the register has them, the code lists and the API
address. ``kunjungan.js`` builds the editable form from it, keeps a draft in IndexedDB,
and sends the visit to ``POST /api/v1/verval/kunjungan`` (through an outbox that survives a
dropped connection). ``sw.js`` keeps the page and its static files for offline use.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from padu.accounts import access
from padu.core.audit import audit_request
from padu.core.masking import mask_number
from padu.registry import selectors as registry_selectors
from padu.registry.history import jsonable
from padu.registry.models import Keluarga, Person, Status
from padu.verval.config import stage_roles
from padu.verval.models import Kunjungan, Tahap
from padu.verval.services import VervalError
from padu.verval.services.periode import periode_current, window_check
from padu.wilayah.models import Desa

SW_PATH = Path(__file__).resolve().parents[1] / "static" / "verval" / "sw.js"

# What the visitor checks, in the register's own column names (DTKS-CSV v1).
FAMILY_GROUPS: list[tuple[str, list[str]]] = [
    ("Alamat", ["alamat", "rt", "rw"]),
    (
        "Rumah",
        [
            "status_bangunan", "status_lahan", "luas_lantai", "jenis_lantai", "jenis_dinding",
            "kondisi_dinding", "jenis_atap", "kondisi_atap", "jumlah_kamar", "sumber_air_minum",
            "sumber_penerangan", "daya_listrik", "bahan_bakar_memasak", "fasilitas_bab",
            "jenis_kloset", "pembuangan_tinja",
        ],
    ),
    (
        "Aset dan ternak",
        [
            "aset_tabung_gas", "aset_kulkas", "aset_ac", "aset_pemanas_air",
            "aset_telepon_rumah", "aset_tv", "aset_emas", "aset_komputer", "aset_sepeda",
            "aset_sepeda_motor", "aset_mobil", "aset_perahu", "aset_motor_tempel",
            "aset_perahu_motor", "aset_kapal", "aset_smartphone", "aset_lahan", "luas_lahan",
            "aset_rumah_lain", "ternak_sapi", "ternak_kerbau", "ternak_kuda", "ternak_babi",
            "ternak_kambing", "usaha_art",
        ],
    ),
]  # fmt: skip
MEMBER_FIELDS = [
    "nama", "hub_kepala_keluarga", "jenis_kelamin", "tgl_lahir", "pendidikan", "bekerja",
    "lapangan_usaha",
]  # fmt: skip
NEW_MEMBER_FIELDS = ["nama", "nik", "hub_kepala_keluarga", "jenis_kelamin", "tgl_lahir"]


def _kind(field: models.Field[Any, Any]) -> str:
    """How the form edits a column: a code list, yes/no, a number, a date or text."""
    if field.choices:
        return "kode"
    if isinstance(field, models.BooleanField):
        return "ya"
    if isinstance(field, models.FloatField | models.IntegerField):
        return "angka"
    if isinstance(field, models.DateField):
        return "tanggal"
    return "teks"


def _spec(model: type[Keluarga] | type[Person], names: list[str], codes: dict[str, Any]) -> Any:
    """``[[name, label, kind], ...]``; the code lists go once into ``codes``."""
    out = []
    for name in names:
        field = model._meta.get_field(name)
        assert isinstance(field, models.Field)  # a column, not a relation
        kind = _kind(field)
        if kind == "kode":
            codes[name] = [[value, str(label)] for value, label in field.choices or []]
        out.append([name, str(field.verbose_name), kind])
    return out


def _values(obj: Keluarga | Person, names: list[str]) -> dict[str, Any]:
    return {name: jsonable(getattr(obj, name)) for name in names}


def _number(user: Any, code: str, value: str) -> dict[str, Any]:
    """A NIK as the registry pages show it: full, or masked with a reveal button (audited)."""
    mode = access.nik_access(user, code)
    shown = value if mode == access.NIK_FULL else mask_number(value)
    return {"shown": shown, "can_reveal": mode == access.NIK_REVEAL and bool(value)}


def _window_note(kode_desa: str) -> str:
    """Why a visit cannot be sent now (no period, window not open or closed), or ''."""
    periode = periode_current(kode_desa)
    if periode is None:
        return (
            "Belum ada periode verval yang berjalan untuk kabupaten/kota ini: kunjungan dapat "
            "diisi dan disimpan di perangkat, tetapi baru dapat dikirim setelah Dinas Sosial "
            "membuka periode."
        )
    try:
        window_check(periode, Tahap.DESA)
    except VervalError as exc:
        return str(exc)
    return ""


def _tugas(request: HttpRequest) -> int | None:
    text = request.GET.get("tugas", "")
    return int(text) if text.isdigit() and len(text) < 12 else None


@login_required
@require_GET
def form(request: HttpRequest, keluarga: int) -> HttpResponse:
    user = request.user
    try:
        family = registry_selectors.keluarga_get(user, keluarga)
    except Keluarga.DoesNotExist as exc:
        raise Http404("Keluarga tidak ditemukan atau di luar wilayah Anda.") from exc
    code = family.kode_desa
    if not access.can_act_as(user, stage_roles("desa"), code):
        raise PermissionDenied(
            "Peran Anda tidak mencatat kunjungan lapangan di desa ini. Kunjungan dicatat oleh "
            "operator desa/kelurahan, pendamping, operator kecamatan atau Dinas Sosial."
        )
    audit_request(request, "verval.kunjungan_form", family, region_code=code)
    members = list(registry_selectors.keluarga_members(family).filter(status=Status.AKTIF))
    codes: dict[str, Any] = {}
    groups = [[label, _spec(Keluarga, names, codes)] for label, names in FAMILY_GROUPS]
    member_spec = _spec(Person, MEMBER_FIELDS, codes)
    new_spec = _spec(Person, NEW_MEMBER_FIELDS, codes)
    prefill = {
        "keluarga": {
            "id": family.pk,
            **_values(family, [n for _, names in FAMILY_GROUPS for n in names]),
        },
        "anggota": [{"id": p.pk, **_values(p, MEMBER_FIELDS)} for p in members],
        "bidang": {"keluarga": groups, "anggota": member_spec, "anggota_baru": new_spec},
        "kode": codes,
        "hasil": [[value, str(label)] for value, label in Kunjungan.Hasil.choices],
        "api": reverse("api:verval_kunjungan"),
        "sw": reverse("verval:service_worker"),
        "tugas": _tugas(request),
    }
    context = {
        "k": family,
        "kk": _number(user, code, family.no_kk),
        "members": [{"p": p, "nik": _number(user, code, p.nik)} for p in members],
        "desa": Desa.objects.select_related("kecamatan").filter(code=code).first(),
        "prefill": prefill,
        "hasil": Kunjungan.Hasil.choices,
        "note": _window_note(code),
        "inactive": family.status != Status.AKTIF,
    }
    response = render(request, "verval/kunjungan.html", context)
    # The form may ask for the phone's location (the site default forbids it).
    response["Permissions-Policy"] = "camera=(), microphone=(), geolocation=(self)"
    response["Cache-Control"] = "private, no-cache"
    return response


@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    """``sw.js`` from /verval/, so that its scope may cover the verval pages."""
    response = HttpResponse(
        SW_PATH.read_text(encoding="utf-8"), content_type="application/javascript"
    )
    response["Service-Worker-Allowed"] = "/verval/"
    response["Cache-Control"] = "no-cache"
    return response
