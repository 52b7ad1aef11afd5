"""Writes to the region reference."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from padu.core.audit import audit_write
from padu.wilayah.loader import LEVELS, RegionRow, packaged_dir, read_all
from padu.wilayah.models import Desa, Kabupaten, Kecamatan, Provinsi, desa_jenis

MODELS: dict[str, type[models.Model]] = {
    "provinsi": Provinsi,
    "kabupaten": Kabupaten,
    "kecamatan": Kecamatan,
    "desa": Desa,
}
PARENT_FIELD = {"kabupaten": "provinsi_id", "kecamatan": "kabupaten_id", "desa": "kecamatan_id"}


@dataclass
class LevelReport:
    added: list[str] = field(default_factory=list)
    renamed: list[str] = field(default_factory=list)
    moved: list[str] = field(default_factory=list)
    vanished: list[str] = field(default_factory=list)
    reappeared: list[str] = field(default_factory=list)
    unchanged: int = 0
    total_in_file: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.added or self.renamed or self.moved or self.vanished or self.reappeared)


@dataclass
class LoadReport:
    directory: str
    provinces: list[str]
    levels: dict[str, LevelReport]

    @property
    def changed(self) -> bool:
        return any(level.changed for level in self.levels.values())

    def summary(self) -> dict[str, Any]:
        return {
            level: {
                "di_berkas": rep.total_in_file,
                "baru": len(rep.added),
                "ganti_nama": len(rep.renamed),
                "pindah_induk": len(rep.moved),
                "hilang": len(rep.vanished),
                "muncul_lagi": len(rep.reappeared),
                "tetap": rep.unchanged,
            }
            for level, rep in self.levels.items()
        }


def wilayah_load(*, actor: Any, directory: Path | None = None) -> LoadReport:
    """Load or refresh the region reference from a folder (default: packaged Jawa Tengah).

    Idempotent. New codes are added, names and parents updated, and codes missing from the
    files are flagged inactive (never deleted) within the provinces the files cover.
    """
    folder = directory or packaged_dir()
    data = read_all(folder)
    provinces = sorted(row.code for row in data["provinsi"])
    now = timezone.now()
    report = LoadReport(directory=str(folder), provinces=provinces, levels={})
    with transaction.atomic():
        for level in LEVELS:
            report.levels[level] = _sync_level(level, data[level], provinces, now)
        audit_write(
            actor=actor,
            action="wilayah.load",
            object_type="wilayah",
            object_id=",".join(provinces)[:64],
            detail={"folder": str(folder), "ringkasan": report.summary()},
        )
    return report


def _sync_level(level: str, rows: list[RegionRow], provinces: list[str], now: Any) -> LevelReport:
    model = MODELS[level]
    parent_field = PARENT_FIELD.get(level)
    report = LevelReport(total_in_file=len(rows))
    scope = models.Q()
    for province in provinces:
        scope |= models.Q(code=province) | models.Q(code__startswith=f"{province}.")
    existing = {obj.pk: obj for obj in model.objects.filter(scope)}  # type: ignore[attr-defined]
    to_create: list[models.Model] = []
    to_update: list[models.Model] = []
    in_file: set[str] = set()
    for row in rows:
        in_file.add(row.code)
        obj = existing.get(row.code)
        if obj is None:
            fields: dict[str, Any] = {"code": row.code, "name": row.name}
            if parent_field:
                fields[parent_field] = row.parent
            if level == "desa":
                fields["jenis"] = desa_jenis(row.code)
            to_create.append(model(**fields))
            report.added.append(row.code)
            continue
        dirty = False
        if obj.name != row.name:
            obj.name = row.name
            report.renamed.append(row.code)
            dirty = True
        if parent_field and getattr(obj, parent_field) != row.parent:
            setattr(obj, parent_field, row.parent)
            report.moved.append(row.code)
            dirty = True
        if not obj.active:
            obj.active = True
            obj.vanished_at = None
            report.reappeared.append(row.code)
            dirty = True
        if dirty:
            obj.updated_at = now
            to_update.append(obj)
        else:
            report.unchanged += 1
    for code, obj in existing.items():
        if code not in in_file and obj.active:
            obj.active = False
            obj.vanished_at = now
            obj.updated_at = now
            to_update.append(obj)
            report.vanished.append(code)
    model.objects.bulk_create(to_create, batch_size=2000)  # type: ignore[attr-defined]
    update_fields = ["name", "active", "vanished_at", "updated_at"]
    if parent_field:
        update_fields.append(parent_field.removesuffix("_id"))
    model.objects.bulk_update(to_update, update_fields, batch_size=2000)  # type: ignore[attr-defined]
    return report
