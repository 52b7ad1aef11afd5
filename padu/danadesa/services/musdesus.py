"""The musdesus: decisions on the latest list (families added or removed, with reasons)
make a new list version; the earlier versions stay as they were."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from padu.core.audit import audit_write
from padu.danadesa.models import Baris, Daftar, Keputusan, Musdesus
from padu.danadesa.services import DanadesaError, require_writer
from padu.danadesa.services.daftar import latest, next_version
from padu.registry.models import Keluarga


def _people(rows: Any, what: str) -> list[dict[str, str]]:
    people = []
    for row in rows or []:
        nama = str(row.get("nama", "")).strip()
        if nama:
            people.append({"nama": nama, "jabatan": str(row.get("jabatan", "")).strip() or "-"})
    if not people:
        raise DanadesaError(f"Isi minimal satu {what} (nama dan jabatan).")
    return people


def _reasons(changes: dict[int, str], what: str) -> dict[int, str]:
    out = {}
    for pk, alasan in changes.items():
        if not str(alasan or "").strip():
            raise DanadesaError(f"Keluarga {pk} {what} tanpa alasan; tulis alasan keputusannya.")
        out[int(pk)] = str(alasan).strip()
    return out


@transaction.atomic
def musdesus_catat(
    *,
    actor: Any,
    kode_desa: str,
    tahun: int,
    tanggal: dt.date,
    tempat: str,
    pimpinan: str,
    peserta: list[dict[str, str]],
    penandatangan: list[dict[str, str]],
    nomor_perkades: str,
    tanggal_perkades: dt.date | None = None,
    nomor: str = "",
    catatan: str = "",
    hapus: dict[int, str] | None = None,
    tambah: dict[int, str] | None = None,
    kunci: str = "",
) -> Musdesus:
    """Record a musdesus on the latest list of the desa: ``hapus``/``tambah`` map a family id
    to the reason. The KPM of the new version may not exceed the budget's quota."""
    require_writer(actor, kode_desa)
    if kunci:  # the same form sent again (a dropped connection): the first record stands
        done = Musdesus.objects.filter(kunci=kunci[:64], kode_desa=kode_desa, tahun=tahun).first()
        if done is not None:
            return done
    base = latest(kode_desa, tahun)
    if base is None:
        raise DanadesaError("Belum ada daftar calon. Hitung daftar calon dahulu.")
    Daftar.objects.select_for_update().filter(pk=base.pk).first()  # one musdesus at a time
    if not tempat.strip() or not pimpinan.strip():
        raise DanadesaError("Isi tempat dan pimpinan musdesus.")
    if not nomor_perkades.strip():
        raise DanadesaError("Isi nomor Perkades/SK penetapan KPM BLT-DD.")
    removed = _reasons(hapus or {}, "dihapus")
    added = _reasons(tambah or {}, "ditambahkan")
    if set(removed) & set(added):
        raise DanadesaError("Satu keluarga tidak dapat sekaligus ditambah dan dihapus.")
    rows = {b.keluarga_id: b for b in base.baris.all()}
    for pk in removed:
        if pk not in rows or rows[pk].status != Baris.Status.KPM:
            raise DanadesaError(
                f"Keluarga {pk} bukan KPM dalam daftar versi {base.versi}; tidak dapat dihapus."
            )
    for pk in added:
        if pk in rows and rows[pk].status == Baris.Status.KPM:
            raise DanadesaError(f"Keluarga {pk} sudah KPM dalam daftar versi {base.versi}.")
        if pk not in rows and not Keluarga.objects.filter(pk=pk, kode_desa=kode_desa).exists():
            raise DanadesaError(f"Keluarga {pk} tidak terdaftar di desa {kode_desa}.")
    kpm = sum(1 for b in rows.values() if b.status == Baris.Status.KPM) - len(removed) + len(added)
    if kpm > base.kuota:
        pagu = f"{base.pagu:,}".replace(",", ".")
        raise DanadesaError(
            f"Jumlah KPM menjadi {kpm}, melebihi kuota anggaran {base.kuota} keluarga "
            f"(pagu Rp {pagu} x {base.persen}%). Hapus keluarga lain atau kurangi tambahan."
        )
    hasil = Daftar.objects.create(
        kode_desa=kode_desa,
        tahun=tahun,
        versi=next_version(kode_desa, tahun),
        jenis=Daftar.Jenis.PENETAPAN,
        aturan=base.aturan,
        pagu=base.pagu,
        persen=base.persen,
        kuota=base.kuota,
        dasar=base,
        dibuat_oleh=actor if getattr(actor, "is_authenticated", False) else None,
    )
    copies = []
    for pk, b in rows.items():
        status, keterangan = b.status, b.keterangan
        if pk in removed:
            status, keterangan = Baris.Status.DIHAPUS, f"Dihapus musdesus: {removed[pk]}"
        elif pk in added:
            status, keterangan = Baris.Status.KPM, f"Ditambahkan musdesus: {added[pk]}"
        copies.append(
            Baris(
                daftar=hasil,
                keluarga_id=pk,
                peringkat=b.peringkat,
                tingkat=b.tingkat,
                alasan=b.alasan,
                keterangan=keterangan[:500],
                desil=b.desil,
                status=status,
                konflik=b.konflik,
            )
        )
    last = max((b.peringkat for b in rows.values()), default=0)
    new = [pk for pk in added if pk not in rows]
    scores = dict(Keluarga.objects.filter(pk__in=new).values_list("pk", "skor_pmt__desil"))
    for i, pk in enumerate(sorted(new), start=1):
        copies.append(
            Baris(
                daftar=hasil,
                keluarga_id=pk,
                peringkat=last + i,
                tingkat=None,
                alasan="Ditambahkan musdesus",
                keterangan=f"Ditambahkan musdesus: {added[pk]}"[:500],
                desil=scores.get(pk),
                status=Baris.Status.KPM,
            )
        )
    Baris.objects.bulk_create(copies, batch_size=2000)
    musdesus = Musdesus.objects.create(
        kode_desa=kode_desa,
        tahun=tahun,
        tanggal=tanggal,
        tempat=tempat.strip(),
        pimpinan=pimpinan.strip(),
        peserta=_people(peserta, "peserta"),
        penandatangan=_people(penandatangan, "penandatangan"),
        nomor=nomor.strip() or f"{hasil.versi:03d}/BA-MUSDESUS/{tahun}/{kode_desa}",
        nomor_perkades=nomor_perkades.strip(),
        tanggal_perkades=tanggal_perkades,
        catatan=catatan.strip(),
        kunci=kunci[:64],
        daftar_asal=base,
        hasil=hasil,
        dicatat_oleh=actor if getattr(actor, "is_authenticated", False) else None,
    )
    Keputusan.objects.bulk_create(
        [
            Keputusan(
                musdesus=musdesus, keluarga_id=pk, tindakan=Keputusan.Tindakan.HAPUS, alasan=a
            )
            for pk, a in removed.items()
        ]
        + [
            Keputusan(
                musdesus=musdesus, keluarga_id=pk, tindakan=Keputusan.Tindakan.TAMBAH, alasan=a
            )
            for pk, a in added.items()
        ]
    )
    audit_write(
        actor=actor,
        action="danadesa.musdesus",
        obj=musdesus,
        region_code=kode_desa,
        detail={
            "tahun": tahun,
            "versi_asal": base.versi,
            "versi_hasil": hasil.versi,
            "kpm": kpm,
            "dihapus": sorted(removed),
            "ditambah": sorted(added),
            "perkades": musdesus.nomor_perkades,
        },
    )
    return musdesus
