"""Every write of the orphans programme: running the detection over a region's register
(findings wait for a person), confirming or rejecting a finding (a confirmed one becomes a
child's record with its guardian), and updating that record."""

from __future__ import annotations

import datetime as dt
from typing import Any

import polars as pl
from django.db import transaction
from django.utils import timezone

from padu.accounts import access
from padu.asuh.config import choices, settings
from padu.asuh.models import Anak, Jenis, Temuan
from padu.core import bulk
from padu.core.audit import audit_write
from padu.engine.asuh.detect import COLUMNS, find_orphans
from padu.registry.models import Person

# Relation of a guardian who heads the child's KK, from the child's relation to the head.
WALI = {3: "orang tua", 5: "kakek/nenek", 7: "kerabat", 4: "mertua"}


class AsuhError(ValueError):
    pass


class AsuhForbidden(PermissionError):
    pass


def require_child_access(actor: Any, kode_desa: str) -> None:
    """Children's records of a desa: the child-protection permission and write access."""
    if not (
        access.can_see_children(actor, kode_desa) and access.can_write_region(actor, kode_desa)
    ):
        raise AsuhForbidden(
            f"Anda tidak berwenang atas data anak di desa {kode_desa} (izin perlindungan anak)."
        )


def register_frame(prefix: str) -> pl.DataFrame:
    """Live members of live families in a region, with the columns the detection reads."""
    cols = [c for c in COLUMNS if c not in ("id_art", "id_keluarga", "kode_desa")]
    select = ", ".join(f"p.{c}" for c in cols)
    frame = bulk.fetch_frame(
        f"SELECT p.id, p.keluarga_id, k.kode_desa, {select} FROM registry_person p "
        "JOIN registry_keluarga k ON k.id = p.keluarga_id "
        "WHERE p.deleted_at IS NULL AND k.deleted_at IS NULL AND k.status = 'aktif' "
        "AND k.kode_desa LIKE %s ORDER BY p.id",
        [prefix + "%"],
        ["id_art", "id_keluarga", "kode_desa", *cols],
    )
    return frame.with_columns(
        pl.col("id_art").cast(pl.String),
        pl.col("id_keluarga").cast(pl.String),
        pl.col("nik").cast(pl.String),
        pl.col("tgl_lahir").cast(pl.Date),
        pl.col("tgl_meninggal").cast(pl.Date),
    )


def temuan_detect(
    *,
    actor: Any,
    wilayah: str,
    deaths: pl.DataFrame | None = None,
    today: dt.date | None = None,
) -> dict[str, int]:
    """Run the detection over ``wilayah`` (a region code prefix). New findings wait;
    waiting ones are brought up to date or dropped when the evidence is gone; decided ones
    are kept as they are. One transaction."""
    code = wilayah.strip().rstrip(".")
    prefix = code if len(code) == 13 else code + "."
    if actor is not None and not access.can_see_children(actor, prefix):
        raise AsuhForbidden("Deteksi anak yatim untuk wilayah ini perlu izin perlindungan anak.")
    found = find_orphans(
        register_frame(prefix),
        today or timezone.localdate(),
        deaths=deaths,
        age_limit=int(settings()["batas_usia"]),
    )
    rows = {int(r["id_art"]): r for r in found.iter_rows(named=True)}
    made = updated = dropped = 0
    with transaction.atomic():
        known = {t.person_id: t for t in Temuan.objects.filter(kode_desa__startswith=prefix)}
        for pid, t in known.items():
            if t.status != Temuan.Status.MENUNGGU:
                continue
            if pid not in rows:
                t.delete()
                dropped += 1
        fresh = []
        for pid, r in rows.items():
            values = {
                "keluarga_id": int(r["id_keluarga"]),
                "kode_desa": r["kode_desa"],
                "jenis": r["jenis"],
                "jalur": r["jalur"],
                "keyakinan": float(r["keyakinan"]),
                "bukti": r["bukti"],
                "ayah_id": int(r["ayah"]) if r["ayah"] else None,
                "ibu_id": int(r["ibu"]) if r["ibu"] else None,
            }
            old = known.get(pid)
            if old is None:
                fresh.append(Temuan(person_id=pid, **values))
            elif old.status == Temuan.Status.MENUNGGU:
                for k, v in values.items():
                    setattr(old, k, v)
                old.save()
                updated += 1
        Temuan.objects.bulk_create(fresh, batch_size=2000)
        made = len(fresh)
        audit_write(
            actor=actor,
            action="asuh.deteksi",
            object_type="asuh.temuan",
            region_code=prefix,
            detail={"baru": made, "diperbarui": updated, "dihapus": dropped},
        )
    return {"baru": made, "diperbarui": updated, "dihapus": dropped, "ditemukan": len(rows)}


@transaction.atomic
def temuan_decide(
    *, actor: Any, temuan: Temuan, terima: bool, catatan: str = "", wali_nama: str = "",
    wali_hubungan: str = "",
) -> Anak | None:  # fmt: skip
    """Confirm (a child's record is made, its guardian by default the head of its KK) or
    reject a finding."""
    found = Temuan.objects.select_for_update().get(pk=temuan.pk)
    require_child_access(actor, found.kode_desa)
    if found.status != Temuan.Status.MENUNGGU:
        raise AsuhError("Temuan ini sudah diputuskan.")
    if not terima and not catatan.strip():
        raise AsuhError("Tulis alasan menolak temuan (mis. orang tua masih hidup).")
    found.status = Temuan.Status.DIKONFIRMASI if terima else Temuan.Status.DITOLAK
    found.catatan = catatan.strip()
    found.diputuskan_oleh = actor if getattr(actor, "pk", None) else None
    found.diputuskan_pada = timezone.now()
    found.save()
    temuan.status = found.status
    audit_write(
        actor=actor, action="asuh.temuan_putus", obj=found, region_code=found.kode_desa,
        detail={"status": found.status},
    )  # fmt: skip
    if not terima:
        return None
    child = Person.objects.get(pk=found.person_id)
    head = (  # the living head of the KK, else the living spouse
        Person.objects.filter(keluarga_id=found.keluarga_id, hub_kepala_keluarga__in=[1, 2])
        .exclude(status_hidup=2)
        .exclude(pk=child.pk)
        .order_by("hub_kepala_keluarga", "pk")
        .first()
    )
    return Anak.objects.create(
        person=child,
        temuan=found,
        kode_desa=found.kode_desa,
        nama=child.nama,
        tgl_lahir=child.tgl_lahir,
        jenis_kelamin=child.jenis_kelamin,
        jenis=found.jenis,
        wali_nama=wali_nama.strip() or (head.nama if head else ""),
        wali_hubungan=wali_hubungan.strip()
        or (
            "orang tua"
            if head is not None and head.hub_kepala_keluarga == 2
            else WALI.get(child.hub_kepala_keluarga or 0, "")
        ),
        dicatat_oleh=actor if getattr(actor, "pk", None) else None,
    )


@transaction.atomic
def anak_update(*, actor: Any, anak: Anak, changes: dict[str, Any]) -> Anak:
    """Guardian, schooling, needs, support and the guardian's consent of a child's record."""
    require_child_access(actor, anak.kode_desa)
    allowed = {"wali_nama", "wali_hubungan", "sekolah", "kebutuhan", "dukungan", "persetujuan_wali"}
    unknown = set(changes) - allowed
    if unknown:
        raise AsuhError(f"Isian {', '.join(sorted(unknown))} tidak dapat diubah di sini.")
    for key in ("kebutuhan", "dukungan"):
        bad = set(changes.get(key, [])) - set(choices(key))
        if bad:
            raise AsuhError(f"{key.capitalize()} tidak dikenal: {', '.join(sorted(bad))}.")
    for k, v in changes.items():
        setattr(anak, k, v)
    anak.save()
    audit_write(
        actor=actor, action="asuh.anak_ubah", obj=anak, region_code=anak.kode_desa,
        detail={"isian": sorted(changes)},
    )  # fmt: skip
    return anak


def anak_add_missing(
    *,
    actor: Any,
    kode_desa: str,
    nama: str,
    tgl_lahir: dt.date | None,
    jenis_kelamin: int | None,
    jenis: str,
    wali_nama: str,
    wali_hubungan: str,
    keluarga: Any = None,
    today: dt.date | None = None,
) -> tuple[Anak, str]:
    """Record in the field an orphan the register lacks, and propose them to the register:
    a verval usulan (the child added to the KK it lives in, or a new family headed by the
    guardian). The child's record stands even when no verval period is open; the note
    says what happened to the usulan."""
    from padu.verval.models import Usulan
    from padu.verval.services import VervalError, VervalForbidden
    from padu.verval.services.usulan import usulan_create

    require_child_access(actor, kode_desa)
    if not nama.strip():
        raise AsuhError("Isi nama anak.")
    if jenis not in Jenis.values:
        raise AsuhError("Pilih jenis: yatim, piatu atau yatim piatu.")
    if keluarga is not None and keluarga.kode_desa != kode_desa:
        raise AsuhError(f"Keluarga {keluarga.pk} bukan keluarga desa {kode_desa}.")
    limit = int(settings()["batas_usia"])
    day = today or timezone.localdate()
    if tgl_lahir is not None and (tgl_lahir > day or day.year - tgl_lahir.year > limit):
        raise AsuhError(f"Tanggal lahir {tgl_lahir:%d-%m-%Y}: bukan anak di bawah {limit} tahun.")
    with transaction.atomic():
        anak = Anak.objects.create(
            kode_desa=kode_desa, nama=nama.strip(), tgl_lahir=tgl_lahir,
            jenis_kelamin=jenis_kelamin, jenis=jenis, wali_nama=wali_nama.strip(),
            wali_hubungan=wali_hubungan.strip(),
            dicatat_oleh=actor if getattr(actor, "pk", None) else None,
        )  # fmt: skip
        audit_write(actor=actor, action="asuh.anak_tambah", obj=anak, region_code=kode_desa)
    born = tgl_lahir.isoformat() if tgl_lahir else None
    child = {"nama": anak.nama, "tgl_lahir": born, "jenis_kelamin": jenis_kelamin}
    try:
        with transaction.atomic():
            if keluarga is not None:
                usulan_create(
                    actor=actor, kode_desa=kode_desa, jenis=Usulan.Jenis.PERBAIKAN,
                    keluarga=keluarga, data={"anggota_baru": [{**child, "hub_kepala_keluarga": 7}]},
                    alasan=f"Anak {jenis.replace('_', ' ')} dicatat di lapangan, belum ada di KK.",
                    today=today,
                )  # fmt: skip
            else:
                usulan_create(
                    actor=actor, kode_desa=kode_desa, jenis=Usulan.Jenis.BARU,
                    data={"keluarga": {}, "anggota": [
                        {"nama": wali_nama.strip() or "Wali", "hub_kepala_keluarga": 1},
                        {**child, "hub_kepala_keluarga": 7},
                    ]},
                    alasan=f"Anak {jenis.replace('_', ' ')} dan walinya belum ada di register.",
                    today=today,
                )  # fmt: skip
    except (VervalError, VervalForbidden) as exc:
        return anak, f"Usulan verval belum dibuat: {exc}"
    return anak, "Usulan verval dibuat; register berubah setelah disahkan."
