"""The access matrix: every role x every target region x every page, export and API
endpoint gives the specified allow or deny.

The test enumerates the whole URL configuration and the OpenAPI document: a URL or API
operation without an entry in PAGES or API below fails, so every new page must declare what
kind of data it shows. Kinds:

- ``public``: anyone, also anonymous (login, language switch).
- ``login``: any logged-in user; no personal data (or only the user's own, e.g. tokens).
- ``aggregate``: counts for a region; any logged-in user, counts scoped by access.py.
- ``personal``: personal data of one region/record: allowed exactly where the role sees it.
- ``reveal``: as ``personal`` and the role may reveal full NIK / No. KK.
- ``personal-any``: pages for roles that see personal data somewhere (search).
- ``personal-list``: API lists: every role gets 200 and only records it may see.
- ``write-list``: an API list of what the role may change (the linkage review queue).
- ``own``: the user's own objects (API tokens): another user's object is not found.
- ``admin``: admin provinsi (user management, audit log) only.
- ``admin-site``: Django admin (whole ``admin:`` namespace).
- ``write``: changes in one region (``data`` names it): allowed where the role may write.
- ``write-any``: pages for roles that may change data somewhere (import).
- ``province-write``: changes for the whole province (fitting a PMT model): admin provinsi.
- ``staff``: Django staff users only; no role makes a user staff, so every role is refused.
- ``export``: every logged-in user gets the file, holding exactly the families it may see.
- ``owner-tested``: the app's own tests check who may use it; here only that anonymous
  users are sent to the login page and that no role gets a server error. Use sparingly,
  for pages whose objects this test does not build (write ``{"pk": "1"}`` style args;
  ``"=value"`` passes a literal value, e.g. the name of a document).

Placeholders in ``args`` take each target (``desa``, ``keluarga``, ``orang``, ``run``: an
import run of a source owned by the target desa) or a region (``kab``, ``kec``), or a
fixed object (``pmt``: a PMT model not yet fitted), or a linkage object of each target
(``linkrun``, ``cluster``, ``change``, ``review``: ``tests/linkage/access_objects.py``).
``data`` is sent as the query (GET) or form (POST); its ``desa`` placeholder takes each
target's desa code.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from padu.accounts.models import ApiToken
from padu.api.urls import api
from padu.intake.models import ImportRun, Source
from padu.welfare.models import PmtModel
from tests.access_fixtures import (
    ADMINS,
    MAY_REVEAL,
    NAMES,
    OWN,
    ROLES,
    TARGETS,
    VISIBLE,
    World,
    build_world,
    logged_in,
)
from tests.linkage.access_objects import Objects as LinkageObjects
from tests.linkage.access_objects import build_linkage

pytestmark = pytest.mark.django_db

# Written from the roles' specification (roles.yaml), independently of access.py: where each
# role may change data, and who may change data for the whole province.
WRITES = {
    "admin-provinsi": set(TARGETS),
    "tkpk-provinsi": set(),
    "dinsos-kabupaten": {"own", "same_kec", "other_kec"},
    "tkpk-kabupaten": set(),
    "operator-kecamatan": {"own", "same_kec"},
    "operator-desa": {"own"},
    "opd-pendamping": {"own"},
    "viewer": set(),
}
PROVINCE_WRITERS = {"admin-provinsi"}


@dataclass(frozen=True)
class Kind:
    kind: str
    args: dict[str, str] = field(default_factory=dict)
    method: str = "get"
    data: dict[str, str] = field(default_factory=dict)


PAGES: dict[str, Kind] = {
    "login": Kind("public"),
    "logout": Kind("public", method="post"),
    "set_language": Kind("public", method="post"),
    "dashboard:home": Kind("login"),
    "dashboard:kabupaten": Kind("aggregate", {"code": "kab"}),
    "dashboard:kecamatan": Kind("aggregate", {"code": "kec"}),
    "dashboard:desa": Kind("aggregate", {"code": "desa"}),
    # The TKPK dashboard: the province page sends a regional role to its own region; a
    # region's totals only to a role that sees all of it (tests/dashboard/test_aggregates.py).
    "dashboard:dasbor": Kind("login"),
    "dashboard:dasbor_wilayah": Kind("owner-tested", {"code": "33.16"}),
    "dashboard:dasbor_laporan": Kind("owner-tested", {"code": "33.16"}),
    "registry:desa": Kind("personal", {"code": "desa"}),
    "registry:desa_export": Kind("personal", {"code": "desa"}),
    "registry:keluarga": Kind("personal", {"pk": "keluarga"}),
    "registry:keluarga_reveal_kk": Kind("reveal", {"pk": "keluarga"}, method="post"),
    "registry:orang": Kind("personal", {"pk": "orang"}),
    "registry:orang_reveal_nik": Kind("reveal", {"pk": "orang"}, method="post"),
    "registry:cari": Kind("personal-any"),
    "registry:cari_hasil": Kind("personal-any"),
    "accounts:two_factor": Kind("login"),
    "accounts:tokens": Kind("login"),
    "accounts:token_revoke": Kind("own", {"pk": "token"}, method="post"),
    "accounts:audit": Kind("admin"),
    "accounts:audit_export": Kind("admin"),
    # Welfare (PMT models): fitting is province-wide; activating or previewing a model for a
    # region needs write rights over it (an unfitted model: allowed answers redirect).
    "welfare:index": Kind("login"),
    "welfare:upload": Kind("province-write", method="post"),
    "welfare:activate": Kind("write", {"pk": "pmt"}, method="post", data={"wilayah": "desa"}),
    "welfare:preview": Kind("write", {"pk": "pmt"}, data={"wilayah": "desa"}),
    # Quality (rule results): per-desa lists and their export are personal data.
    "quality:index": Kind("login"),
    "quality:region": Kind("aggregate", {"code": "kab"}),
    "quality:desa": Kind("personal", {"code": "desa"}),
    "quality:desa_xlsx": Kind("personal", {"code": "desa"}),
    "quality:rules": Kind("login"),
    "quality:run_check": Kind("province-write", method="post"),
    # Intake: a run is seen by those who see its source's region (and by its importer); the
    # export holds the visible part of the register.
    "intake:list": Kind("login"),
    "intake:upload": Kind("write-any"),
    "intake:export": Kind("export", data={"format": "csv", "wilayah": "desa"}),
    "intake:run": Kind("personal", {"pk": "run"}),
    "intake:mapping": Kind("personal", {"pk": "run"}),
    "intake:progress": Kind("personal", {"pk": "run"}),
    "intake:quarantine": Kind("personal", {"pk": "run"}),
    "intake:report": Kind("personal", {"pk": "run"}),
    "intake:rollback": Kind("write", {"pk": "run"}, method="post"),
    "intake:resume": Kind("write", {"pk": "run"}, method="post"),
    # Linkage: a run over a desa is seen by who sees that desa; a cluster by who sees one of
    # its members; merges, splits, undo and review decisions need write rights over every
    # record involved (empty forms: allowed answers redirect with a message, nothing changes).
    "linkage:index": Kind("login"),
    "linkage:run": Kind("personal", {"pk": "linkrun"}),
    "linkage:run_progress": Kind("personal", {"pk": "linkrun"}),
    "linkage:clusters": Kind("personal-any"),
    "linkage:cluster": Kind("personal", {"pk": "cluster"}),
    "linkage:merge": Kind("write", {"pk": "cluster"}, method="post"),
    "linkage:split": Kind("write", {"pk": "cluster"}, method="post"),
    "linkage:undo": Kind("write", {"pk": "change"}, method="post"),
    "linkage:review": Kind("write-any"),
    "linkage:decide": Kind("write", {"pk": "review"}, method="post"),
    # The API's own URLs: the document is public, operations are checked in API below.
    # Verval: a desa's worklist, usulan and musdes are personal data of the desa; the stage
    # pages and documents are checked by tests/verval (who acts at which stage, 404 for other
    # regions on every verval URL).
    # Children's records: their own permission (Role.sees_children), tested in tests/asuh.
    "asuh:ringkasan": Kind("login"),
    "asuh:ringkasan_wilayah": Kind("owner-tested", {"kode": "=33.16"}),
    "asuh:desa": Kind("owner-tested", {"kode": "desa"}),
    "asuh:tambah": Kind("owner-tested", {"kode": "desa"}, method="post"),
    "asuh:putuskan": Kind("owner-tested", {"pk": "1"}, method="post"),
    "asuh:anak": Kind("owner-tested", {"pk": "1"}),
    "asuh:saya": Kind("owner-tested"),
    "asuh:pantau": Kind("owner-tested", {"pk": "1"}, method="post"),
    "asuh:daftar": Kind("public"),
    "asuh:ota": Kind("login"),
    "asuh:ota_verify": Kind("owner-tested", {"pk": "1"}, method="post"),
    "dampingan:beranda": Kind("login"),
    "dampingan:mitra": Kind("login"),
    "dampingan:mitra_detail": Kind("owner-tested", {"pk": "1"}),
    "dampingan:desa": Kind("personal", {"kode": "desa"}),
    "dampingan:intervensi_status": Kind("owner-tested", {"pk": "1"}, method="post"),
    "dampingan:laporan": Kind("owner-tested", {"pk": "1"}),
    "verval:index": Kind("login"),
    "verval:desa": Kind("personal", {"kode": "desa"}),
    "verval:usulan_new": Kind("personal", {"kode": "desa"}),
    "verval:musdes": Kind("personal", {"kode": "desa"}),
    "verval:musdes_document": Kind("owner-tested", {"kode": "desa", "nama": "=berita-acara.pdf"}),
    "verval:usulan": Kind("owner-tested", {"pk": "1"}),
    "verval:bukti": Kind("owner-tested", {"pk": "1"}),
    "verval:approvals": Kind("owner-tested", {"tahap": "=kecamatan"}),
    "verval:pengesahan": Kind("owner-tested", {"periode": "1"}),
    "verval:ekspor": Kind("owner-tested", {"periode": "1"}),
    "verval:periods": Kind("login"),
    "verval:progress": Kind("login"),
    "verval:kunjungan": Kind("owner-tested", {"keluarga": "keluarga"}),
    "verval:service_worker": Kind("owner-tested"),
    # Resolving a resident's usul/sanggah task: who may act where is tested in tests/layanan.
    "verval:tugas_resolve": Kind("owner-tested", {"pk": "1"}, method="post"),
    # Giving a task to a worker of its desa: tested in tests/verval/test_tugas_assign.py.
    "verval:tugas_assign": Kind("owner-tested", {"pk": "1"}, method="post"),
    # BLT-DD: a desa's list, musdesus and payments are personal data of the desa; writes need
    # write rights over it (empty forms: allowed answers redirect with a message); reports and
    # the OM-SPAN export are counts scoped to the role's regions; the pagu import is for roles
    # that may write somewhere; documents need a recorded musdesus (tests/danadesa).
    "danadesa:index": Kind("login"),
    "danadesa:pagu_impor": Kind("write-any", method="post"),
    "danadesa:desa": Kind("personal", {"kode": "desa", "tahun": "=2025"}),
    "danadesa:pagu": Kind("write", {"kode": "desa", "tahun": "=2025"}, method="post"),
    "danadesa:hitung": Kind("write", {"kode": "desa", "tahun": "=2025"}, method="post"),
    "danadesa:perangkat": Kind("write", {"kode": "desa", "tahun": "=2025"}, method="post"),
    "danadesa:musdesus": Kind("personal", {"kode": "desa", "tahun": "=2025"}),
    "danadesa:dokumen": Kind(
        "owner-tested", {"kode": "desa", "tahun": "=2025", "nama": "=kpm.pdf"}
    ),
    "danadesa:pembayaran": Kind("personal", {"kode": "desa", "tahun": "=2025"}),
    "danadesa:pembayaran_impor": Kind("write", {"kode": "desa", "tahun": "=2025"}, method="post"),
    "danadesa:laporan": Kind("aggregate", {"code": "kab", "tahun": "=2025"}),
    "danadesa:omspan": Kind("aggregate", {"code": "kab", "tahun": "=2025"}),
    # The citizen service: public by design (no personal data beyond the answer to a NIK
    # with its second fact; tests/layanan checks the answers and the limits).
    "layanan:landing": Kind("public"),
    "layanan:cek": Kind("public"),
    "layanan:usul": Kind("public"),
    "layanan:sanggah": Kind("public"),
    "layanan:lacak": Kind("public"),
    "api:openapi-json": Kind("public"),
    "api:openapi-view": Kind("public"),
}
ADMIN_SITE_SAMPLES = [
    "admin:index",
    "admin:accounts_user_changelist",
    "admin:core_auditlog_changelist",
]

API: dict[str, Kind] = {
    "GET /api/v1/wilayah/kabupaten": Kind("login"),
    "GET /api/v1/wilayah/kecamatan": Kind("login", {"kabupaten": "33.16"}),
    "GET /api/v1/wilayah/desa": Kind("login", {"kecamatan": "33.16.01"}),
    # BLT-DD: a desa's list is checked in tests/danadesa (404 outside the role's regions);
    # the report is counts, scoped to the role's regions.
    "GET /api/v1/danadesa/daftar": Kind("owner-tested"),
    "GET /api/v1/danadesa/laporan": Kind("login", {"wilayah": "33.16", "tahun": "2025"}),
    "GET /api/v1/akun/token": Kind("login"),
    "POST /api/v1/akun/token": Kind("login"),
    "DELETE /api/v1/akun/token/{token_id}": Kind("own"),
    "GET /api/v1/register/keluarga": Kind("personal-list"),
    "GET /api/v1/register/keluarga/{keluarga_id}": Kind("personal", {"keluarga_id": "keluarga"}),
    "GET /api/v1/register/orang": Kind("personal-list"),
    "GET /api/v1/register/orang/{person_id}": Kind("personal", {"person_id": "orang"}),
    "POST /api/v1/register/orang/{person_id}/buka-nik": Kind("reveal", {"person_id": "orang"}),
    # Linkage: the run list shows counts only; a region's clusters are a personal list; the
    # review queue lists the pairs the role may decide (write rights over both records).
    "GET /api/v1/linkage/proses": Kind("login"),
    "GET /api/v1/linkage/klaster": Kind("personal-list"),
    "GET /api/v1/linkage/tinjauan": Kind("write-list"),
    # Quality scores are counts per region (tests/quality checks they are scoped).
    "GET /api/v1/kualitas/skor": Kind("aggregate"),
    # Verval visits: who may record a visit where is tested in tests/verval.
    "POST /api/v1/verval/kunjungan": Kind("owner-tested"),
    # Dampingan: scoped lists and the team's writes are tested in tests/dampingan.
    "GET /api/v1/dampingan/penugasan": Kind("login"),
    "GET /api/v1/dampingan/desa/{kode_desa}/intervensi": Kind("personal", {"kode_desa": "desa"}),
    "POST /api/v1/dampingan/intervensi": Kind("owner-tested"),
}


def _walk(patterns: list[Any], ns: str = "") -> list[str]:
    names = []
    for p in patterns:
        if isinstance(p, URLResolver):
            names += _walk(p.url_patterns, f"{ns}{p.namespace}:" if p.namespace else ns)
        elif isinstance(p, URLPattern):
            names.append(f"{ns}{p.name}" if p.name else f"{ns}<{p.pattern}>")
    return names


def _api_operations() -> list[str]:
    schema = api.get_openapi_schema()
    return [f"{m.upper()} {path}" for path, ops in schema["paths"].items() for m in ops]


def test_every_url_and_api_operation_declares_its_kind() -> None:
    names = [n for n in _walk(get_resolver().url_patterns) if not n.startswith("admin:")]
    api_ops = [n for n in names if n.startswith("api:") and n not in PAGES]
    pages = [n for n in names if n not in api_ops and not n.startswith("api:<")]
    undeclared = sorted(n for n in pages if n not in PAGES)
    assert not undeclared, (
        f"URL tanpa jenis akses: {undeclared}. Tambahkan ke PAGES di tests/test_access_matrix.py"
    )
    ops = _api_operations()
    missing = sorted(op for op in ops if op not in API)
    assert not missing, f"Operasi API tanpa jenis akses: {missing}. Tambahkan ke API."
    mine = ("dashboard:", "registry:", "accounts:", "api:", "/api/v1/register", "/api/v1/akun")
    stale = sorted(n for n in (set(PAGES) - set(names)) | (set(API) - set(ops)) if mine[0] in n
                   or any(m in n for m in mine))  # fmt: skip
    assert not stale, f"Terdaftar tetapi sudah tidak ada: {stale}"


def _call(client: Client, method: str, url: str, data: dict[str, Any] | None = None) -> Any:
    return getattr(client, method)(url, data or {})


@dataclass
class Objects:
    """What the pages of intake and welfare need beside the shared world."""

    runs: dict[str, ImportRun]
    pmt: PmtModel
    linkage: LinkageObjects = field(default_factory=dict)


def _objects() -> Objects:
    runs = {}
    for target, code in TARGETS.items():
        source = Source.objects.create(name=f"uji-{target}", kind="desa", owner_region=code)
        runs[target] = ImportRun.objects.create(
            source=source, file_name="uji.csv", status=ImportRun.Status.GAGAL
        )
    return Objects(runs, PmtModel.objects.create(nama="uji", survei="survey.csv"))


Case = tuple[str, dict[str, Any], dict[str, Any], bool | None]


def _page_cases(w: World, o: Objects, spec: Kind, role: str) -> list[Case]:
    """(target, url kwargs, query or form data, whether the role sees the target, None for
    no target) per target."""
    # Fixed arguments: the PMT model, or a literal value written "=value".
    fixed: dict[str, Any] = {k: o.pmt.pk for k, p in spec.args.items() if p == "pmt"}
    fixed |= {k: p[1:] for k, p in spec.args.items() if p.startswith("=")}
    if spec.data:
        return [
            (t, fixed, {k: code if p == "desa" else p for k, p in spec.data.items()},
             t in VISIBLE[role])
            for t, code in TARGETS.items()
        ]  # fmt: skip
    args = {k: p for k, p in spec.args.items() if k not in fixed}
    if not args:
        return [("", fixed, {}, None)]
    ((kwarg, placeholder),) = args.items()
    cases: list[Case] = []
    if placeholder in ("desa", "keluarga", "orang", "run"):
        for target, code in TARGETS.items():
            value = {"desa": code, "keluarga": w.families[target].pk,
                     "orang": w.persons[target].pk, "run": o.runs[target].pk}  # fmt: skip
            cases.append((target, {kwarg: value[placeholder]}, {}, target in VISIBLE[role]))
    elif placeholder in o.linkage:
        for target, pk in o.linkage[placeholder].items():
            cases.append((target, {kwarg: pk}, {}, target in VISIBLE[role]))
    elif placeholder == "kab":
        cases += [("own", {kwarg: "33.16"}, {}, None), ("other", {kwarg: "33.17"}, {}, None)]
    elif placeholder == "kec":
        cases += [("own", {kwarg: "33.16.01"}, {}, None), ("other", {kwarg: "33.16.02"}, {}, None)]
    elif placeholder.isdigit():
        cases.append(("", {kwarg: int(placeholder)}, {}, None))
    elif placeholder == "token":
        own = ApiToken.objects.filter(user=w.users[role]).first()
        other = ApiToken.objects.exclude(user=w.users[role]).first()
        cases += [("own", {kwarg: own.pk}, {}, True), ("other", {kwarg: other.pk}, {}, False)]  # type: ignore[union-attr]
    return [(t, {**fixed, **kwargs}, data, seen) for t, kwargs, data, seen in cases]


def _exported(response: Any) -> str:
    """keluarga.csv of an export (a zip)."""
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    return archive.read("keluarga.csv").decode()


OK = {200, 201, 302}
DENIED = {403, 404}


def _expect(kind: str, role: str, allowed: bool | None, target: str = "") -> bool:
    if kind in ("public", "login", "aggregate", "export"):
        return True
    if kind == "write":
        return target in WRITES[role]
    if kind == "write-any":
        return bool(WRITES[role])
    if kind == "province-write":
        return role in PROVINCE_WRITERS
    if kind == "staff":
        return False
    if kind == "personal":
        return bool(allowed)
    if kind == "reveal":
        return bool(allowed) and role in MAY_REVEAL
    if kind == "personal-any":
        return bool(VISIBLE[role])
    if kind == "own":
        return bool(allowed)
    if kind == "admin":
        return role in ADMINS
    raise AssertionError(f"jenis tidak dikenal: {kind}")


def test_pages_and_exports_for_every_role_and_region() -> None:
    w = build_world()
    o = _objects()
    o.linkage = build_linkage(w)
    anonymous = Client()
    failures = []
    for role in ROLES:
        client = logged_in(w.users[role])
        present = set(_walk(get_resolver().url_patterns))
        for name, spec in PAGES.items():
            if name.startswith("api:") or name == "logout" or name not in present:
                continue
            for target, kwargs, data, allowed in _page_cases(w, o, spec, role):
                url = reverse(name, kwargs=kwargs)
                response = _call(client, spec.method, url, data)
                status = response.status_code
                if spec.kind == "owner-tested":
                    if status >= 500:
                        failures.append(f"{role} {name}: {status}")
                    continue
                want = _expect(spec.kind, role, allowed, target)
                if (status in OK) != want or (not want and status not in DENIED):
                    failures.append(
                        f"{role} {name} {target}: {status}, harapan {'izin' if want else 'tolak'}"
                    )
                if spec.kind == "export" and status == 200:
                    found = w.families[target].id_keluarga in _exported(response)
                    if found != allowed:
                        failures.append(f"{role} {name} {target}: keluarga ikut: {found}")
                if spec.kind != "public" and role == "viewer" and target in ("own", ""):
                    a = _call(anonymous, spec.method, url, data)
                    if a.status_code != 302 or "/masuk/" not in a["Location"]:
                        failures.append(f"anonim {name}: {a.status_code}")
        for name in ADMIN_SITE_SAMPLES:
            status = client.get(reverse(name)).status_code
            if (status == 200) != (role in ADMINS):
                failures.append(f"{role} {name}: {status}")
    assert not failures, "\n".join(failures)


def _api_url(path: str, kwargs: dict[str, Any]) -> str:
    for key, value in kwargs.items():
        path = path.replace("{" + key + "}", str(value))
    return path


def test_api_for_every_role_and_region() -> None:
    w = build_world()
    linkage = build_linkage(w)
    failures = []
    anonymous = Client()
    for role in ROLES:
        client = Client(HTTP_AUTHORIZATION=f"Bearer {w.tokens[role]}")
        for op, spec in API.items():
            method, path = op.split(" ", 1)
            if spec.kind == "personal-list":
                for target, code in TARGETS.items():
                    if "keluarga" in path:
                        query: dict[str, Any] = {"desa": code}
                    elif "klaster" in path:
                        query = {"wilayah": code, "semua": "true"}
                    else:
                        query = {"q": NAMES[target]}
                    r = client.get(path, query)
                    body = r.json()
                    items = body["items"] if "keluarga" in path else body
                    seen = bool(items)
                    if r.status_code != 200 or seen != (target in VISIBLE[role]):
                        failures.append(f"{role} {op} {target}: {r.status_code} {len(items)}")
                continue
            if spec.kind == "write-list":  # one list: exactly the targets the role may change
                r = client.get(path, {"limit": 200})
                listed = {item["id"] for item in r.json()} if r.status_code == 200 else set()
                wanted = {linkage["review"][t] for t in WRITES[role]}
                if r.status_code != 200 or listed != wanted:
                    failures.append(f"{role} {op}: {r.status_code} {sorted(listed)}")
                continue
            if spec.kind == "owner-tested":
                status = client.generic(method, path).status_code
                if status >= 500 or anonymous.generic(method, path).status_code != 401:
                    failures.append(f"{role} {op}: {status}")
                continue
            if spec.kind == "own":
                own = ApiToken.objects.create(
                    user=w.users[role], name="buang", prefix="x", key_hash=f"own-{role}"
                )
                other = ApiToken.objects.exclude(user=w.users[role]).first()
                assert other is not None
                if client.delete(_api_url(path, {"token_id": own.pk})).status_code != 200:
                    failures.append(f"{role} {op} own")
                if client.delete(_api_url(path, {"token_id": other.pk})).status_code != 404:
                    failures.append(f"{role} {op} other")
                continue
            cases: list[tuple[str, dict[str, Any], bool | None]] = [("", {}, None)]
            if spec.kind in ("personal", "reveal"):
                ((key, placeholder),) = spec.args.items()
                objs = w.families if placeholder == "keluarga" else w.persons
                ids: dict[str, Any] = (
                    dict(TARGETS) if placeholder == "desa" else {t: objs[t].pk for t in TARGETS}
                )
                cases = [(t, {key: ids[t]}, t in VISIBLE[role]) for t in TARGETS]
            for target, kwargs, allowed in cases:
                url = _api_url(path, kwargs)
                query = spec.args if spec.kind == "login" else {}
                if method == "GET":
                    r = client.get(url, query)
                elif method == "POST" and "token" in path:
                    r = client.post(url, {"name": "baru"}, content_type="application/json")
                else:
                    r = _call(client, method.lower(), url)
                want = _expect(spec.kind, role, allowed)
                if (r.status_code in OK) != want or (not want and r.status_code not in DENIED):
                    failures.append(f"{role} {op} {target}: {r.status_code}")
                if role == "viewer" and anonymous.generic(method, url).status_code != 401:
                    failures.append(f"anonim {op}: bukan 401")
    assert not failures, "\n".join(failures)


def test_operator_reaches_no_other_desa_by_any_path() -> None:
    w = build_world()
    op = w.users["operator-desa"]
    client = logged_in(op)
    api_client = Client(HTTP_AUTHORIZATION=f"Bearer {w.tokens['operator-desa']}")
    own = w.families["own"]
    # Lists without filters return only the own desa.
    data = api_client.get("/api/v1/register/keluarga", {"page_size": 200}).json()
    assert {k["kode_desa"] for k in data["items"]} == {OWN}
    assert data["count"] == 1
    wide = api_client.get("/api/v1/register/keluarga", {"desa": "33"}).json()
    assert [k["id"] for k in wide["items"]] == [own.pk]
    # Search by name, by NIK prefix, by a province-wide prefix: only the own desa.
    for q in ["Wagiman", "Djoko", "Suparmi", "3316", "331601", "3317"]:
        found = api_client.get("/api/v1/register/orang", {"q": q}).json()
        assert all(p["kode_desa"] == OWN for p in found), q
        html = client.get(reverse("registry:cari_hasil"), {"q": q}).content.decode()
        for target in ("same_kec", "other_kec", "other_kab"):
            assert reverse("registry:orang", args=[w.persons[target].pk]) not in html, q
    # Export of the own desa holds only the own family; exports of others are refused.
    export: Any = client.get(reverse("registry:desa_export", args=[OWN]))
    csv_text = b"".join(export.streaming_content).decode()
    assert own.id_keluarga in csv_text and csv_text.count("\n") == 2
    for code in (c for t, c in TARGETS.items() if t != "own"):
        assert client.get(reverse("registry:desa_export", args=[code])).status_code == 403
    # Drill-down counts show nothing of other desa.
    kec = client.get(reverse("dashboard:kecamatan", args=["33.16.01"]))
    rows = {r["region"].code: r["keluarga"] for r in kec.context["rows"]}
    assert rows[OWN] == 1 and "33.16.01.2002" not in rows  # left out, not a zero
