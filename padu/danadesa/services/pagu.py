"""Dana Desa per desa per year: entered, or imported from the kabupaten's file."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db import transaction

from padu.accounts import access
from padu.core.audit import audit_write
from padu.danadesa.models import AturanTahun, Impor, Pagu
from padu.danadesa.services import DanadesaError, DanadesaForbidden, require_writer
from padu.danadesa.services.aturan import aturan_tahun
from padu.danadesa.services.impor import impor_catat
from padu.engine.danadesa import AturanError
from padu.engine.danadesa.berkas import BerkasError, baca_pagu, mentah


def _check_share(tahun: int, persen: Decimal | None) -> None:
    if persen is None or not AturanTahun.objects.filter(tahun=tahun).exists():
        return
    try:
        aturan_tahun(tahun).periksa_persen(persen)
    except AturanError as error:
        raise DanadesaError(str(error)) from None


@transaction.atomic
def pagu_simpan(
    *,
    actor: Any,
    kode_desa: str,
    tahun: int,
    pagu: int,
    persen_blt: Decimal | None = None,
    sumber: str = Pagu.Sumber.ISIAN,
    berkas: str = "",
    impor: Impor | None = None,
) -> Pagu:
    """Enter (or correct) the Dana Desa of a desa for a year, with the planned BLT-DD share."""
    require_writer(actor, kode_desa)
    if pagu <= 0:
        raise DanadesaError("Pagu Dana Desa harus lebih dari 0 rupiah.")
    _check_share(tahun, persen_blt)
    row, created = Pagu.objects.update_or_create(
        kode_desa=kode_desa,
        tahun=tahun,
        defaults={
            "pagu": pagu,
            "persen_blt": persen_blt,
            "sumber": sumber,
            "berkas": berkas,
            "impor": impor,
            "dicatat_oleh": actor if getattr(actor, "is_authenticated", False) else None,
        },
    )
    audit_write(
        actor=actor,
        action="danadesa.pagu",
        obj=row,
        region_code=kode_desa,
        detail={"tahun": tahun, "pagu": pagu, "persen_blt": str(persen_blt), "baru": created},
    )
    return row


def pagu_impor(*, actor: Any, path: Path, nama: str, tahun: int) -> int:
    """Import the kabupaten's Dana Desa file (CSV/XLSX: kode desa, pagu, optional porsi BLT-DD).

    All rows or none: any unreadable cell, or a desa the user may not change, refuses the
    whole file with every problem named by row and column. Accepted or refused, the file's
    rows are kept as read (``Impor``)."""
    if access.write_prefixes(actor) == []:
        raise DanadesaForbidden("Anda tidak berwenang mengimpor pagu Dana Desa.")

    def refuse(rows: list[dict[str, Any]], message: str) -> DanadesaError:
        impor_catat(
            actor=actor,
            jenis=Impor.Jenis.PAGU,
            path=path,
            nama=nama,
            tahun=tahun,
            wilayah="",
            baris=rows,
            pesan=message,
        )
        return DanadesaError(message)

    try:
        rows = baca_pagu(path, nama)
    except BerkasError as error:
        raise refuse(error.mentah, str(error)) from None
    pesan = []
    for r in rows:
        if not access.can_write_region(actor, r["kode_desa"]):
            pesan.append(
                f"{nama} baris {r['baris']}, kolom 'kode desa': Anda tidak berwenang atas desa "
                f"{r['kode_desa']}; hapus barisnya atau minta petugas wilayah itu mengimpor."
            )
        elif r["pagu"] is not None and r["pagu"] <= 0:
            pesan.append(f"{nama} baris {r['baris']}, kolom 'pagu': pagu harus lebih dari 0.")
        else:
            try:
                _check_share(tahun, r.get("persen_blt"))
            except DanadesaError as error:
                pesan.append(f"{nama} baris {r['baris']}, kolom 'porsi BLT-DD': {error}")
    if pesan:
        raise refuse(mentah(rows), "\n".join(pesan[:50]))
    with transaction.atomic():
        imp = impor_catat(
            actor=actor,
            jenis=Impor.Jenis.PAGU,
            path=path,
            nama=nama,
            tahun=tahun,
            wilayah=rows[0]["kode_desa"][:5],
            baris=mentah(rows),
        )
        for r in rows:
            pagu_simpan(
                actor=actor,
                kode_desa=r["kode_desa"],
                tahun=tahun,
                pagu=r["pagu"],
                persen_blt=r.get("persen_blt"),
                sumber=Pagu.Sumber.IMPOR,
                berkas=nama,
                impor=imp,
            )
    return len(rows)


@transaction.atomic
def perangkat_catat(*, actor: Any, keluarga: Any, jabatan: str) -> None:
    """Record that a family has a village official (excluded where the year's rule says)."""
    require_writer(actor, keluarga.kode_desa)
    if not jabatan.strip():
        raise DanadesaError("Isi jabatan perangkat desa.")
    from padu.danadesa.models import Perangkat

    row, _ = Perangkat.objects.update_or_create(
        keluarga=keluarga, defaults={"kode_desa": keluarga.kode_desa, "jabatan": jabatan.strip()}
    )
    audit_write(actor=actor, action="danadesa.perangkat", obj=row, region_code=keluarga.kode_desa)
