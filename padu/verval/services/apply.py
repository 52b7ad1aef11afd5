"""Pengesahan and applying approved usulan to the register.

Applying is atomic per batch: every register change goes through the registry services
(versioned, with the usulan, musdes and SK as the reason), then the changed families are
re-checked by the quality rules and re-scored by the PMT model in force; if anything fails,
nothing of the batch is applied and no pengesahan is recorded.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from padu.core.audit import audit_write
from padu.core.formatting import tanggal
from padu.quality.services import quality_check
from padu.registry import services as registry
from padu.registry.models import Keluarga, Person, Status
from padu.verval.models import Langkah, Pengesahan, Periode, Tahap, Usulan
from padu.verval.services import VervalError, VervalForbidden
from padu.verval.services.periode import window_check
from padu.verval.services.usulan import require_desa_actor
from padu.welfare.rescore import rescore_after_commit

# Reasons that set a status other than "nonaktif".
_STATUS_BY_REASON = {"meninggal": Status.MENINGGAL, "pindah": Status.PINDAH}


def _reason_text(usulan: Usulan, sk: Pengesahan) -> str:
    musdes = getattr(getattr(usulan, "keputusan_musdes", None), "musdes", None)
    where = (
        f"; {musdes.get_jenis_display()} {musdes.nomor} ({tanggal(musdes.tanggal)})"
        if musdes
        else ""
    )
    return (
        f"{usulan.periode.nama}: usulan #{usulan.pk} ({usulan.get_jenis_display().lower()})"
        f"{where}; SK {sk.nomor_sk} ({tanggal(sk.tanggal_sk)})"
    )[:500]


def _families(usulan: list[Usulan]) -> dict[int, Keluarga]:
    """The live families the usulan name, read in a few queries instead of one each."""
    ids = sorted({int(u.keluarga_id) for u in usulan if u.keluarga_id})
    out: dict[int, Keluarga] = {}
    for start in range(0, len(ids), 5_000):
        out.update(Keluarga.objects.in_bulk(ids[start : start + 5_000]))
    return out


def _apply_one(actor: Any, usulan: Usulan, reason: str, families: dict[int, Keluarga]) -> int:
    """Apply one usulan; returns the family changed (or created)."""
    data = usulan.data or {}
    if usulan.jenis == Usulan.Jenis.BARU:
        fam = registry.keluarga_create(
            actor=actor, data={**data.get("keluarga", {}), "kode_desa": usulan.kode_desa},
            reason=reason,
        )  # fmt: skip
        for member in data.get("anggota", []):
            registry.person_create(actor=actor, keluarga=fam, data=member, reason=reason)
        Usulan.objects.filter(pk=usulan.pk).update(keluarga=fam)
        return fam.pk
    keluarga = families.get(int(usulan.keluarga_id or 0))
    if keluarga is None:
        raise Keluarga.DoesNotExist("Keluarga tidak ada atau sudah dihapus.")
    if usulan.jenis == Usulan.Jenis.PERBAIKAN:
        if data.get("keluarga"):
            registry.keluarga_update(
                actor=actor, keluarga=keluarga, changes=data["keluarga"], reason=reason
            )
        for key, changes in (data.get("anggota") or {}).items():
            person = Person.objects.get(pk=int(key), keluarga=keluarga)
            registry.person_update(actor=actor, person=person, changes=changes, reason=reason)
        for member in data.get("anggota_baru") or []:
            registry.person_create(actor=actor, keluarga=keluarga, data=member, reason=reason)
    elif usulan.jenis == Usulan.Jenis.NONAKTIF:
        code = usulan.alasan_nonaktif.code if usulan.alasan_nonaktif else None
        status = _STATUS_BY_REASON.get(code or "", Status.NONAKTIF)
        if usulan.person_id:
            person = Person.objects.get(pk=usulan.person_id)
            registry.person_set_status(
                actor=actor, person=person, status=status, reason=reason,
                reason_code=code if status == Status.NONAKTIF else None,
            )  # fmt: skip
        else:
            if status == Status.MENINGGAL:
                status = Status.NONAKTIF
            registry.keluarga_set_status(
                actor=actor, keluarga=keluarga, status=status, reason=reason,
                reason_code=code if status == Status.NONAKTIF else None,
            )  # fmt: skip
    elif usulan.jenis == Usulan.Jenis.AKTIF_KEMBALI:
        if usulan.person_id:
            person = Person.objects.get(pk=usulan.person_id)
            registry.person_set_status(
                actor=actor, person=person, status=Status.AKTIF, reason=reason
            )
        else:
            registry.keluarga_set_status(
                actor=actor, keluarga=keluarga, status=Status.AKTIF, reason=reason
            )
    return keluarga.pk


@transaction.atomic
def pengesahan_record(
    *,
    actor: Any,
    periode: Periode,
    nomor_sk: str,
    tanggal_sk: dt.date,
    berkas: UploadedFile,
    usulan_ids: Sequence[int] | None = None,
    today: dt.date | None = None,
) -> Pengesahan:
    """Record the bupati's SK for the verified usulan of ``periode`` (all of them, or
    ``usulan_ids``) and apply them to the register, all in one transaction."""
    require_desa_actor(actor, periode.kode_kabupaten + ".", Tahap.PENGESAHAN)
    window_check(periode, Tahap.PENGESAHAN, today)
    if not nomor_sk.strip():
        raise VervalError("Isi nomor SK bupati/wali kota.")
    head = berkas.read(5)
    berkas.seek(0)
    if not head.startswith(b"%PDF"):
        raise VervalError("Unggah SK bertanda tangan sebagai berkas PDF.")
    qs = Usulan.objects.select_for_update(of=("self",)).filter(
        periode=periode, status=Usulan.Status.DIVERIFIKASI
    )
    if usulan_ids is not None:
        qs = qs.filter(pk__in=list(usulan_ids))
    rows = list(qs.select_related("periode", "alasan_nonaktif", "keputusan_musdes__musdes"))
    if usulan_ids is not None and len(rows) != len(set(usulan_ids)):
        raise VervalError(
            "Sebagian usulan yang dipilih belum diverifikasi Dinas Sosial atau bukan usulan "
            "periode ini; hanya usulan terverifikasi yang dapat disahkan."
        )
    if not rows:
        raise VervalError(f"Tidak ada usulan terverifikasi pada {periode.nama} untuk disahkan.")
    for usulan in rows:
        if not usulan.kode_desa.startswith(periode.kode_kabupaten + "."):
            raise VervalForbidden(f"Usulan #{usulan.pk} bukan usulan kabupaten/kota ini.")
    sk = Pengesahan.objects.create(
        periode=periode,
        nomor_sk=nomor_sk.strip(),
        tanggal_sk=tanggal_sk,
        dicatat_oleh=actor,
        jumlah_usulan=len(rows),
    )
    sk.berkas.save(f"sk-{periode.kode_kabupaten}-{periode.pk}.pdf", berkas, save=False)
    summary = apply_usulan(actor=actor, usulan=rows, sk=sk)
    sk.ringkasan = summary
    sk.save()
    audit_write(
        actor=actor,
        action="verval.pengesahan_record",
        obj=sk,
        region_code=periode.kode_kabupaten + ".",
        detail={"nomor_sk": sk.nomor_sk, **{k: v for k, v in summary.items() if k != "catatan"}},
    )
    return sk


def apply_usulan(*, actor: Any, usulan: list[Usulan], sk: Pengesahan) -> dict[str, Any]:
    """Apply the approved ``usulan`` (inside the caller's transaction)."""
    changed: set[int] = set()
    now = timezone.now()
    user = actor if getattr(actor, "is_authenticated", False) else None
    with transaction.atomic():
        families = _families(usulan)
        for item in usulan:
            try:
                changed.add(_apply_one(actor, item, _reason_text(item, sk), families))
            except (registry.RegistryError, Keluarga.DoesNotExist, Person.DoesNotExist) as exc:
                raise VervalError(
                    f"Usulan #{item.pk} (desa {item.kode_desa}) tidak dapat diterapkan: {exc} "
                    "Tidak ada usulan yang diterapkan; kembalikan usulan itu ke desa lalu ulangi."
                ) from exc
        ids = [u.pk for u in usulan]
        Usulan.objects.filter(pk__in=ids).update(
            status=Usulan.Status.DITERAPKAN, pengesahan=sk, diterapkan_pada=now
        )
        Langkah.objects.bulk_create(
            Langkah(usulan_id=pk, tahap=Tahap.PENGESAHAN, keputusan=Langkah.Keputusan.SAHKAN,
                    catatan=f"SK {sk.nomor_sk}", oleh=user)
            for pk in ids
        )  # fmt: skip
        run = quality_check(actor=actor, keluarga_ids=sorted(changed))
        notes = rescore_after_commit(sk.periode.kode_kabupaten)
    return {
        "usulan": len(usulan),
        "keluarga": len(changed),
        "temuan_galat": int(run.counts.get("error", 0)),
        "catatan": notes,
    }
