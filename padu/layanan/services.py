"""Writes of the citizen service: a resident's usul or sanggah, with its tracking code, and
the verval task it becomes in the desa's running period (or later, see ``pending_items``).

Residents are anonymous: audit rows carry no user and the IP only as an HMAC."""

from __future__ import annotations

import datetime as dt
import re
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import transaction
from django.utils import timezone

from padu.accounts.models import RoleAssignment
from padu.core.audit import audit_write, current_ip
from padu.core.names import name_key
from padu.layanan import limits
from padu.layanan.config import sanggah_reasons, settings
from padu.layanan.models import Laporan
from padu.registry.models import Keluarga, Person
from padu.verval.config import settings as verval_settings
from padu.verval.models import Tugas
from padu.verval.services.periode import periode_current
from padu.wilayah.models import Desa

NIK = re.compile(r"^\d{16}$")
PHONE = re.compile(r"^\+?\d{8,15}$")


class LayananError(Exception):
    """What the resident must fix, in Bahasa Indonesia."""


class LayananLimit(LayananError):
    """Too many requests: try again later."""


@contextmanager
def no_raw_ip() -> Iterator[None]:
    """Audit rows written inside keep no raw client address (residents: HMAC in detail)."""
    token = current_ip.set(None)
    try:
        yield
    finally:
        current_ip.reset(token)


def audit_public(action: str, *, ip_hash: str, region_code: str = "", object_type: str = "",
                 object_id: str = "", detail: dict[str, Any] | None = None) -> None:  # fmt: skip
    with no_raw_ip():
        audit_write(
            actor=None, action=action, object_type=object_type, object_id=object_id,
            region_code=region_code, detail={"ip_hmac": ip_hash, **(detail or {})},
        )  # fmt: skip


def new_code() -> str:
    conf = settings()["kode_lacak"]
    alphabet, length = str(conf["huruf"]), int(conf["panjang"])
    while True:
        code = "".join(secrets.choice(alphabet) for _ in range(length))
        if not Laporan.objects.filter(kode_lacak=code).exists():
            return code


def _text(data: dict[str, Any], name: str, limit: int = 200) -> str:
    return " ".join(str(data.get(name) or "").split())[:limit]


def _clean_usul(data: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {n: _text(data, n) for n in ("nama_kepala", "alamat", "rt", "rw",
                           "telepon", "nama_pengusul", "nik_kepala", "untuk")}  # fmt: skip
    out["alasan"] = _text(data, "alasan", 1000)
    missing = [label for name, label in (("nama_kepala", "nama kepala keluarga"),
               ("alamat", "alamat"), ("alasan", "alasan"), ("telepon", "nomor telepon"))
               if not out[name]]  # fmt: skip
    if missing:
        raise LayananError(f"Lengkapi isian: {', '.join(missing)}.")
    try:
        size = int(str(data.get("jumlah_anggota") or ""))
    except ValueError:
        size = 0
    out["jumlah_anggota"] = size
    if not 1 <= size <= 30:
        raise LayananError("Jumlah anggota keluarga diisi dengan angka (1 sampai 30).")
    if out["nik_kepala"] and not NIK.match(out["nik_kepala"]):
        raise LayananError("NIK kepala keluarga terdiri dari 16 angka; kosongkan bila tidak tahu.")
    if not PHONE.match(out["telepon"].replace(" ", "").replace("-", "")):
        raise LayananError("Nomor telepon diisi 8 sampai 15 angka, misalnya 081234567890.")
    out["untuk"] = "sendiri" if out["untuk"] == "sendiri" else "orang_lain"
    return out


def _clean_sanggah(data: dict[str, Any]) -> dict[str, Any]:
    out = {n: _text(data, n) for n in ("nik", "nama_kepala", "alamat", "telepon", "alasan")}
    out["keterangan"] = _text(data, "keterangan", 1000)
    if not out["nik"] and not out["nama_kepala"]:
        raise LayananError("Isi NIK atau nama kepala keluarga yang disanggah.")
    if out["nik"] and not NIK.match(out["nik"]):
        raise LayananError("NIK terdiri dari 16 angka; kosongkan bila tidak tahu dan isi nama.")
    if out["alasan"] not in sanggah_reasons():
        raise LayananError("Pilih alasan sanggahan dari daftar.")
    if out["alasan"] == "lainnya" and not out["keterangan"]:
        raise LayananError("Untuk alasan \u201clainnya\u201d, jelaskan di kolom keterangan.")
    if out["telepon"] and not PHONE.match(out["telepon"].replace(" ", "").replace("-", "")):
        raise LayananError("Nomor telepon diisi 8 sampai 15 angka, atau dikosongkan.")
    return out


def _match(kode_desa: str, data: dict[str, Any]) -> Keluarga | None:
    """The family of the desa a sanggah names (by NIK, else by the head's name when exactly
    one head has it), or None. The resident is never told which."""
    if data["nik"]:
        person = Person.objects.filter(nik=data["nik"], keluarga__kode_desa=kode_desa).first()
        if person is not None:
            return person.keluarga
    if data["nama_kepala"]:
        heads = list(
            Person.objects.filter(
                keluarga__kode_desa=kode_desa, hub_kepala_keluarga=1,
                nama_kunci=name_key(data["nama_kepala"]),
            ).values_list("keluarga_id", flat=True)[:2]
        )  # fmt: skip
        if len(heads) == 1:
            return Keluarga.objects.get(pk=heads[0])
    return None


def uraian(laporan: Laporan) -> str:
    """The task's text for the desa: what the resident wrote, in one line."""
    d = laporan.data
    if laporan.jenis == Laporan.Jenis.USUL:
        siapa = "diri sendiri" if d.get("untuk") == "sendiri" else "keluarga lain"
        text = (f"Usul warga {laporan.kode_lacak} ({siapa}): keluarga {d['nama_kepala']}, "
                f"{d['alamat']} RT {d['rt'] or '-'}/RW {d['rw'] or '-'}, {d['jumlah_anggota']} "
                f"anggota. Alasan: {d['alasan']} Kontak: {d['telepon']}.")  # fmt: skip
    else:
        nik = f"NIK {d['nik']}" if d["nik"] else ""
        sasaran = " ".join(x for x in (d["nama_kepala"], nik) if x)
        text = (f"Sanggah warga {laporan.kode_lacak}: {sasaran}"
                f"{', ' + d['alamat'] if d['alamat'] else ''}. Alasan: "
                f"{sanggah_reasons()[laporan.alasan]}. {d['keterangan']} "
                f"Kontak: {d['telepon'] or '-'}.")  # fmt: skip
    return " ".join(text.split())[:500]


def _operator(kode_desa: str) -> int | None:
    return (
        RoleAssignment.objects.filter(role__code="operator-desa", user__is_active=True,
                                      region_prefix__in=[kode_desa, kode_desa + "."])
        .order_by("user_id").values_list("user_id", flat=True).first()
    )  # fmt: skip


def _task_now(laporan: Laporan, today: dt.date) -> Tugas | None:
    """The task in the desa's running period while its desa input window is open."""
    periode = periode_current(laporan.kode_desa, today)
    if periode is None or not periode.mulai <= today <= periode.batas_desa:
        return None
    days = int(verval_settings()["daftar_kerja"]["batas_hari"])
    return Tugas.objects.create(
        periode=periode, kode_desa=laporan.kode_desa, jenis=laporan.jenis,
        keluarga=laporan.keluarga, kunci=laporan.kunci, uraian=uraian(laporan),
        penanggung_id=_operator(laporan.kode_desa),
        batas=min(today + dt.timedelta(days=days), periode.batas_desa),
    )  # fmt: skip


@transaction.atomic
def laporan_create(
    *,
    jenis: str,
    kode_desa: str,
    data: dict[str, Any],
    ip_hash: str,
    idem: str = "",
    now: dt.datetime | None = None,
) -> Laporan:
    """Record a resident's usul or sanggah and put it on the desa's worklist (now, or when
    the next period's worklist is generated). The same ``idem`` again returns the first."""
    now = now or timezone.now()
    idem = idem[:64] if re.fullmatch(r"[A-Za-z0-9_-]{16,64}", idem or "") else ""
    if idem:
        existing = Laporan.objects.filter(idem=idem).first()
        if existing is not None:
            return existing
    if jenis not in Laporan.Jenis.values:
        raise LayananError("Jenis laporan tidak dikenal.")
    if not Desa.objects.filter(code=kode_desa).exists():
        raise LayananError("Pilih desa/kelurahan dari daftar.")
    clean = _clean_usul(data) if jenis == Laporan.Jenis.USUL else _clean_sanggah(data)
    conf = settings()[jenis]
    today = timezone.localdate(now)
    if jenis == Laporan.Jenis.SANGGAH:
        start = timezone.make_aware(dt.datetime.combine(today, dt.time()))
        sent = Laporan.objects.filter(
            jenis=jenis, kode_desa=kode_desa, created_at__gte=start,
            created_at__lt=start + dt.timedelta(days=1),
        ).count()  # fmt: skip
        if sent >= int(conf["per_desa_per_hari"]):
            raise LayananLimit(
                "Batas sanggahan harian untuk desa/kelurahan ini sudah tercapai. "
                "Silakan kirim lagi besok, atau sampaikan langsung ke kantor desa/kelurahan."
            )
    if not limits.allow(f"{jenis}:ip:{ip_hash}", conf["per_ip"], now):
        raise LayananLimit(
            "Terlalu banyak kiriman dari perangkat ini. Silakan coba lagi besok, atau "
            "sampaikan langsung ke kantor desa/kelurahan."
        )
    code = new_code()
    laporan = Laporan.objects.create(
        jenis=jenis, kode_lacak=code, kunci=f"warga:{code}", kode_desa=kode_desa, data=clean,
        alasan=clean.get("alasan", "") if jenis == Laporan.Jenis.SANGGAH else "",
        keluarga=_match(kode_desa, clean) if jenis == Laporan.Jenis.SANGGAH else None,
        idem=idem or None, ip_hash=ip_hash,
    )  # fmt: skip
    tugas = _task_now(laporan, today)
    audit_public(
        f"layanan.{jenis}_kirim", ip_hash=ip_hash, region_code=kode_desa,
        object_type="layanan.laporan", object_id=str(laporan.pk),
        detail={"tugas": tugas.pk if tugas else None},
    )  # fmt: skip
    return laporan
