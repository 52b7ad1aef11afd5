"""Every write of Satu OPD Satu Desa Dampingan: partners and teams, assignments with their
baseline, the monthly measurement of every desa, interventions (a finished one changes the
register through a versioned change and queues the PMT re-scoring), monthly reports."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from padu.accounts import access
from padu.core.audit import audit_write
from padu.dampingan import indicators
from padu.dampingan.config import jenis_mitra, settings, zona
from padu.dampingan.models import (
    AnggotaTim,
    IndikatorDesa,
    Intervensi,
    JenisIntervensi,
    LaporanBulanan,
    Mitra,
    Penugasan,
    SumberDana,
)
from padu.engine.dates import first_of_month, next_month
from padu.registry import services as registry
from padu.registry.models import Keluarga
from padu.verval.services import VervalError
from padu.verval.services.bukti import Berkas, cleaned
from padu.welfare.rescore import rescore_after_commit
from padu.wilayah.models import Desa


class DampinganError(ValueError):
    """Input the programme cannot take; the message says what to fix (Bahasa Indonesia)."""


class DampinganForbidden(PermissionError):
    pass


def _require_manager(actor: Any, wilayah: str) -> None:
    if not access.can_manage_dampingan(actor, wilayah):
        where = "provinsi" if wilayah == "33" else f"kabupaten/kota {wilayah}"
        raise DampinganForbidden(f"Anda tidak mengelola program dampingan {where}.")


@transaction.atomic
def mitra_create(*, actor: Any, kode: str, nama: str, jenis: str, wilayah: str = "33") -> Mitra:
    _require_manager(actor, wilayah)
    if jenis not in jenis_mitra():
        raise DampinganError(
            f"Jenis mitra '{jenis}' tidak dikenal; pilih salah satu: {', '.join(jenis_mitra())}."
        )
    if not nama.strip():
        raise DampinganError("Nama mitra wajib diisi.")
    if Mitra.objects.filter(kode=kode).exists():
        raise DampinganError(f"Kode mitra '{kode}' sudah dipakai.")
    mitra = Mitra.objects.create(kode=kode, nama=nama.strip(), jenis=jenis, wilayah=wilayah)
    audit_write(actor=actor, action="dampingan.mitra_create", obj=mitra, region_code=wilayah)
    return mitra


@transaction.atomic
def anggota_add(*, actor: Any, mitra: Mitra, user: Any, jabatan: str = "") -> AnggotaTim:
    _require_manager(actor, mitra.wilayah)
    member, _ = AnggotaTim.objects.get_or_create(
        mitra=mitra, user=user, defaults={"jabatan": jabatan}
    )
    access.forget(user)
    audit_write(
        actor=actor,
        action="dampingan.anggota_add",
        obj=member,
        region_code=mitra.wilayah,
        detail={"user": user.username},
    )
    return member


@transaction.atomic
def anggota_remove(*, actor: Any, member: AnggotaTim) -> None:
    _require_manager(actor, member.mitra.wilayah)
    audit_write(
        actor=actor,
        action="dampingan.anggota_remove",
        obj=member,
        region_code=member.mitra.wilayah,
        detail={"user": member.user.username},
    )
    access.forget(member.user)
    member.delete()


def _measure_one(kode_desa: str, month: dt.date) -> dict[str, float]:
    """The desa's figures of ``month``: as stored by the monthly measurement, else now."""
    stored = IndikatorDesa.objects.filter(kode_desa=kode_desa, bulan=month).first()
    if stored is not None:
        return dict(stored.nilai)
    found = indicators.measure(month, [kode_desa])
    return found.get(kode_desa) or dict.fromkeys([*indicators.INDIKATOR, "kel_berskor"], 0.0)


@transaction.atomic
def penugasan_create(
    *,
    actor: Any,
    mitra: Mitra,
    kode_desa: str,
    tahun: int,
    dasar_hukum: str,
    today: dt.date | None = None,
) -> Penugasan:
    """Assign a partner to a desa for a year; the desa's indicators of this month become the
    baseline and give the zone."""
    _require_manager(actor, mitra.wilayah)
    if not Desa.objects.filter(code=kode_desa).exists():
        raise DampinganError(f"Kode desa '{kode_desa}' tidak ada di daftar wilayah Kemendagri.")
    if mitra.wilayah != "33" and not kode_desa.startswith(mitra.wilayah + "."):
        raise DampinganError(
            f"Desa {kode_desa} di luar kabupaten/kota {mitra.wilayah} milik program {mitra}."
        )
    if not dasar_hukum.strip():
        raise DampinganError("Dasar penugasan (nomor SK/SE) wajib diisi.")
    if Penugasan.objects.filter(mitra=mitra, kode_desa=kode_desa, tahun=tahun).exists():
        raise DampinganError(f"{mitra} sudah ditugaskan di desa {kode_desa} tahun {tahun}.")
    month = first_of_month(today or timezone.localdate())
    baseline = _measure_one(kode_desa, month)
    penugasan = Penugasan.objects.create(
        mitra=mitra,
        kode_desa=kode_desa,
        tahun=tahun,
        dasar_hukum=dasar_hukum.strip(),
        zona=zona(indicators.share_desil14(baseline)),
        baseline=baseline,
        baseline_bulan=month,
        dibuat_oleh=actor if getattr(actor, "pk", None) else None,
    )
    for member in mitra.anggota.select_related("user"):
        access.forget(member.user)
    audit_write(
        actor=actor,
        action="dampingan.penugasan_create",
        obj=penugasan,
        region_code=kode_desa,
        detail={"mitra": mitra.kode, "tahun": tahun, "zona": penugasan.zona},
    )
    return penugasan


@transaction.atomic
def penugasan_end(*, actor: Any, penugasan: Penugasan) -> Penugasan:
    """End an assignment: the team no longer sees the desa."""
    _require_manager(actor, penugasan.mitra.wilayah)
    penugasan.aktif = False
    penugasan.save(update_fields=["aktif", "updated_at"])
    audit_write(
        actor=actor,
        action="dampingan.penugasan_end",
        obj=penugasan,
        region_code=penugasan.kode_desa,
    )
    return penugasan


def indikator_refresh(
    *, actor: Any, month: dt.date | None = None, desa: list[str] | None = None
) -> int:
    """Measure every desa (or ``desa``) for a month and store it, replacing that month's
    figures (one transaction: a crash leaves the previous figures)."""
    month = first_of_month(month or timezone.localdate())
    measured = indicators.measure(month, desa)
    now = timezone.now()
    with transaction.atomic():
        old = IndikatorDesa.objects.filter(bulan=month)
        if desa is not None:
            old = old.filter(kode_desa__in=desa)
        old.delete()
        IndikatorDesa.objects.bulk_create(
            [
                IndikatorDesa(kode_desa=code, bulan=month, nilai=nilai, dihitung=now)
                for code, nilai in sorted(measured.items())
            ],
            batch_size=2000,
        )
        audit_write(
            actor=actor,
            action="dampingan.indikator_refresh",
            object_type="dampingan.indikatordesa",
            detail={"bulan": f"{month:%Y-%m}", "desa": len(measured)},
        )
    return len(measured)


def _require_worker(actor: Any, penugasan: Penugasan) -> None:
    if not access.can_work_in_dampingan(actor, penugasan.mitra_id, penugasan.kode_desa):
        raise DampinganForbidden(
            f"Anda bukan anggota tim {penugasan.mitra} untuk desa {penugasan.kode_desa}."
        )


def _evidence(bukti: UploadedFile | None) -> Berkas | None:
    """The evidence photo made safe to keep (the verval cleaning: size, content, no
    metadata or location in the stored file)."""
    if bukti is None:
        return None
    try:
        return cleaned(bukti)
    except VervalError as exc:
        raise DampinganError(str(exc)) from exc


@transaction.atomic
def intervensi_record(
    *,
    actor: Any,
    penugasan: Penugasan,
    jenis: JenisIntervensi,
    sumber_dana: SumberDana,
    jumlah: int,
    mulai: dt.date,
    status: str = Intervensi.Status.RENCANA,
    keluarga: Keluarga | None = None,
    uraian: str = "",
    bukti: UploadedFile | None = None,
) -> Intervensi:
    """Record an intervention of the assigned partner; a finished one applies at once."""
    _require_worker(actor, penugasan)
    if not penugasan.aktif:
        raise DampinganError("Penugasan ini sudah berakhir; intervensi baru tidak dapat dicatat.")
    if jumlah < 0:
        raise DampinganError("Jumlah rupiah tidak boleh negatif.")
    if keluarga is None and not jenis.per_desa:
        raise DampinganError(f"Intervensi {jenis} untuk keluarga: pilih keluarganya.")
    if keluarga is not None and keluarga.kode_desa != penugasan.kode_desa:
        raise DampinganError(
            f"Keluarga {keluarga.pk} tinggal di desa {keluarga.kode_desa}, bukan desa "
            f"dampingan {penugasan.kode_desa}."
        )
    if status not in Intervensi.Status.values:
        raise DampinganError(f"Status '{status}' tidak dikenal.")
    photo = _evidence(bukti)
    item = Intervensi.objects.create(
        penugasan=penugasan,
        kode_desa=penugasan.kode_desa,
        keluarga=keluarga,
        jenis=jenis,
        sumber_dana=sumber_dana,
        jumlah=jumlah,
        status=Intervensi.Status.RENCANA,
        mulai=mulai,
        uraian=uraian.strip(),
        dicatat_oleh=actor if getattr(actor, "pk", None) else None,
    )
    if photo is not None:
        photo.save_to(item.bukti, item.kode_desa)
    audit_write(
        actor=actor,
        action="dampingan.intervensi_record",
        obj=item,
        region_code=item.kode_desa,
        detail={"jenis": jenis.kode, "sumber": sumber_dana.kode, "jumlah": jumlah},
    )
    if status != Intervensi.Status.RENCANA:
        intervensi_set_status(actor=actor, intervensi=item, status=status, selesai=mulai)
    return item


@transaction.atomic
def intervensi_set_status(
    *,
    actor: Any,
    intervensi: Intervensi,
    status: str,
    selesai: dt.date | None = None,
    bukti: UploadedFile | None = None,
) -> list[str]:
    """Move an intervention along; ``selesai`` applies the catalogue's register change to
    the family as a versioned change and queues the PMT re-scoring. Returns notes."""
    item = (
        Intervensi.objects.select_for_update()
        .select_related("jenis", "penugasan")
        .get(pk=intervensi.pk)
    )
    _require_worker(actor, item.penugasan)
    if status not in Intervensi.Status.values:
        raise DampinganError(f"Status '{status}' tidak dikenal.")
    if item.status in (Intervensi.Status.SELESAI, Intervensi.Status.BATAL):
        raise DampinganError(
            f"Intervensi ini sudah {item.get_status_display().lower()}; "
            "statusnya tidak dapat diubah."
        )
    photo = _evidence(bukti)
    notes: list[str] = []
    item.status = status
    if status == Intervensi.Status.SELESAI:
        item.selesai = selesai or timezone.localdate()
        if item.keluarga_id and item.jenis.perubahan:
            keluarga = Keluarga.objects.get(pk=item.keluarga_id)
            version = registry.keluarga_update(
                actor=actor,
                keluarga=keluarga,
                changes=dict(item.jenis.perubahan),
                reason=f"Intervensi dampingan selesai: {item.jenis} ({item.penugasan.mitra})",
            )
            item.versi = version
            if version is not None:
                _remeasure_after_commit(item.kode_desa)
                notes.append(
                    f"Register keluarga diperbarui ({', '.join(sorted(version.changes))})."
                )
                notes += rescore_after_commit(item.kode_desa[:5])
    if photo is not None:
        photo.save_to(item.bukti, item.kode_desa, save=False)
    item.save()
    intervensi.status, intervensi.selesai, intervensi.versi = item.status, item.selesai, item.versi
    audit_write(
        actor=actor,
        action="dampingan.intervensi_status",
        obj=item,
        region_code=item.kode_desa,
        detail={"status": status},
    )
    return notes


def _remeasure_after_commit(kode_desa: str) -> None:
    """The desa's level of this month follows a change at once (the re-scoring, when a
    model is in force, measures every desa again afterwards)."""
    from padu.dampingan.tasks import refresh_indicators

    transaction.on_commit(lambda: refresh_indicators.enqueue([kode_desa]))


def tenggat(month: dt.date) -> dt.date:
    """The due date of a month's report: day N of the following month."""
    nxt = next_month(month)
    return nxt.replace(day=int(settings()["laporan_tenggat_hari"]))


@transaction.atomic
def laporan_submit(
    *, actor: Any, penugasan: Penugasan, month: dt.date, catatan: str = ""
) -> LaporanBulanan:
    """Submit the month's report to TKPK, keeping its figures as they are now."""
    from padu.dampingan.report import build

    _require_worker(actor, penugasan)
    month = first_of_month(month)
    if month > first_of_month(timezone.localdate()):
        raise DampinganError(f"Laporan bulan {month:%m-%Y} belum dapat dikirim (bulan belum tiba).")
    report = build(penugasan, month)
    laporan, _ = LaporanBulanan.objects.update_or_create(
        penugasan=penugasan,
        bulan=month,
        defaults={
            "tenggat": tenggat(month),
            "isi": report.as_json(),
            "catatan": catatan.strip(),
            "dikirim_pada": timezone.now(),
            "dikirim_oleh": actor if getattr(actor, "pk", None) else None,
        },
    )
    audit_write(
        actor=actor,
        action="dampingan.laporan_submit",
        obj=laporan,
        region_code=penugasan.kode_desa,
        detail={"bulan": f"{month:%Y-%m}"},
    )
    return laporan
