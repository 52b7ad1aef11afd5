"""Usulan: proposing a change (baru, perbaikan, nonaktif, aktif kembali), and sending a
returned one back after revision. Nothing here touches the register."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from padu.accounts import access
from padu.core.audit import audit_write
from padu.registry.history import versioned_fields
from padu.registry.models import Keluarga, NonaktifReason, Person, Status
from padu.verval.config import stage_roles
from padu.verval.models import Kunjungan, Langkah, Periode, Tahap, Tugas, Usulan
from padu.verval.services import VervalError, VervalForbidden
from padu.verval.services.periode import periode_current, window_check

OPEN = (
    Usulan.Status.DIAJUKAN,
    Usulan.Status.DITERIMA_MUSDES,
    Usulan.Status.DISETUJUI_KECAMATAN,
    Usulan.Status.DIVERIFIKASI,
    Usulan.Status.DIKEMBALIKAN,
)
# Fields a usulan may not set: identity of the record, its status (a nonaktif/aktif_kembali
# usulan does that) and the verification stamp (a visit does that).
_FIXED = {"id", "keluarga_id", "status", "status_reason_id", "verified_at", "kode_desa"}


def require_desa_actor(actor: Any, kode_desa: str, tahap: str = Tahap.DESA) -> None:
    if not access.can_act_as(actor, stage_roles(tahap), kode_desa):
        raise VervalForbidden(
            f"Anda tidak berwenang pada tahap {Tahap(tahap).label.lower()} untuk desa {kode_desa}."
        )


def _periode_for(kode_desa: str, today: dt.date | None) -> Periode:
    periode = periode_current(kode_desa, today)
    if periode is None:
        raise VervalError(
            f"Belum ada periode verval yang berjalan untuk kabupaten/kota {kode_desa[:5]}. "
            "Dinas Sosial membuka periode (halaman Verval > Periode atau `padu verval periode`)."
        )
    return periode


def _allowed(model: type[Keluarga] | type[Person]) -> set[str]:
    return set(versioned_fields(model)) - _FIXED


def _check_changes(model: type[Keluarga] | type[Person], changes: Any, where: str) -> None:
    if not isinstance(changes, dict):
        raise VervalError(f"Perubahan {where} harus berupa daftar kolom dan nilai.")
    unknown = sorted(set(changes) - _allowed(model))
    if unknown:
        raise VervalError(
            f"Kolom {', '.join(unknown)} pada {where} tidak dapat diusulkan; pakai nama kolom "
            "DTKS-CSV v1 (status diubah lewat usulan nonaktif/aktif kembali)."
        )


def _validate(
    jenis: str,
    keluarga: Keluarga | None,
    person: Person | None,
    data: dict[str, Any],
    reason: NonaktifReason | None,
) -> None:
    if jenis == Usulan.Jenis.BARU:
        _check_changes(Keluarga, data.get("keluarga", {}), "keluarga")
        anggota = data.get("anggota") or []
        if not anggota or not all(isinstance(a, dict) and a.get("nama") for a in anggota):
            raise VervalError("Usulan keluarga baru memerlukan minimal satu anggota dengan nama.")
        for i, member in enumerate(anggota, start=1):
            _check_changes(Person, member, f"anggota ke-{i}")
        return
    if keluarga is None:
        raise VervalError("Usulan ini memerlukan keluarga yang dituju.")
    if jenis == Usulan.Jenis.PERBAIKAN:
        fam = data.get("keluarga") or {}
        members = data.get("anggota") or {}
        added = data.get("anggota_baru") or []
        if not (fam or members or added):
            raise VervalError("Usulan perbaikan tidak berisi perubahan apa pun.")
        _check_changes(Keluarga, fam, "keluarga")
        ids = set(Person.objects.filter(keluarga=keluarga).values_list("pk", flat=True))
        for key, changes in members.items():
            if int(key) not in ids:
                raise VervalError(f"Anggota {key} bukan anggota keluarga ini.")
            _check_changes(Person, changes, f"anggota {key}")
        for i, member in enumerate(added, start=1):
            _check_changes(Person, member, f"anggota baru ke-{i}")
    elif jenis == Usulan.Jenis.NONAKTIF:
        if reason is None:
            raise VervalError(
                "Usulan nonaktif memerlukan alasan dari daftar alasan nonaktif "
                "(mis. meninggal, pindah, tidak ditemukan, ganda, sudah mampu, ASN/TNI/Polri)."
            )
        target = person or keluarga
        if target.status != Status.AKTIF:
            raise VervalError("Data ini sudah tidak aktif; tidak perlu diusulkan nonaktif.")
    elif jenis == Usulan.Jenis.AKTIF_KEMBALI:
        target = person or keluarga
        if target.status == Status.AKTIF:
            raise VervalError("Data ini masih aktif; usulan aktif kembali tidak diperlukan.")
    else:
        raise VervalError(
            f"Jenis usulan '{jenis}' tidak dikenal; pilih baru, perbaikan, nonaktif atau "
            "aktif_kembali."
        )


def _duplicate(
    periode: Periode, jenis: str, keluarga: Keluarga | None, person: Person | None
) -> None:
    if keluarga is None:
        return
    open_ = Usulan.objects.filter(
        periode=periode, jenis=jenis, keluarga=keluarga, person=person, status__in=OPEN
    ).first()
    if open_ is not None:
        raise VervalError(
            f"Sudah ada usulan {open_.get_jenis_display().lower()} #{open_.pk} yang masih berjalan "
            "untuk data ini pada periode ini; ubah usulan itu saja."
        )


def reason_by_code(code: str | None) -> NonaktifReason | None:
    if not code:
        return None
    reason = NonaktifReason.objects.filter(code=code, active=True).first()
    if reason is None:
        raise VervalError(
            f"Alasan nonaktif '{code}' tidak ada atau tidak dipakai lagi; pilih dari daftar."
        )
    return reason


@transaction.atomic
def usulan_create(
    *,
    actor: Any,
    kode_desa: str,
    jenis: str,
    alasan: str,
    keluarga: Keluarga | None = None,
    person: Person | None = None,
    data: dict[str, Any] | None = None,
    alasan_nonaktif: str | None = None,
    asal: str = Usulan.Asal.OPERATOR,
    tugas: Tugas | None = None,
    kunjungan: Kunjungan | None = None,
    today: dt.date | None = None,
) -> Usulan:
    """Propose a change in desa ``kode_desa`` within the open desa window of its period."""
    if keluarga is not None:
        kode_desa = keluarga.kode_desa
    if person is not None and keluarga is None:
        keluarga = person.keluarga
        kode_desa = keluarga.kode_desa
    require_desa_actor(actor, kode_desa)
    periode = _periode_for(kode_desa, today)
    window_check(periode, Tahap.DESA, today)
    if not alasan.strip():
        raise VervalError("Tuliskan alasan atau keterangan usulan (mis. hasil kunjungan rumah).")
    data = data or {}
    reason = reason_by_code(alasan_nonaktif)
    _validate(jenis, keluarga, person, data, reason)
    _duplicate(periode, jenis, keluarga, person)
    usulan = Usulan.objects.create(
        periode=periode,
        kode_desa=kode_desa,
        jenis=jenis,
        asal=asal,
        keluarga=keluarga,
        person=person,
        data=data,
        alasan_nonaktif=reason,
        alasan=alasan.strip(),
        tugas=tugas,
        kunjungan=kunjungan,
        diusulkan_oleh=actor if getattr(actor, "is_authenticated", False) else None,
    )
    Langkah.objects.create(
        usulan=usulan,
        tahap=Tahap.DESA,
        keputusan=Langkah.Keputusan.AJUKAN,
        oleh=usulan.diusulkan_oleh,
    )
    audit_write(
        actor=actor,
        action="verval.usulan_create",
        obj=usulan,
        region_code=kode_desa,
        detail={"jenis": jenis, "keluarga": getattr(keluarga, "pk", None)},
    )
    return usulan


@transaction.atomic
def usulan_resubmit(
    *,
    actor: Any,
    usulan: Usulan,
    alasan: str,
    data: dict[str, Any] | None = None,
    alasan_nonaktif: str | None = None,
    today: dt.date | None = None,
) -> Usulan:
    """Send a returned usulan back after revision. It goes back to where it was returned
    from the start of the chain: the musdes decision stands, so it goes to the kecamatan
    again when the musdes accepted it, to the musdes otherwise. Allowed until the
    kecamatan stage closes."""
    current = Usulan.objects.select_for_update().get(pk=usulan.pk)
    require_desa_actor(actor, current.kode_desa)
    if current.status != Usulan.Status.DIKEMBALIKAN:
        raise VervalError(
            f"Usulan #{current.pk} berstatus '{current.get_status_display()}'; hanya usulan "
            "yang dikembalikan yang dapat diajukan ulang."
        )
    window_check(current.periode, Tahap.KECAMATAN, today)
    if not alasan.strip():
        raise VervalError("Tuliskan apa yang diperbaiki sebelum mengajukan ulang.")
    if data is not None:
        current.data = data
    if alasan_nonaktif is not None:
        current.alasan_nonaktif = reason_by_code(alasan_nonaktif)
    _validate(
        current.jenis, current.keluarga, current.person, current.data, current.alasan_nonaktif
    )
    accepted = hasattr(current, "keputusan_musdes") and (
        current.keputusan_musdes.keputusan == "diterima"
    )
    current.status = Usulan.Status.DITERIMA_MUSDES if accepted else Usulan.Status.DIAJUKAN
    current.catatan_terakhir = alasan.strip()
    current.save()
    Langkah.objects.create(
        usulan=current,
        tahap=Tahap.DESA,
        keputusan=Langkah.Keputusan.AJUKAN,
        catatan=alasan.strip(),
        oleh=actor if getattr(actor, "is_authenticated", False) else None,
    )
    audit_write(
        actor=actor, action="verval.usulan_resubmit", obj=current, region_code=current.kode_desa
    )
    return current
