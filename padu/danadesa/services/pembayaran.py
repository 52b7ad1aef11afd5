"""Monthly BLT-DD payments per KPM: entered on the page or imported from a bank or village
list. Only KPM of the list set by the latest musdesus can be paid."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.db import transaction

from padu.core.audit import audit_write
from padu.danadesa.models import Baris, Daftar, Impor, Pembayaran
from padu.danadesa.services import DanadesaError, require_writer
from padu.danadesa.services.aturan import aturan_tahun
from padu.danadesa.services.daftar import latest
from padu.danadesa.services.impor import impor_catat
from padu.engine.danadesa.berkas import BerkasError, baca_pembayaran, mentah
from padu.registry.models import Keluarga


def kpm_ids(kode_desa: str, tahun: int) -> set[int]:
    """Families on the final KPM list (the latest musdesus result); empty before a musdesus."""
    final = latest(kode_desa, tahun, Daftar.Jenis.PENETAPAN)
    if final is None:
        return set()
    return set(final.baris.filter(status=Baris.Status.KPM).values_list("keluarga_id", flat=True))


@transaction.atomic
def pembayaran_catat(
    *,
    actor: Any,
    kode_desa: str,
    tahun: int,
    bulan: int,
    baris: list[dict[str, Any]],
    sumber: str = "isian",
    impor: Impor | None = None,
) -> int:
    """Record (or correct) one month's payments: ``baris`` items have ``keluarga_id``,
    ``tanggal``, ``cara`` (tunai/transfer) and ``jumlah`` (rupiah). All or none."""
    require_writer(actor, kode_desa)
    rule = aturan_tahun(tahun)
    if not 1 <= bulan <= rule.bulan:
        raise DanadesaError(f"Bulan harus 1-{rule.bulan} (aturan BLT-DD {tahun}).")
    allowed = kpm_ids(kode_desa, tahun)
    if not allowed:
        raise DanadesaError("Belum ada daftar KPM hasil musdesus; catat musdesus dahulu.")
    pesan = []
    for i, b in enumerate(baris, start=1):
        where = str(b.get("baris") or i)
        label = b.get("label") or f"baris {where}"
        if int(b["keluarga_id"]) not in allowed:
            pesan.append(f"{label}: keluarga bukan KPM desa ini menurut musdesus terakhir.")
        if b.get("cara") not in Pembayaran.Cara.values:
            pesan.append(f"{label}: cara salur harus tunai atau transfer.")
        jumlah = int(b.get("jumlah") or 0)
        if not 0 < jumlah <= rule.nilai_per_bulan:
            pesan.append(
                f"{label}: jumlah Rp {jumlah} harus di antara 1 dan Rp {rule.nilai_per_bulan} "
                f"per bulan ({rule.dasar_hukum})."
            )
        if not isinstance(b.get("tanggal"), dt.date):
            pesan.append(f"{label}: tanggal salur wajib diisi.")
    if pesan:
        raise DanadesaError("\n".join(pesan[:50]))
    for b in baris:
        Pembayaran.objects.update_or_create(
            keluarga_id=int(b["keluarga_id"]),
            tahun=tahun,
            bulan=bulan,
            defaults={
                "kode_desa": kode_desa,
                "tanggal": b["tanggal"],
                "cara": b["cara"],
                "jumlah": int(b["jumlah"]),
                "sumber": sumber[:255],
                "impor": impor,
                "dicatat_oleh": actor if getattr(actor, "is_authenticated", False) else None,
            },
        )
    audit_write(
        actor=actor,
        action="danadesa.pembayaran",
        region_code=kode_desa,
        object_type="danadesa.pembayaran",
        object_id=f"{kode_desa}/{tahun}/{bulan}",
        detail={
            "tahun": tahun,
            "bulan": bulan,
            "kpm": len(baris),
            "sumber": sumber,
            "jumlah": sum(int(b["jumlah"]) for b in baris),
        },
    )
    return len(baris)


def pembayaran_impor(*, actor: Any, kode_desa: str, tahun: int, path: Path, nama: str) -> int:
    """Import payments (CSV/XLSX: No. KK, bulan, tanggal salur, cara salur, jumlah) of one
    desa; the file may hold several months. All rows or none; accepted or refused, the
    file's rows are kept as read (``Impor``)."""
    require_writer(actor, kode_desa)

    def refuse(rows: list[dict[str, Any]], message: str) -> DanadesaError:
        impor_catat(
            actor=actor,
            jenis=Impor.Jenis.PEMBAYARAN,
            path=path,
            nama=nama,
            tahun=tahun,
            wilayah=kode_desa,
            baris=rows,
            pesan=message,
        )
        return DanadesaError(message)

    try:
        rows = baca_pembayaran(path, nama)
    except BerkasError as error:
        raise refuse(error.mentah, str(error)) from None
    allowed = kpm_ids(kode_desa, tahun)
    by_kk = dict(Keluarga.objects.filter(pk__in=allowed).values_list("no_kk", "pk"))
    pesan: list[str] = []
    months: dict[int, list[dict[str, Any]]] = {}
    for r in rows:
        pk = by_kk.get(r["no_kk"])
        if pk is None:
            pesan.append(
                f"{nama} baris {r['baris']}, kolom 'No. KK': {r['no_kk']} bukan KPM desa "
                f"{kode_desa} tahun {tahun} menurut musdesus terakhir."
            )
            continue
        label = f"{nama} baris {r['baris']}"
        months.setdefault(r["bulan"], []).append({**r, "keluarga_id": pk, "label": label})
    if pesan:
        raise refuse(mentah(rows), "\n".join(pesan[:50]))
    try:
        with transaction.atomic():
            imp = impor_catat(
                actor=actor,
                jenis=Impor.Jenis.PEMBAYARAN,
                path=path,
                nama=nama,
                tahun=tahun,
                wilayah=kode_desa,
                baris=mentah(rows),
            )
            total = 0
            for bulan, items in sorted(months.items()):
                total += pembayaran_catat(
                    actor=actor,
                    kode_desa=kode_desa,
                    tahun=tahun,
                    bulan=bulan,
                    baris=items,
                    sumber=nama,
                    impor=imp,
                )
    except DanadesaError as error:
        raise refuse(mentah(rows), str(error)) from None
    return total
