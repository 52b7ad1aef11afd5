"""Export of a period's applied changes for upstream (SIKS-NG): the changed families in the
DTKS-CSV v1 layout (or one XLSX), with ``usulan.csv`` listing each applied usulan and its SK;
and the import of the result (penetapan) back as a source."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from padu.accounts import access
from padu.core.audit import audit_write
from padu.intake.export import export_register
from padu.intake.models import ImportRun
from padu.intake.services import import_file, source_get_or_create
from padu.verval.models import Periode, Usulan
from padu.verval.services import VervalForbidden

USULAN_COLUMNS = [
    "id_usulan",
    "jenis",
    "id_keluarga",
    "kode_desa",
    "alasan_nonaktif",
    "nomor_sk",
    "tanggal_sk",
    "diterapkan",
]
PENETAPAN_SOURCE = "PENETAPAN"


def periode_export(*, actor: Any, periode: Periode, out: Path, fmt: str = "csv") -> list[Path]:
    prefix = periode.kode_kabupaten + "."
    if not access.can_see_region(actor, prefix):
        raise VervalForbidden("Periode ini di luar wilayah Anda.")
    applied = (
        access.scope_by_region(Usulan.objects.all(), actor, "kode_desa")
        .filter(periode=periode, status=Usulan.Status.DITERAPKAN)
        .select_related("keluarga", "pengesahan", "alasan_nonaktif")
        .order_by("kode_desa", "id")
    )
    ids = sorted({u.keluarga_id for u in applied if u.keluarga_id})
    paths = export_register(actor=actor, out=out, fmt=fmt, prefix=prefix, keluarga_ids=ids)
    path = out / "usulan.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(USULAN_COLUMNS)
        for u in applied:
            sk = u.pengesahan
            writer.writerow(
                [
                    u.pk,
                    u.jenis,
                    u.keluarga.id_keluarga if u.keluarga else "",
                    u.kode_desa,
                    u.alasan_nonaktif.code if u.alasan_nonaktif else "",
                    sk.nomor_sk if sk else "",
                    sk.tanggal_sk.isoformat() if sk else "",
                    u.diterapkan_pada.isoformat() if u.diterapkan_pada else "",
                ]
            )
    audit_write(
        actor=actor,
        action="verval.periode_export",
        obj=periode,
        region_code=prefix,
        detail={"keluarga": len(ids), "format": fmt},
    )
    return [*paths, path]


def penetapan_import(*, actor: Any, path: Path, table: str = "keluarga") -> ImportRun:
    """Import the national result (penetapan) as the source ``PENETAPAN``: the ordinary
    intake (detection, mapping, quarantine, versioned promotion)."""
    source = source_get_or_create(actor=actor, name=PENETAPAN_SOURCE)
    return import_file(actor=actor, path=path, source=source, table=table)
