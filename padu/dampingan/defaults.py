"""Seeding the catalogues of ``pengaturan.yaml`` (kinds of intervention, fund sources) into
the database: only what is missing, never overwriting what users edited in the admin."""

from __future__ import annotations

from typing import Any

from padu.dampingan.config import settings


def seed_catalogues(jenis_model: Any, sumber_model: Any) -> None:
    for row in settings()["jenis_intervensi"]:
        jenis_model.objects.get_or_create(
            kode=row["kode"],
            defaults={
                "nama": row["nama"],
                "perubahan": row.get("perubahan") or {},
                "per_desa": bool(row.get("per_desa")),
            },
        )
    for kode, nama in settings()["sumber_dana"]:
        sumber_model.objects.get_or_create(kode=kode, defaults={"nama": nama})
