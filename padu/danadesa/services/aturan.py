"""The yearly rules in the database: loaded from the shipped YAML or changed as data."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from padu.accounts import access
from padu.core.audit import audit_write
from padu.danadesa.models import AturanTahun
from padu.danadesa.services import DanadesaError, DanadesaForbidden
from padu.engine.danadesa import Aturan, AturanError, bawaan, dari_dict


@transaction.atomic
def aturan_simpan(*, actor: Any, data: dict[str, Any]) -> AturanTahun:
    """Create or replace the rule of ``data['tahun']`` (province-wide writers only)."""
    if actor is not None and access.write_prefixes(actor) is not access.ALL:
        raise DanadesaForbidden("Aturan BLT-DD hanya dapat diubah oleh admin provinsi.")
    try:
        rule = dari_dict(data)
    except AturanError as error:
        raise DanadesaError(str(error)) from None
    row, created = AturanTahun.objects.update_or_create(
        tahun=rule.tahun, defaults={"dasar_hukum": rule.dasar_hukum, "data": data}
    )
    audit_write(
        actor=actor,
        action="danadesa.aturan",
        obj=row,
        detail={"tahun": rule.tahun, "baru": created, "dasar_hukum": rule.dasar_hukum},
    )
    return row


def aturan_muat_bawaan(*, actor: Any, timpa: bool = False) -> list[int]:
    """Store the shipped rules (``aturan.yaml``); existing years are kept unless ``timpa``."""
    done = []
    for data in bawaan():
        if timpa or not AturanTahun.objects.filter(tahun=data["tahun"]).exists():
            aturan_simpan(actor=actor, data=data)
            done.append(int(data["tahun"]))
    return done


def aturan_tahun(tahun: int) -> Aturan:
    """The rule of ``tahun`` from the database (configuration, read for everyone)."""
    row = AturanTahun.objects.filter(tahun=tahun).first()
    if row is None:
        raise DanadesaError(
            f"Belum ada aturan BLT-DD tahun {tahun}. Admin provinsi memuatnya dengan "
            "`padu danadesa aturan` atau menambahkannya di halaman admin."
        )
    return dari_dict(row.data)
