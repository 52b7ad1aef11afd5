"""Field visits from the (offline-first) form: one visit per idempotency key, and the usulan
that follow from what the visitor found different from the register."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from padu.core.audit import audit_write
from padu.registry import services as registry
from padu.registry.history import jsonable
from padu.registry.models import Keluarga, Person, Status
from padu.verval.models import Kunjungan, Tahap, Tugas, Usulan
from padu.verval.services import VervalError
from padu.verval.services.periode import window_check
from padu.verval.services.usulan import _periode_for, require_desa_actor, usulan_create

_KEY = re.compile(r"^[A-Za-z0-9_-]{8,64}$")
# Outcome code -> the nonaktif reason it implies for the whole family.
_REMOVAL: dict[int, str] = {
    Kunjungan.Hasil.TIDAK_DITEMUKAN: "alamat-tidak-ditemukan",
    Kunjungan.Hasil.PINDAH: "pindah",
    Kunjungan.Hasil.GANDA: "data-ganda",
}


def _changed(obj: Keluarga | Person, observed: dict[str, Any]) -> dict[str, Any]:
    """The observed values that differ from the register's (compared as JSON values)."""
    out = {}
    for name, value in observed.items():
        if not hasattr(obj, name) or name in {"id", "keluarga_id", "status", "kode_desa"}:
            continue
        if not _same(jsonable(getattr(obj, name)), value):
            out[name] = value
    return out


def _same(current: Any, value: Any) -> bool:
    """Register value and form value are the same (the form sends text for numbers)."""
    if current in ("", None) and value in ("", None):
        return True
    if isinstance(current, bool) or isinstance(value, bool):
        return current == value
    try:
        return float(current) == float(value)
    except (TypeError, ValueError):
        return str(current).strip() == str(value).strip()


def _when(text: Any) -> dt.datetime:
    moment = parse_datetime(str(text or "")) if text else None
    if moment is None:
        return timezone.now()
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return min(moment, timezone.now())


def kunjungan_submit(
    *,
    actor: Any,
    kunci: str,
    keluarga_id: int,
    hasil: int,
    data: dict[str, Any] | None = None,
    tugas_id: int | None = None,
    dikunjungi_pada: Any = None,
    lintang: float | None = None,
    bujur: float | None = None,
    akurasi: float | None = None,
    catatan: str = "",
    today: dt.date | None = None,
) -> tuple[Kunjungan, bool]:
    """Record a visit; ``(visit, created)``. The same ``kunci`` again returns the visit
    already recorded (``created`` False) and changes nothing: a resubmission from a phone
    that lost the answer never makes a second visit."""
    if not _KEY.match(kunci or ""):
        raise VervalError("Kunci kunjungan tidak valid (8-64 huruf, angka, - atau _).")
    existing = Kunjungan.objects.filter(kunci=kunci).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            visit = _record(
                actor, kunci, keluarga_id, hasil, data or {}, tugas_id, dikunjungi_pada,
                (lintang, bujur, akurasi), catatan, today,
            )  # fmt: skip
    except IntegrityError:
        # Two copies of one submission raced; the other one won.
        return Kunjungan.objects.get(kunci=kunci), False
    return visit, True


def _record(
    actor: Any,
    kunci: str,
    keluarga_id: int,
    hasil: int,
    data: dict[str, Any],
    tugas_id: int | None,
    when: Any,
    gps: tuple[float | None, float | None, float | None],
    catatan: str,
    today: dt.date | None,
) -> Kunjungan:
    keluarga = Keluarga.objects.filter(pk=keluarga_id).first()
    if keluarga is None:
        raise VervalError(f"Keluarga {keluarga_id} tidak ditemukan di register.")
    require_desa_actor(actor, keluarga.kode_desa)
    periode = _periode_for(keluarga.kode_desa, today)
    window_check(periode, Tahap.DESA, today)
    if hasil not in Kunjungan.Hasil.values:
        raise VervalError("Hasil kunjungan harus kode 1 sampai 5.")
    tugas = None
    if tugas_id:
        tugas = Tugas.objects.filter(pk=tugas_id, kode_desa=keluarga.kode_desa).first()
    lintang, bujur, akurasi = gps
    if lintang is not None and not (-90 <= lintang <= 90 and -180 <= (bujur or 0) <= 180):
        raise VervalError("Koordinat GPS tidak valid.")
    visit = Kunjungan.objects.create(
        kunci=kunci,
        periode=periode,
        tugas=tugas,
        keluarga=keluarga,
        kode_desa=keluarga.kode_desa,
        hasil=hasil,
        data=data,
        catatan=catatan.strip(),
        lintang=lintang,
        bujur=bujur,
        akurasi=akurasi,
        dikunjungi_pada=_when(when),
        petugas=actor,
    )
    proposals = _proposals(actor, visit, keluarga, data, today)
    if hasil == Kunjungan.Hasil.TERVERIFIKASI or (hasil == Kunjungan.Hasil.SEBAGIAN):
        registry.keluarga_update(
            actor=actor,
            keluarga=keluarga,
            changes={"verified_at": visit.dikunjungi_pada},
            reason=f"Kunjungan verval #{visit.pk}: {visit.get_hasil_display()}",
        )
    if tugas is not None and tugas.status == Tugas.Status.TERBUKA:
        tugas.status = Tugas.Status.SELESAI
        tugas.hasil = f"Kunjungan #{visit.pk}: {visit.get_hasil_display()}" + (
            f"; {len(proposals)} usulan" if proposals else ""
        )
        tugas.selesai_pada = timezone.now()
        tugas.save(update_fields=["status", "hasil", "selesai_pada", "updated_at"])
    audit_write(
        actor=actor,
        action="verval.kunjungan_submit",
        obj=visit,
        region_code=keluarga.kode_desa,
        detail={"hasil": hasil, "usulan": [u.pk for u in proposals], "gps": lintang is not None},
    )
    return visit


def _proposals(
    actor: Any, visit: Kunjungan, keluarga: Keluarga, data: dict[str, Any], today: dt.date | None
) -> list[Usulan]:
    """The usulan a visit implies: removal of the family (outcomes 2, 3, 5), removal of
    members found deceased or gone, and corrections of what differs."""
    common = {"actor": actor, "asal": Usulan.Asal.KUNJUNGAN, "kunjungan": visit,
              "tugas": visit.tugas, "today": today}  # fmt: skip
    label = visit.get_hasil_display()
    if visit.hasil in _REMOVAL:
        return [
            usulan_create(
                kode_desa=keluarga.kode_desa, jenis=Usulan.Jenis.NONAKTIF, keluarga=keluarga,
                alasan=f"Hasil kunjungan: {label}. {visit.catatan}".strip(),
                alasan_nonaktif=_REMOVAL[visit.hasil], **common,
            )
        ]  # fmt: skip
    out = []
    members = {p.pk: p for p in Person.objects.filter(keluarga=keluarga)}
    corrections: dict[str, dict[str, Any]] = {}
    for row in data.get("anggota") or []:
        person = members.get(int(row.get("id", 0)))
        if person is None:
            continue
        gone = row.get("keberadaan")  # "meninggal" | "pindah" | None
        if gone in ("meninggal", "pindah") and person.status == Status.AKTIF:
            out.append(
                usulan_create(
                    kode_desa=keluarga.kode_desa, jenis=Usulan.Jenis.NONAKTIF, keluarga=keluarga,
                    person=person, alasan=f"Hasil kunjungan: anggota {gone}.",
                    alasan_nonaktif=gone, **common,
                )
            )  # fmt: skip
            continue
        changes = _changed(person, {k: v for k, v in row.items() if k not in {"id", "keberadaan"}})
        if changes:
            corrections[str(person.pk)] = changes
    family = _changed(keluarga, data.get("keluarga") or {})
    added = [a for a in data.get("anggota_baru") or [] if isinstance(a, dict) and a.get("nama")]
    if family or corrections or added:
        change = {"keluarga": family, "anggota": corrections, "anggota_baru": added}
        out.append(
            usulan_create(
                kode_desa=keluarga.kode_desa, jenis=Usulan.Jenis.PERBAIKAN, keluarga=keluarga,
                data={k: v for k, v in change.items() if v},
                alasan=f"Hasil kunjungan: {label}; data berbeda dari register.", **common,
            )
        )  # fmt: skip
    return out
