"""The musdes/muskel of a desa (or the SPTJM in its place): the usulan reviewed with their
decisions; uploading the signed Berita Acara locks the decisions."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from padu.core.audit import audit_write
from padu.verval.config import settings
from padu.verval.models import KeputusanMusdes, Langkah, Musdes, Tahap, Usulan
from padu.verval.services import VervalError
from padu.verval.services.periode import window_check
from padu.verval.services.usulan import _periode_for, require_desa_actor

SCAN_TYPES = {"application/pdf", "image/jpeg", "image/png"}


def _people(rows: Any, what: str) -> list[dict[str, str]]:
    people = []
    for row in rows or []:
        nama = str(row.get("nama", "")).strip()
        if nama:
            people.append({"nama": nama, "jabatan": str(row.get("jabatan", "")).strip()})
    if not people:
        raise VervalError(f"Isi minimal satu {what} (nama dan jabatan).")
    return people


@transaction.atomic
def musdes_record(
    *,
    actor: Any,
    kode_desa: str,
    tanggal: dt.date,
    tempat: str,
    pimpinan: str,
    peserta: list[dict[str, str]],
    penandatangan: list[dict[str, str]],
    keputusan: dict[int, tuple[str, str]],
    jenis: str = Musdes.Jenis.MUSDES,
    nomor: str = "",
    catatan: str = "",
    alasan_tanpa_musdes: str = "",
    today: dt.date | None = None,
) -> Musdes:
    """Record (or correct, until locked) the musdes of ``kode_desa`` in the running period
    with a decision per usulan: ``{usulan_id: ("diterima"|"ditolak", alasan)}``."""
    require_desa_actor(actor, kode_desa, Tahap.MUSDES)
    periode = _periode_for(kode_desa, today)
    window_check(periode, Tahap.MUSDES, today)
    if jenis not in Musdes.Jenis.values:
        raise VervalError("Jenis musyawarah harus musdes, muskel atau sptjm.")
    if jenis == Musdes.Jenis.SPTJM:
        if not settings()["musdes"]["sptjm_diizinkan"]:
            raise VervalError("SPTJM tanpa musyawarah tidak diizinkan di daerah ini.")
        if not alasan_tanpa_musdes.strip():
            raise VervalError("Tuliskan alasan tidak diadakan musyawarah untuk SPTJM.")
    if not tempat.strip() or not pimpinan.strip():
        raise VervalError("Isi tempat dan pimpinan musyawarah.")
    musdes = Musdes.objects.select_for_update().filter(periode=periode, kode_desa=kode_desa).first()
    if musdes is not None and musdes.terkunci:
        raise VervalError(
            "Berita acara musyawarah ini sudah diunggah bertanda tangan; keputusannya terkunci."
        )
    fields = {
        "jenis": jenis,
        "tanggal": tanggal,
        "tempat": tempat.strip(),
        "pimpinan": pimpinan.strip(),
        "peserta": _people(peserta, "peserta") if jenis != Musdes.Jenis.SPTJM else peserta,
        "penandatangan": _people(penandatangan, "penandatangan"),
        "catatan": catatan.strip(),
        "alasan_tanpa_musdes": alasan_tanpa_musdes.strip(),
        "nomor": nomor.strip() or f"{periode.mulai:%m}/{periode.mulai:%Y}/VERVAL/{kode_desa}",
    }
    if musdes is None:
        musdes = Musdes.objects.create(
            periode=periode, kode_desa=kode_desa, dicatat_oleh=actor, **fields
        )
    else:
        for name, value in fields.items():
            setattr(musdes, name, value)
        musdes.save()
    _decide(actor, musdes, keputusan)
    audit_write(
        actor=actor,
        action="verval.musdes_record",
        obj=musdes,
        region_code=kode_desa,
        detail={"jenis": jenis, "keputusan": len(keputusan)},
    )
    return musdes


def _decide(actor: Any, musdes: Musdes, keputusan: dict[int, tuple[str, str]]) -> None:
    ids = sorted(int(k) for k in keputusan)
    rows = {
        u.pk: u
        for u in Usulan.objects.select_for_update().filter(
            pk__in=ids, periode=musdes.periode, kode_desa=musdes.kode_desa
        )
    }
    earlier = {k.usulan_id: k for k in KeputusanMusdes.objects.filter(musdes=musdes)}
    for pk in ids:
        usulan = rows.get(pk)
        if usulan is None:
            raise VervalError(f"Usulan #{pk} bukan usulan desa ini pada periode ini.")
        decided_here = pk in earlier
        if usulan.status != Usulan.Status.DIAJUKAN and not decided_here:
            raise VervalError(
                f"Usulan #{pk} berstatus '{usulan.get_status_display()}'; musyawarah hanya "
                "memutus usulan yang diajukan desa."
            )
        choice, reason = keputusan[pk]
        if choice not in KeputusanMusdes.Keputusan.values:
            raise VervalError(f"Keputusan usulan #{pk} harus diterima atau ditolak.")
        if choice == "ditolak" and not reason.strip():
            raise VervalError(f"Tuliskan alasan penolakan usulan #{pk}.")
        KeputusanMusdes.objects.update_or_create(
            usulan=usulan,
            defaults={"musdes": musdes, "keputusan": choice, "alasan": reason.strip()},
        )
        usulan.status = (
            Usulan.Status.DITERIMA_MUSDES if choice == "diterima" else Usulan.Status.DITOLAK
        )
        usulan.catatan_terakhir = reason.strip()
        usulan.save(update_fields=["status", "catatan_terakhir", "updated_at"])
        Langkah.objects.create(
            usulan=usulan,
            tahap=Tahap.MUSDES,
            keputusan=Langkah.Keputusan.SETUJU if choice == "diterima" else Langkah.Keputusan.TOLAK,
            catatan=reason.strip(),
            oleh=actor,
        )


@transaction.atomic
def musdes_lock(
    *, actor: Any, musdes: Musdes, scan: UploadedFile, today: dt.date | None = None
) -> Musdes:
    """Store the signed scan of the Berita Acara (or SPTJM); the decisions are then final."""
    current = Musdes.objects.select_for_update().get(pk=musdes.pk)
    require_desa_actor(actor, current.kode_desa, Tahap.MUSDES)
    if current.terkunci:
        raise VervalError("Pindaian bertanda tangan sudah diunggah untuk musyawarah ini.")
    # The signed scan may follow the musdes until the kecamatan's check closes.
    window_check(current.periode, Tahap.KECAMATAN, today)
    limit = int(settings()["musdes"]["scan_maks_bita"])
    if scan.size is None or scan.size > limit:
        raise VervalError(
            f"Berkas pindaian terlalu besar ({(scan.size or 0) // 1_000_000} MB); batasnya "
            f"{limit // 1_000_000} MB. Pindai ulang dengan resolusi lebih rendah."
        )
    head = scan.read(8)
    scan.seek(0)
    kind = (
        "application/pdf"
        if head.startswith(b"%PDF")
        else "image/jpeg"
        if head.startswith(b"\xff\xd8")
        else "image/png"
        if head.startswith(b"\x89PNG")
        else ""
    )
    if kind not in SCAN_TYPES:
        raise VervalError("Pindaian harus berupa PDF, JPEG atau PNG.")
    current.scan.save(f"{current.kode_desa}-{current.periode_id}-{scan.name}", scan, save=False)
    current.dikunci_pada = timezone.now()
    current.save()
    audit_write(
        actor=actor,
        action="verval.musdes_lock",
        obj=current,
        region_code=current.kode_desa,
        detail={"jenis_berkas": kind, "ukuran": scan.size},
    )
    return current
