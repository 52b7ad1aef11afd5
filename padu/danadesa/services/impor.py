"""The record of an imported file (accepted or refused) with its rows as read."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from django.db import transaction

from padu.core.audit import audit_write
from padu.danadesa.models import Impor


def sidik(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


@transaction.atomic
def impor_catat(
    *,
    actor: Any,
    jenis: str,
    path: Path,
    nama: str,
    tahun: int,
    wilayah: str,
    baris: list[dict[str, Any]],
    pesan: str = "",
) -> Impor:
    """Keep a file's rows and outcome: refused when ``pesan`` names problems."""
    row = Impor.objects.create(
        jenis=jenis,
        status=Impor.Status.DITOLAK if pesan else Impor.Status.DITERIMA,
        nama_berkas=nama[:255],
        sha256=sidik(path),
        tahun=tahun,
        wilayah=wilayah,
        baris=baris,
        pesan=pesan,
        dicatat_oleh=actor if getattr(actor, "is_authenticated", False) else None,
    )
    audit_write(
        actor=actor,
        action=f"danadesa.impor_{jenis}",
        obj=row,
        region_code=wilayah,
        detail={"berkas": nama, "status": row.status, "baris": len(baris)},
    )
    return row
